//! Values: literals and other constants, builtins, and Rust values converted to Python.

use crate::__private::intern;
use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBool;

use super::cells::undefined;

/// A Rust value on its way into Python: `py!` expands a Rust name `x` to
/// `Arg(&x).to_py_arg(py)`. Method resolution takes [`ToPyChecked`] (by value) where the type
/// is [`Checked`], and the inherent [`Arg::to_py_arg`] (one autoref further) for everything
/// else, at compile time.
pub struct Arg<'a, T: ?Sized>(pub &'a T);

impl<T: ?Sized> Arg<'_, T> {
    /// The value as a Python object, with PyO3's conversion (by reference: the value is not
    /// moved): what `py!` does for the types [`Checked`] does not cover. An inherent method,
    /// found one autoref after [`ToPyChecked`]'s, with the bound on the method, so that a type
    /// that does not convert gets PyO3's own message ("cannot be converted to a Python
    /// object").
    #[inline(always)]
    pub fn to_py_arg<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>
    where
        for<'a> &'a T: IntoPyObject<'py>,
    {
        match self.0.into_pyobject(py) {
            Ok(obj) => Ok(pyo3::BoundObject::into_bound(obj).into_any()),
            Err(e) => Err(e.into()),
        }
    }
}

/// The conversion `py!` takes for a Rust value of a [`Checked`] type (see [`Arg`]).
pub trait ToPyChecked<'py> {
    fn to_py_arg(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

impl<'py, T: Checked + ?Sized> ToPyChecked<'py> for Arg<'_, T> {
    #[inline(always)]
    fn to_py_arg(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.0.to_checked(py)
    }
}

/// Rust values that pycall converts to Python itself, into the same Python types as PyO3's
/// conversions (numbers, `bool`, strings, sequences, tuples, `Option`, maps), with every
/// allocation checked: where PyO3's infallible conversions panic if Python has no memory
/// left, these return the `MemoryError`.
pub trait Checked {
    /// `u8`: a sequence of them is `bytes`, as PyO3 converts it.
    #[doc(hidden)]
    const BYTE: bool = false;
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// A new reference from the C API, or the exception it set.
#[inline(always)]
fn owned(py: Python<'_>, ptr: *mut ffi::PyObject) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: callers pass a new reference or NULL with an exception set.
    unsafe { owned_or_err(py, ptr) }
}

/// PyO3's `Bound::from_owned_ptr_or_err`, with the error's fetching out of line: what every
/// inlined C call of the runtime returns through, so that each `py!` carries a call for the
/// error, not the fetching itself.
///
/// # Safety
/// Attached; `ptr` is a new reference or NULL with an exception set.
#[inline(always)]
pub(crate) unsafe fn owned_or_err(
    py: Python<'_>,
    ptr: *mut ffi::PyObject,
) -> PyResult<Bound<'_, PyAny>> {
    if ptr.is_null() {
        Err(fetched(py))
    } else {
        // SAFETY: per the contract, a new reference.
        Ok(unsafe { Bound::from_owned_ptr(py, ptr) })
    }
}

/// The exception the C API set (`PyErr::fetch`), out of line.
#[cold]
#[inline(never)]
pub(crate) fn fetched(py: Python<'_>) -> PyErr {
    PyErr::fetch(py)
}

macro_rules! checked_ints {
    ($via:ident as $wide:ty: $($t:ty),*) => {$(
        impl Checked for $t {
            #[inline(always)]
            fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                // SAFETY: attached; a new reference or NULL with an exception.
                owned(py, unsafe { ffi::$via(*self as $wide) })
            }
        }
    )*};
}

checked_ints!(PyLong_FromLongLong as std::ffi::c_longlong: i8, i16, i32, i64, isize);
checked_ints!(PyLong_FromUnsignedLongLong as std::ffi::c_ulonglong: u16, u32, u64, usize);

impl Checked for u8 {
    const BYTE: bool = true;
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        owned(py, unsafe { ffi::PyLong_FromLong((*self).into()) })
    }
}

