//! A call site's cache of one attribute lookup, as CPython's specializing interpreter keeps
//! for `LOAD_ATTR_MODULE` and `LOAD_ATTR_METHOD_NO_DICT`:
//!
//! - `module.name`, on an object whose type is exactly `types.ModuleType`: the value found in
//!   the module's dict, kept with the dict's address and version tag (`ma_version_tag`, which
//!   CPython 3.9–3.13 changes at every change to a dict, and which a new dict never shares with
//!   an older one). While both match, the dict is the same and unchanged, so it still holds the
//!   value and `module.name` is that value: `ModuleType`'s own attributes (`__dict__`,
//!   `__class__`, …), which would come first, are never cached; a name missing from the dict
//!   (a module `__getattr__`) is looked up the ordinary way each time.
//! - `obj.name(…)`, on an object of a static type without instance dict whose attribute lookup
//!   is the generic one (`list`, `dict`, `str`, …): the method descriptor found in the type,
//!   kept with the type's address and version tag (`tp_version_tag`, which CPython changes when
//!   the type or a base changes), and called with `obj` first, as `PyObject_VectorcallMethod`
//!   does after looking it up.
//!
//! The cached pointer is borrowed from the dict or type; it is used only after checking the
//! owner and its version, with the interpreter attached, and held (a new reference) for the
//! call. Without the GIL (free-threaded builds), on the limited API and from 3.14 (where
//! `ma_version_tag` is gone) nothing is cached and every lookup is the ordinary one.

#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
use super::call::_PyType_Lookup;
use super::values::Interned;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering::Relaxed};

/// One attribute name at one call site, with the cache of its last lookup.
#[doc(hidden)]
pub struct AttrSite {
    name: Interned,
    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    cache: Cache,
}

/// The last lookup: where the value was found, that owner's version then, and the value.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
struct Cache {
    /// A module dict's address, or a type's address with [`TYPE_BIT`] set; 0: nothing cached.
    owner: AtomicUsize,
    /// The dict's `ma_version_tag` or the type's `tp_version_tag` when the value was found.
    tag: AtomicU64,
    /// Borrowed from the owner, valid while `owner` and `tag` match it.
    value: AtomicPtr<ffi::PyObject>,
}

/// The start of `PyModuleObject` (the same in CPython 3.9–3.13).
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[repr(C)]
struct ModuleObject {
    ob_base: ffi::PyObject,
    md_dict: *mut ffi::PyObject,
}

/// Set in [`Cache::owner`] for a type's method (object addresses are aligned, so never odd).
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
const TYPE_BIT: usize = 1;

impl AttrSite {
    pub const fn new(name: &'static str) -> AttrSite {
        AttrSite {
            name: Interned::new(name),
            #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
            cache: Cache {
                owner: AtomicUsize::new(0),
                tag: AtomicU64::new(0),
                value: AtomicPtr::new(std::ptr::null_mut()),
            },
        }
    }

    /// The name, an interned `str`.
    #[inline(always)]
    pub fn name<'a, 'py>(&'a self, py: Python<'py>) -> PyResult<&'a Bound<'py, PyString>> {
        self.name.get(py)
    }

    /// `obj.name` from the cache when `obj` is a module whose dict holds `name`: borrowed.
    ///
    /// # Safety
    /// Attached; `obj` is a live object.
    #[inline(always)]
    pub(crate) unsafe fn module_value(
        &self,
        py: Python<'_>,
        obj: *mut ffi::PyObject,
    ) -> Option<*mut ffi::PyObject> {
        #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
        // SAFETY: attached; `obj` is live, and a module's dict lives as long as the module.
        unsafe {
            if ffi::Py_TYPE(obj) != &raw mut ffi::PyModule_Type {
                return None;
            }
            // An exact module's first field is its dict (`PyModuleObject` in 3.9–3.13), what
            // `PyModule_GetDict` returns, read without the call.
            let dict = (*obj.cast::<ModuleObject>()).md_dict;
            if dict.is_null() {
                return None;
            }
            let tag = dict_version(dict);
            let cache = &self.cache;
            if cache.owner.load(Relaxed) == dict as usize && cache.tag.load(Relaxed) == tag {
                return Some(cache.value.load(Relaxed));
            }
            self.fill_module(py, dict, tag)
        }
        #[cfg(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14))]
        {
            let _ = (py, obj);
            None
        }
    }

