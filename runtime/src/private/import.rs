//! Imports: `import` and `from … import`, cached per call site.

use crate::__private::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// `import a.b.c` (binding `a` when `top`) or `import a.b.c as x` / `from a.b.c import …`
/// (the module itself), imported once per call site.
pub fn import_cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let imported = py.import(super::values::checked_str(py, module)?)?;
        if top {
            let first = module.split('.').next().unwrap_or(module);
            return Ok(py
                .import(super::values::checked_str(py, first)?)?
                .into_any()
                .unbind());
        }
        Ok(imported.into_any().unbind())
    })
    .map(|m| m.bind(py).clone())
}

/// `from module import name`: the attribute, or the submodule of that name.
pub fn import_from<'py>(
    module: &Bound<'py, PyAny>,
    name: &'static str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = module.py();
    match module.getattr(super::values::checked_str(py, name)?) {
        Ok(value) => Ok(value),
        Err(err) if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
            let module_name: String = module.getattr(intern!(py, "__name__"))?.extract()?;
            let full = super::values::checked_str(py, &format!("{module_name}.{name}"))?;
            match py.import(full) {
                Ok(sub) => Ok(sub.into_any()),
                Err(_) => Err(pyo3::exceptions::PyImportError::new_err(format!(
                    "cannot import name '{name}' from '{module_name}'"
                ))),
            }
        }
        Err(err) => Err(err),
    }
}
