//! Name resolution, first pass: make the scopes (the macro's, each lambda's, `def`'s and
//! comprehension's) and bind in each the names it owns, before any use is resolved.

use super::{Resolver, ScopeKind, Storage};
use crate::ast::visit::{child_exprs_mut, default_exprs_mut, stmt_blocks_mut, stmt_exprs_mut};
use crate::ast::*;

impl Resolver {
    /// Binds in `scope` the names a statement assigns, and declares what is inside it.
    pub(super) fn declare_stmt(&mut self, stmt: &mut Stmt, scope: ScopeId) {
        if let Stmt::FunctionDef {
            name,
            args,
            body,
            scope: inner_slot,
            ..
        } = stmt
        {
            self.bind(scope, &name.id, Storage::Optional);
            let inner = self.declare_function(args, scope, scope);
            *inner_slot = inner;
            for s in body.iter_mut() {
                self.declare_stmt(s, inner);
            }
            return;
        }
        let mut names = Vec::new();
        stmt_bound_names(stmt, &mut names);
        for name in names {
            self.bind(scope, &name, Storage::Optional);
        }
        stmt_exprs_mut(stmt, |e| self.declare_expr(e, scope, scope));
        stmt_blocks_mut(stmt, |block| {
            for s in block {
                self.declare_stmt(s, scope);
            }
        });
    }

    /// Makes the scopes inside `expr` and binds the names each owns. `scope` is where the
    /// expression runs; `walrus_scope` is where `:=` binds (comprehensions bind outside).
    pub(super) fn declare_expr(&mut self, expr: &mut Expr, scope: ScopeId, walrus_scope: ScopeId) {
        crate::deep(|| match expr {
            Expr::NamedExpr(e) => {
                self.declare_expr(&mut e.value, scope, walrus_scope);
                self.bind(walrus_scope, &e.target.id, Storage::Optional);
            }
            Expr::Lambda(l) => {
                let inner = self.declare_function(&mut l.args, scope, walrus_scope);
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

    /// A lambda's or `def`'s defaults (run where it is made) and a new scope binding its
    /// parameters.
    fn declare_function(
        &mut self,
        args: &mut Arguments,
        scope: ScopeId,
        walrus_scope: ScopeId,
    ) -> ScopeId {
        default_exprs_mut(args, &mut |d| self.declare_expr(d, scope, walrus_scope));
        let inner = self.new_scope(ScopeKind::Lambda);
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
        let inner = self.new_scope(kind);
        // `:=` inside a comprehension binds in the nearest enclosing lambda or the macro.
        let ws = if matches!(
            self.scopes[scope.0].kind,
            ScopeKind::Lambda | ScopeKind::Top
        ) {
            scope
        } else {
            walrus_scope
        };
        // A generator's variables outlive the code that makes it: its closure keeps them.
        let storage = if kind == ScopeKind::Generator {
            Storage::Cell
        } else {
            Storage::Optional
        };
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

/// Names a statement binds directly (not those of nested blocks, nor `:=` inside expressions).
pub(super) fn stmt_bound_names(stmt: &Stmt, out: &mut Vec<String>) {
    let mut push = |name: &Name| out.push(name.id.clone());
    match stmt {
        Stmt::Assign { targets, .. } | Stmt::Delete { targets, .. } => {
            for target in targets {
                target.target_names(&mut push);
            }
        }
        Stmt::AugAssign { target, .. } | Stmt::For { target, .. } => target.target_names(&mut push),
        Stmt::With { target, .. } => {
            if let Some(target) = target {
                target.target_names(&mut push);
            }
        }
        Stmt::FunctionDef { name, .. } => push(name),
        Stmt::Try { handlers, .. } => {
            for handler in handlers {
                if let Some(name) = &handler.name {
                    push(name);
                }
            }
        }
        Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
            out.extend(names.iter().map(|a| a.bound_name().to_owned()))
        }
        Stmt::Expr(_)
        | Stmt::Assert { .. }
        | Stmt::Raise { .. }
        | Stmt::Pass(_)
        | Stmt::Break(_)
        | Stmt::Continue(_)
        | Stmt::If { .. }
        | Stmt::While { .. }
        | Stmt::Return { .. } => {}
    }
}