    /// Looks `name` up in a module's dict and caches it, unless `ModuleType` has an attribute
    /// of that name (which the generic lookup would find first).
    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    #[cold]
    unsafe fn fill_module(
        &self,
        py: Python<'_>,
        dict: *mut ffi::PyObject,
        tag: u64,
    ) -> Option<*mut ffi::PyObject> {
        let name = self.name.get(py).ok()?.as_ptr();
        // SAFETY: attached; `dict` is a live dict and `name` a live `str`.
        unsafe {
            if !_PyType_Lookup(&raw mut ffi::PyModule_Type, name).is_null() {
                return None;
            }
            let value = ffi::PyDict_GetItemWithError(dict, name);
            if value.is_null() {
                // Missing (or a key's `__eq__` raised): the ordinary lookup says which.
                ffi::PyErr_Clear();
                return None;
            }
            // A key's `__eq__` may have run Python code that changed the dict.
            if dict_version(dict) != tag {
                return None;
            }
            self.store(dict as usize, tag, value);
            Some(value)
        }
    }

    /// The method descriptor `type(obj).name` when `obj`'s type is a static type without
    /// instance dict and with the generic attribute lookup, and the attribute is a method
    /// (`Py_TPFLAGS_METHOD_DESCRIPTOR`): borrowed, to be called with `obj` first.
    ///
    /// # Safety
    /// Attached; `obj` is a live object.
    #[inline(always)]
    pub(crate) unsafe fn method(
        &self,
        py: Python<'_>,
        obj: *mut ffi::PyObject,
    ) -> Option<*mut ffi::PyObject> {
        #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
        // SAFETY: attached; `obj` keeps its type alive.
        unsafe {
            let ty = ffi::Py_TYPE(obj);
            // (Classes made in Python, and instances with a `__dict__`: never cached, so not
            // looked at further.)
            if (*ty).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0 || (*ty).tp_dictoffset != 0 {
                return None;
            }
            let cache = &self.cache;
            if cache.owner.load(Relaxed) == ty as usize | TYPE_BIT
                && cache.tag.load(Relaxed) == u64::from((*ty).tp_version_tag)
                && version_valid(ty)
            {
                return Some(cache.value.load(Relaxed));
            }
            self.fill_method(py, ty)
        }
        #[cfg(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14))]
        {
            let _ = (py, obj);
            None
        }
    }

    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    #[cold]
    unsafe fn fill_method(
        &self,
        py: Python<'_>,
        ty: *mut ffi::PyTypeObject,
    ) -> Option<*mut ffi::PyObject> {
        let name = self.name.get(py).ok()?.as_ptr();
        // SAFETY: attached; `ty` is a live type and `name` a live `str`.
        unsafe {
            let generic = ffi::PyObject_GenericGetAttr as *const () as usize;
            if (*ty).tp_getattro.map(|f| f as usize) != Some(generic) {
                return None;
            }
            // (Gives the type a valid version tag, if it has none.)
            let descr = _PyType_Lookup(ty, name);
            if descr.is_null()
                || (*ffi::Py_TYPE(descr)).tp_flags & ffi::Py_TPFLAGS_METHOD_DESCRIPTOR == 0
                || !version_valid(ty)
            {
                return None;
            }
            self.store(
                ty as usize | TYPE_BIT,
                u64::from((*ty).tp_version_tag),
                descr,
            );
            Some(descr)
        }
    }

    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    fn store(&self, owner: usize, tag: u64, value: *mut ffi::PyObject) {
        // (Attached: no other thread reads the cache meanwhile.)
        let cache = &self.cache;
        cache.owner.store(0, Relaxed);
        cache.tag.store(tag, Relaxed);
        cache.value.store(value, Relaxed);
        cache.owner.store(owner, Relaxed);
    }
}

/// A dict's version tag.
///
/// # Safety
/// `dict` is a live dict.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
#[allow(deprecated)]
unsafe fn dict_version(dict: *mut ffi::PyObject) -> u64 {
    // SAFETY: per the contract, a dict: `PyDictObject` is its layout.
    unsafe { (*dict.cast::<ffi::PyDictObject>()).ma_version_tag }
}

/// Whether a type's `tp_version_tag` is current: before 3.12 a flag says so (a changed type
/// keeps its old tag until it gets a new one); from 3.12 a changed type's tag is 0.
///
/// # Safety
/// `ty` is a live type.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
unsafe fn version_valid(ty: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: per the contract.
    unsafe {
        #[cfg(not(Py_3_12))]
        {
            (*ty).tp_flags & ffi::Py_TPFLAGS_VALID_VERSION_TAG != 0 && (*ty).tp_version_tag != 0
        }
        #[cfg(Py_3_12)]
        {
            (*ty).tp_version_tag != 0
        }
    }
}
