//! Expansion, statements: the dispatch over every statement, assignments, and control flow —
//! `if`, loops, `break`/`continue`/`return`, `raise`, `try` and `with`, whose bodies run in
//! closures that `break`, `continue` and `return` leave as a `Flow` value.

use super::{Body, Expander};
use crate::ast::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

impl Expander<'_> {
    pub(super) fn expand_block(&self, stmts: &[Stmt]) -> TokenStream {
        if self.frame.borrow().resumable {
            // In a generator each statement is a block of its own, so that its temporaries
            // are dropped when it ends (as CPython drops them), not held, out of the garbage
            // collector's sight, across the `yield`s of the statements after it.
            return stmts
                .iter()
                .map(|s| {
                    let code = self.expand_stmt(s);
                    // (A statement after a `return` or `raise` is unreachable, as in Python.)
                    quote! {
                        #[allow(unreachable_code)]
                        let () = { #code };
                    }
                })
                .collect();
        }
        stmts.iter().map(|s| self.expand_stmt(s)).collect()
    }

    fn expand_stmt(&self, stmt: &Stmt) -> TokenStream {
        match stmt {
            Stmt::Expr(e) => self.expand_expr_stmt(e),
            Stmt::Assign { targets, value, .. } => self.expand_assign(targets, value),
            Stmt::AugAssign {
                target,
                op,
                value,
                load,
                ..
            } => self.expand_aug_assign(target, *op, value, load.as_ref()),
            Stmt::Delete { targets, .. } => self.expand_delete(targets),
            Stmt::Assert { test, msg, .. } => self.expand_assert(test, msg.as_ref()),
            Stmt::Raise {
                exc, cause, range, ..
            } => self.expand_raise(exc.as_ref(), cause.as_ref(), *range),
            Stmt::Pass(_) => TokenStream::new(),
            Stmt::Break(range) => self.expand_break(*range),
            Stmt::Continue(range) => self.expand_continue(*range),
            Stmt::Import { names, .. } => self.expand_import(names),
            Stmt::ImportFrom { module, names, .. } => self.expand_import_from(module, names),
            Stmt::If {
                test, body, orelse, ..
            } => self.expand_if(test, body, orelse),
            Stmt::For {
                target,
                iter,
                body,
                orelse,
                is_async: false,
                ..
            } => self.expand_for(target, iter, body, orelse),
            Stmt::For {
                target,
                iter,
                body,
                orelse,
                is_async: true,
                ..
            } => self.expand_async_for(target, iter, body, orelse),
            Stmt::While {
                test, body, orelse, ..
            } => self.expand_while(test, body, orelse),
            Stmt::Return { value, .. } => self.expand_return(value.as_ref()),
            Stmt::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => self.expand_try(body, handlers, orelse, finalbody),
            Stmt::FunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                scope,
                ..
            } => self.expand_function_def(
                name,
                args,
                body,
                decorator_list,
                returns.as_deref(),
                *scope,
            ),
            Stmt::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorator_list,
                scope,
                ..
            } => self.expand_class_def(name, bases, keywords, body, decorator_list, *scope),
            // Declarations only change what names mean, which resolution has decided.
            Stmt::Global { .. } | Stmt::Nonlocal { .. } => TokenStream::new(),
            Stmt::Match { subject, cases, .. } => self.expand_match(subject, cases),
            Stmt::AnnAssign {
                target,
                annotation,
                value,
                simple,
                ..
            } => self.expand_ann_assign(target, annotation, value.as_ref(), *simple),
            Stmt::With {
                context,
                target,
                body,
                is_async: false,
                ..
            } => self.expand_with(context, target.as_ref(), body),
            Stmt::With {
                context,
                target,
                body,
                is_async: true,
                ..
            } => self.expand_async_with(context, target.as_ref(), body),
        }
    }

    fn expand_expr_stmt(&self, e: &Expr) -> TokenStream {
        let e = self.expand_expr(e);
        quote! {
            #[allow(unreachable_code)]
            let _ = #e;
        }
    }

    /// `target: annotation = value`: the assignment, then the annotation, which a class body
    /// keeps in its `__annotations__` (for a plain name), the macro's block evaluates and
    /// drops, and a function does not evaluate at all (as CPython does for each).
    fn expand_ann_assign(
        &self,
        target: &Expr,
        annotation: &Expr,
        value: Option<&Expr>,
        simple: bool,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let mut out = match value {
            Some(value) => self.expand_assign(std::slice::from_ref(target), value),
            None => match target {
                // `a.b: int` and `a[k]: int` evaluate `a` (and `k`) all the same.
                Expr::Attribute(a) => self.expand_expr_stmt(&a.value),
                Expr::Subscript(s) => {
                    let mut out = self.expand_expr_stmt(&s.value);
                    out.extend(self.expand_expr_stmt(&s.slice));
                    out
                }
                _ => TokenStream::new(),
            },
        };
        let body = self.frame.borrow().body;
        match (body, target) {
            (Body::Function, _) => {}
            (Body::Class(class), Expr::Name(name)) if simple => {
                let ns = self.class_namespace(class);
                let annotation = self.expand_expr(annotation);
                let (id, message) = (&name.id, "name '__annotations__' is not defined");
                out.extend(quote! {
                    let __annotation = #annotation;
                    match #p::ns_load(&#ns, ::pycall::__private::intern!(#py, "__annotations__"))? {
                        #p::Some(__annotations) => #p::PyAnyMethods::set_item(
                            &__annotations,
                            ::pycall::__private::intern!(#py, #id),
                            __annotation,
                        )?,
                        #p::None => {
                            #p::pyo3::PyResult::<()>::Err(
                                #p::pyo3::exceptions::PyNameError::new_err(#message),
                            )?
                        }
                    }
                });
            }
            (Body::Top | Body::Class(_), _) => out.extend(self.expand_expr_stmt(annotation)),
        }
        out
    }

    /// `a = b = value`: the value, then each target from the left.
    fn expand_assign(&self, targets: &[Expr], value: &Expr) -> TokenStream {
        let v = self.temp("v");
        let value = self.expand_expr(value);
        let mut out = quote! { let #v = #value; };
        let last = targets.len().saturating_sub(1);
        for (i, target) in targets.iter().enumerate() {
            if i == last {
                out.extend(self.expand_store(target, &v));
            } else {
                let copy = self.temp("v");
                out.extend(quote! { let #copy = #v.clone(); });
                out.extend(self.expand_store(target, &copy));
            }
        }
        out
    }

    /// `target op= value`, in place where the object supports it. For a name, `load` is the
    /// name as read before the assignment.
    fn expand_aug_assign(
        &self,
        target: &Expr,
        op: Operator,
        value: &Expr,
        load: Option<&Name>,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let code = op.inplace();
        let code = quote!(#p::#code);
        let (current, result) = (self.temp("cur"), self.temp("res"));
        match target {
            Expr::Name(name) => {
                let Some(load) = load else {
                    return self.internal_error(syn::Error::new(
                        name.span,
                        "internal error: unresolved augmented target",
                    ));
                };
                let read = self.expand_name(load);
                let value = self.expand_expr(value);
                let store = self.expand_store_name(name, &result, true);
                quote! {
                    let #current = #read;
                    let #result = #p::inplace(&#current, &#value, #code)?;
                    #store
                }
            }
            Expr::Attribute(a) => {
                let obj = self.temp("o");
                let value_obj = self.expand_expr(&a.value);
                let attr = &a.attr;
                let value = self.expand_expr(value);
                quote! {
                    let #obj = #value_obj;
                    let #current = #p::getattr(&#obj, ::pycall::__private::intern!(#py, #attr))?;
                    let #result = #p::inplace(&#current, &#value, #code)?;
                    #p::setattr(&#obj, ::pycall::__private::intern!(#py, #attr), &#result)?;
                }
            }
            Expr::Subscript(sub) => {
                let (obj, key) = (self.temp("o"), self.temp("k"));
                let value_obj = self.expand_expr(&sub.value);
                let key_value = self.expand_expr(&sub.slice);
                let value = self.expand_expr(value);
                quote! {
                    let #obj = #value_obj;
                    let #key = #key_value;
                    let #current = #p::PyAnyMethods::get_item(&#obj, &#key)?;
                    let #result = #p::inplace(&#current, &#value, #code)?;
                    #p::PyAnyMethods::set_item(&#obj, &#key, #result)?;
                }
            }
            other => self.internal_error(other.range().error(
                "internal error: an augmented assignment to an expression that is not a target",
            )),
        }
    }

    fn expand_assert(&self, test: &Expr, msg: Option<&Expr>) -> TokenStream {
        let p = &self.p;
        let test = self.expand_operand(test, false);
        let msg = match msg {
            Some(m) => {
                let m = self.expand_expr(m);
                quote!(#p::Some(#m))
            }
            None => quote!(#p::None),
        };
        quote! {
            if !#p::truthy(#test)? {
                return #p::Err(#p::assertion_error(#msg));
            }
        }
    }

    /// `raise exc from cause`; a bare `raise` re-raises the exception being handled.
    fn expand_raise(&self, exc: Option<&Expr>, cause: Option<&Expr>, range: Range) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some(exc) = exc else {
            return match self.frame.borrow().exceptions.last() {
                Some(current) => {
                    quote! { return #p::Err(#current.clone_ref(#py)); }
                }
                None => self
                    .internal_error(range.error("internal error: a bare `raise` outside `except`")),
            };
        };
        let exc = self.expand_expr(exc);
        let cause = match cause {
            Some(c) => {
                let c = self.expand_expr(c);
                quote!(#p::Some(#c))
            }
            None => quote!(#p::None),
        };
        quote! { return #p::Err(#p::raise_at(&__PYCALL_SITE, #exc, #cause)); }
    }

    fn expand_break(&self, range: Range) -> TokenStream {
        self.expand_loop_exit(true, range)
    }

    fn expand_continue(&self, range: Range) -> TokenStream {
        self.expand_loop_exit(false, range)
    }

    /// `break` (`is_break`) or `continue`: a jump to the loop's label, or, from inside a
    /// `try` or `with` body, a `Flow` value returned out of its closure.
    fn expand_loop_exit(&self, is_break: bool, range: Range) -> TokenStream {
        let p = &self.p;
        let frame = self.frame.borrow();
        let Some((break_label, continue_label)) = frame.loops.last() else {
            return self.internal_error(range.error("internal error: a loop exit outside a loop"));
        };
        let index = frame.loops.len() - 1;
        let crosses = frame.boundaries.last().is_some_and(|b| index < *b);
        match (crosses, is_break) {
            (true, true) => quote! { return #p::Ok(#p::Flow::Break(#index)); },
            (true, false) => {
                quote! { return #p::Ok(#p::Flow::Continue(#index)); }
            }
            (false, true) => quote! { break #break_label; },
            (false, false) => quote! { continue #continue_label; },
        }
    }

    /// `return value`: the value of the block or of the `def`, or, from inside a `try` or
    /// `with` body, a `Flow` value returned out of its closure.
    fn expand_return(&self, value: Option<&Expr>) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let value = match value {
            Some(v) => self.expand_expr(v),
            None => quote!(#p::none(#py)),
        };
        if self.frame.borrow().boundaries.is_empty() {
            quote! {
                let __returned = #value;
                return #p::Ok(__returned);
            }
        } else {
            quote! {
                let __returned = #value;
                return #p::Ok(#p::Flow::Return(__returned));
            }
        }
    }

    fn expand_if(&self, test: &Expr, body: &[Stmt], orelse: &[Stmt]) -> TokenStream {
        let test = self.expand_test(test);
        let body = self.expand_block(body);
        let orelse = self.expand_block(orelse);
        quote! { if #test { #body } else { #orelse } }
    }

    /// `for target in iter { body } else { orelse }`: the `else` runs unless `break` leaves the
    /// labelled block around the loop.
    fn expand_for(
        &self,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> TokenStream {
        let p = &self.p;
        let (break_label, continue_label) = (self.label("break"), self.label("next"));
        let (iterable, item) = (self.temp("iterable"), self.temp("item"));
        let source = self.expand_expr(iter);
        let assign = self.expand_store(target, &item);
        let body = self.in_loop((break_label.clone(), continue_label.clone()), body);
        let orelse = self.expand_block(orelse);
        quote! {
            #break_label: {
                let #iterable = #source;
                #continue_label: for #item in #p::ForIter::new(&#iterable)? {
                    let #item = #item?;
                    #assign
                    #body
                }
                #orelse
            }
        }
    }

    /// `async for target in iterable { body } else { orelse }` in a coroutine: each item is
    /// the awaited `__anext__()`, until it raises `StopAsyncIteration`.
    fn expand_async_for(
        &self,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> TokenStream {
        let p = &self.p;
        let co = self.co();
        let (break_label, continue_label) = (self.label("break"), self.label("next"));
        let (iterator, item) = (self.temp("aiter"), self.temp("item"));
        let source = self.expand_expr(iter);
        let assign = self.expand_store(target, &item);
        let body = self.in_loop((break_label.clone(), continue_label.clone()), body);
        let orelse = self.expand_block(orelse);
        quote! {
            #break_label: {
                let #iterator = #p::aiter(&#source)?;
                #continue_label: loop {
                    let #item = match #p::anext(#co, &#iterator).await? {
                        #p::Some(#item) => #item,
                        #p::None => break,
                    };
                    #assign
                    #body
                }
                #orelse
            }
        }
    }

    /// `async with manager as target { body }` in a coroutine: `__aenter__()` awaited, the
    /// body in a block of its own, `__aexit__(…)` awaited with what it raised.
    fn expand_async_with(
        &self,
        context: &Expr,
        target: Option<&Expr>,
        body: &[Stmt],
    ) -> TokenStream {
        let p = &self.p;
        let co = self.co();
        let (manager, exit, entering, value, result) = (
            self.temp("mgr"),
            self.temp("exit"),
            self.temp("entering"),
            self.temp("entered"),
            self.temp("result"),
        );
        let context = self.expand_expr(context);
        let assign = match target {
            Some(t) => self.expand_store(t, &value),
            None => TokenStream::new(),
        };
        let body = self.in_boundary(|| self.expand_block(body));
        let dispatch = self.expand_flow_dispatch(&result);
        let run = self.boundary(quote! {
            #body
            #[allow(unreachable_code)]
            return #p::flow_normal();
        });
        quote! {
            let #manager = #context;
            let (#exit, #entering) = #p::aenter(&#manager)?;
            let #value = #p::await_(#co, #entering).await?;
            #assign
            let #result = #run;
            let #result = #p::aexit(#co, &#exit, #result).await;
            #dispatch
        }
    }

    /// `while test { body } else { orelse }`, checking for signals (Ctrl-C) on each turn.
    fn expand_while(&self, test: &Expr, body: &[Stmt], orelse: &[Stmt]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let (break_label, continue_label) = (self.label("break"), self.label("next"));
        let test = self.expand_test(test);
        let body = self.in_loop((break_label.clone(), continue_label.clone()), body);
        let orelse = self.expand_block(orelse);
        quote! {
            #break_label: {
                #continue_label: loop {
                    #p::tick(#py)?;
                    if !#test {
                        #orelse
                        break #break_label;
                    }
                    #body
                }
            }
        }
    }

    /// A loop body with its break and continue labels in scope.
    fn in_loop(&self, labels: (syn::Lifetime, syn::Lifetime), body: &[Stmt]) -> TokenStream {
        self.frame.borrow_mut().loops.push(labels);
        let out = self.expand_block(body);
        self.frame.borrow_mut().loops.pop();
        out
    }

    /// Statements that run inside a closure of their own (a `try` or `with` body).
    fn in_boundary<T>(&self, f: impl FnOnce() -> T) -> T {
        let open_loops = self.frame.borrow().loops.len();
        self.frame.borrow_mut().boundaries.push(open_loops);
        let out = f();
        self.frame.borrow_mut().boundaries.pop();
        out
    }

    /// Acts on the `PyResult<Flow>` a boundary closure returned: an error propagates; `break`,
    /// `continue` and `return` take effect here, or travel on to an outer boundary.
    fn expand_flow_dispatch(&self, result: &Ident) -> TokenStream {
        let p = &self.p;
        let frame = self.frame.borrow();
        let loops = &frame.loops;
        let outer = frame.boundaries.last().copied();
        let visible = outer.unwrap_or(0)..loops.len();
        let index = self.temp("i");
        let breaks = visible.clone().map(|i| {
            let label = &loops[i].0;
            let lit = proc_macro2::Literal::usize_unsuffixed(i);
            quote! { #lit => break #label, }
        });
        let continues = visible.map(|i| {
            let label = &loops[i].1;
            let lit = proc_macro2::Literal::usize_unsuffixed(i);
            quote! { #lit => continue #label, }
        });
        let (pass_break, pass_continue, on_return) = if outer.is_some() {
            (
                quote!(return #p::Ok(#p::Flow::Break(#index))),
                quote!(return #p::Ok(#p::Flow::Continue(#index))),
                quote!(return #p::Ok(#p::Flow::Return(__returned))),
            )
        } else {
            (
                quote!(return #p::Err(#p::internal_error())),
                quote!(return #p::Err(#p::internal_error())),
                quote!(return #p::Ok(__returned)),
            )
        };
        quote! {
            #[allow(unreachable_patterns)]
            match #result? {
                #p::Flow::Normal => {}
                #p::Flow::Break(#index) => match #index {
                    #(#breaks)*
                    _ => #pass_break,
                },
                #p::Flow::Continue(#index) => match #index {
                    #(#continues)*
                    _ => #pass_continue,
                },
                #p::Flow::Return(__returned) => #on_return,
            }
        }
    }

    /// `try { body } except E as e { … } else { … } finally { … }`: the body, `else` and
    /// handlers in closures of their own (an outer one around the handlers catches what
    /// they raise, for `finally`), then the `finally` block and the flow they left with.
    fn expand_try(
        &self,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> TokenStream {
        let p = &self.p;
        let (outer, inner, error) = (self.temp("outer"), self.temp("inner"), self.temp("e"));
        let body = self.in_boundary(|| self.expand_block(body));
        let (orelse, handlers) = self.in_boundary(|| {
            let orelse = self.expand_block(orelse);
            self.frame.borrow_mut().exceptions.push(error.clone());
            let handlers: Vec<TokenStream> = handlers
                .iter()
                .map(|h| self.expand_except_handler(h, &error))
                .collect();
            self.frame.borrow_mut().exceptions.pop();
            (orelse, handlers)
        });
        let finally = if finalbody.is_empty() {
            TokenStream::new()
        } else {
            // The `finally` block runs in a closure of its own, so that an exception it raises
            // can take a pending one as its `__context__` (which is also the exception being
            // handled while it runs), and its `break`, `continue` or `return` replace the
            // pending outcome.
            let finalbody = self.in_boundary(|| self.expand_block(finalbody));
            let result = self.temp("finished");
            let run = self.handling_boundary(
                quote!(::core::result::Result::as_ref(&#outer).err()),
                quote! {
                    #finalbody
                    #[allow(unreachable_code)]
                    return #p::flow_normal();
                },
            );
            quote! {
                let #result = #run;
                let #outer = match #result {
                    #p::Ok(#p::Flow::Normal) => #outer,
                    __other => __other,
                };
            }
        };
        let dispatch = self.expand_flow_dispatch(&outer);
        let inner_run = self.boundary(quote! {
            #body
            #[allow(unreachable_code)]
            return #p::flow_normal();
        });
        let outer_run = self.boundary(quote! {
            let #inner = #inner_run;
            match #inner {
                #p::Ok(#p::Flow::Normal) => {
                    #orelse
                    #[allow(unreachable_code)]
                    return #p::flow_normal();
                }
                #p::Ok(__other) => #p::Ok(__other),
                #p::Err(#error) => {
                    #(#handlers)*
                    #[allow(unreachable_code)]
                    return #p::Err(#error);
                }
            }
        });
        quote! {
            let #outer = #outer_run;
            #finally
            #dispatch
        }
    }

    /// `except type as name { body }` for the exception `error`: if it matches, the body runs
    /// in a closure of its own, with `name` bound, then unbound.
    fn expand_except_handler(&self, h: &ExceptHandler, error: &Ident) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let matches = match &h.type_ {
            Some(t) => {
                let t = self.expand_expr(t);
                quote!(#p::exception_matches(#py, &#error, &#t)?)
            }
            None => quote!(true),
        };
        let value = self.temp("exc");
        let (bind, unbind) = match &h.name {
            Some(name) => {
                let bind = self.expand_store_name(name, &value, true);
                let unbind = self.expand_unbind(name);
                (bind, unbind)
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        let handled = self.temp("handled");
        let handler_body = self.in_boundary(|| self.expand_block(&h.body));
        let run = self.handling_boundary(
            quote!(#p::Some(&#error)),
            quote! {
                #handler_body
                #[allow(unreachable_code)]
                return #p::flow_normal();
            },
        );
        quote! {
            if #matches {
                let #value = #p::exception_value(#py, &#error);
                #bind
                let #handled = #run;
                #unbind
                return #handled;
            }
        }
    }

    /// `with manager as target { body }`: entered, the body in a closure of its own, exited
    /// with what the body raised, then the flow it left with.
    fn expand_with(&self, context: &Expr, target: Option<&Expr>, body: &[Stmt]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let (manager, exit, value, result) = (
            self.temp("mgr"),
            self.temp("exit"),
            self.temp("entered"),
            self.temp("result"),
        );
        let context = self.expand_expr(context);
        let assign = match target {
            Some(t) => self.expand_store(t, &value),
            None => TokenStream::new(),
        };
        let body = self.in_boundary(|| self.expand_block(body));
        let dispatch = self.expand_flow_dispatch(&result);
        let run = self.boundary(quote! {
            #body
            #[allow(unreachable_code)]
            return #p::flow_normal();
        });
        quote! {
            let #manager = #context;
            let (#exit, #value) = #p::enter(&#manager)?;
            #assign
            let #result = #run;
            let #result = #p::exit(#py, &#exit, #result);
            #dispatch
        }
    }
}
