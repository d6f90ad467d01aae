//! `#[methods]`: an `impl` block's methods exposed to Python through PyO3's `#[pymethods]`, with
//! the crate path preset, `#[pycall(name = "...")]` renames and `#[pycall(skip)]` for methods
//! that stay Rust-only.

use super::attr::{self, Ctxt};
use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{ImplItem, ItemImpl};

const METHOD_OPTIONS: &[&str] = &["name", "skip"];

/// Expands `#[methods]` on `item`; `args` are the attribute's own arguments (none are taken).
pub fn methods(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut cx = Ctxt::default();
    if let Some(first) = args.into_iter().next() {
        cx.error(
            first.span(),
            "`#[pycall::methods]` takes no arguments; options go on each method as `#[pycall(...)]`",
        );
    }
    let mut exposed: ItemImpl = syn::parse2(item)?;
    if let Some((path, _)) = &exposed.trait_ {
        cx.error(
            path.span(),
            "`#[pycall::methods]` goes on an inherent `impl` block, not a trait impl",
        );
    }
    if let Some(param) = exposed.generics.params.first() {
        cx.error(
            param.span(),
            "`#[pycall::methods]` cannot be used on an `impl` with generic or lifetime parameters",
        );
    }
    let mut rust_only = exposed.clone();
    rust_only.items.clear();
    rust_only.attrs.retain(|a| !a.path().is_ident("pycall"));
    let mut kept = Vec::new();
    for mut item in std::mem::take(&mut exposed.items) {
        let ImplItem::Fn(f) = &mut item else {
            kept.push(item);
            continue;
        };
        let mut skip = false;
        let mut rename = None;
        for opt in attr::options(&f.attrs, &mut cx) {
            match opt.key.to_string().as_str() {
                "skip" => skip = opt.flag(&mut cx),
                "name" => {
                    rename = opt
                        .string(&mut cx)
                        .filter(|lit| attr::python_name(lit, &mut cx).is_some())
                }
                _ => attr::unknown(&opt, "a method", METHOD_OPTIONS, &mut cx),
            }
        }
        f.attrs.retain(|a| !a.path().is_ident("pycall"));
        if skip {
            rust_only.items.push(item);
            continue;
        }
        if let Some(name) = rename {
            f.attrs.push(syn::parse_quote!(#[pyo3(name = #name)]));
        }
        kept.push(item);
    }
    exposed.items = kept;
    cx.check()?;
    let rust_only = (!rust_only.items.is_empty()).then_some(rust_only);
    Ok(quote! {
        #[::pycall::pyo3::pymethods(crate = "::pycall::pyo3")]
        #exposed
        #rust_only
    })
}
