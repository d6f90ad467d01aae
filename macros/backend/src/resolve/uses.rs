//! Name resolution, second pass: every use of a name in evaluation order, deciding what it
//! reads (a Python variable, a builtin, a Rust binding), which variables closures capture, and,
//! for the macro's own variables, whether each is bound yet at that point.

use super::{Resolver, ScopeKind, Storage, is_builtin};
use crate::ast::visit::{
    child_exprs_mut, default_exprs_mut, pattern_exprs_mut, pattern_names_mut, stmt_exprs,
};
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
                decorator_list,
                returns,
                scope,
                ..
            } => {
                for decorator in decorator_list {
                    self.resolve_expr(decorator);
                }
                default_exprs_mut(args, &mut |d| self.resolve_expr(d));
                for arg in args.params_mut() {
                    if let Some(annotation) = &mut arg.annotation {
                        self.resolve_annotation(annotation);
                    }
                }
                if let Some(returns) = returns {
                    self.resolve_annotation(returns);
                }
                self.stack.push(*scope);
                self.resolve_block(body);
                self.stack.pop();
                self.assign(name);
            }
            Stmt::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorator_list,
                scope,
                ..
            } => {
                for decorator in decorator_list {
                    self.resolve_expr(decorator);
                }
                for base in bases {
                    self.resolve_expr(base);
                }
                for keyword in keywords {
                    self.resolve_expr(&mut keyword.value);
                }
                self.stack.push(*scope);
                self.resolve_block(body);
                self.stack.pop();
                self.assign(name);
            }
            Stmt::Global { .. } | Stmt::Nonlocal { .. } => {}
            Stmt::Match { subject, cases, .. } => {
                self.resolve_expr(subject);
                for case in cases {
                    // A case may not run, nor its pattern match.
                    self.maybe(|r| {
                        pattern_exprs_mut(&mut case.pattern, &mut |e| r.resolve_expr(e));
                        pattern_names_mut(&mut case.pattern, &mut |name| r.assign(name));
                        if let Some(guard) = &mut case.guard {
                            r.resolve_expr(guard);
                        }
                        r.resolve_block(&mut case.body);
                    });
                }
            }
            Stmt::AnnAssign {
                target,
                annotation,
                value,
                ..
            } => {
                match value {
                    Some(value) => {
                        self.resolve_expr(value);
                        self.resolve_target(target);
                    }
                    // `x: int` binds nothing; `a.b: int` and `a[k]: int` evaluate `a` (and `k`).
                    None => match target {
                        Expr::Attribute(a) => self.resolve_expr(&mut a.value),
                        Expr::Subscript(s) => {
                            self.resolve_expr(&mut s.value);
                            self.resolve_expr(&mut s.slice);
                        }
                        _ => {}
                    },
                }
                // A function's annotations of its variables are not evaluated.
                if !self.in_function_body() {
                    self.resolve_annotation(annotation);
                }
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
                if let Some(class) = self.class_body(&name.id) {
                    name.binding = Binding::Namespace(class, Fallback::Undefined);
                    return;
                }
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
            Expr::Call(c) => {
                self.resolve_expr(&mut c.func);
                for arg in &mut c.args {
                    self.resolve_expr(arg);
                }
                for keyword in &mut c.keywords {
                    self.resolve_expr(&mut keyword.value);
                }
                self.resolve_zero_arg_super(c);
            }
            other => child_exprs_mut(other, |child| self.resolve_expr(child)),
        }
    }

    /// `super()` without arguments in a method reads the `__class__` cell of the class the
    /// method is in and the method's first parameter, as CPython's compiler arranges.
    fn resolve_zero_arg_super(&mut self, call: &mut Call) {
        let is_builtin_super = matches!(
            &*call.func,
            Expr::Name(n) if n.id == "super" && n.binding == Binding::Builtin
        );
        if !is_builtin_super || !call.args.is_empty() || !call.keywords.is_empty() {
            return;
        }
        let Some(function) = self.enclosing_function() else {
            return;
        };
        let Some(class) = self.class_around(function) else {
            return;
        };
        let span = call.func.range().start;
        let name = |id: &str| Name {
            id: id.to_owned(),
            span,
            ident: proc_macro2::Ident::new("__class__", span),
            binding: Binding::Unresolved,
            rust_capture: None,
        };
        self.bind(class, "__class__", Storage::Cell);
        let mut class_cell = name("__class__");
        class_cell.rust_capture = self.resolve_name(&mut class_cell);
        let first = self.scopes[function.0].first_param.clone().map(|param| {
            let mut first = name(&param);
            first.rust_capture = self.resolve_name(&mut first);
            first
        });
        call.zero_arg_super = Some(Box::new(SuperArgs { class_cell, first }));
    }

    /// An annotation: its names are Python's (a name nothing binds is a `NameError`, not a
    /// Rust binding: an annotation names a type, and a Rust value there is written `$name`).
    fn resolve_annotation(&mut self, annotation: &mut Expr) {
        let outer = std::mem::replace(&mut self.in_annotation, true);
        self.resolve_expr(annotation);
        self.in_annotation = outer;
    }

    /// The innermost function (a `def` or a lambda) the current code is in.
    fn enclosing_function(&self) -> Option<ScopeId> {
        self.stack
            .iter()
            .rev()
            .copied()
            .find(|s| self.scopes[s.0].kind == ScopeKind::Lambda)
    }

    /// The class body that `function` is in, directly or through other functions.
    fn class_around(&self, function: ScopeId) -> Option<ScopeId> {
        let mut scope = self.scopes[function.0].parent;
        while let Some(s) = scope {
            if self.scopes[s.0].kind == ScopeKind::Class {
                return Some(s);
            }
            scope = self.scopes[s.0].parent;
        }
        None
    }

    /// Whether the current code is a function's body (whose variable annotations are not
    /// evaluated), not the macro's or a class body.
    fn in_function_body(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|s| self.scopes[s.0].kind == ScopeKind::Lambda)
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
    /// In a class body: the class namespace first, then what the name means around the class
    /// (not a Rust binding, for a name the class body assigns).
    fn resolve_name(&mut self, name: &mut Name) -> Option<usize> {
        if name.id == "__class__"
            && let Some(function) = self.enclosing_function()
            && let Some(class) = self.class_around(function)
        {
            self.bind(class, "__class__", Storage::Cell);
        }
        let Some(class) = self.class_body(&name.id) else {
            // A class attribute is not in reach of the functions inside the class (nor of its
            // comprehensions): there the name is what it is around the class, and undefined
            // rather than a Rust binding (a method forgetting `self.` raises `NameError`).
            let rust = !self.class_attribute_around(&name.id);
            let found = self.lookup(&name.id);
            return self.resolve_found(name, found, rust);
        };
        let capture = if self.assigned[class.0].contains(&name.id) {
            // A name the class body assigns is read as CPython's LOAD_NAME reads it: the
            // namespace, then the macro's variables (a module's globals), then builtins; not
            // a variable of a function around the class, nor a Rust binding.
            let found = self.bound[0].get(&name.id).copied();
            self.resolve_found(name, found, false)
        } else {
            self.stack.pop();
            let found = self.lookup(&name.id);
            let capture = self.resolve_found(name, found, true);
            self.stack.push(class);
            capture
        };
        let fallback = match name.binding {
            Binding::Local(id) => Fallback::Local(id),
            Binding::LocalOrOuter(id, outer) => Fallback::LocalOrOuter(id, outer),
            Binding::Builtin => Fallback::Builtin,
            Binding::Rust => Fallback::Rust,
            Binding::Unresolved | Binding::Undefined | Binding::Namespace(..) => {
                Fallback::Undefined
            }
        };
        name.binding = Binding::Namespace(class, fallback);
        capture
    }

    /// Whether a class body around the current (nested) scope assigns `name`.
    fn class_attribute_around(&self, name: &str) -> bool {
        self.stack
            .iter()
            .rev()
            .skip(1)
            .any(|s| self.scopes[s.0].kind == ScopeKind::Class && self.assigned[s.0].contains(name))
    }

    /// A read of `name`, which names the variable `found` (if any) here (`rust`: whether a Rust
    /// binding may be what it means; if not, and nothing else binds it, it is undefined).
    fn resolve_found(
        &mut self,
        name: &mut Name,
        found: Option<LocalId>,
        rust: bool,
    ) -> Option<usize> {
        match found {
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
                    Some(Flow::No) => {
                        let rust = rust && !self.annotated_only.contains(&name.id);
                        self.resolve_outer(name, rust)
                    }
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
            None => self.resolve_outer(name, rust),
        }
    }

    /// A name no Python variable binds here: a builtin, else the Rust binding (where `rust`
    /// allows one).
    fn resolve_outer(&mut self, name: &mut Name, rust: bool) -> Option<usize> {
        let rust = rust && !self.in_annotation;
        if is_builtin(&name.id) {
            name.binding = Binding::Builtin;
            None
        } else if rust {
            name.binding = Binding::Rust;
            self.capture_rust()
        } else {
            name.binding = Binding::Undefined;
            None
        }
    }

    /// An assignment to `name`.
    fn assign(&mut self, name: &mut Name) {
        if let Some(class) = self.class_body(&name.id) {
            name.binding = Binding::Namespace(class, Fallback::Undefined);
            return;
        }
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
        stmt.bound_names(&mut |name| out.push(name.to_owned()));
        stmt_exprs(stmt, |e| walrus_names(e, out));
        if !matches!(stmt, Stmt::FunctionDef { .. } | Stmt::ClassDef { .. }) {
            crate::ast::visit::stmt_blocks(stmt, |block| stmts_assigned_names(block, out));
        }
    }
}
