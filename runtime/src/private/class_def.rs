//! Class statements: `__build_class__`'s steps around the body, the namespace the body runs
//! in, and zero-argument `super()`.

use std::ffi::CStr;

use crate::__private::intern;
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PySuper, PyTuple, PyType};

use super::cells::{cell_get_opt, undefined};

/// A class statement in progress: what [`class_begin`] worked out, until [`ClassBuilder::finish`]
/// calls the metaclass.
pub struct ClassBuilder<'py> {
    metaclass: Bound<'py, PyAny>,
    name: Bound<'py, PyString>,
    /// The bases after PEP 560's `__mro_entries__`.
    bases: Bound<'py, PyTuple>,
    /// The bases as written, when `__mro_entries__` changed them.
    orig_bases: Option<Bound<'py, PyTuple>>,
    /// The class keywords but `metaclass`.
    keywords: Option<Bound<'py, PyDict>>,
    namespace: Bound<'py, PyAny>,
}

/// Python's `__build_class__` up to running the body: PEP 560 `__mro_entries__` on the bases,
/// the metaclass (the `metaclass` keyword, else the type of the first base, else `type`; for a
/// metaclass that is a type, the most derived of it and the bases' metaclasses, with CPython's
/// "metaclass conflict: ..." `TypeError`), `__prepare__(name, bases, **kwds)` (a mapping, or
/// CPython's `TypeError`), then `__module__` (`__name__`: the namespace's if `__prepare__` put
/// one there, else `"__main__"`, as a `py!` block stands for a script) and `__qualname__` in
/// the namespace.
///
/// ```
/// use pycall::__private::{class_begin, ns_store};
/// use pyo3::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     // class Point: x = 0
///     let class = class_begin(py, "Point", "Point", vec![], None)?;
///     ns_store(class.namespace(), pyo3::intern!(py, "x"), 0i32.into_pyobject(py)?.into_any())?;
///     let point = class.finish(None)?;
///     assert_eq!(point.getattr("x")?.extract::<i32>()?, 0);
///     assert_eq!(point.getattr("__module__")?.extract::<String>()?, "__main__");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn class_begin<'py>(
    py: Python<'py>,
    name: &'static str,
    qualname: &'static str,
    bases: Vec<Bound<'py, PyAny>>,
    keywords: Option<Bound<'py, PyDict>>,
) -> PyResult<ClassBuilder<'py>> {
    // SAFETY: `make_str` makes an exact `str`.
    let name = unsafe {
        super::values::make_str(py, name)?
            .into_bound(py)
            .cast_into_unchecked::<PyString>()
    };
    let written = super::values::checked_tuple(py, bases)?;
    let (bases, orig_bases) = match mro_entries(&written)? {
        Some(bases) => (bases, Some(written)),
        None => (written, None),
    };
    let (explicit, keywords) = match keywords {
        Some(keywords) => match keywords.get_item(intern!(py, "metaclass"))? {
            Some(metaclass) => {
                // The caller's dict stays as it was.
                let keywords = keywords.copy()?;
                keywords.del_item(intern!(py, "metaclass"))?;
                (Some(metaclass), Some(keywords))
            }
            None => (None, Some(keywords)),
        },
        None => (None, None),
    };
    let metaclass = match explicit {
        // A metaclass that is not a class is used as it is.
        Some(metaclass) => match metaclass.cast_into::<PyType>() {
            Ok(metaclass) => most_derived_metaclass(metaclass, &bases)?.into_any(),
            Err(e) => e.into_inner(),
        },
        None => {
            let first = match bases.iter().next() {
                Some(base) => base.get_type(),
                None => py.get_type::<PyType>(),
            };
            most_derived_metaclass(first, &bases)?.into_any()
        }
    };
    let namespace = prepare(&metaclass, &name, &bases, keywords.as_ref())?;
    // `__module__ = __name__`, where the body reads `__name__` as any name: from the namespace
    // first (which `__prepare__` may have filled), else the script's.
    let module = match ns_load(&namespace, intern!(py, "__name__"))? {
        Some(module) => module,
        None => intern!(py, "__main__").clone().into_any(),
    };
    ns_store(&namespace, intern!(py, "__module__"), module)?;
    ns_store(
        &namespace,
        intern!(py, "__qualname__"),
        super::values::checked_str(py, qualname)?.into_any(),
    )?;
    Ok(ClassBuilder {
        metaclass,
        name,
        bases,
        orig_bases,
        keywords,
        namespace,
    })
}

