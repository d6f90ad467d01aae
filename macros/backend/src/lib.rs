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
pub mod derive;
pub mod dump;
pub mod expand;
pub mod parse;
pub mod resolve;
pub mod unparse;

use proc_macro2::TokenStream;
use quote::quote;

/// How deeply an expression may nest (operator chains, calls, attributes, displays) before
/// `py!` refuses it: past this, the expansion would be deep enough to threaten rustc's stack.
pub const MAX_DEPTH: usize = 200;

/// Runs one level of a recursion over the input (parsing, resolving, expanding): recursion depth
/// is bounded by [`MAX_DEPTH`], but an unoptimized build of the macro (the default for proc
/// macros) spends kilobytes of stack per level, so each level makes sure 256 KiB are left and
/// otherwise continues on a fresh 4 MiB segment, as rustc itself does.
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, f)
}

/// Expands the input of `py!` into Rust code, or into `compile_error!`s pointing at the faults
/// next to a well-typed stand-in (so the rest of the user's code still type-checks).
/// Never panics.
pub fn expand_py(tokens: TokenStream) -> TokenStream {
    let target = declared_target(&tokens);
    match try_expand_py(tokens) {
        Ok(tokens) => tokens,
        Err(errors) => {
            let errors = errors.iter().map(syn::Error::to_compile_error);
            let py = proc_macro2::Ident::new("py", proc_macro2::Span::call_site());
            let stand_in = match target {
                Some(ty) => quote!(::pycall::__private::failed::<#ty>(#py)),
                None => quote!(::pycall::__private::failed_any(#py)),
            };
            quote! {{ #(#errors)* #stand_in }}
        }
    }
}

/// The `T` of a trailing `as T`, found without parsing the Python part (for error recovery).
fn declared_target(tokens: &TokenStream) -> Option<syn::Type> {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    let position = trees
        .iter()
        .position(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == "as"))?;
    let rest: TokenStream = trees[position + 1..].iter().cloned().collect();
    parse::literal::check_literal_sizes(&rest).ok()?;
    syn::parse2(rest).ok()
}

/// Parses, resolves and expands, collecting every error found after parsing.
pub fn try_expand_py(tokens: TokenStream) -> Result<TokenStream, Vec<syn::Error>> {
    let mut input = parse::parse_input(tokens).map_err(|e| vec![e])?;
    for stmt in &input.stmts {
        let mut result = Ok(());
        check_stmt_depth(stmt, 1, &mut result);
        result.map_err(|e| vec![e])?;
    }
    check_depth(&input.body, 1).map_err(|e| vec![e])?;
    let resolution = resolve::resolve_input(&mut input)?;
    expand::expand_input(&input, &resolution)
}

/// [`check_depth`] over a statement's expressions and nested blocks.
fn check_stmt_depth(stmt: &ast::Stmt, depth: usize, result: &mut syn::Result<()>) {
    if result.is_err() {
        return;
    }
    ast::visit::stmt_exprs(stmt, |e| {
        if result.is_ok() {
            *result = check_depth(e, depth);
        }
    });
    ast::visit::stmt_blocks(stmt, |block| {
        for s in block {
            check_stmt_depth(s, depth + 1, result);
        }
    });
}

/// Refuses expressions nested deeper than [`MAX_DEPTH`]; recursion stops at the limit.
fn check_depth(expr: &ast::Expr, depth: usize) -> syn::Result<()> {
    deep(|| check_depth_level(expr, depth))
}

fn check_depth_level(expr: &ast::Expr, depth: usize) -> syn::Result<()> {
    let width = match expr {
        ast::Expr::BoolOp(b) => b.values.len(),
        ast::Expr::Compare(c) => c.comparators.len(),
        _ => 1,
    };
    let depth = depth + width - 1;
    if depth > MAX_DEPTH {
        return Err(expr.range().error(format!(
            "expression too deeply nested for `py!` (more than {MAX_DEPTH} levels of operators, calls or brackets); split it with intermediate variables"
        )));
    }
    let mut result = Ok(());
    ast::visit::child_exprs(expr, |child| {
        if result.is_ok() {
            result = check_depth(child, depth + 1);
        }
    });
    result
}
