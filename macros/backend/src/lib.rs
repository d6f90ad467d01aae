//! The logic behind pycall's `py!` macro, as an ordinary library: parse Python's expression
//! grammar from Rust tokens, resolve names, expand to calls into `::pycall::__private`.
//!
//! It uses only `proc-macro2`, `quote` and `syn`, so it can be tested and fuzzed without rustc.
//!
//! ```
//! let tokens: proc_macro2::TokenStream = "sorted(words, key=len)[0] as String".parse().unwrap();
//! let expanded = pycall_backend::expand_py(tokens);
//! assert!(expanded.to_string().contains("evaluate_as"));
//! ```

pub mod ast;
pub mod dump;
pub mod expand;
pub mod parse;
pub mod resolve;
pub mod unparse;

use proc_macro2::TokenStream;
use quote::quote;

/// Expands the input of `py!` into Rust code, or into `compile_error!`s pointing at the faults.
/// Never panics.
pub fn expand_py(tokens: TokenStream) -> TokenStream {
    match try_expand_py(tokens) {
        Ok(tokens) => tokens,
        Err(errors) => {
            let errors = errors.iter().map(syn::Error::to_compile_error);
            quote! {{ #(#errors)* ::core::unreachable!() }}
        }
    }
}

/// Parses, resolves and expands, collecting every error found after parsing.
pub fn try_expand_py(tokens: TokenStream) -> Result<TokenStream, Vec<syn::Error>> {
    let mut input = parse::parse_input(tokens).map_err(|e| vec![e])?;
    let resolution = resolve::resolve(&mut input.body)?;
    expand::expand_input(&input, &resolution)
}
