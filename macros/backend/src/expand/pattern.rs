//! Expansion, `match`: the subject evaluated once, then each `case` in turn: its pattern as a
//! labelled block of tests that leaves with `false` at the first that fails (the steps of
//! CPython's compiler: `MATCH_SEQUENCE` and a length check, unpacking or indexing;
//! `MATCH_MAPPING`, `MATCH_KEYS` and `**rest`; `MATCH_CLASS`; `==` for values and `is` for
//! singletons; alternatives in order), the captured names bound only when the whole pattern
//! matched, then the guard, then the body.

use super::Expander;
use crate::ast::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Where each captured name of one `case` is kept until the whole pattern has matched.
struct Slots<'a> {
    names: Vec<&'a Name>,
    idents: Vec<Ident>,
}

impl Slots<'_> {
    fn slot(&self, name: &Name) -> Option<&Ident> {
        let i = self.names.iter().position(|n| n.id == name.id)?;
        self.idents.get(i)
    }
}

impl Expander<'_> {
    pub(super) fn expand_match(&self, subject: &Expr, cases: &[MatchCase]) -> TokenStream {
        let subject_value = self.expand_expr(subject);
        let subject = self.temp("subject");
        let done = self.label("match");
        let cases = cases
            .iter()
            .map(|case| self.expand_case(case, &subject, &done));
        quote! {{
            let #subject = #subject_value;
            #done: {
                #(#cases)*
            }
        }}
    }

    fn expand_case(&self, case: &MatchCase, subject: &Ident, done: &syn::Lifetime) -> TokenStream {
        let p = &self.p;
        let mut names: Vec<&Name> = Vec::new();
        crate::ast::visit::pattern_names(&case.pattern, &mut |name| {
            // The alternatives of `|` capture the same names: one slot each.
            if !names.iter().any(|n| n.id == name.id) {
                names.push(name);
            }
        });
        let idents: Vec<Ident> = names.iter().map(|_| self.temp("capture")).collect();
        let slots = Slots { names, idents };
        let fail = self.label("case");
        let pattern = self.expand_pattern(&case.pattern, subject, &fail, &slots);
        let declare = slots.idents.iter().map(|slot| {
            quote! {
                #[allow(unused_mut, unused_assignments)]
                let mut #slot: ::core::option::Option<#p::pyo3::Bound<'_, #p::pyo3::PyAny>> =
                    #p::None;
            }
        });
        let stores = slots.names.iter().zip(&slots.idents).map(|(name, slot)| {
            let value = self.temp("captured");
            let store = self.expand_store_name(name, &value, true);
            quote! {
                let #value = #p::captured(#slot)?;
                #store
            }
        });
        let guard = match &case.guard {
            Some(guard) => {
                let test = self.expand_operand(guard, false);
                quote!(#p::truthy(#test)?)
            }
            None => quote!(true),
        };
        let body = self.expand_block(&case.body);
        let matched = self.temp("matched");
        quote! {{
            #(#declare)*
            let #matched: bool = #fail: {
                #pattern
                true
            };
            if #matched {
                #(#stores)*
                if #guard {
                    #body
                    #[allow(unreachable_code)]
                    break #done;
                }
            }
        }}
    }

    /// The tests of `pattern` against `subject`, leaving `fail` with `false` when one fails.
    fn expand_pattern(
        &self,
        pattern: &Pattern,
        subject: &Ident,
        fail: &syn::Lifetime,
        slots: &Slots<'_>,
    ) -> TokenStream {
        crate::deep(|| self.expand_pattern_level(pattern, subject, fail, slots))
    }

    fn expand_pattern_level(
        &self,
        pattern: &Pattern,
        subject: &Ident,
        fail: &syn::Lifetime,
        slots: &Slots<'_>,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let no = quote!(break #fail false;);
        match pattern {
            Pattern::MatchValue { value, .. } => {
                let value = self.expand_operand(value, false);
                quote! { if !#p::match_value(&#subject, #value)? { #no } }
            }
            Pattern::MatchSingleton { value, .. } => {
                let value = self.expand_constant(value);
                quote! {
                    if #subject.as_ptr() != (#value).as_ptr() { #no }
                }
            }
            Pattern::MatchAs { pattern, name, .. } => {
                let inner = pattern
                    .as_ref()
                    .map(|inner| self.expand_pattern(inner, subject, fail, slots));
                let capture = name.as_ref().map(|name| self.capture(name, subject, slots));
                quote! { #inner #capture }
            }
            Pattern::MatchStar { name, .. } => {
                // Reached with the list the star collects (only inside a sequence).
                let capture = name.as_ref().map(|name| self.capture(name, subject, slots));
                quote! { #capture }
            }
            Pattern::MatchSequence { patterns, .. } => {
                self.expand_sequence_pattern(patterns, subject, fail, slots)
            }
            Pattern::MatchMapping {
                keys,
                patterns,
                rest,
                ..
            } => {
                let size = keys.len();
                let length = (size > 0).then(|| {
                    quote! { if #p::match_len(&#subject)? < #size { #no } }
                });
                let key_idents: Vec<Ident> = keys.iter().map(|_| self.temp("key")).collect();
                let key_values = keys.iter().zip(&key_idents).map(|(key, ident)| {
                    let key = self.expand_expr(key);
                    quote! { let #ident = #key; }
                });
                let value_idents: Vec<Ident> = keys.iter().map(|_| self.temp("value")).collect();
                let values = (size > 0).then(|| {
                    quote! {
                        let #p::Some([#(#value_idents),*]) =
                            #p::match_keys(&#subject, [#(&#key_idents),*])?
                        else { #no };
                    }
                });
                let subpatterns = patterns
                    .iter()
                    .zip(&value_idents)
                    .map(|(pattern, value)| self.expand_pattern(pattern, value, fail, slots));
                let rest = rest.as_ref().map(|rest| {
                    let all = self.temp("rest");
                    let capture = self.capture(rest, &all, slots);
                    quote! {
                        let #all = #p::mapping_rest(&#subject, &[#(&#key_idents),*])?;
                        #capture
                    }
                });
                quote! {
                    if !#p::match_mapping(&#subject)? { #no }
                    #length
                    #(#key_values)*
                    #values
                    #(#subpatterns)*
                    #rest
                }
            }
            Pattern::MatchClass {
                cls,
                patterns,
                kwd_attrs,
                kwd_patterns,
                ..
            } => {
                let class = self.expand_operand(cls, false);
                let positional = patterns.len();
                let names = kwd_attrs
                    .iter()
                    .map(|(name, _)| quote!(::pycall::__private::intern!(#py, #name)));
                let all: Vec<&Pattern> = patterns.iter().chain(kwd_patterns).collect();
                let value_idents: Vec<Ident> = all.iter().map(|_| self.temp("attr")).collect();
                let n = all.len();
                let subpatterns = all
                    .iter()
                    .zip(&value_idents)
                    .map(|(pattern, value)| self.expand_pattern(pattern, value, fail, slots));
                quote! {
                    let #p::Some(__values) =
                        #p::match_class(&#subject, #class, #positional, [#(#names),*])?
                    else { #no };
                    let [#(#value_idents),*] = #p::parts::<#n>(__values)?;
                    #(#subpatterns)*
                }
            }
            Pattern::MatchOr { patterns, .. } => {
                let any = self.label("or");
                let alternatives = patterns.iter().map(|alternative| {
                    let this = self.label("alternative");
                    let code = self.expand_pattern(alternative, subject, &this, slots);
                    let ok = self.temp("ok");
                    quote! {
                        let #ok: bool = #this: { #code true };
                        if #ok { break #any true; }
                    }
                });
                let matched = self.temp("matched");
                quote! {
                    let #matched: bool = #any: { #(#alternatives)* false };
                    if !#matched { #no }
                }
            }
        }
    }

    /// `[p, q, *rest, r]`: a sequence of the right length, then its items matched in order;
    /// taken apart by iteration unless the star is `*_` (then by index, as CPython does, so
    /// that the items the star skips are never read).
    fn expand_sequence_pattern(
        &self,
        patterns: &[Pattern],
        subject: &Ident,
        fail: &syn::Lifetime,
        slots: &Slots<'_>,
    ) -> TokenStream {
        let p = &self.p;
        let no = quote!(break #fail false;);
        let size = patterns.len();
        let star = patterns
            .iter()
            .position(|p| matches!(p, Pattern::MatchStar { .. }));
        let length = match star {
            Some(_) => {
                let at_least = size - 1;
                quote! { if #p::match_len(&#subject)? < #at_least { #no } }
            }
            None => quote! { if #p::match_len(&#subject)? != #size { #no } },
        };
        let is_wildcard = |p: &Pattern| {
            matches!(
                p,
                Pattern::MatchAs {
                    pattern: None,
                    name: None,
                    ..
                } | Pattern::MatchStar { name: None, .. }
            )
        };
        let items = if patterns.iter().all(is_wildcard) {
            TokenStream::new()
        } else if let Some(star) = star.filter(|&i| is_wildcard(&patterns[i])) {
            patterns
                .iter()
                .enumerate()
                .filter(|(_, pattern)| !is_wildcard(pattern))
                .map(|(i, pattern)| {
                    let item = self.temp("item");
                    let read = if i < star {
                        quote!(#p::match_item(&#subject, #i, false)?)
                    } else {
                        let from_end = size - i;
                        quote!(#p::match_item(&#subject, #from_end, true)?)
                    };
                    let code = self.expand_pattern(pattern, &item, fail, slots);
                    quote! { let #item = #read; #code }
                })
                .collect()
        } else {
            let parts: Vec<Ident> = patterns.iter().map(|_| self.temp("item")).collect();
            let (before, after) = match star {
                Some(i) => {
                    let after = size - i - 1;
                    (i, quote!(#p::Some(#after)))
                }
                None => (size, quote!(#p::None)),
            };
            let codes = patterns
                .iter()
                .zip(&parts)
                .map(|(pattern, part)| self.expand_pattern(pattern, part, fail, slots));
            quote! {
                let [#(#parts),*] = #p::match_unpack::<#size>(&#subject, #before, #after)?;
                #(#codes)*
            }
        };
        quote! {
            if !#p::match_sequence(&#subject)? { #no }
            #length
            #items
        }
    }

    /// Keeps `value` for the captured `name` until the pattern has matched.
    fn capture(&self, name: &Name, value: &Ident, slots: &Slots<'_>) -> TokenStream {
        let p = &self.p;
        match slots.slot(name) {
            Some(slot) => quote! {
                #slot = #p::Some(::core::clone::Clone::clone(&#value));
            },
            None => self.internal_error(syn::Error::new(
                name.span,
                "internal error: a captured name without a slot",
            )),
        }
    }
}