impl Checked for f64 {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        owned(py, unsafe { ffi::PyFloat_FromDouble(*self) })
    }
}

impl Checked for f32 {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        f64::from(*self).to_checked(py)
    }
}

impl Checked for bool {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(boolean(py, *self))
    }
}

impl Checked for str {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        super::strings::str_object(py, self)
    }
}

impl Checked for String {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.as_str().to_checked(py)
    }
}

impl Checked for char {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.encode_utf8(&mut [0; 4]).to_checked(py)
    }
}

impl<T: Checked + ?Sized> Checked for &T {
    const BYTE: bool = T::BYTE;
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (**self).to_checked(py)
    }
}

impl<T: Checked> Checked for Option<T> {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_checked(py),
            None => Ok(none(py)),
        }
    }
}

impl<T: Checked> Checked for [T] {
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if T::BYTE && std::mem::size_of::<T>() == 1 {
            // SAFETY: `T` is `u8` (the only type with `BYTE`), so the slice is bytes.
            let bytes =
                unsafe { std::slice::from_raw_parts(self.as_ptr().cast::<u8>(), self.len()) };
            // SAFETY: attached; a new reference or NULL with an exception.
            return owned(py, unsafe {
                ffi::PyBytes_FromStringAndSize(
                    bytes.as_ptr().cast(),
                    bytes.len() as ffi::Py_ssize_t,
                )
            });
        }
        // SAFETY: attached; a new list of NULL items, or NULL with an exception.
        let list = owned(py, unsafe {
            ffi::PyList_New(self.len() as ffi::Py_ssize_t)
        })?;
        for (i, item) in self.iter().enumerate() {
            // On an error the list is dropped; CPython frees a list with NULL items.
            let item = item.to_checked(py)?;
            // SAFETY: `list` is a new list of this length; the item's reference is stolen.
            unsafe { ffi::PyList_SET_ITEM(list.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) };
        }
        Ok(list)
    }
}

impl<T: Checked> Checked for Vec<T> {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.as_slice().to_checked(py)
    }
}

impl<T: Checked, const N: usize> Checked for [T; N] {
    #[inline(always)]
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.as_slice().to_checked(py)
    }
}

macro_rules! checked_tuples {
    ($(($($n:tt $t:ident),+))*) => {$(
        impl<$($t: Checked),+> Checked for ($($t,)+) {
            fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                let items = [$(self.$n.to_checked(py)?),+];
                // SAFETY: attached; a new tuple of NULL items, or NULL with an exception.
                let tuple = owned(py, unsafe { ffi::PyTuple_New(items.len() as ffi::Py_ssize_t) })?;
                for (i, item) in items.into_iter().enumerate() {
                    // SAFETY: a new tuple of this length; the item's reference is stolen.
                    unsafe { ffi::PyTuple_SET_ITEM(tuple.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) };
                }
                Ok(tuple)
            }
        }
    )*};
}

checked_tuples! {
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
}

fn checked_dict<'py, 'a, K: Checked + 'a, V: Checked + 'a>(
    py: Python<'py>,
    entries: impl Iterator<Item = (&'a K, &'a V)>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: attached; a new dict or NULL with an exception.
    let dict = owned(py, unsafe { ffi::PyDict_New() })?;
    for (k, v) in entries {
        let (k, v) = (k.to_checked(py)?, v.to_checked(py)?);
        // SAFETY: attached; `dict` is a dict; the call takes its own references.
        if unsafe { ffi::PyDict_SetItem(dict.as_ptr(), k.as_ptr(), v.as_ptr()) } < 0 {
            return Err(super::values::fetched(py));
        }
    }
    Ok(dict)
}

impl<K: Checked, V: Checked, S> Checked for std::collections::HashMap<K, V, S> {
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        checked_dict(py, self.iter())
    }
}

impl<K: Checked, V: Checked> Checked for std::collections::BTreeMap<K, V> {
    fn to_checked<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        checked_dict(py, self.iter())
    }
}

