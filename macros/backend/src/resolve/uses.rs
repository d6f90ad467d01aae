//! Name resolution, second pass: every use of a name in evaluation order, deciding what it
//! reads (a Python variable, a builtin, a Rust binding), which variables closures capture, and,
//! for the macro's own variables, whether each is bound yet at that point.

use super::scopes::stmt_bound_names;
use super::{Resolver, is_builtin};
use crate::ast::visit::{child_exprs_mut, default_exprs_mut, stmt_exprs};
use crate::ast::*;

/// Whether a top-level local has been assigned at a point of evaluation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Flow {
    No,
    Maybe,
    Yes,
}

fn join(a: Flow, b: Flow) -> Flow {
    if a == b { a } else { Flow::Maybe }
}

impl Resolver {
    pub(super) fn resolve_stmt(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Expr(e) => self.resolve_expr(e),
            Stmt::Assign { targets, value, .. } => {
                self.resolve_expr(value);
                for t in targets {
                    self.resolve_target(t);
                }
            }
            Stmt::AugAssign {
                target,
                value,
                load,
                ..
            } => match target {
                Expr::Name(name) => {
                    let mut read = name.clone();
                    read.rust_capture = self.resolve_name(&mut read);
                    *load = Some(read);
                    self.resolve_expr(value);
                    self.assign(name);
                }
                Expr::Attribute(a) => {
                    self.resolve_expr(&mut a.value);
                    self.resolve_expr(value);
                }
                Expr::Subscript(s) => {
                    self.resolve_expr(&mut s.value);
                    self.resolve_expr(&mut s.slice);
                    self.resolve_expr(value);
                }
                other => self.resolve_expr(other),
            },
            Stmt::Delete { targets, .. } => {
                for t in targets {
                    self.resolve_delete(t);
                }
            }
            Stmt::Assert { test, msg, .. } => {
                self.resolve_expr(test);
                if let Some(m) = msg {
                    self.maybe(|r| r.resolve_expr(m));
                }
            }
            Stmt::Raise { exc, cause, .. } => {
                for e in [exc, cause].into_iter().flatten() {
                    self.resolve_expr(e);
                }
            }
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
                for alias in names {
                    let mut name = Name {
                        id: alias.bound_name().to_owned(),
                        span: alias.range.start,
                        ident: proc_macro2::Ident::new("import", alias.range.start),
                        binding: Binding::Unresolved,
                        rust_capture: None,
                    };
                    self.assign(&mut name);
                    alias.binding = name.binding;
                }
            }
            Stmt::If {
                test, body, orelse, ..
            } => {
                self.resolve_expr(test);
                self.branches(|r| r.resolve_block(body), |r| r.resolve_block(orelse));
            }
            Stmt::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                self.resolve_expr(iter);
                let mut assigned = Vec::new();
                target.target_names(&mut |name| assigned.push(name.id.clone()));
                stmts_assigned_names(body, &mut assigned);
                self.looped(
                    |r| {
                        r.resolve_target(target);
                        r.resolve_block(body);
                    },
                    &assigned,
                );
                self.maybe(|r| r.resolve_block(orelse));
            }
            Stmt::While {
                test, body, orelse, ..
            } => {
                let mut assigned = Vec::new();
                walrus_names(test, &mut assigned);
                stmts_assigned_names(body, &mut assigned);
                self.looped(
                    |r| {
                        r.resolve_expr(test);
                        r.resolve_block(body);
                    },
                    &assigned,
                );
                self.maybe(|r| r.resolve_block(orelse));
            }
            Stmt::Return { value, .. } => {
                if let Some(v) = value {
                    self.resolve_expr(v);
                }
            }
            Stmt::FunctionDef {
                name,
                args,
                body,
                scope,
                ..
            } => {
                default_exprs_mut(args, &mut |d| self.resolve_expr(d));
                self.stack.push(*scope);
                self.resolve_block(body);
                self.stack.pop();
                self.assign(name);
            }
            Stmt::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => {
                self.maybe(|r| r.resolve_block(body));
                for handler in handlers.iter_mut() {
                    self.maybe(|r| {
                        if let Some(t) = &mut handler.type_ {
                            r.resolve_expr(t);
                        }
                        if let Some(name) = &mut handler.name {
                            r.assign(name);
                        }
                        r.resolve_block(&mut handler.body);
                    });
                }
                self.maybe(|r| r.resolve_block(orelse));
                self.resolve_block(finalbody);
            }
            Stmt::With {
                context,
                target,
                body,
                ..
            } => {
                self.resolve_expr(context);
                if let Some(t) = target {
                    self.resolve_target(t);
                }
                self.maybe(|r| r.resolve_block(body));
            }
        }
    }

    fn resolve_block(&mut self, stmts: &mut [Stmt]) {
        for s in stmts {
            self.resolve_stmt(s);
        }
    }

    fn resolve_delete(&mut self, target: &mut Expr) {
        match target {
            Expr::Name(name) => {
                if let Some(id) = self.lookup(&name.id) {
                    name.binding = Binding::Local(id);
                    if let Some(state) = self.flow.get_mut(&id) {
                        *state = Flow::Maybe;
                    }
                    if self.locals[id.0].is_param {
                        self.deleted_params.push((id, name.span));
                    }
                }
            }
            Expr::Tuple(t) | Expr::List(t) => {
                for e in &mut t.elts {
                    self.resolve_delete(e);
                }
            }
            other => self.resolve_target(other),
        }
    }

    pub(super) fn resolve_expr(&mut self, expr: &mut Expr) {
        crate::deep(|| self.resolve_expr_level(expr))
    }

    fn resolve_expr_level(&mut self, expr: &mut Expr) {
        // What a comprehension's `:=` assigns, anywhere in it: its loop may see the value of an
        // earlier iteration.
        let mut assigned = Vec::new();
        if matches!(
            expr,
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::GeneratorExp(_) | Expr::DictComp(_)
        ) {
            walrus_names(expr, &mut assigned);
        }
        match expr {
            Expr::Name(name) => {
                name.rust_capture = self.resolve_name(name);
            }
            Expr::Rust(value) => {
                value.capture = self.capture_rust();
            }
            Expr::NamedExpr(e) => {
                self.resolve_expr(&mut e.value);
                self.assign(&mut e.target);
            }
            Expr::BoolOp(e) => {
                let (first, rest) = e.values.split_at_mut(1);
                self.resolve_expr(&mut first[0]);
                self.maybe(|r| {
                    for v in rest {
                        r.resolve_expr(v);
                    }
                });
            }
            Expr::IfExp(e) => {
                self.resolve_expr(&mut e.test);
                let (body, orelse) = (&mut e.body, &mut e.orelse);
                self.branches(|r| r.resolve_expr(body), |r| r.resolve_expr(orelse));
            }
            Expr::Lambda(l) => {
                default_exprs_mut(&mut l.args, &mut |d| self.resolve_expr(d));
                self.stack.push(l.scope);
                self.resolve_expr(&mut l.body);
                self.stack.pop();
            }
            Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
                let scope = c.scope;
                let elt = &mut c.elt;
                self.resolve_comprehension(scope, &mut c.generators, assigned, |r| {
                    r.resolve_expr(elt)
                });
            }
            Expr::DictComp(c) => {
                let scope = c.scope;
                let (key, value) = (&mut c.key, &mut c.value);
                self.resolve_comprehension(scope, &mut c.generators, assigned, |r| {
                    r.resolve_expr(key);
                    r.resolve_expr(value);
                });
            }
            other => child_exprs_mut(other, |child| self.resolve_expr(child)),
        }
    }

    fn resolve_comprehension(
        &mut self,
        scope: ScopeId,
        generators: &mut [Comprehension],
        assigned: Vec<String>,
        element: impl FnOnce(&mut Self),
    ) {
        let Some((first, rest)) = generators.split_first_mut() else {
            return;
        };
        self.resolve_expr(&mut first.iter);
        self.stack.push(scope);
        self.looped(
            |r| {
                r.resolve_target(&mut first.target);
                for cond in &mut first.ifs {
                    r.resolve_expr(cond);
                }
                for g in rest.iter_mut() {
                    r.resolve_expr(&mut g.iter);
                    r.resolve_target(&mut g.target);
                    for cond in &mut g.ifs {
                        r.resolve_expr(cond);
                    }
                }
                element(r);
            },
            &assigned,
        );
        self.stack.pop();
    }

    fn resolve_target(&mut self, target: &mut Expr) {
        match target {
            Expr::Name(name) => self.assign(name),
            Expr::Tuple(t) | Expr::List(t) => {
                for e in &mut t.elts {
                    self.resolve_target(e);
                }
            }
            Expr::Starred(s) => self.resolve_target(&mut s.value),
            Expr::Attribute(a) => self.resolve_expr(&mut a.value),
            Expr::Subscript(s) => {
                self.resolve_expr(&mut s.value);
                self.resolve_expr(&mut s.slice);
            }
            other => self.resolve_expr(other),
        }
    }

    /// A read of `name`; returns its capture index when it is a Rust value a closure copies.
    fn resolve_name(&mut self, name: &mut Name) -> Option<usize> {
        match self.lookup(&name.id) {
            Some(id) => {
                let owner = self.locals[id.0].scope;
                let crossed = self.deferred_between(owner);
                if !crossed.is_empty() {
                    self.capture_cell(id, crossed);
                    name.binding = Binding::Local(id);
                    return None;
                }
                let top_flow = self.flow.get(&id).copied();
                match top_flow {
                    Some(Flow::No) => self.resolve_outer(name),
                    // Maybe bound: a builtin of the same name is the fallback; a Rust binding is
                    // not (it may not exist), so the Python variable it is, unbound or not.
                    Some(Flow::Maybe) if is_builtin(&name.id) => {
                        name.binding = Binding::LocalOrOuter(id, Outer::Builtin);
                        None
                    }
                    _ => {
                        name.binding = Binding::Local(id);
                        None
                    }
                }
            }
            None => self.resolve_outer(name),
        }
    }

    /// A name no Python variable binds here: a builtin, else the Rust binding.
    fn resolve_outer(&mut self, name: &mut Name) -> Option<usize> {
        if is_builtin(&name.id) {
            name.binding = Binding::Builtin;
            None
        } else {
            name.binding = Binding::Rust;
            self.capture_rust()
        }
    }

    /// An assignment to `name`.
    fn assign(&mut self, name: &mut Name) {
        let Some(id) = self.lookup(&name.id) else {
            return;
        };
        name.binding = Binding::Local(id);
        let owner = self.locals[id.0].scope;
        let crossed = self.deferred_between(owner);
        if !crossed.is_empty() {
            self.capture_cell(id, crossed);
        }
        if let Some(flow) = self.flow.get_mut(&id) {
            *flow = Flow::Yes;
        }
    }

    /// Runs `f` as code that may not run; top-level flow after it is joined with before.
    fn maybe(&mut self, f: impl FnOnce(&mut Self)) {
        let before = self.flow.clone();
        f(self);
        for (id, state) in self.flow.iter_mut() {
            *state = join(before.get(id).copied().unwrap_or(Flow::No), *state);
        }
    }

    /// Runs `body` and `orelse` as the two branches of a test: top-level flow after them is
    /// their join.
    fn branches(&mut self, body: impl FnOnce(&mut Self), orelse: impl FnOnce(&mut Self)) {
        let before = self.flow.clone();
        body(self);
        let after_body = std::mem::replace(&mut self.flow, before);
        orelse(self);
        for (id, state) in self.flow.iter_mut() {
            *state = join(after_body.get(id).copied().unwrap_or(Flow::No), *state);
        }
    }

    /// Runs `f` as code that may run many times: anything it assigns is `Maybe` inside it too.
    fn looped(&mut self, f: impl FnOnce(&mut Self), assigned_inside: &[String]) {
        for name in assigned_inside {
            if let Some(id) = self.lookup(name)
                && let Some(state) = self.flow.get_mut(&id)
                && *state == Flow::No
            {
                *state = Flow::Maybe;
            }
        }
        self.maybe(f);
    }
}

/// Names bound by `:=` anywhere in `expr`, not looking into lambdas.
fn walrus_names(expr: &Expr, out: &mut Vec<String>) {
    expr.walrus_targets(&mut |name| out.push(name.id.clone()));
}

/// Every name statements assign, nested blocks and `:=` included (not inside a `def`, whose
/// names are its own).
fn stmts_assigned_names(stmts: &[Stmt], out: &mut Vec<String>) {
    for stmt in stmts {
        stmt_bound_names(stmt, out);
        stmt_exprs(stmt, |e| walrus_names(e, out));
        if !matches!(stmt, Stmt::FunctionDef { .. }) {
            crate::ast::visit::stmt_blocks(stmt, |block| stmts_assigned_names(block, out));
        }
    }
}