impl<'py> ClassBuilder<'py> {
    /// The namespace the body runs in (a dict, or what `__prepare__` returned).
    pub fn namespace(&self) -> &Bound<'py, PyAny> {
        &self.namespace
    }

    /// `metaclass(name, bases, namespace, **keywords)`: sets `__orig_bases__` when
    /// `__mro_entries__` changed the bases, and `__classcell__` = `class_cell` when given (the
    /// cell that methods using zero-argument `super()` or `__class__` share), then checks, as
    /// CPython does, that the class set the cell.
    ///
    /// ```
    /// use pycall::__private::{cell_get, cell_new, class_begin};
    /// use pyo3::prelude::*;
    ///
    /// Python::attach(|py| -> PyResult<()> {
    ///     let cell = cell_new(py)?;
    ///     let class = class_begin(py, "C", "C", vec![], None)?.finish(Some(&cell))?;
    ///     assert!(cell_get(&cell, "__class__", false)?.is(&class));
    ///     Ok(())
    /// })
    /// .unwrap();
    /// ```
    pub fn finish(self, class_cell: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let py = self.name.py();
        // `type.__new__` makes a plain function `__new__` a static method, and
        // `__init_subclass__` and `__class_getitem__` class methods; it only knows its own
        // function type, so a `py!` function is wrapped here. The namespace is read and
        // written as a dict, past any `__getitem__`/`__setitem__` of a prepared dict subclass,
        // as `type.__new__` reads its copy: nothing the class can observe. (A prepared mapping
        // that is not a dict reaches `type.__new__` only through a metaclass that converts it;
        // its functions stay as they are.)
        if let Ok(namespace) = self.namespace.cast::<PyDict>() {
            for (name, wrapper) in [
                (intern!(py, "__new__"), intern!(py, "staticmethod")),
                (intern!(py, "__init_subclass__"), intern!(py, "classmethod")),
                (intern!(py, "__class_getitem__"), intern!(py, "classmethod")),
            ] {
                if let Some(function) = namespace.get_item(name)?
                    && super::function::is_function(&function)
                {
                    let builtins = py.import(intern!(py, "builtins"))?;
                    let wrapped = builtins.getattr(wrapper)?.call1((function,))?;
                    namespace.set_item(name, wrapped)?;
                }
            }
        }
        // In CPython's order: the body stores `__classcell__` as it returns, then
        // `__build_class__` stores `__orig_bases__`.
        if let Some(cell) = class_cell {
            ns_store(&self.namespace, intern!(py, "__classcell__"), cell.clone())?;
        }
        if let Some(orig_bases) = self.orig_bases {
            ns_store(
                &self.namespace,
                intern!(py, "__orig_bases__"),
                orig_bases.into_any(),
            )?;
        }
        let class = self.metaclass.call(
            (&self.name, &self.bases, &self.namespace),
            self.keywords.as_ref(),
        )?;
        super::collector::collect_if_due(py);
        if let Some(cell) = class_cell
            && class.is_instance_of::<PyType>()
            && is_cell(cell)
        {
            check_class_cell(&self.name, &class, cell)?;
        }
        Ok(class)
    }
}

/// PEP 560: the bases with each one that is not a class replaced by what its
/// `__mro_entries__(bases)` returns; `None` when no base has one.
fn mro_entries<'py>(bases: &Bound<'py, PyTuple>) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let py = bases.py();
    let mut new_bases: Option<Vec<Bound<'py, PyAny>>> = None;
    for (i, base) in bases.iter().enumerate() {
        let method = if base.is_instance_of::<PyType>() {
            None
        } else {
            base.getattr_opt(intern!(py, "__mro_entries__"))?
        };
        let Some(method) = method else {
            if let Some(new_bases) = &mut new_bases {
                new_bases.push(base);
            }
            continue;
        };
        let entries = method.call1((bases,))?;
        let Ok(entries) = entries.cast_into::<PyTuple>() else {
            return Err(PyTypeError::new_err("__mro_entries__ must return a tuple"));
        };
        new_bases
            .get_or_insert_with(|| bases.iter().take(i).collect())
            .extend(entries.iter());
    }
    new_bases
        .map(|bases: Vec<Bound<'py, PyAny>>| super::values::checked_tuple(py, bases))
        .transpose()
}

