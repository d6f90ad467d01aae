//! Behaviour: `py!` blocks — statements separated by `;`, blocks in braces, a final value.

use pycall::prelude::*;

#[test]
fn the_issue_example_runs() {
    Python::attach(|py| {
        let values = vec![1.5_f64, 2.5, 3.0, 5.0];
        let total: f64 = py! {
            import statistics;
            from math import fsum;
            xs = [float(v) for v in values];
            m = statistics.mean(xs);
            fsum((x - m) ** 2 for x in xs) as f64
        }
        .unwrap();
        let mean = values.iter().sum::<f64>() / 4.0;
        let want: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        assert!((total - want).abs() < 1e-12);
    });
}

#[test]
fn control_flow_and_assignments() {
    Python::attach(|py| {
        let limit = 20_i64;
        let r: (i64, Vec<i64>, bool) = py! {
            total = 0;
            seen = [];
            for i in range(limit) {
                if i % 2 == 0 { continue }
                elif i > 11 { break }
                total += i;
                seen.append(i)
            } else {
                seen.append(-1)
            }
            n = 0;
            while n < 3 { n += 1 } else { done = True }
            (total, seen, done) as (i64, Vec<i64>, bool)
        }
        .unwrap();
        assert_eq!(r, (1 + 3 + 5 + 7 + 9 + 11, vec![1, 3, 5, 7, 9, 11], true));
    });
}

#[test]
fn unpacking_chained_and_augmented_assignment() {
    Python::attach(|py| {
        let r: (i64, Vec<i64>, i64, i64, Vec<i64>) = py! {
            first, *rest = [1, 2, 3];
            a = b = 5;
            a **= 2;
            b / /= 2;
            d = {"k": [1]};
            d["k"] += [2];
            (first, rest, a, b, d["k"]) as (i64, Vec<i64>, i64, i64, Vec<i64>)
        }
        .unwrap();
        assert_eq!(r, (1, vec![2, 3], 25, 2, vec![1, 2]));
    });
}

#[test]
fn a_name_assigned_in_the_block_shadows_the_rust_one_from_there_on() {
    Python::attach(|py| {
        let count = 10_i64;
        let r: (i64, i64) = py! {
            before = count;
            count += 1;
            (before, count) as (i64, i64)
        }
        .unwrap();
        assert_eq!(r, (10, 11));
        assert_eq!(count, 10, "Rust bindings are read-only inside py!");
    });
}

#[test]
fn assert_raise_and_del() {
    Python::attach(|py| {
        let err = py! { x = 1; assert x == 2, "x is " + str(x) }.unwrap_err();
        assert_eq!(err.to_string(), "AssertionError: x is 1");
        let err = py! { raise ValueError("bad") from KeyError("k") }.unwrap_err();
        assert_eq!(err.to_string(), "ValueError: bad");
        assert_eq!(
            err.cause(py).unwrap().get_type(py).name().unwrap(),
            "KeyError"
        );
        let err = py! { x = 1; del x; x }.unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "NameError");
        let none = py! { d = {"a": 1}; del d["a"] }.unwrap();
        assert!(none.is_none());
    });
}

#[test]
fn return_ends_the_block_early() {
    Python::attach(|py| {
        for (x, want) in [(3_i64, "small"), (30, "big")] {
            let got: String = py! {
                if x > 10 { return "big" }
                "small" as String
            }
            .unwrap();
            assert_eq!(got, want);
        }
        let found: i64 = py! {
            for i in range(100) {
                try {
                    if i * i > 50 { return i }
                } finally {
                    pass
                }
            }
            -1 as i64
        }
        .unwrap();
        assert_eq!(found, 8);
    });
}

#[test]
fn several_context_managers_and_suppression() {
    Python::attach(|py| {
        let log: Vec<String> = py! {
            from contextlib import contextmanager, suppress;
            import contextlib;
            log = [];
            stack = contextlib.ExitStack();
            with stack as s, suppress(KeyError) {
                s.callback(lambda: log.append("exit stack"));
                log.append("inside");
                {}["missing"];
                log.append("not reached")
            }
            log.append("after");
            log as Vec<String>
        }
        .unwrap();
        assert_eq!(log, ["inside", "exit stack", "after"]);
        // CPython's words, which 3.11 changed.
        let err = py! { with 42 { pass } }.unwrap_err();
        let expected = if py.version_info() >= (3, 11) {
            "TypeError: 'int' object does not support the context manager protocol"
        } else {
            "AttributeError: __enter__"
        };
        assert_eq!(err.to_string(), expected);
    });
}

#[test]
fn slices_items_and_attributes_as_targets() {
    Python::attach(|py| {
        let r: Vec<i64> = py! {
            xs = list(range(6));
            xs[1:3] = [10, 20, 30];
            xs[::2] = [0, 0, 0, 0][:len(xs[::2])];
            del xs[-1];
            xs as Vec<i64>
        }
        .unwrap();
        assert_eq!(r, [0, 10, 0, 30, 0, 4]);
    });
}

#[test]
fn functions_defined_in_a_block_are_python_callables() {
    Python::attach(|py| {
        let scale = 3_i64;
        let f = py! {
            def scaled(values, *, offset=0) {
                return [v * scale + offset for v in values]
            }
            scaled
        }
        .unwrap();
        let r: Vec<i64> = py!(f([1, 2], offset = 1) as Vec<i64>).unwrap();
        assert_eq!(r, [4, 7]);
        let name: String = py!(f.__name__ as String).unwrap();
        assert_eq!(name, "scaled");
        let err = py!(f()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "TypeError: scaled() missing 1 required positional argument: 'values'"
        );
    });
}