/// A value of a `py!` call site made once and kept: a constant (a number, a string, bytes) or
/// a builtin. What each expands to: `static __K: Const = Const::int("2");`, then
/// `__K.get(py)?`. One type for all of them, so that the expansion is short and has no
/// closure to check.
pub struct Const {
    cell: PyOnceLock<Py<PyAny>>,
    value: ConstValue,
}

enum ConstValue {
    Int(&'static str),
    Float(u64),
    Imag(u64),
    Str(&'static str),
    Bytes(&'static [u8]),
    Builtin(&'static str),
}

impl Const {
    const fn of(value: ConstValue) -> Const {
        Const {
            cell: PyOnceLock::new(),
            value,
        }
    }

    /// An `int` literal's decimal digits.
    pub const fn int(digits: &'static str) -> Const {
        Const::of(ConstValue::Int(digits))
    }

    /// A `float` literal, by its bits.
    pub const fn float(bits: u64) -> Const {
        Const::of(ConstValue::Float(bits))
    }

    /// An imaginary literal (`2j`), by the bits of its imaginary part.
    pub const fn imag(bits: u64) -> Const {
        Const::of(ConstValue::Imag(bits))
    }

    /// A `str` literal (interned, as CPython interns the constants of its code objects).
    pub const fn str(text: &'static str) -> Const {
        Const::of(ConstValue::Str(text))
    }

    /// A `bytes` literal.
    pub const fn bytes(bytes: &'static [u8]) -> Const {
        Const::of(ConstValue::Bytes(bytes))
    }

    /// The builtin `name`, looked up in `builtins` at its first use.
    pub const fn builtin(name: &'static str) -> Const {
        Const::of(ConstValue::Builtin(name))
    }

    /// The constant, borrowed from where it is kept.
    #[inline(always)]
    pub fn get<'py>(&'static self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        match self.cell.get(py) {
            Some(value) => Ok(value.bind(py)),
            None => self.init(py),
        }
    }

    /// The constant, a new reference.
    #[inline(always)]
    pub fn owned<'py>(&'static self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.get(py).cloned()
    }

    #[cold]
    #[inline(never)]
    fn init<'py>(&'static self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        let made = self.cell.get_or_try_init(py, || match self.value {
            ConstValue::Int(digits) => make_int(py, digits),
            ConstValue::Float(bits) => make_float(py, bits),
            ConstValue::Imag(bits) => make_imag(py, bits),
            ConstValue::Str(text) => make_str(py, text),
            ConstValue::Bytes(bytes) => make_bytes(py, bytes),
            ConstValue::Builtin(name) => look_up_builtin(py, name),
        })?;
        Ok(made.bind(py))
    }
}

pub fn make_int(py: Python<'_>, digits: &'static str) -> PyResult<Py<PyAny>> {
    if let Ok(small) = digits.parse::<i64>() {
        return Ok(small.to_checked(py)?.unbind());
    }
    let digits = std::ffi::CString::new(digits)
        .map_err(|_| PyValueError::new_err("invalid integer literal"))?;
    // SAFETY: `digits` is a NUL-terminated string of decimal digits; the result is a new
    // reference or NULL with an exception set.
    unsafe {
        super::values::owned_or_err(
            py,
            ffi::PyLong_FromString(digits.as_ptr(), std::ptr::null_mut(), 10),
        )
        .map(Bound::unbind)
    }
}

pub fn make_float(py: Python<'_>, bits: u64) -> PyResult<Py<PyAny>> {
    Ok(f64::from_bits(bits).to_checked(py)?.unbind())
}

pub fn make_imag(py: Python<'_>, bits: u64) -> PyResult<Py<PyAny>> {
    // SAFETY: attached; a new reference or NULL with an exception.
    Ok(owned(py, unsafe {
        ffi::PyComplex_FromDoubles(0.0, f64::from_bits(bits))
    })?
    .unbind())
}

/// A docstring's text for this interpreter: CPython 3.13+ compiles docstrings without their
/// indentation (`cleaned`), earlier versions keep them as written (`raw`).
///
/// ```
/// # use pycall::__private::docstring;
/// let text = docstring("Sums.\n    Twice.", "Sums.\nTwice.");
/// assert!(text == "Sums.\n    Twice." || text == "Sums.\nTwice.");
/// ```
pub const fn docstring(raw: &'static str, cleaned: &'static str) -> &'static str {
    if cfg!(Py_3_13) { cleaned } else { raw }
}

