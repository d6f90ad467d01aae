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