/// CPython's `_PyType_CalculateMetaclass`: the most derived of `metaclass` and the metaclasses
/// of the bases, which must form a chain.
fn most_derived_metaclass<'py>(
    metaclass: Bound<'py, PyType>,
    bases: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyType>> {
    let mut winner = metaclass;
    for base in bases.iter() {
        let candidate = base.get_type();
        if is_subtype(&winner, &candidate) {
            continue;
        }
        if is_subtype(&candidate, &winner) {
            winner = candidate;
            continue;
        }
        return Err(PyTypeError::new_err(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) \
             subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// `PyType_IsSubtype`: by the MRO, without `__subclasscheck__`.
fn is_subtype(a: &Bound<'_, PyType>, b: &Bound<'_, PyType>) -> bool {
    // SAFETY: two live type objects; PyType_IsSubtype cannot fail.
    unsafe { ffi::PyType_IsSubtype(a.as_type_ptr(), b.as_type_ptr()) != 0 }
}

/// The namespace from `metaclass.__prepare__(name, bases, **keywords)` (a new dict without
/// one), which must be a mapping.
fn prepare<'py>(
    metaclass: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    bases: &Bound<'py, PyTuple>,
    keywords: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = metaclass.py();
    // `type.__prepare__` makes a new dict, whatever it is given.
    if metaclass.is(py.get_type::<PyType>()) {
        return Ok(super::values::checked_dict_new(py)?.into_any());
    }
    let namespace = match metaclass.getattr_opt(intern!(py, "__prepare__"))? {
        Some(prepare) => prepare.call((name, bases), keywords)?,
        None => return Ok(super::values::checked_dict_new(py)?.into_any()),
    };
    // SAFETY: a live object; PyMapping_Check only reads its type's slots.
    if unsafe { ffi::PyMapping_Check(namespace.as_ptr()) } == 0 {
        let metaclass = match metaclass.cast::<PyType>() {
            Ok(t) => tp_name(t),
            Err(_) => "<metaclass>".to_owned(),
        };
        return Err(PyTypeError::new_err(format!(
            "{}.__prepare__() must return a mapping, not {}",
            truncate(&metaclass),
            truncate(&tp_name(&namespace.get_type()))
        )));
    }
    Ok(namespace)
}

/// A type's `tp_name`, as CPython's messages name it (`module.Name` for a built-in type).
fn tp_name(t: &Bound<'_, PyType>) -> String {
    // SAFETY: a live type object, whose `tp_name` is a NUL-terminated string it keeps.
    unsafe { CStr::from_ptr((*t.as_type_ptr()).tp_name) }
        .to_string_lossy()
        .into_owned()
}

/// What CPython's `%.200s` and `%.200R` keep of a text.
fn truncate(text: &str) -> String {
    text.chars().take(200).collect()
}

fn is_cell(value: &Bound<'_, PyAny>) -> bool {
    // SAFETY: a live object; PyCell_Check only reads its type.
    unsafe { ffi::PyCell_Check(value.as_ptr()) != 0 }
}

/// After the metaclass made `class`: its `__class__` cell must hold it, as `type.__new__` does
/// with the `__classcell__` it is given.
fn check_class_cell(
    name: &Bound<'_, PyString>,
    class: &Bound<'_, PyAny>,
    cell: &Bound<'_, PyAny>,
) -> PyResult<()> {
    match cell_get_opt(cell)? {
        Some(value) if value.is(class) => Ok(()),
        None => Err(PyRuntimeError::new_err(format!(
            "__class__ not set defining {} as {}. Was __classcell__ propagated to type.__new__?",
            truncate(&name.repr()?.to_cow()?),
            truncate(&class.repr()?.to_cow()?)
        ))),
        Some(value) => Err(PyTypeError::new_err(format!(
            "__class__ set to {} defining {} as {}",
            truncate(&value.repr()?.to_cow()?),
            truncate(&name.repr()?.to_cow()?),
            truncate(&class.repr()?.to_cow()?)
        ))),
    }
}

/// `ns[name] = value` in a class body (`PyObject_SetItem`).
///
/// ```
/// use pycall::__private::{ns_load, ns_store};
/// use pyo3::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let ns = pyo3::types::PyDict::new(py).into_any();
///     ns_store(&ns, pyo3::intern!(py, "x"), 1i32.into_pyobject(py)?.into_any())?;
///     assert_eq!(ns_load(&ns, pyo3::intern!(py, "x"))?.unwrap().extract::<i32>()?, 1);
///     assert!(ns_load(&ns, pyo3::intern!(py, "y"))?.is_none());
///     Ok(())
/// })
/// .unwrap();
/// ```
#[inline]
pub fn ns_store(
    ns: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: Bound<'_, PyAny>,
) -> PyResult<()> {
    match ns.cast_exact::<PyDict>() {
        Ok(dict) => dict.set_item(name, value),
        Err(_) => ns.set_item(name, value),
    }
}

/// `ns[name]` for a name read in a class body, or `None` when the mapping raises `KeyError`
/// (the name is then looked up outside the class); other errors propagate.
#[inline]
pub fn ns_load<'py>(
    ns: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Ok(dict) = ns.cast_exact::<PyDict>() {
        return dict.get_item(name);
    }
    match ns.get_item(name) {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.is_instance_of::<PyKeyError>(ns.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `del ns[name]` for `del name` in a class body. As in CPython, any error the mapping raises
/// becomes `NameError: name 'x' is not defined`.
///
/// ```
/// use pycall::__private::ns_delete;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let ns = pyo3::types::PyDict::new(py).into_any();
///     let err = ns_delete(&ns, pyo3::intern!(py, "x")).unwrap_err();
///     assert_eq!(err.to_string(), "NameError: name 'x' is not defined");
/// });
/// ```
pub fn ns_delete(ns: &Bound<'_, PyAny>, name: &Bound<'_, PyString>) -> PyResult<()> {
    let deleted = match ns.cast_exact::<PyDict>() {
        Ok(dict) => dict.del_item(name),
        Err(_) => ns.del_item(name),
    };
    deleted.map_err(|_| undefined(&name.to_string_lossy()))
}

/// Zero-argument `super()` in a method: `super(<__class__ cell's value>, first)`, with
/// CPython's `RuntimeError`s ("super(): no arguments" when `first` is `None`, "super(): empty
/// __class__ cell" before the class exists).
///
/// ```
/// use pycall::__private::{cell_new, super_zero};
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let cell = cell_new(py).unwrap();
///     let err = super_zero(py, &cell, None).unwrap_err();
///     assert_eq!(err.to_string(), "RuntimeError: super(): no arguments");
/// });
/// ```
pub fn super_zero<'py>(
    _py: Python<'py>,
    class_cell: &Bound<'py, PyAny>,
    first: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(first) = first else {
        return Err(PyRuntimeError::new_err("super(): no arguments"));
    };
    if !is_cell(class_cell) {
        return Err(PyRuntimeError::new_err("super(): bad __class__ cell"));
    }
    let Some(class) = cell_get_opt(class_cell)? else {
        return Err(PyRuntimeError::new_err("super(): empty __class__ cell"));
    };
    let class = match class.cast_into::<PyType>() {
        Ok(class) => class,
        Err(e) => {
            return Err(PyRuntimeError::new_err(format!(
                "super(): __class__ is not a type ({})",
                tp_name(&e.into_inner().get_type())
            )));
        }
    };
    Ok(PySuper::new(&class, first)?.into_any())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::testing::{run, with_python};
    use crate::__private::{LambdaSpec, capture, cell_new, lambda};
    use pyo3::IntoPyObjectExt;

    fn int(py: Python<'_>, value: i64) -> Bound<'_, PyAny> {
        value.into_bound_py_any(py).unwrap()
    }

    /// The reference classes and helpers, defined by CPython's own class statements.
    const REFERENCE: &str = r#"
import sys
__name__ = '__main__'
def keys(cls):
    # 3.13's compiler adds these two to every class body.
    return [k for k in cls.__dict__ if k not in ('__firstlineno__', '__static_attributes__')]
def error(f, *args):
    try:
        f(*args)
    except Exception as e:
        return (type(e), str(e))
    raise AssertionError('nothing raised')
"#;

    fn reference<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyDict>> {
        let globals = PyDict::new(py);
        run(py, &globals, REFERENCE)?;
        run(py, &globals, code)?;
        Ok(globals)
    }

    fn get<'py>(globals: &Bound<'py, PyDict>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        globals
            .get_item(name)?
            .ok_or_else(|| PyKeyError::new_err(name.to_owned()))
    }

    fn store<'py>(class: &ClassBuilder<'py>, name: &str, value: impl IntoPyObject<'py>) {
        let py = class.namespace().py();
        let value = value.into_bound_py_any(py).unwrap();
        ns_store(
            class.namespace(),
            &PyString::intern(py, name),
            value.clone(),
        )
        .unwrap();
    }

    fn kwargs<'py>(py: Python<'py>, items: &[(&str, Bound<'py, PyAny>)]) -> Bound<'py, PyDict> {
        let dict = PyDict::new(py);
        for (k, v) in items {
            dict.set_item(*k, v).unwrap();
        }
        dict
    }

    /// `def get(self): return self.x`
    static GET: LambdaSpec = LambdaSpec {
        name: "get",
        qualname: "C.get",
        positional: &["self"],
        posonly: 0,
        vararg: None,
        kwonly: &[],
        varkw: None,
        closure: &[],
    };

    #[test]
    fn plain_class_matches_cpython() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
class C:
    x = 1
    def get(self):
        return self.x
"#,
            )?;
            let class = class_begin(py, "C", "C", vec![], None)?;
            store(&class, "x", 1);
            let get = lambda::<1, _>(py, &GET, vec![], vec![], vec![], |py, _, [slf]| {
                slf.getattr(intern!(py, "x"))
            })?;
            store(&class, "get", get);
            let ours = class.finish(None)?;
            g.set_item("Ours", &ours)?;
            run(
                py,
                &g,
                r#"
assert keys(Ours) == keys(C), (keys(Ours), keys(C))
assert (Ours.__name__, Ours.__qualname__, Ours.__module__) == ('C', 'C', '__main__')
assert type(Ours) is type and Ours.__mro__ == (Ours, object)
assert Ours().get() == 1 and Ours.__doc__ is None
assert repr(Ours) == repr(C)
"#,
            )
        });
    }

    #[test]
    fn inheritance_and_the_metaclass_of_the_bases() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
import abc
class Base(abc.ABC):
    @abc.abstractmethod
    def f(self): ...
class Other: pass
"#,
            )?;
            let class = class_begin(
                py,
                "D",
                "D",
                vec![get(&g, "Base")?, get(&g, "Other")?],
                None,
            )?;
            let ours = class.finish(None)?;
            g.set_item("D", &ours)?;
            run(
                py,
                &g,
                r#"
assert type(D) is abc.ABCMeta
assert D.__mro__ == (D, Base, abc.ABC, Other, object)
assert D.__abstractmethods__ == frozenset({'f'})
assert not hasattr(D, '__orig_bases__')
"#,
            )
        });
    }

    #[test]
    fn enum_through_its_prepared_namespace() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
