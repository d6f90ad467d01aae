//! numpy, matplotlib and pandas end to end. They come from the environment pycall finds;
//! `bash scripts/test.sh` (the README's test command) installs requirements.txt into .venv and
//! runs the tests there. A missing package fails the test with that advice; none is skipped.

use pycall::numpy::ndarray::{Array2, array};
use pycall::numpy::{
    IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2,
    PyUntypedArrayMethods, ToPyArray,
};
use pycall::prelude::*;

/// Sets the environment up and imports `module`, or panics saying how to get it.
fn require<'py>(py: Python<'py>, module: &str) -> Bound<'py, PyModule> {
    pycall::environment(py).expect("pycall's environment");
    py.import(module).unwrap_or_else(|e| {
        panic!(
            "{e}: these tests need requirements.txt installed where pycall looks; run `bash scripts/test.sh`"
        )
    })
}

#[test]
fn rust_data_reaches_numpy_and_comes_back() {
    Python::attach(|py| -> PyResult<()> {
        let np = require(py, "numpy");
        let values: Vec<f64> = (0..10_000).map(|i| i as f64 * 0.5).collect();
        // One copy in, a view back.
        let arr = values.to_pyarray(py);
        let doubled: PyReadonlyArray1<f64> = py!(arr * 2 as PyReadonlyArray1<f64>)?;
        let expected: Vec<f64> = values.iter().map(|v| v * 2.0).collect();
        assert_eq!(doubled.as_slice()?, expected.as_slice());
        // The element-by-element path (a list of floats) gives the same array.
        let via_list = py!(np.asarray(values))?;
        assert!(py!(np.array_equal(via_list, arr) as bool)?);
        // A Vec moved in without a copy keeps its dtype.
        let ints = vec![1_i64, 2, 3].into_pyarray(py);
        assert_eq!(py!(str(ints.dtype) as String)?, "int64");
        assert_eq!(py!(int(ints.sum()) as i64)?, 6);
        // A reduction.
        let (mean, total): (f64, f64) = py!((float(arr.mean()), float(np.sum(arr))) as (f64, f64))?;
        assert_eq!(mean, 2499.75);
        assert_eq!(total, 24_997_500.0);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_linear_solve_from_an_ndarray() {
    Python::attach(|py| -> PyResult<()> {
        let np = require(py, "numpy");
        let a: Array2<f64> = array![[4.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 4.0]];
        let x_true = [1.0, -2.0, 3.0];
        let b: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|j| a[[i, j]] * x_true[j]).sum())
            .collect();
        let (a_py, b_py) = (a.to_pyarray(py), b.to_pyarray(py));
        let x: PyReadonlyArray1<f64> = py!(np.linalg.solve(a_py, b_py) as PyReadonlyArray1<f64>)?;
        for (got, want) in x.as_slice()?.iter().zip(x_true) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        let inverse: PyReadonlyArray2<f64> = py!(np.linalg.inv(a_py) as PyReadonlyArray2<f64>)?;
        let product = a.dot(&inverse.as_array());
        assert!(product.iter().enumerate().all(|(k, v)| {
            let identity = if k % 4 == 0 { 1.0 } else { 0.0 };
            (v - identity).abs() < 1e-12
        }));
        // numpy's own error, as a PyErr with pycall's note.
        let singular = array![[1.0, 2.0], [2.0, 4.0]].to_pyarray(py);
        let err = py!(np.linalg.solve(singular, np.ones(2))).unwrap_err();
        assert_eq!(err.get_type(py).name()?.to_string(), "LinAlgError");
        assert_eq!(err.value(py).to_string(), "Singular matrix");
        // Asking for the wrong dtype or shape is a conversion error, not a panic.
        assert!(py!(np.ones(3) as PyReadonlyArray2<f64>).is_err());
        assert!(py!(np.ones(3, dtype = "int32") as PyReadonlyArray1<f64>).is_err());
        Ok(())
    })
    .unwrap();
}

#[test]
fn numpy_fills_a_buffer_rust_made() {
    Python::attach(|py| -> PyResult<()> {
        let np = require(py, "numpy");
        let out = PyArray1::<f64>::zeros(py, 4, false);
        py!(np.multiply(np.arange(4.0), 3, out = out))?;
        assert_eq!(out.readonly().as_slice()?, [0.0, 3.0, 6.0, 9.0]);
        assert_eq!(out.shape(), [4]);
        Ok(())
    })
    .unwrap();
}

#[test]
fn matplotlib_saves_a_png_of_rust_data() {
    Python::attach(|py| -> PyResult<()> {
        require(py, "matplotlib");
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-plot.png");
        let path_text = path.to_str().unwrap();
        let xs: Vec<f64> = (0..100).map(|i| i as f64 / 10.0).collect();
        let ys: Vec<f64> = xs.iter().map(|x| x.sin()).collect();
        py! {
            import matplotlib;
            matplotlib.use("Agg");
            import matplotlib.pyplot as plt;
            fig, ax = plt.subplots(figsize=(4, 3));
            ax.plot(xs, ys);
            ax.set_title("sin, from Rust");
            fig.savefig(path_text, dpi=50);
            plt.close(fig)
        }?;
        let png = std::fs::read(&path).expect("the PNG was written");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // The IHDR chunk holds width and height: 4 x 3 inches at 50 dpi.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (200, 150));
        Ok(())
    })
    .unwrap();
}

#[test]
fn pandas_groups_rust_columns() {
    #[derive(FromPyObject, Debug, PartialEq)]
    #[pyo3(from_item_all)]
    struct Row {
        team: String,
        points: i64,
        mean: f64,
    }
    Python::attach(|py| -> PyResult<()> {
        require(py, "pandas");
        let team = vec!["a", "b", "a", "c", "b", "a"];
        let points = vec![3_i64, 1, 4, 1, 5, 9];
        let rows: Vec<Row> = py! {
            import pandas as pd;
            df = pd.DataFrame({"team": team, "points": points});
            g = df.groupby("team").points.agg(["sum", "mean"]).reset_index();
            g.columns = ["team", "points", "mean"];
            g.to_dict("records")
            as Vec<Row>
        }?;
        let want = [("a", 16, 16.0 / 3.0), ("b", 6, 3.0), ("c", 1, 1.0)];
        assert_eq!(rows.len(), want.len());
        for (row, (team, points, mean)) in rows.iter().zip(want) {
            assert_eq!((row.team.as_str(), row.points), (team, points));
            assert!((row.mean - mean).abs() < 1e-12);
        }
        // A missing value is NaN in pandas and `None` through `Option` with a check in Python.
        let maybe: Vec<Option<f64>> = py! {
            import pandas as pd;
            s = pd.Series([1.0, None, 3.0]);
            [None if pd.isna(v) else v for v in s]
            as Vec<Option<f64>>
        }?;
        assert_eq!(maybe, [Some(1.0), None, Some(3.0)]);
        Ok(())
    })
    .unwrap();
}
