//! Name resolution, first pass: make the scopes (the macro's, each lambda's, `def`'s and
//! comprehension's) and bind in each the names it owns, before any use is resolved.

use super::{Resolver, ScopeKind, Storage};
use crate::ast::visit::{child_exprs_mut, default_exprs_mut, stmt_blocks_mut, stmt_exprs_mut};
use crate::ast::*;

impl Resolver {
    /// Binds in `scope` the names a statement assigns, and declares what is inside it.
    pub(super) fn declare_stmt(&mut self, stmt: &mut Stmt, scope: ScopeId) {
        if let Stmt::AnnAssign {
            target: Expr::Name(name),
            value: None,
            ..
        } = stmt
            && scope.0 == 0
        {
            self.annotated_only.insert(name.id.clone());
        }
        let mut names = Vec::new();
        stmt.bound_names(&mut |name| names.push(name.to_owned()));
        for name in &names {
            self.bind_name(scope, name);
        }
        match stmt {
            Stmt::FunctionDef {
                args,
                body,
                decorator_list,
                returns,
                is_async,
                scope: inner_slot,
                ..
            } => {
                for decorator in decorator_list {
                    self.declare_expr(decorator, scope, scope);
                }
                let inner = self.declare_function(args, body, scope, scope);
                let yields = crate::ast::body_yields(body);
                self.scopes[inner.0].resumable = *is_async || yields;
                self.scopes[inner.0].is_async = *is_async;
                self.scopes[inner.0].yields = yields;
                if let Some(returns) = returns {
                    self.declare_expr(returns, scope, scope);
                }
                *inner_slot = inner;
                for s in body.iter_mut() {
                    self.declare_stmt(s, inner);
                }
            }
            Stmt::ClassDef {
                bases,
                keywords,
                body,
                decorator_list,
                scope: inner_slot,
                ..
            } => {
                for decorator in decorator_list {
                    self.declare_expr(decorator, scope, scope);
                }
                for base in bases {
                    self.declare_expr(base, scope, scope);
                }
                for keyword in keywords {
                    self.declare_expr(&mut keyword.value, scope, scope);
                }
                let inner = self.new_scope(ScopeKind::Class, Some(scope), body);
                *inner_slot = inner;
                for s in body.iter_mut() {
                    self.declare_stmt(s, inner);
                }
            }
            other => {
                stmt_exprs_mut(other, |e| self.declare_expr(e, scope, scope));
                stmt_blocks_mut(other, |block| {
                    for s in block {
                        self.declare_stmt(s, scope);
                    }
                });
            }
        }
    }

    /// Makes the scopes inside `expr` and binds the names each owns. `scope` is where the
    /// expression runs; `walrus_scope` is where `:=` binds (comprehensions bind outside).
    pub(super) fn declare_expr(&mut self, expr: &mut Expr, scope: ScopeId, walrus_scope: ScopeId) {
        crate::deep(|| match expr {
            Expr::NamedExpr(e) => {
                self.declare_expr(&mut e.value, scope, walrus_scope);
                self.bind_name(walrus_scope, &e.target.id);
            }
            Expr::Lambda(l) => {
                let inner = self.declare_function(&mut l.args, &[], scope, walrus_scope);
                self.scopes[inner.0].resumable = l.body.yields();
                self.scopes[inner.0].yields = l.body.yields();
                l.scope = inner;
                self.declare_expr(&mut l.body, inner, inner);
            }
            Expr::ListComp(c) | Expr::SetComp(c) => {
                let elt = &mut c.elt;
                c.scope = self.declare_comprehension(
                    ScopeKind::Comprehension,
                    &mut c.generators,
                    scope,
                    walrus_scope,
                    |r, inner, ws| r.declare_expr(elt, inner, ws),
                );
            }
            Expr::GeneratorExp(c) => {
                let elt = &mut c.elt;
                c.scope = self.declare_comprehension(
                    ScopeKind::Generator,
                    &mut c.generators,
                    scope,
                    walrus_scope,
                    |r, inner, ws| r.declare_expr(elt, inner, ws),
                );
            }
            Expr::DictComp(c) => {
                let (key, value) = (&mut c.key, &mut c.value);
                c.scope = self.declare_comprehension(
                    ScopeKind::Comprehension,
                    &mut c.generators,
                    scope,
                    walrus_scope,
                    |r, inner, ws| {
                        r.declare_expr(key, inner, ws);
                        r.declare_expr(value, inner, ws);
                    },
                );
            }
            other => child_exprs_mut(other, |child| self.declare_expr(child, scope, walrus_scope)),
        })
    }

    /// A lambda's or `def`'s defaults and annotations (run where it is made) and a new scope,
    /// for its `body`, binding its parameters.
    fn declare_function(
        &mut self,
        args: &mut Arguments,
        body: &[Stmt],
        scope: ScopeId,
        walrus_scope: ScopeId,
    ) -> ScopeId {
        default_exprs_mut(args, &mut |d| self.declare_expr(d, scope, walrus_scope));
        for arg in args.params_mut() {
            if let Some(annotation) = &mut arg.annotation {
                self.declare_expr(annotation, scope, walrus_scope);
            }
        }
        let inner = self.new_scope(ScopeKind::Lambda, Some(scope), body);
        self.scopes[inner.0].first_param = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .next()
            .map(|a| a.arg.clone());
        for arg in args.params() {
            self.bind(inner, &arg.arg, Storage::Param);
        }
        inner
    }

    /// A comprehension's scope, binding its iteration variables; its first iterable runs
    /// outside it.
    fn declare_comprehension(
        &mut self,
        kind: ScopeKind,
        generators: &mut [Comprehension],
        scope: ScopeId,
        walrus_scope: ScopeId,
        element: impl FnOnce(&mut Self, ScopeId, ScopeId),
    ) -> ScopeId {
        let inner = self.new_scope(kind, Some(scope), &[]);
        // `:=` inside a comprehension binds in the nearest enclosing lambda or the macro.
        let ws = if matches!(
            self.scopes[scope.0].kind,
            ScopeKind::Lambda | ScopeKind::Top
        ) {
            scope
        } else {
            walrus_scope
        };
        // A generator expression's variables become slots of its frame (or cells, where a
        // closure shares them) when resolution finishes.
        let storage = Storage::Optional;
        for (i, generator) in generators.iter_mut().enumerate() {
            if i == 0 {
                self.declare_expr(&mut generator.iter, scope, walrus_scope);
            } else {
                self.declare_expr(&mut generator.iter, inner, ws);
            }
            let mut names = Vec::new();
            generator
                .target
                .target_names(&mut |name| names.push(name.id.clone()));
            for name in names {
                self.bind(inner, &name, storage);
            }
            for cond in &mut generator.ifs {
                self.declare_expr(cond, inner, ws);
            }
        }
        element(self, inner, ws);
        inner
    }
}