import enum
class Color(enum.Enum):
    RED = 1
    GREEN = 2
"#,
            )?;
            let class = class_begin(
                py,
                "Color",
                "Color",
                vec![get(&g, "enum")?.getattr("Enum")?],
                None,
            )?;
            assert!(!class.namespace().is_exact_instance_of::<PyDict>());
            store(&class, "RED", 1);
            store(&class, "GREEN", 2);
            let ours = class.finish(None)?;
            g.set_item("Ours", &ours)?;
            run(
                py,
                &g,
                r#"
assert Ours.RED.value == 1 and Ours(2) is Ours.GREEN
assert [m.name for m in Ours] == [m.name for m in Color] == ['RED', 'GREEN']
assert repr(Ours.RED) == repr(Color.RED) == '<Color.RED: 1>'
assert type(Ours) is type(Color)
"#,
            )
        });
    }

    /// A metaclass whose namespace records what the body does with it, and the same class
    /// statement run by CPython.
    const RECORDING: &str = r#"
class Recording:
    def __init__(self):
        self.data, self.log = {}, []
    def __getitem__(self, k):
        self.log.append(('get', k))
        return self.data[k]
    def __setitem__(self, k, v):
        self.log.append(('set', k))
        self.data[k] = v
    def __delitem__(self, k):
        self.log.append(('del', k))
        if k == 'refuse':
            raise ValueError('refused')
        del self.data[k]
