//! The proc-macro crate of pycall: parses the input, calls `pycall-backend`, turns errors into
//! compile errors. Use it through the `pycall` crate, which re-exports these macros and documents
//! them.

use proc_macro::TokenStream;

/// Runs a backend entry point; the backend never panics by design, and this turns a bug into a
/// compile error instead of an ICE.
fn guarded(what: &str, run: impl FnOnce() -> proc_macro2::TokenStream) -> TokenStream {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(tokens) => tokens.into(),
        Err(_) => format!(
            "::core::compile_error!(\"internal error in pycall's {what}; please report it\");"
        )
        .parse()
        .unwrap_or_default(),
    }
}

/// Evaluates a Python expression; see the `pycall` crate (which re-exports this macro) for the
/// full documentation.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| {
///     let xs = vec![3, 1, 2];
///     let top: Vec<i64> = py!(sorted(xs, reverse=True)[:2] as Vec<i64>).unwrap();
///     assert_eq!(top, [3, 2]);
/// });
/// ```
#[proc_macro]
pub fn py(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("py! macro", move || pycall_backend::expand_py(input))
}

/// A Rust struct as a Python class; documented at `pycall::Class`.
#[proc_macro_derive(Class, attributes(pycall))]
pub fn derive_class(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("#[derive(Class)]", move || {
        pycall_backend::derive::derive_class(input)
    })
}

/// Exposes an `impl` block's methods to Python; documented at `pycall::methods`.
#[proc_macro_attribute]
pub fn methods(args: TokenStream, item: TokenStream) -> TokenStream {
    let (args, item) = (args.into(), item.into());
    guarded("#[methods]", move || {
        pycall_backend::derive::methods(args, item)
    })
}

/// A typed wrapper of a Python class or module; documented at `pycall::wrap`.
#[proc_macro]
pub fn wrap(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("wrap! macro", move || pycall_backend::derive::wrap(input))
}

/// PyO3's `FromPyObject` derive with pycall's crate path; documented at `pycall::FromPyObject`.
#[proc_macro_derive(FromPyObject, attributes(pyo3))]
pub fn derive_from_pyobject(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("#[derive(FromPyObject)]", move || {
        use pycall_backend::derive::{Conversion, pyo3_conversion};
        pyo3_conversion(Conversion::FromPyObject, input)
    })
}

/// PyO3's `IntoPyObject` derive with pycall's crate path; documented at `pycall::IntoPyObject`.
#[proc_macro_derive(IntoPyObject, attributes(pyo3))]
pub fn derive_into_pyobject(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("#[derive(IntoPyObject)]", move || {
        use pycall_backend::derive::{Conversion, pyo3_conversion};
        pyo3_conversion(Conversion::IntoPyObject, input)
    })
}

/// PyO3's `IntoPyObjectRef` derive with pycall's crate path; documented at
/// `pycall::IntoPyObjectRef`.
#[proc_macro_derive(IntoPyObjectRef, attributes(pyo3))]
pub fn derive_into_pyobject_ref(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    guarded("#[derive(IntoPyObjectRef)]", move || {
        use pycall_backend::derive::{Conversion, pyo3_conversion};
        pyo3_conversion(Conversion::IntoPyObjectRef, input)
    })
}
