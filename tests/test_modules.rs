//! Behaviour: modules declared once with `pycall::import!`, imported on first use and cached.

use pycall::prelude::*;

pycall::import!(math, collections.abc, json as js);

mod inner {
    pycall::import!(pub(crate) statistics as stats);
}

fn mean(values: &[f64]) -> PyResult<f64> {
    Python::attach(|py| {
        use inner::stats;
        py!(stats.fmean(values) as f64)
    })
}

#[test]
fn declared_modules_work_in_every_function() {
    Python::attach(|py| {
        let x = 2.0_f64;
        let r: f64 = py!(math.sqrt(x) as f64).unwrap();
        assert_eq!(r, x.sqrt());
        let text: String = py!(js.dumps({"a": [1, 2]}) as String).unwrap();
        assert_eq!(text, r#"{"a": [1, 2]}"#);
        // `import collections.abc` binds `collections`, with `collections.abc` imported.
        let is_seq: bool = py!(isinstance([], collections.abc.Sequence) as bool).unwrap();
        assert!(is_seq);
        // The module object is cached: the same object every time.
        let same: bool = py!(math is $(math.bind(py).unwrap()) as bool).unwrap();
        assert!(same);
    });
    assert_eq!(mean(&[1.0, 2.0, 6.0]).unwrap(), 3.0);
}

#[test]
fn a_missing_module_is_a_python_error_at_first_use() {
    pycall::import!(no_such_module_pycall);
    Python::attach(|py| {
        let err = py!(no_such_module_pycall.anything).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "ModuleNotFoundError");
    });
}