class Meta(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        ns = Recording()
        ns.log.append(('prepare', name, bases, kw))
        return ns
    def __new__(mcs, name, bases, ns, **kw):
        cls = super().__new__(mcs, name, bases, dict(ns.data))
        cls.log, cls.kw = [e for e in ns.log if e[1] not in ('__firstlineno__', '__static_attributes__')], kw
        return cls
    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)
class R(metaclass=Meta, flag=1):
    x = 1
    y = x
    z = len
    del x
def refused():
    class Refused(metaclass=Meta):
        refuse = 1
        del refuse
def missing():
    class Missing(metaclass=Meta):
        del nothing
"#;

    #[test]
    fn prepared_mapping_and_keywords() {
        with_python(|py| {
            let g = reference(py, RECORDING)?;
            let keywords = kwargs(py, &[("metaclass", get(&g, "Meta")?), ("flag", int(py, 1))]);
            let class = class_begin(py, "R", "R", vec![], Some(keywords.clone()))?;
            assert!(
                keywords.contains("metaclass")?,
                "the caller's dict is left alone"
            );
            let ns = class.namespace().clone();
            store(&class, "x", 1);
            let x = ns_load(&ns, intern!(py, "x"))?.unwrap();
            store(&class, "y", x);
            // A name the namespace does not have: found outside the class.
            assert!(ns_load(&ns, intern!(py, "len"))?.is_none());
            store(&class, "z", py.import("builtins")?.getattr("len")?);
            ns_delete(&ns, intern!(py, "x"))?;
            let ours = class.finish(None)?;
            // A `__name__` in the prepared namespace is the class's `__module__`, as in CPython.
            run(
                py,
                &g,
                r"
class Named(Meta):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        ns = super().__prepare__(name, bases, **kw)
        ns.data['__name__'] = 'from_prepare'
        return ns
class N(metaclass=Named): pass
assert N.__module__ == 'from_prepare'
",
            )?;
            let named = kwargs(py, &[("metaclass", get(&g, "Named")?)]);
            let n = class_begin(py, "N", "N", vec![], Some(named))?.finish(None)?;
            assert_eq!(n.getattr("__module__")?.to_string(), "from_prepare");
            g.set_item("Ours", &ours)?;
            run(
                py,
                &g,
                r#"
assert Ours.log == R.log, (Ours.log, R.log)
assert Ours.kw == R.kw == {'flag': 1}
assert type(Ours) is Meta and Ours.y == 1 and not hasattr(Ours, 'x')
"#,
            )?;

            // `del` of a name the namespace refuses or lacks is a NameError, as in CPython.
            let class = class_begin(
                py,
                "Refused",
                "refused.<locals>.Refused",
                vec![],
                Some(kwargs(py, &[("metaclass", get(&g, "Meta")?)])),
            )?;
            store(&class, "refuse", 1);
            let ours = ns_delete(class.namespace(), intern!(py, "refuse")).unwrap_err();
            let expected = get(&g, "error")?.call1((get(&g, "refused")?,))?;
            assert_eq!(
                expected.get_item(1)?.to_string(),
                ours.value(py).to_string()
            );
            assert!(ours.is_instance(py, &expected.get_item(0)?));
            let ours = ns_delete(class.namespace(), intern!(py, "nothing")).unwrap_err();
            let expected = get(&g, "error")?.call1((get(&g, "missing")?,))?;
            assert_eq!(
                expected.get_item(1)?.to_string(),
                ours.value(py).to_string()
            );
            assert!(ours.is_instance(py, &expected.get_item(0)?));
            Ok(())
        });
    }

    #[test]
    fn ns_load_propagates_errors_other_than_key_error() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
