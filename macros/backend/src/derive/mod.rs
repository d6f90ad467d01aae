//! The derives and attribute macros that carry Rust data to Python and back: `Class`,
//! `methods`, `wrap!`, and PyO3's conversion derives with pycall's crate path preset.
//!
//! Each entry point takes and returns tokens and never panics; an error becomes a
//! `compile_error!` at its span, next to the user's item (the derives and `wrap!` still emit
//! what they could make of it, so that its uses do not fail as well).

mod attr;
mod class;
mod methods;
mod wrap;

pub(crate) use class::field_key;

use proc_macro2::TokenStream;

/// `#[derive(Class)]`.
///
/// ```
/// let input = quote::quote!(struct Counter { count: i64 });
/// let out = pycall_backend::derive::derive_class(input).to_string();
/// assert!(out.contains("PyClassImpl"));
/// ```
pub fn derive_class(input: TokenStream) -> TokenStream {
    match syn::parse2(input) {
        Ok(input) => class::derive_class(input),
        Err(e) => e.to_compile_error(),
    }
}

/// `#[methods]` on an `impl` block.
///
/// ```
/// let item = quote::quote!(impl Counter { fn bump(&mut self) { self.count += 1 } });
/// let out = pycall_backend::derive::methods(Default::default(), item).to_string();
/// assert!(out.contains("pymethods"));
/// ```
pub fn methods(args: TokenStream, item: TokenStream) -> TokenStream {
    methods::methods(args, item)
}

/// `wrap! { ... }`.
///
/// ```
/// let input = quote::quote! {
///     #[pycall(module = "json")]
///     pub struct Json;
///     impl Json { pub fn dumps(&self, obj: i64) -> String; }
/// };
/// let out = pycall_backend::derive::wrap(input).to_string();
/// assert!(out.contains("dumps"));
/// ```
pub fn wrap(input: TokenStream) -> TokenStream {
    wrap::wrap(input)
}

/// PyO3's `#[derive(FromPyObject)]` (or `IntoPyObject`, `IntoPyObjectRef`) with
/// `#[pyo3(crate = "::pycall::pyo3")]` added unless the input names a crate itself.
///
/// ```
/// use pycall_backend::derive::{Conversion, pyo3_conversion};
/// let input = quote::quote!(struct Point { x: f64, y: f64 });
/// let out = pyo3_conversion(Conversion::FromPyObject, input).to_string();
/// assert!(out.contains("FromPyObject"));
/// ```
pub fn pyo3_conversion(kind: Conversion, input: TokenStream) -> TokenStream {
    let result = syn::parse2::<syn::DeriveInput>(input).and_then(|mut input| {
        let names_crate = input.attrs.iter().any(|a| {
            a.path().is_ident("pyo3")
                && quote::ToTokens::to_token_stream(a)
                    .into_iter()
                    .any(|t| t.to_string().contains("crate"))
        });
        if !names_crate {
            input
                .attrs
                .push(syn::parse_quote!(#[pyo3(crate = "::pycall::pyo3")]));
        }
        match kind {
            Conversion::FromPyObject => pyo3_macros_backend::build_derive_from_pyobject(&input),
            Conversion::IntoPyObject => {
                pyo3_macros_backend::build_derive_into_pyobject::<false>(&input)
            }
            Conversion::IntoPyObjectRef => {
                pyo3_macros_backend::build_derive_into_pyobject::<true>(&input)
            }
        }
    });
    result.unwrap_or_else(|e| e.to_compile_error())
}

/// Which of PyO3's conversion derives [`pyo3_conversion`] runs.
///
/// ```
/// assert_ne!(pycall_backend::derive::Conversion::FromPyObject, pycall_backend::derive::Conversion::IntoPyObject);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    FromPyObject,
    IntoPyObject,
    IntoPyObjectRef,
}
