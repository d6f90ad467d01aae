//! The proc-macro crate of pycall: parses the input, calls `pycall-backend`, turns errors into
//! compile errors. Use it through the `pycall` crate, which re-exports `py!`.

use proc_macro::TokenStream;

/// Evaluates a Python expression; see the `pycall` crate for the full documentation.
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