class Failing(dict):
    def __getitem__(self, k):
        raise ValueError(k)
class Missing(dict):
    def __missing__(self, k):
        raise KeyError(k)
"#,
            )?;
            let failing = get(&g, "Failing")?.call0()?;
            let err = ns_load(&failing, intern!(py, "x")).unwrap_err();
            assert!(err.is_instance_of::<pyo3::exceptions::PyValueError>(py));
            let missing = get(&g, "Missing")?.call0()?;
            assert!(ns_load(&missing, intern!(py, "x"))?.is_none());
            Ok(())
        });
    }

    #[test]
    fn init_subclass_keywords_and_set_name() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
class Base:
    def __init_subclass__(cls, **kw):
        cls.seen = kw
class Descriptor:
    def __set_name__(self, owner, name):
        self.where = (owner, name)
"#,
            )?;
            let keywords = kwargs(
                py,
                &[("flag", true.into_pyobject(py)?.to_owned().into_any())],
            );
            let class = class_begin(py, "Sub", "Sub", vec![get(&g, "Base")?], Some(keywords))?;
            let descriptor = get(&g, "Descriptor")?.call0()?;
            store(&class, "d", &descriptor);
            let ours = class.finish(None)?;
            g.set_item("Sub", &ours)?;
            g.set_item("d", &descriptor)?;
            run(
                py,
                &g,
                r#"
assert Sub.seen == {'flag': True}
assert d.where == (Sub, 'd')
"#,
            )?;
            // A keyword `__init_subclass__` does not take.
            let keywords = kwargs(
                py,
                &[("flag", true.into_pyobject(py)?.to_owned().into_any())],
            );
            let err = class_begin(py, "Plain", "Plain", vec![], Some(keywords))?
                .finish(None)
                .unwrap_err();
            assert!(err.is_instance_of::<PyTypeError>(py), "{err}");
            Ok(())
        });
    }

    #[test]
    fn mro_entries_named_tuple_and_generic() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
from typing import NamedTuple, Generic, TypeVar
T = TypeVar('T')
class P(NamedTuple):
    x: int
    y: int = 0
class G(Generic[T]):
    pass
def bad():
    class Bad(NotTuple()): pass
class NotTuple:
    def __mro_entries__(self, bases):
        return [object]
"#,
            )?;
            let class = class_begin(py, "P", "P", vec![get(&g, "NamedTuple")?], None)?;
            let annotations = PyDict::new(py);
            annotations.set_item("x", py.get_type::<pyo3::types::PyInt>())?;
            annotations.set_item("y", py.get_type::<pyo3::types::PyInt>())?;
            store(&class, "__annotations__", annotations);
            store(&class, "y", 0);
            let p = class.finish(None)?;
            let generic = get(&g, "Generic")?.get_item(get(&g, "T")?)?;
            let class = class_begin(py, "G", "G", vec![generic], None)?;
            let generic_class = class.finish(None)?;
            g.set_item("OurP", &p)?;
            g.set_item("OurG", &generic_class)?;
            run(
                py,
                &g,
                r#"
assert OurP._fields == P._fields == ('x', 'y')
assert OurP._field_defaults == P._field_defaults
assert OurP(1) == (1, 0) and repr(OurP(1, 2)) == repr(P(1, 2)) == 'P(x=1, y=2)'
assert [c.__name__ for c in OurP.__mro__] == [c.__name__ for c in P.__mro__]
assert hasattr(OurP, '__orig_bases__') == hasattr(P, '__orig_bases__')
assert OurG.__orig_bases__ == G.__orig_bases__ == (Generic[T],)
assert OurG.__parameters__ == (T,)
assert OurG[int].__origin__ is OurG
assert [c.__name__ for c in OurG.__mro__] == [c.__name__ for c in G.__mro__]
"#,
            )?;
            let err = class_begin(py, "Bad", "Bad", vec![get(&g, "NotTuple")?.call0()?], None)
                .err()
                .unwrap();
            let expected = get(&g, "error")?.call1((get(&g, "bad")?,))?;
            assert_eq!(expected.get_item(1)?.to_string(), err.value(py).to_string());
            Ok(())
        });
    }

    /// A class statement that fails: the reference function, the bases, the keywords.
    type Case<'py> = (
        &'static str,
        Vec<Bound<'py, PyAny>>,
        Option<Bound<'py, PyDict>>,
    );

    #[test]
    fn metaclass_errors_match_cpython() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
