//! The logic behind pycall's `py!` macro, as an ordinary library: parse Python from Rust
//! tokens, check it, resolve names, expand to calls into `::pycall::__private` — the
//! pipeline in [`expand_py`] — and the derives.
//!
//! It uses only `proc-macro2`, `quote` and `syn`, so it can be tested and fuzzed without rustc.
//!
//! ```
//! let tokens: proc_macro2::TokenStream = "sorted(words, key=len)[0] as String".parse().unwrap();
//! let expanded = pycall_backend::expand_py(tokens);
//! assert!(expanded.to_string().contains("evaluate_as"));
//! ```

pub mod ast;
mod check;
pub mod derive;
mod diag;
pub mod dump;
mod expand;
pub mod parse;
mod resolve;
pub mod unparse;

use diag::Ctxt;
use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

/// How deeply an expression may nest (operator chains, calls, attributes, displays) before
/// `py!` refuses it: past this, the expansion would be deep enough to threaten rustc's stack.
pub const MAX_DEPTH: usize = 200;

/// Runs one level of a recursion over the input (parsing, checking, resolving, expanding):
/// recursion depth is bounded by [`MAX_DEPTH`], but an unoptimized build of the macro (the
/// default for proc macros) spends kilobytes of stack per level, so each level makes sure
/// 256 KiB are left and otherwise continues on a fresh 4 MiB segment, as rustc itself does.
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, f)
}

/// Expands the input of `py!` into Rust code, or into `compile_error!`s pointing at the faults
/// next to a well-typed stand-in (so the rest of the user's code still type-checks).
/// Never panics.
pub fn expand_py(tokens: TokenStream) -> TokenStream {
    let cx = Ctxt::default();
    let (expanded, target) = match parse::parse_input(tokens.clone()) {
        Ok(input) => {
            let target = input.target.clone();
            (expand_parsed(input, &cx), target)
        }
        Err(error) => {
            cx.push(error);
            (None, recovered_target(tokens))
        }
    };
    match expanded {
        Some(code) if !cx.has_errors() => code,
        _ => {
            let errors = cx.into_compile_errors();
            let py = proc_macro2::Ident::new("py", proc_macro2::Span::call_site());
            let stand_in = match target {
                Some(ty) => quote!(::pycall::__private::failed::<#ty>(#py)),
                None => quote!(::pycall::__private::failed_any(#py)),
            };
            quote! {{ #errors #stand_in }}
        }
    }
}

/// The phases after parsing, each run only if the ones before found no error.
fn expand_parsed(mut input: ast::Input, cx: &Ctxt) -> Option<TokenStream> {
    let awaited = take_outer_await(&mut input, cx)?;
    check::check_input(&input, cx);
    if cx.has_errors() {
        return None;
    }
    let resolution = resolve::resolve_input(&mut input, cx);
    if cx.has_errors() {
        return None;
    }
    Some(expand::expand_input(&input, &resolution, cx, awaited))
}

/// `py!(await EXPR)` (the last expression of the block, outside any `async def`): the block
/// runs now and gives `EXPR`, which the expansion turns into a Rust future. `Some(true)` when
/// there was such an `await` (now removed from `input`), `Some(false)` when not, `None` when
/// it needs the `asyncio` feature that is off.
fn take_outer_await(input: &mut ast::Input, cx: &Ctxt) -> Option<bool> {
    let ast::Expr::Await(awaited) = &input.body else {
        return Some(false);
    };
    if !cfg!(feature = "asyncio") {
        cx.push(awaited.range.error(
            "`py!(await …)` needs pycall's cargo feature `asyncio`: \
             `pycall = { version = \"…\", features = [\"asyncio\"] }` in Cargo.toml",
        ));
        return None;
    }
    let value = (*awaited.value).clone();
    input.body = value;
    Some(true)
}

/// The `T` of `as T` when the input did not parse: what follows the last `as` outside brackets
/// that is a Rust type to the end (an `as` before it may be Python's: `import m as n`).
fn recovered_target(tokens: TokenStream) -> Option<syn::Type> {
    use syn::parse::{ParseStream, Parser};
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    // Whether a huge literal lies at or after each token: syn converts those slowly, so no
    // type is looked for across one.
    let mut huge_from = vec![false; trees.len() + 1];
    for (i, tree) in trees.iter().enumerate().rev() {
        huge_from[i] =
            huge_from[i + 1] || parse::literal::check_literal_sizes(&tree.clone().into()).is_err();
    }
    // Where a type may follow an `as`: a fork parses one there and reaches the end, a quick
    // look that stops at the first token no type goes on with (but does not see what is left
    // inside brackets, so a candidate is parsed again whole below).
    let candidates = |input: ParseStream| -> syn::Result<Vec<usize>> {
        let mut after_as = Vec::new();
        let mut position = 0;
        while !input.is_empty() {
            let is_as = input.peek(syn::Token![as]);
            input.parse::<TokenTree>()?;
            position += 1;
            let rest = input.fork();
            if is_as && !huge_from[position] && rest.parse::<syn::Type>().is_ok() && rest.is_empty()
            {
                after_as.push(position);
            }
        }
        Ok(after_as)
    };
    let positions = candidates.parse2(tokens).ok()?;
    positions
        .into_iter()
        .rev()
        .find_map(|position| syn::parse2(trees[position..].iter().cloned().collect()).ok())
}
