//! Expansion, displays: tuples, lists, sets and dicts, with `*` and `**` unpacking, and
//! f-strings.

use super::Expander;
use crate::ast::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Which display a sequence of elements builds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SeqKind {
    Tuple,
    List,
    Set,
}

impl Expander<'_> {
    /// A tuple, list or set display.
    pub(super) fn expand_sequence(&self, elts: &[Expr], kind: SeqKind) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !has_star {
            // Every element is evaluated before the display is built, as in CPython.
            let values: Vec<TokenStream> = elts.iter().map(|e| self.expand_expr(e)).collect();
            return match kind {
                SeqKind::Tuple => quote!(#p::tuple(#py, ::std::vec![#(#values),*])?),
                SeqKind::List => quote!(#p::list(#py, ::std::vec![#(#values),*])?),
                SeqKind::Set => quote!(#p::set(#py, ::std::vec![#(#values),*])?),
            };
        }
        let acc = self.temp("acc");
        let steps = elts.iter().map(|e| match (e, kind) {
            (Expr::Starred(s), SeqKind::Set) => {
                let v = self.expand_expr(&s.value);
                quote! { #p::set_extend(&#acc, &#v)?; }
            }
            (Expr::Starred(s), _) => {
                let v = self.expand_expr(&s.value);
                quote! { #p::list_extend(&#acc, &#v)?; }
            }
            (other, SeqKind::Set) => {
                let v = self.expand_expr(other);
                quote! { #p::pyo3::types::PySetMethods::add(&#acc, #v)?; }
            }
            (other, _) => {
                let v = self.expand_expr(other);
                quote! { #p::pyo3::types::PyListMethods::append(&#acc, #v)?; }
            }
        });
        let (init, finish) = match kind {
            SeqKind::Set => (quote!(#p::new_set(#py)?), quote!(#acc.into_any())),
            SeqKind::List => (quote!(#p::new_list(#py)?), quote!(#acc.into_any())),
            SeqKind::Tuple => (quote!(#p::new_list(#py)?), quote!(#p::list_to_tuple(#acc))),
        };
        quote! {{ let #acc = #init; #(#steps)* #finish }}
    }

    /// `{k: v, **m}`
    pub(super) fn expand_dict(&self, d: &Dict) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let acc = self.temp("acc");
        // Runs of `key: value` pairs are evaluated whole before they are inserted (CPython's
        // BUILD_MAP); each `**mapping` is merged where it stands.
        let mut steps = Vec::new();
        let mut pending: Vec<(Ident, Ident)> = Vec::new();
        let flush = |pending: &mut Vec<(Ident, Ident)>, steps: &mut Vec<TokenStream>| {
            for (kt, vt) in pending.drain(..) {
                steps.push(quote! { #p::pyo3::types::PyDictMethods::set_item(&#acc, #kt, #vt)?; });
            }
        };
        for (k, v) in d.keys.iter().zip(&d.values) {
            match k {
                Some(k) => {
                    let (kt, vt) = (self.temp("k"), self.temp("v"));
                    let key = self.expand_expr(k);
                    let value = self.expand_expr(v);
                    steps.push(quote! { let #kt = #key; let #vt = #value; });
                    pending.push((kt, vt));
                }
                None => {
                    flush(&mut pending, &mut steps);
                    let value = self.expand_expr(v);
                    steps.push(quote! { #p::dict_update(&#acc, &#value)?; });
                }
            }
        }
        flush(&mut pending, &mut steps);
        quote! {{ let #acc = #p::new_dict(#py)?; #(#steps)* #acc.into_any() }}
    }

    /// An f-string: its pieces formatted and joined.
    pub(super) fn expand_joined_str(&self, parts: &[FPart]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        // Only text (a constant format spec, say): one cached string.
        if parts.iter().all(|part| matches!(part, FPart::Literal(_))) {
            let text: String = parts
                .iter()
                .map(|part| match part {
                    FPart::Literal(text) => text.as_str(),
                    FPart::Field(_) => "",
                })
                .collect();
            return self.expand_constant(&ConstValue::Str(text));
        }
        let pieces: Vec<TokenStream> = parts
            .iter()
            .map(|part| match part {
                FPart::Literal(text) => self.expand_constant(&ConstValue::Str(text.clone())),
                FPart::Field(f) => {
                    let value = self.expand_operand(&f.value, f.value.contains_walrus());
                    let conversion = f.conversion.map_or(0u8, |c| c as u8);
                    let spec = match &f.format_spec {
                        Some(spec) => {
                            let spec = self.expand_joined_str(spec);
                            quote!(#p::Some(#spec))
                        }
                        None => quote!(#p::None),
                    };
                    quote!(#p::format_value(#value, #conversion, #spec)?)
                }
            })
            .collect();
        // A single field is already the string (`format` always returns one).
        if let [single] = pieces.as_slice() {
            return single.clone();
        }
        quote!(#p::join_str(#py, [#(#pieces),*])?)
    }
}