class M1(type): pass
class M2(type): pass
class A(metaclass=M1): pass
class B(metaclass=M2): pass
def conflict():
    class C(A, B): pass
def conflict_explicit():
    class C(A, metaclass=M2): pass
class NotMapping(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return 42
def not_mapping():
    class C(metaclass=NotMapping): pass
def function_metaclass(name, bases, ns, **kw):
    return (name, bases, dict(ns), kw)
def prepare_not_mapping(name, bases):
    return 42
function_metaclass_with_prepare = lambda *a: None
function_metaclass_with_prepare.__prepare__ = prepare_not_mapping
def not_mapping_function():
    class C(metaclass=function_metaclass_with_prepare): pass
class Derived(M1): pass
"#,
            )?;
            let error = get(&g, "error")?;
            let meta = |name: &str| kwargs(py, &[("metaclass", get(&g, name).unwrap())]);
            let cases: Vec<Case<'_>> = vec![
                ("conflict", vec![get(&g, "A")?, get(&g, "B")?], None),
                ("conflict_explicit", vec![get(&g, "A")?], Some(meta("M2"))),
                ("not_mapping", vec![], Some(meta("NotMapping"))),
                (
                    "not_mapping_function",
                    vec![],
                    Some(meta("function_metaclass_with_prepare")),
                ),
            ];
            for (reference, bases, keywords) in cases {
                let err = class_begin(py, "C", "C", bases, keywords).err().unwrap();
                let expected = error.call1((get(&g, reference)?,))?;
                assert_eq!(
                    expected.get_item(1)?.to_string(),
                    err.value(py).to_string(),
                    "{reference}"
                );
                assert!(err.is_instance(py, &expected.get_item(0)?));
            }
            // A metaclass that is not a class is called as it is.
            let keywords = kwargs(
                py,
                &[
                    ("metaclass", get(&g, "function_metaclass")?),
                    ("k", int(py, 1)),
                ],
            );
            let made =
                class_begin(py, "F", "F", vec![get(&g, "A")?], Some(keywords))?.finish(None)?;
            let (name, bases, ns, kw): (
                String,
                Bound<'_, PyTuple>,
                Bound<'_, PyDict>,
                Bound<'_, PyDict>,
            ) = made.extract()?;
            assert_eq!(name, "F");
            assert_eq!(bases.len(), 1);
            assert_eq!(ns.get_item("__qualname__")?.unwrap().to_string(), "F");
            assert_eq!(kw.len(), 1);
            // The most derived metaclass wins over the one given.
            let derived = kwargs(py, &[("metaclass", get(&g, "M1")?)]);
            let d = class_begin(
                py,
                "D",
                "D",
                vec![get(&g, "Derived")?.call1(("X", PyTuple::empty(py), PyDict::new(py)))?],
                Some(derived),
            )?
            .finish(None)?;
            assert!(d.get_type().is(get(&g, "Derived")?));
            Ok(())
        });
    }

    /// `def hello(self): return 'child+' + super().hello()` in `class Child(Parent)`.
    static HELLO: LambdaSpec = LambdaSpec {
        name: "hello",
        qualname: "Child.hello",
        positional: &["self"],
        posonly: 0,
        vararg: None,
        kwonly: &[],
        varkw: None,
        closure: &[("__class__", 0)],
    };

    /// `def which(self): return __class__`
    static WHICH: LambdaSpec = LambdaSpec {
        name: "which",
        qualname: "Child.which",
        positional: &["self"],
        posonly: 0,
        vararg: None,
        kwonly: &[],
        varkw: None,
        closure: &[("__class__", 0)],
    };

    fn child<'py>(
        py: Python<'py>,
        g: &Bound<'py, PyDict>,
        qualname: &'static str,
        keywords: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let cell = cell_new(py)?;
        let class = class_begin(py, "Child", qualname, vec![get(g, "Parent")?], keywords)?;
        let hello = lambda::<1, _>(
            py,
            &HELLO,
            vec![],
            vec![],
            vec![cell.clone().unbind()],
            |py, captures, [slf]| {
                let parent = super_zero(py, capture(py, captures, 0)?, Some(&slf))?
                    .call_method0(intern!(py, "hello"))?;
                PyString::new(py, "child+").add(parent)
            },
        )?;
        let which = lambda::<1, _>(
            py,
            &WHICH,
            vec![],
            vec![],
            vec![cell.clone().unbind()],
            |py, captures, [_slf]| {
                crate::__private::cell_get(capture(py, captures, 0)?, "__class__", false)
            },
        )?;
        store(&class, "hello", hello);
        store(&class, "which", which);
        class.finish(Some(&cell))
    }

    #[test]
    fn class_cell_and_zero_argument_super() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