/// A `str` constant, interned as CPython interns the constants of its code objects.
pub fn make_str(py: Python<'_>, s: &str) -> PyResult<Py<PyAny>> {
    let text = s.to_checked(py)?;
    let mut ptr = text.into_ptr();
    // SAFETY: attached; `ptr` is an owned exact `str`, replaced by the interned one (which
    // cannot fail: interning an object that cannot be interned leaves it as it is).
    unsafe {
        ffi::PyUnicode_InternInPlace(&mut ptr);
        Ok(Bound::from_owned_ptr(py, ptr).unbind())
    }
}

pub fn make_bytes(py: Python<'_>, b: &[u8]) -> PyResult<Py<PyAny>> {
    Ok(b.to_checked(py)?.unbind())
}

#[inline(always)]
pub fn none(py: Python<'_>) -> Bound<'_, PyAny> {
    py.None().into_bound(py)
}

#[inline(always)]
pub fn boolean(py: Python<'_>, value: bool) -> Bound<'_, PyAny> {
    PyBool::new(py, value).to_owned().into_any()
}

#[inline(always)]
pub fn ellipsis(py: Python<'_>) -> Bound<'_, PyAny> {
    py.Ellipsis().into_bound(py)
}

/// `builtins.<name>`, or the `NameError` CPython raises for a name the running version's
/// `builtins` lacks (`aiter` on 3.9, `ExceptionGroup` before 3.11, ...).
#[cold]
fn look_up_builtin(py: Python<'_>, name: &'static str) -> PyResult<Py<PyAny>> {
    let builtins = py.import(intern!(py, "builtins"))?;
    match builtins.getattr(checked_str(py, name)?) {
        Ok(value) => Ok(value.unbind()),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
            Err(undefined(name))
        }
        Err(e) => Err(e),
    }
}

/// The `__name__` of an object's type, as error messages show it.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    class_name(&obj.get_type())
}

/// A class's `__name__`, read from the type object without calling Python (PyO3's
/// `PyType::name` looks `__name__` up before 3.11 with a lazily made name, which panics when
/// made with no memory left): a heap type's `ht_name`, a static type's `tp_name` after its
/// last dot, as `type.__name__` gives them.
pub fn class_name(class: &Bound<'_, pyo3::types::PyType>) -> String {
    let ty = class.as_type_ptr();
    // SAFETY: a live type object: its flags, its `tp_name` (a NUL-terminated string it owns)
    // and, for a heap type, its `ht_name` (a `str`) are valid; `PyUnicode_AsUTF8AndSize`
    // returns the `str`'s own UTF-8 (or NULL with an exception, cleared).
    unsafe {
        if (*ty).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0 {
            let name = (*ty.cast::<ffi::PyHeapTypeObject>()).ht_name;
            if !name.is_null() {
                let mut size: ffi::Py_ssize_t = 0;
                let data = ffi::PyUnicode_AsUTF8AndSize(name, &mut size);
                if data.is_null() {
                    ffi::PyErr_Clear();
                } else {
                    let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
                    return String::from_utf8_lossy(bytes).into_owned();
                }
            }
        }
        let full = std::ffi::CStr::from_ptr((*ty).tp_name).to_string_lossy();
        match full.rsplit_once('.') {
            Some((_, name)) => name.to_owned(),
            None => full.into_owned(),
        }
    }
}

/// A `str` made once and interned, as PyO3's `Interned`, but made with checked calls: a failed
/// first making is the `MemoryError` (PyO3's panics), and the next use tries again.
#[doc(hidden)]
pub struct Interned {
    text: &'static str,
    cell: PyOnceLock<Py<pyo3::types::PyString>>,
}

impl Interned {
    pub const fn new(text: &'static str) -> Interned {
        Interned {
            text,
            cell: PyOnceLock::new(),
        }
    }

    #[inline(always)]
    pub fn get<'a, 'py>(
        &'a self,
        py: Python<'py>,
    ) -> PyResult<&'a Bound<'py, pyo3::types::PyString>> {
        match self.cell.get(py) {
            Some(s) => Ok(s.bind(py)),
            None => self.make(py),
        }
    }

    #[cold]
    fn make<'a, 'py>(&'a self, py: Python<'py>) -> PyResult<&'a Bound<'py, pyo3::types::PyString>> {
        let made = self.cell.get_or_try_init(py, || {
            // SAFETY: an exact `str` just made, as `make_str` returns it.
            make_str(py, self.text)
                .map(|s| unsafe { s.into_bound(py).cast_into_unchecked().unbind() })
        })?;
        Ok(made.bind(py))
    }
}

/// pycall's `intern!(py, "text")`: the interned `&Bound<PyString>`, made once per use site,
/// with `?` on a failed first making (so only in a function returning `PyResult`).
#[doc(hidden)]
#[macro_export]
macro_rules! __pycall_intern {
    ($py:expr, $text:expr) => {{
        static INTERNED: $crate::__private::Interned = $crate::__private::Interned::new($text);
        INTERNED.get($py)?
    }};
}

/// A new list of `items`, made with checked calls (PyO3's `PyList::new` panics if the list
/// cannot be allocated).
pub fn checked_list<'py>(
    py: Python<'py>,
    items: impl IntoIterator<Item = Bound<'py, PyAny>, IntoIter: ExactSizeIterator>,
) -> PyResult<Bound<'py, pyo3::types::PyList>> {
    let items = items.into_iter();
    let len = items.len();
    // SAFETY: attached; a new list of NULL items, or NULL with an exception.
    let list = owned(py, unsafe { ffi::PyList_New(len as ffi::Py_ssize_t) })?;
    let mut filled = 0;
    for item in items.take(len) {
        // SAFETY: a new list of `len` items; the reference is stolen.
        unsafe { ffi::PyList_SET_ITEM(list.as_ptr(), filled as ffi::Py_ssize_t, item.into_ptr()) };
        filled += 1;
    }
    if filled != len {
        return Err(pyo3::exceptions::PySystemError::new_err(
            "an iterator gave fewer items than its length",
        ));
    }
    // SAFETY: made as a list above.
    Ok(unsafe { list.cast_into_unchecked() })
}

