//! Expansion, calls: positional and keyword arguments, `*` and `**` unpacking, method calls.

use super::Expander;
use crate::ast::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

impl Expander<'_> {
    /// `super()` in a method: `super(__class__, first)` from the class cell and the method's
    /// first parameter.
    fn expand_zero_arg_super(&self, args: &SuperArgs) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Binding::Local(cell) = args.class_cell.binding else {
            return self.internal_error(syn::Error::new(
                args.class_cell.span,
                "internal error: `super()` without its class cell",
            ));
        };
        let cell = self.local_ident(cell);
        let first = match &args.first {
            Some(first) => {
                let first = self.expand_name(first);
                quote!(#p::Some(&#first))
            }
            None => quote!(#p::None),
        };
        quote!(#p::super_zero(#py, &#cell, #first)?)
    }

    /// `f(a, *args, k=v, **kwargs)`: with neither `*` nor `**`, the arguments go in one
    /// vectorcall (a method call when the callee is an attribute that nothing evaluated in
    /// between can change); otherwise they are gathered one by one, in CPython's order.
    pub(super) fn expand_call(&self, c: &Call) -> TokenStream {
        self.expand_call_through(c, quote!(call))
    }

    /// The call of `await f(…)`, as [`Self::expand_call`] makes it but through the run-time
    /// support's `call_awaited` (which gives an `Awaited`): `None` for the shapes that call
    /// through another path (a method, `len`, `sorted`, unpacking, `super()`), whose result is
    /// awaited as any object is.
    pub(super) fn expand_awaited_call(&self, c: &Call) -> Option<TokenStream> {
        let special = match &*c.func {
            Expr::Attribute(_) => true,
            Expr::Name(n) => n.binding == Binding::Builtin && (n.id == "len" || n.id == "sorted"),
            _ => false,
        };
        (c.zero_arg_super.is_none() && !unpacks(c) && !special)
            .then(|| self.expand_call_through(c, quote!(call_awaited)))
    }

    /// A call; `plain`: the run-time support's function for a call of the plain shape (no
    /// unpacking, not a method, `len` or `sorted`).
    fn expand_call_through(&self, c: &Call, plain: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if let Some(super_args) = &c.zero_arg_super {
            return self.expand_zero_arg_super(super_args);
        }
        let unpacks = unpacks(c);
        let names: Vec<String> = c
            .keywords
            .iter()
            .filter_map(|k| k.arg.as_ref().map(|(n, _)| n.clone()))
            .collect();
        if !unpacks {
            let values: Vec<&Expr> = c
                .args
                .iter()
                .chain(c.keywords.iter().map(|k| &k.value))
                .collect();
            let temps: Vec<Ident> = values.iter().map(|_| self.temp("a")).collect();
            let rebinds = c.func.contains_walrus() || values.iter().any(|v| v.contains_walrus());
            let evals = values.iter().zip(&temps).map(|(e, t)| {
                let e = self.expand_operand(e, rebinds);
                quote! { let #t = #e; }
            });
            let kwnames = self.expand_kwnames(&names);
            if let Expr::Attribute(attr) = &*c.func
                && values.iter().all(|v| is_plain(v))
            {
                let obj = self.temp("o");
                let value = self.expand_operand(&attr.value, rebinds);
                let site = self.attr_site(&attr.attr);
                return quote! {{
                    let #obj = #value;
                    #(#evals)*
                    #p::call_method(#py, #site, [#obj, #(#temps),*], #kwnames)?
                }};
            }
            let f = self.temp("f");
            let func = self.expand_operand(&c.func, rebinds);
            // `len(x)`: the builtin's work without the call, once it is the builtins' own.
            if let Expr::Name(n) = &*c.func
                && n.binding == Binding::Builtin
                && n.id == "len"
                && values.len() == 1
                && names.is_empty()
            {
                return quote! {{
                    let #f = #func;
                    #(#evals)*
                    #p::call_len(#py, [#f, #(#temps),*])?
                }};
            }
            // `sorted(x, key=…, reverse=…)`: a list made for the call is sorted in place.
            let call = if let Expr::Name(n) = &*c.func
                && n.binding == Binding::Builtin
                && n.id == "sorted"
                && c.args.len() == 1
                && is_new_object(&c.args[0])
            {
                quote!(call_sorted)
            } else {
                plain
            };
            return quote! {{
                let #f = #func;
                #(#evals)*
                #p::#call(#py, [#f, #(#temps),*], #kwnames)?
            }};
        }
        let f = self.temp("f");
        let args = self.temp("args");
        let func = self.expand_expr(&c.func);
        // CPython evaluates every positional argument (starred or not) before the keywords.
        let positional = c.args.iter().map(|a| match a {
            Expr::Starred(s) => {
                let v = self.expand_expr(&s.value);
                quote! { #args.extend(&#f, &#v)?; }
            }
            other => {
                let v = self.expand_expr(other);
                quote! { #args.push(#v); }
            }
        });
        let keywords = c.keywords.iter().map(|k| match &k.arg {
            Some((name, _)) => {
                let v = self.expand_expr(&k.value);
                quote! { #args.keyword(&#f, ::pycall::__private::intern!(#py, #name), #v)?; }
            }
            None => {
                let v = self.expand_expr(&k.value);
                quote! { #args.unpack(&#f, &#v)?; }
            }
        });
        quote! {{
            let #f = #func;
            let mut #args = #p::CallArgs::new(#py);
            #(#positional)*
            #(#keywords)*
            #args.call(&#f)?
        }}
    }

    /// The keyword names of a call, as a tuple made once per call site.
    fn expand_kwnames(&self, names: &[String]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if names.is_empty() {
            return quote!(#p::None);
        }
        quote! {{
            static __KW: #p::KwSite = #p::KwSite::new(&[#(#names),*]);
            #p::Some(__KW.get(#py)?)
        }}
    }
}

/// Whether a call unpacks arguments (`*args` or `**kwargs`).
fn unpacks(c: &Call) -> bool {
    c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
        || c.keywords.iter().any(|k| k.arg.is_none())
}

/// Whether evaluating `expr` can neither fail nor have an effect (so it may move past an
/// attribute lookup).
fn is_plain(expr: &Expr) -> bool {
    match expr {
        Expr::Constant(_) => true,
        // `$name` is a conversion; `$(…)` may run any Rust code.
        Expr::Rust(r) => r.name.is_some(),
        // Making a lambda evaluates its defaults.
        Expr::Lambda(l) => {
            l.args.defaults.is_empty() && l.args.kw_defaults.iter().all(Option::is_none)
        }
        Expr::Name(n) => matches!(n.binding, Binding::Rust | Binding::Builtin),
        _ => false,
    }
}

/// Whether `expr` evaluates to a new reference the call site owns (a Rust value converted, a
/// list display or comprehension, a call's result), not one borrowed from a variable or a
/// constant: only then does a reference count of one mean that nothing else holds the object.
fn is_new_object(expr: &Expr) -> bool {
    match expr {
        Expr::Rust(_) | Expr::List(_) | Expr::ListComp(_) | Expr::Call(_) => true,
        Expr::Name(n) => n.binding == Binding::Rust,
        _ => false,
    }
}
