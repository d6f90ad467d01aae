//! Behaviour: lambdas and generator expressions made by `py!` behave as Python's own: they are
//! collected when they form reference cycles, bind as methods, and follow PEP 479.

use pycall::prelude::*;

#[test]
fn a_recursive_lambda_is_garbage_collected() {
    Python::attach(|py| {
        let gc = py.import("gc").unwrap();
        let weakref = py.import("weakref").unwrap();
        // `fact` refers to itself through its cell: a reference cycle.
        let fact = py!((fact := lambda n: 1 if n <= 1 else n * fact(n - 1))).unwrap();
        let r: i64 = py!(fact(10) as i64).unwrap();
        assert_eq!(r, 3_628_800);
        let alive = py!(weakref.ref(fact)).unwrap();
        drop(fact);
        py!(gc.collect()).unwrap();
        let gone: bool = py!(alive() is None as bool).unwrap();
        assert!(gone, "the lambda's cycle was not collected");
    });
}

#[test]
fn a_generator_in_a_cycle_is_garbage_collected() {
    Python::attach(|py| {
        let gc = py.import("gc").unwrap();
        let weakref = py.import("weakref").unwrap();
        let holder = py!([]).unwrap();
        let probe = py!(type("Probe", (), {})()).unwrap();
        // The generator captures `holder`, and `holder` holds the generator.
        py!(holder.append((probe for _ in holder))).unwrap();
        let alive = py!(weakref.ref(probe)).unwrap();
        drop((holder, probe));
        py!(gc.collect()).unwrap();
        let gone: bool = py!(alive() is None as bool).unwrap();
        assert!(gone, "the generator's cycle was not collected");
    });
}

#[test]
fn a_lambda_on_a_class_binds_as_a_method() {
    Python::attach(|py| {
        let cls = py!(type("C", (), {"double": lambda self, v: v * 2, "k": 21})).unwrap();
        let r: i64 = py!(cls().double(cls().k) as i64).unwrap();
        assert_eq!(r, 42);
        let name: String = py!((lambda: 0).__name__ as String).unwrap();
        assert_eq!(name, "<lambda>");
    });
}

#[test]
fn stop_iteration_inside_a_generator_is_a_runtime_error() {
    Python::attach(|py| {
        let err = py!(list(next(it) for it in [iter([1]), iter([])])).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "RuntimeError");
        assert_eq!(err.value(py).to_string(), "generator raised StopIteration");
        let cause = err.cause(py).expect("the StopIteration is the cause");
        assert_eq!(cause.get_type(py).name().unwrap(), "StopIteration");
    });
}

#[test]
fn attribute_lookup_comes_before_arguments_that_run_code() {
    Python::attach(|py| {
        let calls = py!([]).unwrap();
        // CPython looks up `missing` first and never evaluates the argument.
        let err = py!("text".missing(calls.append(1))).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "AttributeError");
        assert_eq!(calls.len().unwrap(), 0);
        let mut ran = false;
        let err = py!("text".missing($({
            ran = true;
            1
        })))
        .unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "AttributeError");
        assert!(
            !ran,
            "the Rust argument ran before the attribute lookup failed"
        );
    });
}

#[test]
fn deep_recursion_reaches_pythons_limit_not_the_stack_end() {
    // 990 levels is under Python's recursion limit (1000); each level is a Rust frame too.
    Python::attach(|py| {
        let depth: i64 = py! {
            def f(k) { if k == 0 { return 0 } return f(k - 1) + 1 }
            f(990)
            as i64
        }
        .unwrap();
        assert_eq!(depth, 990);
        let err = py! {
            def g(k) { return g(k + 1) }
            g(0)
        }
        .unwrap_err();
        assert!(
            err.is_instance_of::<pycall::pyo3::exceptions::PyRecursionError>(py),
            "{err}"
        );
    });
}
