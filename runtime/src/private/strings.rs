//! The `str` objects made from Rust strings: a short ASCII string (most names, keys and words)
//! is looked up in a small table of those made before, which is cheaper than making and later
//! freeing a new object (an allocation, a copy and a check of the characters). A `str` is
//! immutable and equal to any other of the same characters, so sharing one is invisible but
//! to `is` and `id()`, as with CPython's own shared constants. The table holds 256 strings of
//! at most 64 characters; a slot keeps the last string that went in it.

use pyo3::ffi;
use pyo3::prelude::*;

#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
use std::sync::atomic::{AtomicPtr, Ordering::Relaxed};

#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
const SLOTS: usize = 256;
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
const MAX_LEN: usize = 64;

/// Strong references to exact, compact ASCII `str` objects, or NULL. Read and written only
/// attached (the interpreter lock orders the accesses).
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
static TABLE: [AtomicPtr<ffi::PyObject>; SLOTS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];

/// `s` as a Python `str`.
#[inline(always)]
pub(crate) fn str_object<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: attached; `str_ptr` gives a new reference or NULL with an exception set.
    unsafe { super::values::owned_or_err(py, str_ptr(py, s)) }
}

/// `s` as a Python `str`: a new reference, or NULL with an exception set. Out of line: one
/// copy serves every conversion of a Rust string. The common case (up to 16 bytes, found in
/// the table) makes no call, so that it saves no registers; longer strings are another
/// function's.
#[inline(never)]
fn str_ptr(py: Python<'_>, s: &str) -> *mut ffi::PyObject {
    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    if s.len() <= 16 {
        return from_table(py, s);
    }
    long_str_ptr(py, s)
}

/// [`str_ptr`] of a string of more than 16 bytes.
#[inline(never)]
fn long_str_ptr(py: Python<'_>, s: &str) -> *mut ffi::PyObject {
    #[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    if s.len() <= MAX_LEN {
        return from_table(py, s);
    }
    let _ = py;
    make(s)
}

/// `s` (at most `MAX_LEN` bytes) from its slot of the table, or made (and kept there if ASCII).
/// Inlined into each caller, which knows a bound on the length.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
fn from_table(py: Python<'_>, s: &str) -> *mut ffi::PyObject {
    let bytes = s.as_bytes();
    let slot = &TABLE[slot(bytes)];
    // SAFETY: attached; see `cached_equal`.
    unsafe {
        let cached = slot.load(Relaxed);
        if cached_equal(cached, bytes) {
            ffi::Py_INCREF(cached);
            return cached;
        }
    }
    miss(py, slot, s)
}

/// Whether `cached`, a slot's content, is a `str` of `bytes`.
///
/// # Safety
/// Attached; a non-NULL slot holds a live exact compact ASCII `str`: one byte per character,
/// `len` of them, right after its `PyASCIIObject` header. (Equal bytes make `bytes` ASCII too,
/// so the check of the characters is only needed on a miss.)
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
unsafe fn cached_equal(cached: *mut ffi::PyObject, bytes: &[u8]) -> bool {
    // SAFETY: per the contract.
    unsafe {
        !cached.is_null()
            && ffi::PyUnicode_GET_LENGTH(cached) as usize == bytes.len()
            && same_bytes(cached.cast::<ffi::PyASCIIObject>().add(1).cast(), bytes)
    }
}

/// A string not in its slot: made, and kept there if it is ASCII.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[cold]
#[inline(never)]
fn miss(py: Python<'_>, slot: &AtomicPtr<ffi::PyObject>, s: &str) -> *mut ffi::PyObject {
    if s.is_ascii() {
        fill(py, slot, s)
    } else {
        make(s)
    }
}

/// Whether the `bytes.len()` bytes at `data` are `bytes` (at most `MAX_LEN` of them): two
/// overlapping fixed-size reads for up to 16 bytes, without a call to `memcmp`.
///
/// # Safety
/// `data` is valid for `bytes.len()` reads.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
unsafe fn same_bytes(data: *const u8, bytes: &[u8]) -> bool {
    let n = bytes.len();
    let b = bytes.as_ptr();
    // SAFETY: every read is within the first `n` bytes of both, per the contract.
    unsafe {
        let u64_at = |p: *const u8, i: usize| p.add(i).cast::<u64>().read_unaligned();
        let u32_at = |p: *const u8, i: usize| p.add(i).cast::<u32>().read_unaligned();
        if n >= 8 {
            u64_at(data, 0) == u64_at(b, 0)
                && u64_at(data, n - 8) == u64_at(b, n - 8)
                && (n <= 16 || std::slice::from_raw_parts(data.add(8), n - 16) == &bytes[8..n - 8])
        } else if n >= 4 {
            u32_at(data, 0) == u32_at(b, 0) && u32_at(data, n - 4) == u32_at(b, n - 4)
        } else {
            // Up to three bytes: the first, the middle and the last are all of them.
            n == 0
                || (*data == *b
                    && *data.add(n / 2) == *b.add(n / 2)
                    && *data.add(n - 1) == *b.add(n - 1))
        }
    }
}

/// A new `str`, or NULL with an exception set.
#[inline(always)]
fn make(s: &str) -> *mut ffi::PyObject {
    // SAFETY: valid UTF-8 of the given length (the caller is attached).
    unsafe { ffi::PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as ffi::Py_ssize_t) }
}

/// Makes `s` (ASCII) and keeps it in `slot`, releasing the string there before: a new
/// reference, or NULL with an exception set.
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[cold]
fn fill(_py: Python<'_>, slot: &AtomicPtr<ffi::PyObject>, s: &str) -> *mut ffi::PyObject {
    let made = make(s);
    if made.is_null() {
        return made;
    }
    // SAFETY: attached; `made` is a new reference, one more of which the slot keeps; the
    // slot's old reference is released (a `str`'s deallocation runs no Python code).
    unsafe {
        ffi::Py_INCREF(made);
        let old = slot.swap(made, Relaxed);
        if !old.is_null() {
            ffi::Py_DECREF(old);
        }
    }
    made
}

/// The slot for a string's bytes: its length and first and last (up to) eight bytes, mixed
/// (fixed-size reads: no copy of a variable length).
#[cfg(not(any(Py_GIL_DISABLED, Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
#[inline(always)]
fn slot(bytes: &[u8]) -> usize {
    let n = bytes.len();
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap_or_default());
    let key = if n >= 8 {
        u64_at(0) ^ u64_at(n - 8).rotate_left(29)
    } else if n >= 4 {
        u64::from(u32_at(0)) << 32 | u64::from(u32_at(n - 4))
    } else if n > 0 {
        u64::from(bytes[0]) << 16 | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1])
    } else {
        0
    };
    let mixed = (key ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 56) as usize % SLOTS
}