/// A new tuple of `items`, made with checked calls (see [`checked_list`]).
pub fn checked_tuple<'py>(
    py: Python<'py>,
    items: impl IntoIterator<Item = Bound<'py, PyAny>, IntoIter: ExactSizeIterator>,
) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
    let items = items.into_iter();
    let len = items.len();
    // SAFETY: attached; a new tuple of NULL items, or NULL with an exception.
    let tuple = owned(py, unsafe { ffi::PyTuple_New(len as ffi::Py_ssize_t) })?;
    let mut filled = 0;
    for item in items.take(len) {
        // SAFETY: a new tuple of `len` items; the reference is stolen.
        unsafe {
            ffi::PyTuple_SET_ITEM(tuple.as_ptr(), filled as ffi::Py_ssize_t, item.into_ptr())
        };
        filled += 1;
    }
    if filled != len {
        return Err(pyo3::exceptions::PySystemError::new_err(
            "an iterator gave fewer items than its length",
        ));
    }
    // SAFETY: made as a tuple above.
    Ok(unsafe { tuple.cast_into_unchecked() })
}

/// A new empty dict, made with a checked call (PyO3's `PyDict::new` panics on failure).
pub fn checked_dict_new(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    // SAFETY: attached; a new dict or NULL with an exception.
    Ok(unsafe { owned(py, ffi::PyDict_New())?.cast_into_unchecked() })
}

/// A new `str`, made with a checked call.
pub fn checked_str<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<Bound<'py, pyo3::types::PyString>> {
    // SAFETY: an exact `str` is what `str::to_checked` makes.
    Ok(unsafe { text.to_checked(py)?.cast_into_unchecked() })
}
