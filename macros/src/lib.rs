//! The proc-macro crate of pycall: parses the input, calls `pycall-backend`, turns errors into
//! compile errors. Use it through the `pycall` crate, which re-exports `py!`.

use proc_macro::TokenStream;

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
    // The backend never panics by design; this turns a bug into a compile error, not an ICE.
    match std::panic::catch_unwind(move || pycall_backend::expand_py(input)) {
        Ok(tokens) => tokens.into(),
        Err(_) => {
            "::core::compile_error!(\"internal error in pycall's py! macro; please report it\")"
                .parse()
                .unwrap_or_default()
        }
    }
}
