//! `item in container` where the container is a Rust collection named in `py!` (a `Vec`, a
//! slice or an array of integers, floats, `bool`s or strings): the items are compared in Rust,
//! without making the Python list the collection would become. Only where the comparison is
//! exactly Python's: an exact `int` against integers, an exact `float` against floats, an exact
//! `bool` against `bool`s, an exact `str` against strings; for any other item (an `int` against
//! floats, a subclass, an object with its own `__eq__`) the collection is converted and
//! CPython's `in` decides.
//!
//! The expansion calls `RustIn(&container).rust_contains(&item)`: method resolution picks
//! [`RustContains`] (by value) for the collections above and the inherent
//! [`RustIn::rust_contains`] (one autoref further, `None`) for every other type.

use pyo3::ffi;
use pyo3::prelude::*;

/// A Rust value on the right of `in`.
#[derive(Clone, Copy)]
pub struct RustIn<'a, T: ?Sized>(pub &'a T);

impl<T: ?Sized> RustIn<'_, T> {
    /// Any other type: `None`, the conversion and CPython's `in`.
    #[inline(always)]
    pub fn rust_contains(&self, _item: &Bound<'_, PyAny>) -> Option<bool> {
        None
    }
}

/// The collections whose membership test is done in Rust.
pub trait RustContains {
    /// `Some(item in self)`, or `None` when the item is not of the kind compared in Rust.
    fn rust_contains(self, item: &Bound<'_, PyAny>) -> Option<bool>;
}

impl<E: InElement> RustContains for RustIn<'_, Vec<E>> {
    #[inline(always)]
    fn rust_contains(self, item: &Bound<'_, PyAny>) -> Option<bool> {
        E::find(self.0, item)
    }
}

impl<E: InElement> RustContains for RustIn<'_, [E]> {
    #[inline(always)]
    fn rust_contains(self, item: &Bound<'_, PyAny>) -> Option<bool> {
        E::find(self.0, item)
    }
}

impl<E: InElement, const N: usize> RustContains for RustIn<'_, [E; N]> {
    #[inline(always)]
    fn rust_contains(self, item: &Bound<'_, PyAny>) -> Option<bool> {
        E::find(self.0, item)
    }
}

impl<'a, T: ?Sized> RustContains for RustIn<'_, &'a T>
where
    RustIn<'a, T>: RustContains,
{
    #[inline(always)]
    fn rust_contains(self, item: &Bound<'_, PyAny>) -> Option<bool> {
        RustIn(*self.0).rust_contains(item)
    }
}

/// An element type whose equality with a Python object of one exact type is Rust's.
pub trait InElement: Sized {
    fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool>;
}

/// An exact `int`'s value, or `None` for anything else; `Some(None)` for an `int` outside
/// 64 bits.
#[inline(always)]
fn exact_int(item: &Bound<'_, PyAny>) -> Option<Option<i64>> {
    // SAFETY: attached; a live object, checked to be exactly an `int` first.
    unsafe {
        if ffi::Py_TYPE(item.as_ptr()) != &raw mut ffi::PyLong_Type {
            return None;
        }
        let mut overflow = 0;
        let value = ffi::PyLong_AsLongLongAndOverflow(item.as_ptr(), &mut overflow);
        Some((overflow == 0).then_some(value))
    }
}

macro_rules! in_ints {
    ($($t:ty),*) => {$(
        impl InElement for $t {
            #[inline]
            fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
                // An `int` outside 64 bits is none of these (all fit in `i64`).
                let Some(value) = exact_int(item)? else { return Some(false) };
                #[allow(irrefutable_let_patterns)]
                let Ok(value) = <$t>::try_from(value) else { return Some(false) };
                Some(items.contains(&value))
            }
        }
    )*};
}

// (Not `u8`: a collection of bytes becomes `bytes`, whose `in` has its own rules.)
in_ints!(i8, i16, i32, i64, isize, u16, u32);

macro_rules! in_wide_unsigned {
    ($($t:ty),*) => {$(
        impl InElement for $t {
            #[inline]
            fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
                // Past `i64::MAX` an `int` could still be one of these: CPython decides.
                let value = exact_int(item)??;
                let Ok(value) = <$t>::try_from(value) else { return Some(false) };
                Some(items.contains(&value))
            }
        }
    )*};
}

in_wide_unsigned!(u64, usize);

impl InElement for f64 {
    #[inline]
    fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
        // SAFETY: attached; a live object, checked to be exactly a `float` first.
        let value = unsafe {
            if ffi::Py_TYPE(item.as_ptr()) != &raw mut ffi::PyFloat_Type {
                return None;
            }
            ffi::PyFloat_AS_DOUBLE(item.as_ptr())
        };
        // (A NaN equals nothing, as in Python: the list's floats would be other objects.)
        Some(items.contains(&value))
    }
}

impl InElement for bool {
    #[inline]
    fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
        // SAFETY: attached; a live object.
        let value = unsafe {
            if ffi::Py_TYPE(item.as_ptr()) != &raw mut ffi::PyBool_Type {
                return None;
            }
            item.as_ptr() == ffi::Py_True()
        };
        Some(items.contains(&value))
    }
}

/// An exact `str`'s UTF-8, or `None` (also for a string with lone surrogates).
#[inline(always)]
fn exact_str<'a>(item: &'a Bound<'_, PyAny>) -> Option<&'a str> {
    // SAFETY: attached; a live object, checked to be exactly a `str` first; its UTF-8 lives as
    // long as the object.
    unsafe {
        if ffi::PyUnicode_CheckExact(item.as_ptr()) == 0 {
            return None;
        }
        let mut len: ffi::Py_ssize_t = 0;
        let data = ffi::PyUnicode_AsUTF8AndSize(item.as_ptr(), &mut len);
        if data.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        std::str::from_utf8(std::slice::from_raw_parts(data.cast::<u8>(), len as usize)).ok()
    }
}

impl InElement for &str {
    #[inline]
    fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
        let value = exact_str(item)?;
        Some(items.contains(&value))
    }
}

impl InElement for String {
    #[inline]
    fn find(items: &[Self], item: &Bound<'_, PyAny>) -> Option<bool> {
        let value = exact_str(item)?;
        Some(items.iter().any(|s| s == value))
    }
}
