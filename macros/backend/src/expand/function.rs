//! Expansion, functions: lambdas, `def`, and the scopes that run as loops (comprehensions)
//! or later (generator expressions), with what their closures capture.

use super::{Body, Expander, Frame};
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
        let p = &self.p;
        let qualname = format!("{}<lambda>", self.qualname.borrow());
        self.expand_function_object("<lambda>", &qualname, &l.args, l.scope, || {
            let body = if self.res.scope(l.scope).resumable {
                let frame = Frame {
                    body: Body::Function,
                    resumable: true,
                    ..Frame::default()
                };
                self.in_frame(frame, || self.expand_expr(&l.body))
            } else {
                self.expand_expr(&l.body)
            };
            quote! {
                let __value = #body;
                #p::returned(__value)
            }
        })
    }

    /// `yield value`: suspends the generator's body with the value; its value is what the
    /// body is resumed with.
    pub(super) fn expand_yield(&self, y: &Yield) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if !self.frame.borrow().resumable {
            return self
                .internal_error(y.range.error("internal error: `yield` outside a generator"));
        }
        let co = self.co();
        let value = match &y.value {
            Some(value) => self.expand_expr(value),
            None => quote!(#p::none(#py)),
        };
        if self.frame.borrow().async_generator {
            quote!(#p::suspend_yield(#co, #value).await?)
        } else {
            quote!(#p::suspend(#co, #value).await?)
        }
    }

    /// `await awaitable`: suspends the coroutine until the awaitable is done; its value is the
    /// awaitable's result.
    pub(super) fn expand_await(&self, a: &Starred) -> TokenStream {
        let p = &self.p;
        if !self.frame.borrow().resumable {
            return self
                .internal_error(a.range.error("internal error: `await` outside a coroutine"));
        }
        let co = self.co();
        if let Expr::Call(c) = &*a.value
            && let Some(call) = self.expand_awaited_call(c)
        {
            return quote!(#p::await_call(#co, #call).await?);
        }
        let value = self.expand_expr(&a.value);
        quote!(#p::await_(#co, #value).await?)
    }

    /// `yield from iterable`: delegates to its iterator; its value is the iterator's return
    /// value.
    pub(super) fn expand_yield_from(&self, y: &Starred) -> TokenStream {
        let p = &self.p;
        if !self.frame.borrow().resumable {
            return self
                .internal_error(y.range.error("internal error: `yield` outside a generator"));
        }
        let co = self.co();
        let value = self.expand_expr(&y.value);
        quote!(#p::yield_from(#co, #value).await?)
    }

    /// `@decorators def name(params) -> returns { body }`: the decorators, the function object
    /// (with its defaults, annotations and docstring), the decorators applied from the
    /// innermost out, the result stored under its name. Its body is a world of its own: no
    /// loop, `try` or `except` of the block around it is in reach.
    pub(super) fn expand_function_def(
        &self,
        name: &Name,
        args: &Arguments,
        body: &[Stmt],
        decorator_list: &[Expr],
        returns: Option<&Expr>,
        scope: ScopeId,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let (decorators, apply) = self.expand_decorators(decorator_list);
        let text = name.ident_text();
        let qualname = self.qualname_of(name, &text);
        let function = self.expand_function_object(&text, &qualname, args, scope, || {
            let info = self.res.scope(scope);
            let frame = Frame {
                body: Body::Function,
                resumable: info.resumable,
                async_generator: info.is_async && info.yields,
                ..Frame::default()
            };
            let statements = self.with_qualname(format!("{qualname}.<locals>."), || {
                self.in_frame(frame, || self.expand_block(body))
            });
            quote! {
                #statements
                #[allow(unreachable_code)]
                return #p::returned(#p::none(#py));
            }
        });
        let value = self.temp("function");
        let annotations = self.expand_annotations(args, returns).map(|dict| {
            quote! { #p::function_annotations(&#value, #dict)?; }
        });
        let doc = docstring(body).map(|doc| {
            let doc = self.expand_docstring(doc);
            quote! { #p::function_doc(&#value, #doc)?; }
        });
        let decorated = apply(&value);
        let store = self.expand_store_name(name, &value, true);
        quote! {
            #decorators
            let #value = #function;
            #annotations
            #doc
            #decorated
            #store
        }
    }

    /// A function's or class's `__qualname__`: `text` after the prefix of where it is defined,
    /// or alone when `global` makes it a variable of the macro's block.
    fn qualname_of(&self, name: &Name, text: &str) -> String {
        let global = match name.binding {
            Binding::Local(id) | Binding::LocalOrOuter(id, _) => {
                self.res.local(id).scope == ScopeId(0)
            }
            _ => false,
        };
        if global {
            text.to_owned()
        } else {
            format!("{}{text}", self.qualname.borrow())
        }
    }

    /// The decorators, evaluated in order into temporaries, and the code that applies them to
    /// a value, innermost (last written) first, leaving the result in the same variable.
    fn expand_decorators(
        &self,
        decorator_list: &[Expr],
    ) -> (TokenStream, impl Fn(&Ident) -> TokenStream + use<>) {
        let p = self.p.clone();
        let temps: Vec<Ident> = decorator_list
            .iter()
            .map(|_| self.temp("decorator"))
            .collect();
        let evaluate = decorator_list.iter().zip(&temps).map(|(d, t)| {
            let d = self.expand_expr(d);
            quote! { let #t = #d; }
        });
        let evaluate = quote! { #(#evaluate)* };
        let apply = move |value: &Ident| {
            let calls = temps.iter().rev().map(|t| {
                quote! { let #value = #p::PyAnyMethods::call1(&#t, (#value,))?; }
            });
            quote! { #(#calls)* }
        };
        (evaluate, apply)
    }

    /// A `def`'s `__annotations__`: a dict of its parameters' annotations and `return`, in
    /// CPython's order; `None` without annotations.
    fn expand_annotations(&self, args: &Arguments, returns: Option<&Expr>) -> Option<TokenStream> {
        let p = &self.p;
        let py = &self.py;
        let mut entries: Vec<(String, &Expr)> = args
            .params()
            .filter_map(|a| a.annotation.as_deref().map(|ann| (a.arg.clone(), ann)))
            .collect();
        if let Some(returns) = returns {
            entries.push(("return".to_owned(), returns));
        }
        if entries.is_empty() {
            return None;
        }
        let dict = self.temp("annotations");
        let sets = entries.iter().map(|(key, value)| {
            let value = self.expand_expr(value);
            quote! {
                #p::pyo3::types::PyDictMethods::set_item(&#dict, ::pycall::__private::intern!(#py, #key), #value)?;
            }
        });
        Some(quote! {{
            let #dict = #p::new_dict(#py)?;
            #(#sets)*
            #dict
        }})
    }

    /// `@decorators class name(bases, keywords) { body }`: the decorators, the bases and
    /// keywords, the class namespace from the metaclass, the body run in it, the class made,
    /// the decorators applied, the result stored under its name.
    pub(super) fn expand_class_def(
        &self,
        name: &Name,
        bases: &[Expr],
        keywords: &[Keyword],
        body: &[Stmt],
        decorator_list: &[Expr],
        scope: ScopeId,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let (decorators, apply) = self.expand_decorators(decorator_list);
        let text = name.ident_text();
        let qualname = self.qualname_of(name, &text);
        let bases_value = self.expand_class_bases(bases);
        let keywords_value = self.expand_class_keywords(keywords);
        let (builder, ns, class) = (self.temp("builder"), self.temp("ns"), self.temp("class"));
        self.namespaces.borrow_mut().insert(scope, ns.clone());
        let declarations = self.declare_locals(scope);
        let class_cell = self
            .res
            .scope(scope)
            .locals
            .iter()
            .find(|id| self.res.local(**id).name == "__class__")
            .map(|id| self.local_ident(*id));
        let class_cell = match class_cell {
            Some(cell) => quote!(#p::Some(&#cell)),
            None => quote!(#p::None),
        };
        let doc = docstring(body).map(|doc| {
            let doc = self.expand_docstring(doc);
            quote! { #p::ns_store(&#ns, ::pycall::__private::intern!(#py, "__doc__"), #doc)?; }
        });
        let annotations = has_annotations(body).then(|| {
            quote! {
                if #p::ns_load(&#ns, ::pycall::__private::intern!(#py, "__annotations__"))?.is_none() {
                    #p::ns_store(&#ns, ::pycall::__private::intern!(#py, "__annotations__"), #p::new_dict(#py)?.into_any())?;
                }
            }
        });
        let frame = Frame {
            body: Body::Class(scope),
            exceptions: self.frame.borrow().exceptions.clone(),
            ..Frame::default()
        };
        let statements = self.with_qualname(format!("{qualname}."), || {
            self.in_frame(frame, || self.expand_block(body))
        });
        let decorated = apply(&class);
        let store = self.expand_store_name(name, &class, true);
        quote! {
            #decorators
            let #class = {
                let #builder = #p::class_begin(#py, #text, #qualname, #bases_value, #keywords_value)?;
                let #ns = ::core::clone::Clone::clone(#builder.namespace());
                #declarations
                #doc
                #annotations
                #statements
                #builder.finish(#class_cell)?
            };
            #decorated
            #store
        }
    }

    /// A class statement's positional arguments, as a `Vec` (`*bases` unpacked).
    fn expand_class_bases(&self, bases: &[Expr]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if !bases.iter().any(|b| matches!(b, Expr::Starred(_))) {
            let values = bases.iter().map(|b| self.expand_expr(b));
            return quote!(::std::vec![#(#values),*]);
        }
        let list = self.temp("bases");
        let steps = bases.iter().map(|b| match b {
            Expr::Starred(s) => {
                let v = self.expand_expr(&s.value);
                quote! { #p::list_extend(&#list, &#v)?; }
            }
            other => {
                let v = self.expand_expr(other);
                quote! { #p::pyo3::types::PyListMethods::append(&#list, #v)?; }
            }
        });
        quote! {{
            let #list = #p::new_list(#py)?;
            #(#steps)*
            #p::pyo3::types::PyListMethods::iter(&#list).collect::<::std::vec::Vec<_>>()
        }}
    }

    /// A class statement's keywords (`metaclass=M`, `**kw`) as a dict, `None` without any.
    fn expand_class_keywords(&self, keywords: &[Keyword]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if keywords.is_empty() {
            return quote!(#p::None);
        }
        let dict = self.temp("keywords");
        let steps = keywords.iter().map(|k| {
            let v = self.expand_expr(&k.value);
            match &k.arg {
                Some((key, _)) => quote! {
                    #p::pyo3::types::PyDictMethods::set_item(&#dict, ::pycall::__private::intern!(#py, #key), #v)?;
                },
                None => quote! { #p::dict_update(&#dict, &#v)?; },
            }
        });
        quote! {{
            let #dict = #p::new_dict(#py)?;
            #(#steps)*
            #p::Some(#dict)
        }}
    }

    /// A `pycall.function` (a lambda or a `def`): `body` makes the code that runs it, ending
    /// in a `return` of its value, expanded inside the function's scope.
    fn expand_function_object(
        &self,
        name: &str,
        qualname: &str,
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
        let option = |arg: &Option<Arg>| match arg {
            Some(a) => {
                let name = &a.arg;
                quote!(#p::Some(#name))
            }
            None => quote!(#p::None),
        };
        let (vararg, varkw) = (option(&args.vararg), option(&args.kwarg));
        let defaults = args.defaults.iter().map(|d| {
            let d = self.expand_expr(d);
            quote!(#d.unbind())
        });
        let kw_defaults = args.kw_defaults.iter().map(|d| match d {
            Some(d) => {
                let d = self.expand_expr(d);
                quote!(#p::Some(#d.unbind()))
            }
            None => quote!(#p::None),
        });
        let captures = self.temp("captures");
        let (capture_values, inside) = self.expand_captures(scope_id, false, &captures);
        let capture_values = quote!(::std::vec![#(#capture_values),*]);
        // `__closure__`: the captured cells, by name (CPython's order of free variables); the
        // cells come first in the captures list, in `captured_cells` order.
        let mut closure: Vec<(String, usize)> = self
            .res
            .scope(scope_id)
            .captured_cells
            .iter()
            .enumerate()
            .map(|(index, id)| (self.res.local(*id).name.clone(), index))
            .collect();
        closure.sort();
        let closure = closure.iter().map(|(name, index)| quote!((#name, #index)));
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
                // Put in the frame's slot when the frame is made.
                Storage::Slot => quote! { let #ident = #t; },
                Storage::Param | Storage::Optional => {
                    quote! { #[allow(unused_mut)] let mut #ident = #t; }
                }
            }
        });
        let bind_params: Vec<TokenStream> = bind_params.collect();
        let outer_function = self.function_scope.replace(Some(scope_id));
        let (declarations, body) = self.in_deferred(|| {
            // The function's own variables (its parameters are bound above).
            let declarations = self.declare_locals(scope_id);
            (declarations, body())
        });
        self.function_scope.set(outer_function);
        let body = if scope.resumable {
            self.expand_resumable_body(scope_id, body)
        } else {
            body
        };
        quote! {{
            static __SPEC: #p::LambdaSpec = #p::LambdaSpec {
                name: #name,
                qualname: #qualname,
                positional: &[#(#positional_names),*],
                posonly: #posonly,
                vararg: #vararg,
                kwonly: &[#(#kwonly_names),*],
                varkw: #varkw,
                closure: &[#(#closure),*],
            };
            let __defaults: ::std::vec::Vec<#p::pyo3::Py<#p::pyo3::PyAny>> = ::std::vec![#(#defaults),*];
            let __kw_defaults: ::std::vec::Vec<::core::option::Option<#p::pyo3::Py<#p::pyo3::PyAny>>> = ::std::vec![#(#kw_defaults),*];
            #p::lambda::<#n, _>(#py, &__SPEC, __defaults, __kw_defaults, #capture_values, |#py, #captures, __params| {
                #[allow(unused_imports)]
                use ::pycall::__private::scope::*;
                let [#(#temps),*] = __params;
                #(#bind_params)*
                #inside
                #declarations
                #body
            })?
        }}
    }

    /// A generator's body: its variables' cells and captured values (bound above, in the
    /// function's closure) move into the generator's frame, which the body, an `async` block,
    /// borrows again by the same names.
    fn expand_resumable_body(&self, scope_id: ScopeId, body: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let co = self.co();
        let info = self.res.scope(scope_id);
        let frame = Ident::new("__pycall_frame", Span::mixed_site());
        let slots_ident = Ident::new("__pycall_slots", Span::mixed_site());
        let mut values = Vec::new();
        let mut rebind = TokenStream::new();
        let (slot_locals, cell_locals): (Vec<LocalId>, Vec<LocalId>) = info
            .locals
            .iter()
            .partition(|id| self.res.local(**id).storage == Storage::Slot);
        // The slots: a parameter's starts with its argument, any other variable unbound.
        let mut slots = Vec::new();
        for (index, id) in slot_locals.iter().enumerate() {
            let ident = self.local_ident(*id);
            slots.push(if self.res.local(*id).is_param {
                quote!(#p::Some(#p::pyo3::Bound::unbind(#ident)))
            } else {
                quote!(#p::None)
            });
            rebind.extend(quote! {
                #[allow(unused_variables)]
                let #ident = &#slots_ident[#index];
            });
        }
        for id in info.captured_cells.iter().chain(&cell_locals) {
            let ident = self.local_ident(*id);
            let index = values.len();
            values.push(quote!(#p::pyo3::Bound::unbind(#ident)));
            rebind.extend(quote! {
                #[allow(unused_variables)]
                let #ident = #p::capture(#py, #frame, #index)?;
            });
        }
        for k in &info.captured_rust {
            let ident = self.capture_ident(*k);
            let index = values.len();
            values.push(quote!(#ident));
            rebind.extend(quote! {
                #[allow(unused_variables)]
                let #ident = &#frame[#index];
            });
        }
        let kind = match (info.is_async, info.yields) {
            (true, true) => quote!(#p::Kind::AsyncGenerator),
            (true, false) => quote!(#p::Kind::Coroutine),
            _ => quote!(#p::Kind::Generator),
        };
        quote! {
            #p::resumable(#py, &__SPEC, #kind, [#(#values),*], [#(#slots),*], move |#co, #frame, #slots_ident| async move {
                #[allow(unused_variables)]
                let #py = #co.py();
                #rebind
                #body
            })
        }
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
    ) -> (Vec<TokenStream>, TokenStream) {
        let p = &self.p;
        let py = &self.py;
        let info = self.res.scope(scope);
        let mut values = Vec::new();
        let mut inside = TokenStream::new();
        let own: Vec<LocalId> = if own_cells {
            info.locals
                .iter()
                .copied()
                .filter(|id| self.res.local(*id).storage == Storage::Cell)
                .collect()
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
                values.push(quote!(#p::Arg(&(#tokens)).to_py_arg(#py)?.unbind()));
            } else {
                values.push(quote!(#ident.clone_ref(#py)));
            }
            inside.extend(
                quote! { let #ident = #p::capture(#py, #captures, #index)?.clone().unbind(); },
            );
        }
        (values, inside)
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
                let c = self.expand_test(c);
                quote! { if !#c { continue; } }
            });
            let source = if i == 0 {
                quote!(&#iter0)
            } else {
                let it = self.expand_expr(&g.iter);
                quote!(&#it)
            };
            body = if g.is_async {
                // `async for` (only in a coroutine's body, which this runs in).
                let co = self.co();
                let iterator = self.temp("aiter");
                quote! {
                    let #iterator = #p::aiter(#source)?;
                    loop {
                        let #item = match #p::anext(#co, &#iterator).await? {
                            #p::Some(#item) => #item,
                            #p::None => break,
                        };
                        #assign
                        #(#conds)*
                        #body
                    }
                }
            } else {
                quote! {
                    for #item in #p::ForIter::new(#source)? {
                        let #item = #item?;
                        #assign
                        #(#conds)*
                        #body
                    }
                }
            };
        }
        let init = match kind {
            CompKind::List => quote!(#p::new_list(#py)?),
            CompKind::Set => quote!(#p::new_set(#py)?),
            CompKind::Dict => quote!(#p::new_dict(#py)?),
        };
        quote! {{
            let #iter0 = #first_iter;
            #declarations
            let #acc = #init;
            #body
            #acc.into_any()
        }}
    }

    /// `(elt for x in xs)`: a generator (an async generator when a clause is `async for` or
    /// the expression awaits), made by the same resumable core as a `def` with `yield`: its
    /// body is the clauses' loops around a `yield` of the element. The first iterable is
    /// evaluated, and `iter()` (or `__aiter__`) taken, where the expression stands.
    pub(super) fn expand_generator_exp(&self, c: &Comp) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some((first, _)) = c.generators.split_first() else {
            return self.internal_error(c.range.error("generator expression without `for`"));
        };
        let is_async = c.generators.iter().any(|g| g.is_async)
            || std::iter::once(&*c.elt)
                .chain(c.generators.iter().flat_map(|g| &g.ifs))
                .chain(c.generators.iter().skip(1).map(|g| &g.iter))
                .any(contains_await);
        let first_iter = self.expand_expr(&first.iter);
        let first_value = self.temp("first");
        let declarations = self.declare_locals(c.scope);
        let captures = self.temp("captures");
        let (capture_values, _) = self.expand_captures(c.scope, true, &captures);
        let co = self.co();
        let frame_ident = Ident::new("__pycall_frame", Span::mixed_site());
        // The frame: the captured cells, the expression's own cells, the captured Rust values
        // (the order `expand_captures` gives), then the first iterator.
        let info = self.res.scope(c.scope);
        let mut rebind = TokenStream::new();
        let slots_ident = Ident::new("__pycall_slots", Span::mixed_site());
        let (slot_locals, cell_locals): (Vec<LocalId>, Vec<LocalId>) = info
            .locals
            .iter()
            .partition(|id| self.res.local(**id).storage == Storage::Slot);
        let slots: Vec<TokenStream> = slot_locals
            .iter()
            .enumerate()
            .map(|(index, id)| {
                let ident = self.local_ident(*id);
                rebind.extend(quote! {
                    #[allow(unused_variables)]
                    let #ident = &#slots_ident[#index];
                });
                quote!(#p::None)
            })
            .collect();
        let mut index = 0usize;
        for id in info.captured_cells.iter().chain(&cell_locals) {
            let ident = self.local_ident(*id);
            rebind.extend(quote! {
                #[allow(unused_variables)]
                let #ident = #p::capture(#py, #frame_ident, #index)?;
            });
            index += 1;
        }
        for k in &info.captured_rust {
            let ident = self.capture_ident(*k);
            rebind.extend(quote! {
                #[allow(unused_variables)]
                let #ident = &#frame_ident[#index];
            });
            index += 1;
        }
        let iter0 = self.temp("iter");
        rebind.extend(quote! { let #iter0 = #p::capture(#py, #frame_ident, #index)?; });
        let outer_function = self.function_scope.replace(Some(c.scope));
        let frame = Frame {
            body: Body::Function,
            resumable: true,
            async_generator: is_async,
            ..Frame::default()
        };
        let body = self.in_deferred(|| {
            self.in_frame(frame, || {
                let elt = self.expand_expr(&c.elt);
                let produce = if is_async {
                    quote!(#p::suspend_yield(#co, #elt).await?;)
                } else {
                    quote!(#p::suspend(#co, #elt).await?;)
                };
                let mut body = produce;
                for (i, g) in c.generators.iter().enumerate().rev() {
                    let item = self.temp("item");
                    let assign = self.expand_store(&g.target, &item);
                    let conds = g.ifs.iter().map(|cond| {
                        let cond = self.expand_test(cond);
                        quote! { if !#cond { continue; } }
                    });
                    let conds = quote! { #(#conds)* };
                    let source = if i == 0 {
                        quote!(#iter0)
                    } else {
                        let it = self.expand_expr(&g.iter);
                        quote!(&#it)
                    };
                    body = if g.is_async {
                        let iterator = self.temp("aiter");
                        let make = if i == 0 {
                            quote!(#source)
                        } else {
                            quote!(&#p::aiter(#source)?)
                        };
                        quote! {
                            let #iterator = #make;
                            loop {
                                let #item = match #p::anext(#co, #iterator).await? {
                                    #p::Some(#item) => #item,
                                    #p::None => break,
                                };
                                #assign
                                #conds
                                #body
                            }
                        }
                    } else {
                        quote! {
                            for #item in #p::ForIter::new(#source)? {
                                let #item = #item?;
                                #assign
                                #conds
                                #body
                            }
                        }
                    };
                }
                body
            })
        });
        self.function_scope.set(outer_function);
        let kind = if is_async {
            quote!(#p::Kind::AsyncGenerator)
        } else {
            quote!(#p::Kind::Generator)
        };
        let start = if first.is_async {
            quote!(#p::aiter(&#first_value)?)
        } else {
            quote!(#p::PyAnyMethods::try_iter(&#first_value)?.into_any())
        };
        let qualname = format!("{}<genexpr>", self.qualname.borrow());
        quote! {{
            static __SPEC: #p::LambdaSpec = #p::LambdaSpec {
                name: "<genexpr>",
                qualname: #qualname,
                positional: &[],
                posonly: 0,
                vararg: #p::None,
                kwonly: &[],
                varkw: #p::None,
                closure: &[],
            };
            let #first_value = #first_iter;
            let #first_value = #start;
            #declarations
            #p::resumable(#py, &__SPEC, #kind, [#(#capture_values,)* #first_value.unbind()], [#(#slots),*], move |#co, #frame_ident, #slots_ident| async move {
                #[allow(unused_imports)]
                use ::pycall::__private::scope::*;
                #[allow(unused_variables)]
                let #py = #co.py();
                #rebind
                #body
                #[allow(unreachable_code)]
                return #p::returned(#p::none(#py));
            })?
        }}
    }
}

/// Whether an expression awaits (not inside a lambda, which cannot).
fn contains_await(expr: &Expr) -> bool {
    match expr {
        Expr::Await(_) => true,
        Expr::Lambda(_) => false,
        other => {
            let mut found = false;
            crate::ast::visit::child_exprs(other, |child| found = found || contains_await(child));
            found
        }
    }
}

impl Expander<'_> {
    /// A docstring's value. CPython 3.13+ removes the indentation of a docstring when it
    /// compiles it; the text for both is fixed here, and the runtime picks the one for the
    /// interpreter it was built for.
    fn expand_docstring(&self, text: &str) -> TokenStream {
        let cleaned = clean_doc(text);
        if cleaned == text {
            return self.expand_constant(&ConstValue::Str(text.to_owned()));
        }
        let p = &self.p;
        let py = &self.py;
        quote!({
            static __K: #p::Const = #p::Const::str(#p::docstring(#text, #cleaned));
            __K.owned(#py)?
        })
    }
}

/// A body's docstring: its first statement, when that is a string constant.
fn docstring(body: &[Stmt]) -> Option<&str> {
    match body.first() {
        Some(Stmt::Expr(Expr::Constant(Constant {
            value: ConstValue::Str(text),
            ..
        }))) => Some(text),
        _ => None,
    }
}

/// A docstring as CPython 3.13+ compiles it: tabs expanded (to columns of 8), leading spaces
/// of the first line removed, and the smallest indentation of the later lines that are not
/// blank removed from every later line. (Unlike `inspect.cleandoc`, blank lines at either end
/// stay.)
fn clean_doc(doc: &str) -> String {
    let doc = expand_tabs(doc);
    let mut lines = doc.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    let margin = rest
        .iter()
        .filter_map(|line| {
            let text = line.trim_start_matches(' ');
            (!text.is_empty() && !text.starts_with('\n')).then(|| line.len() - text.len())
        })
        .min()
        .unwrap_or(0);
    let mut out = first.trim_start_matches(' ').to_owned();
    for line in rest {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push_str(&line[spaces.min(margin)..]);
    }
    out
}

/// `str.expandtabs()`: each tab becomes the spaces up to the next multiple of 8 columns; a
/// column is a code point, counted from the last `\n` or `\r`.
fn expand_tabs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// Whether a class body annotates a plain name anywhere in its own statements (not in the
/// functions and classes it defines): then it starts with an empty `__annotations__`.
fn has_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::AnnAssign { simple: true, .. } => true,
        Stmt::FunctionDef { .. } | Stmt::ClassDef { .. } => false,
        other => {
            let mut found = false;
            crate::ast::visit::stmt_blocks(other, |block| found |= has_annotations(block));
            found
        }
    })
}

#[cfg(test)]
mod tests {
    use super::clean_doc;

    /// The expected texts are what CPython 3.13.0's compiler gives
    /// (`_testinternalcapi.compiler_cleandoc`).
    #[test]
    fn docstrings_are_cleaned_as_cpython_3_13_does() {
        let cases = [
            ("Does nothing.", "Does nothing."),
            ("  lead\n    a\n      b\n    ", "lead\na\n  b\n"),
            ("x\n\tTab\n\t  more\n\n", "x\nTab\n  more\n\n"),
            ("\n    first\n   \n    second\n", "\nfirst\n\nsecond\n"),
            ("one\n  \r\n  two", "one\n\r\ntwo"),
            ("  only", "only"),
            ("A.\n        B\n    ", "A.\nB\n"),
        ];
        for (doc, cleaned) in cases {
            assert_eq!(clean_doc(doc), cleaned, "{doc:?}");
        }
    }
}
