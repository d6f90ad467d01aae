//! `#[methods]`: an `impl` block's methods exposed to Python through PyO3's `#[pymethods]`, with
//! the crate path preset, `#[pycall(name = "...")]` renames and `#[pycall(skip)]` for methods
//! that stay Rust-only.

use super::attr;
use crate::diag::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{ImplItem, ItemImpl};

const METHOD_OPTIONS: &[&str] = &["name", "skip"];

/// Expands `#[methods]` on `item`; `args` are the attribute's own arguments (none are taken).
/// After an error the `impl` block is still there, through PyO3's `#[pymethods]` where that
/// can take it and as plain Rust otherwise, so that the methods' uses do not fail as well.
pub fn methods(args: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::default();
    if let Some(first) = args.into_iter().next() {
        cx.error(
            first.span(),
            "`#[pycall::methods]` takes no arguments; options go on each method as `#[pycall(...)]`",
        );
    }
    let mut exposed: ItemImpl = match syn::parse2(item) {
        Ok(item) => item,
        Err(e) => return e.to_compile_error(),
    };
    let mut inherent = true;
    if let Some((path, _)) = &exposed.trait_ {
        cx.error(
            path.span(),
            "`#[pycall::methods]` goes on an inherent `impl` block, not a trait impl",
        );
        inherent = false;
    }
    if let Some(param) = exposed.generics.params.first() {
        cx.error(
            param.span(),
            "`#[pycall::methods]` cannot be used on an `impl` with generic or lifetime parameters",
        );
        inherent = false;
    }
    // What `#[pymethods]` cannot take stays as plain Rust, its methods still read for errors.
    let plain = (!inherent).then(|| without_pycall_attributes(exposed.clone()));
    let mut rust_only = exposed.clone();
    rust_only.items.clear();
    rust_only.attrs.retain(|a| !a.path().is_ident("pycall"));
    let mut kept = Vec::new();
    let mut checks = Vec::new();
    for mut item in std::mem::take(&mut exposed.items) {
        let ImplItem::Fn(f) = &mut item else {
            kept.push(item);
            continue;
        };
        let mut skip = false;
        let mut rename = None;
        for opt in attr::options(&f.attrs, &cx) {
            match opt.key.to_string().as_str() {
                "skip" => skip = opt.flag(&cx),
                "name" => {
                    rename = opt
                        .string(&cx)
                        .filter(|lit| attr::python_name(lit, &cx).is_some())
                }
                _ => attr::unknown(&opt, "a method", METHOD_OPTIONS, &cx),
            }
        }
        f.attrs.retain(|a| !a.path().is_ident("pycall"));
        if skip {
            rust_only.items.push(item);
            continue;
        }
        if f.sig.ident == "__getattribute__" {
            cx.error(
                f.sig.ident.span(),
                "`__getattribute__` cannot be defined for a `#[derive(Class)]` struct: `py!` reads its fields directly, without attribute lookup",
            );
            rust_only.items.push(item);
            continue;
        }
        let python = match &rename {
            Some(lit) => Some(lit.value()),
            None => python_name(f),
        };
        if let Some(name) = python {
            checks.push(field_clash_check(&exposed.self_ty, f, &name));
        }
        if let Some(name) = rename {
            f.attrs.push(syn::parse_quote!(#[pyo3(name = #name)]));
        }
        kept.push(item);
    }
    exposed.items = kept;
    let errors = cx.into_compile_errors();
    if let Some(plain) = plain {
        return quote!(#errors #plain);
    }
    let rust_only = (!rust_only.items.is_empty()).then_some(rust_only);
    quote! {
        #errors
        #[::pycall::pyo3::pymethods(crate = "::pycall::pyo3")]
        #exposed
        #rust_only
        #(#checks)*
    }
}

/// The `impl` block as plain Rust: pycall's attributes taken off it and its methods.
fn without_pycall_attributes(mut item: ItemImpl) -> ItemImpl {
    item.attrs.retain(|a| !a.path().is_ident("pycall"));
    for member in &mut item.items {
        if let ImplItem::Fn(f) = member {
            f.attrs.retain(|a| !a.path().is_ident("pycall"));
        }
    }
    item
}

/// The Python name PyO3 gives a method: `#[pyo3(name = "...")]`, the name in `#[getter(x)]` /
/// `#[setter(x)]`, a getter's or setter's name without `get_`/`set_`, else the Rust name;
/// `None` for a constructor.
fn python_name(f: &syn::ImplItemFn) -> Option<String> {
    let mut accessor = false;
    for attr in &f.attrs {
        let path = attr.path();
        if path.is_ident("new") {
            return None;
        }
        if path.is_ident("pyo3")
            && let Some(name) = pyo3_name(attr)
        {
            return Some(name);
        }
        if path.is_ident("getter") || path.is_ident("setter") {
            accessor = true;
            if let Ok(ident) = attr.parse_args::<syn::Ident>() {
                return Some(crate::parse::tokens::ident_text(&ident));
            }
        }
    }
    let name = crate::parse::tokens::ident_text(&f.sig.ident);
    let stripped = name
        .strip_prefix("get_")
        .or_else(|| name.strip_prefix("set_"))
        .filter(|_| accessor);
    Some(stripped.map(str::to_owned).unwrap_or(name))
}

/// The `name = "..."` inside `#[pyo3(...)]`, read token by token (other options, such as
/// `signature = (...)`, are not Rust expressions).
fn pyo3_name(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let trees: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
    trees.windows(3).find_map(|w| match w {
        [
            proc_macro2::TokenTree::Ident(key),
            proc_macro2::TokenTree::Punct(eq),
            proc_macro2::TokenTree::Literal(lit),
        ] if key == "name" && eq.as_char() == '=' => {
            syn::parse_str::<syn::LitStr>(&lit.to_string())
                .ok()
                .map(|l| l.value())
        }
        _ => None,
    })
}

/// A compile-time check that a method's Python name is not also an exposed field's: `py!`
/// would read the field directly where Python's lookup finds the method.
fn field_clash_check(self_ty: &syn::Type, f: &syn::ImplItemFn, name: &str) -> TokenStream {
    let message = format!(
        "`{name}` is both a field and a method of this class in Python; rename one with `#[pycall(name = \"...\")]`"
    );
    let span = f.sig.ident.span();
    quote::quote_spanned! {span=>
        const _: () = {
            if ::pycall::__private::has_field(
                <#self_ty as ::pycall::__private::ClassInfo>::FIELDS,
                #name,
            ) {
                ::core::panic!(#message);
            }
        };
    }
}
