//! Functions: lambdas and `def`s, their argument binding, and the variables they capture.

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use super::display::parts;
use super::exceptions::internal_error;

/// The shape of a lambda's parameter list.
pub struct LambdaSpec {
    /// `<lambda>`, or the name of a `def`.
    pub name: &'static str,
    /// Positional parameters, positional-only ones first.
    pub positional: &'static [&'static str],
    pub posonly: usize,
    pub varargs: bool,
    pub kwonly: &'static [&'static str],
    pub varkw: bool,
}

impl LambdaSpec {
    /// How many values [`bind_arguments`] produces.
    const fn parameter_count(&self) -> usize {
        self.positional.len() + self.varargs as usize + self.kwonly.len() + self.varkw as usize
    }
}

/// Python's argument binding: positional parameters, `*args` (a tuple), keyword-only
/// parameters, `**kwargs` (a dict), in that order.
fn bind_arguments<'py>(
    spec: &LambdaSpec,
    defaults: &[Py<PyAny>],
    kw_defaults: &[Option<Py<PyAny>>],
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = args.py();
    let np = spec.positional.len();
    let mut slots: Vec<Option<Bound<'py, PyAny>>> = vec![None; np + spec.kwonly.len()];
    let given = args.len();
    for (i, arg) in args.iter().enumerate().take(np) {
        slots[i] = Some(arg);
    }
    let extra = if given > np && spec.varargs {
        args.get_slice(np, given)
    } else {
        PyTuple::empty(py)
    };
    let kwdict = if spec.varkw {
        Some(PyDict::new(py))
    } else {
        None
    };
    let mut posonly_as_kw = Vec::new();
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let name: String = key.extract()?;
            let index = spec.positional[spec.posonly..]
                .iter()
                .position(|p| *p == name)
                .map(|i| i + spec.posonly)
                .or_else(|| spec.kwonly.iter().position(|p| *p == name).map(|i| i + np));
            match index {
                Some(i) => {
                    if slots[i].is_some() {
                        return Err(PyTypeError::new_err(format!(
                            "{}() got multiple values for argument '{name}'",
                            spec.name
                        )));
                    }
                    slots[i] = Some(value);
                }
                None => match &kwdict {
                    Some(d) => d.set_item(key, value)?,
                    None if spec.positional[..spec.posonly].contains(&name.as_str()) => {
                        posonly_as_kw.push(name)
                    }
                    None => {
                        return Err(PyTypeError::new_err(format!(
                            "{}() got an unexpected keyword argument '{name}'",
                            spec.name
                        )));
                    }
                },
            }
        }
    }
    if given > np && !spec.varargs {
        let kwonly_given = slots[np..].iter().filter(|s| s.is_some()).count();
        return Err(too_many_positional(
            spec.name,
            np,
            defaults.len(),
            given,
            kwonly_given,
        ));
    }
    if !posonly_as_kw.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "{}() got some positional-only arguments passed as keyword arguments: '{}'",
            spec.name,
            posonly_as_kw.join(", ")
        )));
    }
    let first_default = np - defaults.len();
    let mut missing = Vec::new();
    for (i, slot) in slots.iter_mut().enumerate().take(np) {
        if slot.is_none() {
            match i.checked_sub(first_default) {
                Some(d) => *slot = Some(defaults[d].bind(py).clone()),
                None => missing.push(format!("'{}'", spec.positional[i])),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(spec.name, "positional", &missing));
    }
    for (k, default) in kw_defaults.iter().enumerate() {
        if slots[np + k].is_none() {
            match default {
                Some(d) => slots[np + k] = Some(d.bind(py).clone()),
                None => missing.push(format!("'{}'", spec.kwonly[k])),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(spec.name, "keyword-only", &missing));
    }
    let mut out = Vec::with_capacity(spec.parameter_count());
    let mut slots = slots.into_iter().flatten();
    out.extend(slots.by_ref().take(np));
    if spec.varargs {
        out.push(extra.into_any());
    }
    out.extend(slots);
    if let Some(d) = kwdict {
        out.push(d.into_any());
    }
    Ok(out)
}

fn too_many_positional(
    function: &str,
    np: usize,
    defcount: usize,
    given: usize,
    kwonly_given: usize,
) -> PyErr {
    let takes = if defcount == 0 {
        format!("{np}")
    } else {
        format!("from {} to {np}", np - defcount)
    };
    let plural = if np == 1 && defcount == 0 { "" } else { "s" };
    let kwonly = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given == 1 { "" } else { "s" },
            if kwonly_given == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let verb = if given == 1 && kwonly_given == 0 {
        "was"
    } else {
        "were"
    };
    PyTypeError::new_err(format!(
        "{function}() takes {takes} positional argument{plural} but {given}{kwonly} {verb} given"
    ))
}

fn missing_error(function: &str, kind: &str, names: &[String]) -> PyErr {
    let list = match names {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        [] => String::new(),
    };
    PyTypeError::new_err(format!(
        "{function}() missing {} required {kind} argument{}: {list}",
        names.len(),
        if names.len() == 1 { "" } else { "s" }
    ))
}

/// A captured value, by its index in the list a lambda or generator keeps.
#[inline(always)]
pub fn capture<'a, 'py>(
    py: Python<'py>,
    captures: &'a [Py<PyAny>],
    index: usize,
) -> PyResult<&'a Bound<'py, PyAny>> {
    match captures.get(index) {
        Some(value) => Ok(value.bind(py)),
        None => Err(internal_error()),
    }
}

type Body = dyn for<'a> Fn(Python<'a>, &[Py<PyAny>], Vec<Bound<'a, PyAny>>) -> PyResult<Bound<'a, PyAny>>
    + Send
    + Sync;

/// A lambda made by `py!`: a Python function whose body is Rust code. Its defaults and
/// captured variables are held here, where Python's garbage collector can see them.
#[pyclass(module = "pycall", name = "function", frozen, weakref)]
struct Function {
    spec: &'static LambdaSpec,
    defaults: Vec<Py<PyAny>>,
    kw_defaults: Vec<Option<Py<PyAny>>>,
    captures: Vec<Py<PyAny>>,
    body: Box<Body>,
}

#[pymethods]
impl Function {
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        &self,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = bind_arguments(self.spec, &self.defaults, &self.kw_defaults, args, kwargs)?;
        // Recursion is bounded by Python's recursion limit, but a Rust frame per Python call
        // can exhaust the thread's stack first (unoptimized builds most of all): continue on a
        // fresh segment when less than 256 KiB are left.
        stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, || {
            (self.body)(args.py(), &self.captures, values)
        })
    }

    /// Functions are descriptors: a lambda stored on a class becomes a method.
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        obj: Option<Bound<'py, PyAny>>,
        _owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match obj {
            Some(obj) if !obj.is_none() => {
                let py = slf.py();
                let method_type = py
                    .import(intern!(py, "types"))?
                    .getattr(intern!(py, "MethodType"))?;
                method_type.call1((slf, obj))
            }
            _ => Ok(slf.into_any()),
        }
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.spec.name
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.spec.name
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        format!(
            "<function {} at {:#x}>",
            slf.get().spec.name,
            slf.as_ptr() as usize
        )
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        for value in self
            .defaults
            .iter()
            .chain(self.kw_defaults.iter().flatten())
            .chain(&self.captures)
        {
            visit.call(value)?;
        }
        Ok(())
    }
}

/// A lambda: a Python callable whose body is Rust code generated by `py!`.
pub fn lambda<'py, const N: usize, F>(
    py: Python<'py>,
    spec: &'static LambdaSpec,
    defaults: Vec<Py<PyAny>>,
    kw_defaults: Vec<Option<Py<PyAny>>>,
    captures: Vec<Py<PyAny>>,
    body: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: for<'a> Fn(Python<'a>, &[Py<PyAny>], [Bound<'a, PyAny>; N]) -> PyResult<Bound<'a, PyAny>>
        + Send
        + Sync
        + 'static,
{
    let function = Function {
        spec,
        defaults,
        kw_defaults,
        captures,
        body: Box::new(move |py, captures, values| body(py, captures, parts::<N>(values)?)),
    };
    Ok(Bound::new(py, function)?.into_any())
}