class Parent:
    def hello(self):
        return 'parent'
class Child(Parent):
    def hello(self):
        return 'child+' + super().hello()
    def which(self):
        return __class__
class Dropping(type):
    def __new__(mcs, name, bases, ns):
        ns = {k: v for k, v in ns.items() if k != '__classcell__'}
        return super().__new__(mcs, name, bases, ns)
class Replacing(type):
    def __new__(mcs, name, bases, ns):
        super().__new__(mcs, name, bases, ns)
        return type.__new__(mcs, name, bases, {})
def dropping():
    class Child(Parent, metaclass=Dropping):
        def which(self):
            return __class__
def replacing():
    class Child(Parent, metaclass=Replacing):
        def which(self):
            return __class__
class NoArguments:
    def f():
        return super()
def empty_cell():
    class X:
        def f(self):
            return super()
    del X.f.__closure__[0].cell_contents
    X.f(1)
def not_a_type():
    class X:
        def f(self):
            return super()
    X.f.__closure__[0].cell_contents = 1
    X.f(1)
"#,
            )?;
            let ours = child(py, &g, "Child", None)?;
            g.set_item("Ours", &ours)?;
            run(
                py,
                &g,
                r#"
assert Ours().hello() == Child().hello() == 'child+parent'
assert Ours().which() is Ours
assert Ours.hello.__closure__[0].cell_contents is Ours
assert '__classcell__' not in Ours.__dict__
assert keys(Ours) == keys(Child), (keys(Ours), keys(Child))
"#,
            )?;
            let error = get(&g, "error")?;
            for (reference, metaclass, qualname) in [
                ("dropping", "Dropping", "dropping.<locals>.Child"),
                ("replacing", "Replacing", "replacing.<locals>.Child"),
            ] {
                let keywords = kwargs(py, &[("metaclass", get(&g, metaclass)?)]);
                let err = child(py, &g, qualname, Some(keywords)).unwrap_err();
                let expected = error.call1((get(&g, reference)?,))?;
                assert_eq!(expected.get_item(1)?.to_string(), err.value(py).to_string());
                assert!(err.is_instance(py, &expected.get_item(0)?));
            }

            let no_arguments = get(&g, "NoArguments")?.getattr("f")?;
            let empty = cell_new(py)?;
            let not_a_type = crate::__private::cell_with(&int(py, 1))?;
            let one = int(py, 1);
            let cases = [
                ("no arguments", no_arguments, super_zero(py, &empty, None)),
                (
                    "empty cell",
                    get(&g, "empty_cell")?,
                    super_zero(py, &empty, Some(&one)),
                ),
                (
                    "not a type",
                    get(&g, "not_a_type")?,
                    super_zero(py, &not_a_type, Some(&one)),
                ),
            ];
            for (label, reference, ours) in cases {
                let err = ours.err().unwrap();
                let expected = error.call1((reference,))?;
                assert_eq!(
                    expected.get_item(1)?.to_string(),
                    err.value(py).to_string(),
                    "{label}"
                );
                assert!(err.is_instance(py, &expected.get_item(0)?));
            }
            Ok(())
        });
    }

    #[test]
    fn dataclass_of_a_built_class() {
        with_python(|py| {
            let g = reference(
                py,
                r#"
import dataclasses
@dataclasses.dataclass
class D:
    x: int
    y: int = 0
"#,
            )?;
            let class = class_begin(py, "D", "D", vec![], None)?;
            let annotations = PyDict::new(py);
            annotations.set_item("x", py.get_type::<pyo3::types::PyInt>())?;
            annotations.set_item("y", py.get_type::<pyo3::types::PyInt>())?;
            store(&class, "__annotations__", annotations);
            store(&class, "y", 0);
            let ours = get(&g, "dataclasses")?
                .getattr("dataclass")?
                .call1((class.finish(None)?,))?;
            g.set_item("Ours", &ours)?;
            run(
                py,
                &g,
                r#"
assert repr(Ours(1)) == repr(D(1)) == 'D(x=1, y=0)'
assert Ours(1, 2) == Ours(1, 2) and Ours(1) != Ours(2)
assert [f.name for f in dataclasses.fields(Ours)] == ['x', 'y']
assert keys(Ours) == keys(D), (keys(Ours), keys(D))
"#,
            )
        });
    }
}
