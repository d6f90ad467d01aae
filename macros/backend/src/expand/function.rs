//! Expansion, functions: lambdas, `def`, and the scopes that run as loops (comprehensions)
//! or later (generator expressions), with what their closures capture.

use super::{Expander, Frame};
use crate::ast::*;
use crate::resolve::Storage;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Which display a comprehension fills.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CompKind {
    List,
    Set,
    Dict,
}

impl Expander<'_> {
    /// `lambda x, *args, k=1, **kw: body`
    pub(super) fn expand_lambda(&self, l: &Lambda) -> TokenStream {
        self.expand_function_object("<lambda>", &l.args, l.scope, || {
            let body = self.expand_expr(&l.body);
            quote! {
                let __value = #body;
                ::core::result::Result::Ok(__value)
            }
        })
    }

    /// `def name(params) { body }`: the function object, stored under its name. Its body is a
    /// world of its own: no loop, `try` or `except` of the block around it is in reach.
    pub(super) fn expand_function_def(
        &self,
        name: &Name,
        args: &Arguments,
        body: &[Stmt],
        scope: ScopeId,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let function = self.expand_function_object(&name.id, args, scope, || {
            let statements = self.in_frame(Frame::default(), || self.expand_block(body));
            quote! {
                #statements
                #[allow(unreachable_code)]
                return ::core::result::Result::Ok(#p::none(#py));
            }
        });
        let value = self.temp("function");
        let store = self.expand_store_name(name, &value, true);
        quote! {
            let #value = #function;
            #store
        }
    }

    /// A `pycall.function` (a lambda or a `def`): `body` makes the code that runs it, ending
    /// in a `return` of its value, expanded inside the function's scope.
    fn expand_function_object(
        &self,
        name: &str,
        args: &Arguments,
        scope_id: ScopeId,
        body: impl FnOnce() -> TokenStream,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let positional: Vec<&Arg> = args.posonlyargs.iter().chain(&args.args).collect();
        let positional_names: Vec<&str> = positional.iter().map(|a| a.arg.as_str()).collect();
        let kwonly_names: Vec<&str> = args.kwonlyargs.iter().map(|a| a.arg.as_str()).collect();
        let posonly = args.posonlyargs.len();
        let varargs = args.vararg.is_some();
        let varkw = args.kwarg.is_some();
        let defaults = args.defaults.iter().map(|d| {
            let d = self.expand_expr(d);
            quote!(#d.unbind())
        });
        let kw_defaults = args.kw_defaults.iter().map(|d| match d {
            Some(d) => {
                let d = self.expand_expr(d);
                quote!(::core::option::Option::Some(#d.unbind()))
            }
            None => quote!(::core::option::Option::None),
        });
        let captures = self.temp("captures");
        let (capture_values, inside) = self.expand_captures(scope_id, false, &captures);
        // Parameters in the order bind_arguments produces them.
        let params: Vec<&Arg> = args.params().collect();
        let n = params.len();
        let temps: Vec<Ident> = params.iter().map(|_| self.temp("param")).collect();
        let scope = self.res.scope(scope_id);
        let bind_params = params.iter().zip(&temps).map(|(arg, t)| {
            let id = scope
                .locals
                .iter()
                .copied()
                .find(|id| self.res.local(*id).name == arg.arg);
            let Some(id) = id else {
                return TokenStream::new();
            };
            let ident = self.local_ident(id);
            match self.res.local(id).storage {
                Storage::Cell => quote! { let #ident = #p::cell_with(&#t)?; },
                Storage::Param | Storage::Optional => {
                    quote! { #[allow(unused_mut)] let mut #ident = #t; }
                }
            }
        });
        let bind_params: Vec<TokenStream> = bind_params.collect();
        let (declarations, body) = self.in_deferred(|| {
            // The function's own variables (its parameters are bound above).
            let declarations = self.declare_locals(scope_id);
            (declarations, body())
        });
        quote! {{
            static __SPEC: #p::LambdaSpec = #p::LambdaSpec {
                name: #name,
                positional: &[#(#positional_names),*],
                posonly: #posonly,
                varargs: #varargs,
                kwonly: &[#(#kwonly_names),*],
                varkw: #varkw,
            };
            let __defaults: ::std::vec::Vec<#p::pyo3::Py<#p::pyo3::PyAny>> = ::std::vec![#(#defaults),*];
            let __kw_defaults: ::std::vec::Vec<::core::option::Option<#p::pyo3::Py<#p::pyo3::PyAny>>> = ::std::vec![#(#kw_defaults),*];
            #p::lambda::<#n, _>(#py, &__SPEC, __defaults, __kw_defaults, #capture_values, |#py, #captures, __params| {
                #[allow(unused_imports)]
                use #p::{PyAnyMethods as _, ToPyArg as _};
                let [#(#temps),*] = __params;
                #(#bind_params)*
                #inside
                #declarations
                #body
            })?
        }}
    }

    /// What a deferred scope (lambda, generator) captures, as a list the Python object keeps
    /// (so the garbage collector sees it): the values to put in it, made before the object,
    /// and the statements that take them out again inside the closure (`captures` names the
    /// closure's `&[Py<PyAny>]` parameter).
    fn expand_captures(
        &self,
        scope: ScopeId,
        own_cells: bool,
        captures: &Ident,
    ) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let py = &self.py;
        let info = self.res.scope(scope);
        let mut values = Vec::new();
        let mut inside = TokenStream::new();
        let own: Vec<LocalId> = if own_cells {
            info.locals.clone()
        } else {
            Vec::new()
        };
        for id in info.captured_cells.iter().chain(&own) {
            let ident = self.local_ident(*id);
            let index = values.len();
            values.push(quote!(#ident.clone().unbind()));
            inside.extend(quote! { let #ident = #p::capture(#py, #captures, #index)?.clone(); });
        }
        let outermost = self.deferred_depth.get() == 0;
        for k in &info.captured_rust {
            let ident = self.capture_ident(*k);
            let index = values.len();
            if outermost {
                let tokens = self.rust_values.get(k).cloned().unwrap_or_default();
                values.push(quote!((#tokens).to_py_arg(#py)?.unbind()));
            } else {
                values.push(quote!(#ident.clone_ref(#py)));
            }
            inside.extend(
                quote! { let #ident = #p::capture(#py, #captures, #index)?.clone().unbind(); },
            );
        }
        (quote!(::std::vec![#(#values),*]), inside)
    }

    /// Runs `f` as code inside one more closure.
    fn in_deferred<T>(&self, f: impl FnOnce() -> T) -> T {
        self.deferred_depth.set(self.deferred_depth.get() + 1);
        let out = f();
        self.deferred_depth.set(self.deferred_depth.get() - 1);
        out
    }

    /// A list, set or dict comprehension, run in place: nested `for` loops filling the
    /// display.
    pub(super) fn expand_comprehension(
        &self,
        scope: ScopeId,
        generators: &[Comprehension],
        kind: CompKind,
        element: &dyn Fn(&Self) -> Vec<TokenStream>,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some((first, _)) = generators.split_first() else {
            return self.internal_error(syn::Error::new(
                Span::call_site(),
                "comprehension without `for`",
            ));
        };
        let first_iter = self.expand_expr(&first.iter);
        let iter0 = self.temp("iter");
        let acc = self.temp("acc");
        let declarations = self.declare_locals(scope);
        let values = element(self);
        let add = match kind {
            CompKind::List => {
                let v = &values[0];
                quote! { #p::pyo3::types::PyListMethods::append(&#acc, #v)?; }
            }
            CompKind::Set => {
                let v = &values[0];
                quote! { #p::pyo3::types::PySetMethods::add(&#acc, #v)?; }
            }
            CompKind::Dict => {
                let (k, v) = (&values[0], &values[1]);
                let (kt, vt) = (self.temp("k"), self.temp("v"));
                quote! { let #kt = #k; let #vt = #v; #p::pyo3::types::PyDictMethods::set_item(&#acc, #kt, #vt)?; }
            }
        };
        let mut body = add;
        for (i, g) in generators.iter().enumerate().rev() {
            let item = self.temp("item");
            let assign = self.expand_store(&g.target, &item);
            let conds = g.ifs.iter().map(|c| {
                let c = self.expand_expr(c);
                quote! { if !#p::truthy(&#c)? { continue; } }
            });
            let source = if i == 0 {
                quote!(&#iter0)
            } else {
                let it = self.expand_expr(&g.iter);
                quote!(&#it)
            };
            body = quote! {
                for #item in #p::ForIter::new(#source)? {
                    let #item = #item?;
                    #assign
                    #(#conds)*
                    #body
                }
            };
        }
        let init = match kind {
            CompKind::List => quote!(#p::new_list(#py)),
            CompKind::Set => quote!(#p::new_set(#py)?),
            CompKind::Dict => quote!(#p::new_dict(#py)),
        };
        quote! {{
            let #iter0 = #first_iter;
            #declarations
            let #acc = #init;
            #body
            #acc.into_any()
        }}
    }

    /// `(elt for x in xs)`: a Python iterator whose closure runs one clause level per step.
    pub(super) fn expand_generator_exp(&self, c: &Comp) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some((first, _)) = c.generators.split_first() else {
            return self.internal_error(c.range.error("generator expression without `for`"));
        };
        let first_iter = self.expand_expr(&first.iter);
        let first_value = self.temp("first");
        let declarations = self.declare_locals(c.scope);
        let captures = self.temp("captures");
        let (capture_values, inside) = self.expand_captures(c.scope, true, &captures);
        let level = self.temp("level");
        let item = self.temp("item");
        let arms = self.in_deferred(|| {
            let last = c.generators.len() - 1;
            c.generators
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let assign = self.expand_store(&g.target, &item);
                    let conds = g.ifs.iter().map(|cond| {
                        let cond = self.expand_expr(cond);
                        quote! {
                            if !#p::truthy(&#cond)? {
                                return ::core::result::Result::Ok(#p::GenStep::Skip);
                            }
                        }
                    });
                    let outcome = if i == last {
                        let elt = self.expand_expr(&c.elt);
                        quote!(#p::GenStep::Yield(#elt))
                    } else {
                        let next_iter = self.expand_expr(&c.generators[i + 1].iter);
                        quote!(#p::GenStep::Descend(#next_iter))
                    };
                    quote! { #i => { #assign #(#conds)* ::core::result::Result::Ok(#outcome) } }
                })
                .collect::<Vec<_>>()
        });
        quote! {{
            let #first_value = #first_iter;
            #declarations
            #p::generator(#py, &#first_value, #capture_values, |#py, #captures, #level, #item| {
                #[allow(unused_imports)]
                use #p::{PyAnyMethods as _, ToPyArg as _};
                #inside
                match #level {
                    #(#arms)*
                    _ => ::core::result::Result::Err(#p::internal_error()),
                }
            })?
        }}
    }
}
