//! Name resolution: which names are Python's (bound in the macro, or builtins) and which are Rust's.

use crate::ast::visit::{
    child_exprs_mut, default_exprs_mut, stmt_blocks, stmt_blocks_mut, stmt_exprs, stmt_exprs_mut,
};
use crate::ast::*;
use std::collections::HashMap;

/// The names of CPython's `builtins` module on any supported version (3.9 to 3.13), less the
/// dunder names, private names and what `site` adds. A name that only newer versions have
/// (`aiter`/`anext` and `EncodingWarning` since 3.10, `BaseExceptionGroup`/`ExceptionGroup`
/// since 3.11, `PythonFinalizationError` since 3.13) is still a builtin here: where the running
/// Python lacks it, reading it raises `NameError`, as CPython's own lookup would.
pub const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "PythonFinalizationError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "__build_class__",
    "__debug__",
    "__import__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Whether `name` is one of CPython's builtins.
///
/// ```
/// assert!(pycall_backend::resolve::is_builtin("sorted"));
/// assert!(!pycall_backend::resolve::is_builtin("numpy"));
/// ```
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The macro's own scope: like a module, a read before the first assignment falls back to
    /// the Rust binding (or builtin) of that name.
    Top,
    Lambda,
    /// A list, set or dict comprehension, run in place.
    Comprehension,
    /// A generator expression: a Python iterator that runs later.
    Generator,
}

impl ScopeKind {
    /// Runs after the code that creates it, in a Rust closure of its own.
    pub fn deferred(self) -> bool {
        matches!(self, ScopeKind::Lambda | ScopeKind::Generator)
    }
}

/// How a Python variable is kept in the generated Rust code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// `Bound` — a lambda parameter, bound before any read.
    Param,
    /// `Option<Bound>` — unbound until assigned.
    Optional,
    /// A Python cell object, shared with the closures of lambdas and generators.
    Cell,
}

pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    /// Locals this scope owns, in the order they were first bound.
    pub locals: Vec<LocalId>,
    /// For deferred scopes: the enclosing scopes' cells this closure needs.
    pub captured_cells: Vec<LocalId>,
    /// For deferred scopes: the Rust values (capture indices) this closure needs.
    pub captured_rust: Vec<usize>,
}

pub struct Local {
    pub name: String,
    pub scope: ScopeId,
    pub storage: Storage,
    /// A lambda parameter (bound by the call, whatever its storage).
    pub is_param: bool,
}

/// The resolver's result: scopes and locals, indexed by the ids stored in the AST.
pub struct Resolution {
    pub scopes: Vec<Scope>,
    pub locals: Vec<Local>,
    /// How many Rust values deferred scopes capture.
    pub rust_captures: usize,
}

impl Resolution {
    pub fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.0]
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0]
    }
}

/// Whether a top-level local has been assigned at a point of evaluation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flow {
    No,
    Maybe,
    Yes,
}

fn join(a: Flow, b: Flow) -> Flow {
    if a == b { a } else { Flow::Maybe }
}

struct Resolver {
    scopes: Vec<Scope>,
    locals: Vec<Local>,
    /// Per scope: name -> local.
    bound: Vec<HashMap<String, LocalId>>,
    /// Flow state of top-level locals.
    flow: HashMap<LocalId, Flow>,
    stack: Vec<ScopeId>,
    rust_captures: usize,
    errors: Vec<syn::Error>,
}

/// Resolves every name of a `py!` input (its statements, then its value).
pub fn resolve_input(input: &mut Input) -> Result<Resolution, Vec<syn::Error>> {
    let mut r = Resolver::new();
    let top = r.new_scope(ScopeKind::Top, None);
    for stmt in &mut input.stmts {
        r.collect_stmt(stmt, top);
    }
    r.collect(&mut input.body, top, top);
    r.stack.push(top);
    for stmt in &mut input.stmts {
        r.visit_stmt(stmt);
    }
    r.visit(&mut input.body);
    r.finish()
}

/// Resolves every name in `expr`; errors are collected, not stopped at.
///
/// ```
/// use pycall_backend::ast::{Binding, Expr};
/// let mut expr = pycall_backend::parse::parse_expression("len(xs)".parse().unwrap()).unwrap();
/// pycall_backend::resolve::resolve(&mut expr).map_err(|_| ()).unwrap();
/// let Expr::Call(call) = &expr else { unreachable!() };
/// let (Expr::Name(func), Expr::Name(arg)) = (&*call.func, &call.args[0]) else { unreachable!() };
/// assert_eq!((func.binding, arg.binding), (Binding::Builtin, Binding::Rust));
/// ```
pub fn resolve(expr: &mut Expr) -> Result<Resolution, Vec<syn::Error>> {
    let mut r = Resolver::new();
    let top = r.new_scope(ScopeKind::Top, None);
    r.collect(expr, top, top);
    r.stack.push(top);
    r.visit(expr);
    r.finish()
}

impl Resolver {
    fn new() -> Self {
        Resolver {
            scopes: Vec::new(),
            locals: Vec::new(),
            bound: Vec::new(),
            flow: HashMap::new(),
            stack: Vec::new(),
            rust_captures: 0,
            errors: Vec::new(),
        }
    }

    fn finish(self) -> Result<Resolution, Vec<syn::Error>> {
        if self.errors.is_empty() {
            Ok(Resolution {
                scopes: self.scopes,
                locals: self.locals,
                rust_captures: self.rust_captures,
            })
        } else {
            Err(self.errors)
        }
    }

    /// First pass over a statement: bind the names it assigns in `scope`.
    fn collect_stmt(&mut self, stmt: &mut Stmt, scope: ScopeId) {
        if let Stmt::FunctionDef {
            name,
            args,
            body,
            scope: inner_slot,
            ..
        } = stmt
        {
            self.bind(scope, &name.id, Storage::Optional);
            let inner = self.collect_function(args, scope, scope);
            *inner_slot = inner;
            for s in body.iter_mut() {
                self.collect_stmt(s, inner);
            }
            return;
        }
        let mut names = Vec::new();
        stmt_bound_names(stmt, &mut names);
        for name in names {
            self.bind(scope, &name, Storage::Optional);
        }
        stmt_exprs_mut(stmt, |e| self.collect(e, scope, scope));
        stmt_blocks_mut(stmt, |block| {
            for s in block {
                self.collect_stmt(s, scope);
            }
        });
    }

    /// Second pass over a statement, in evaluation order.
    fn visit_stmt(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Expr(e) => self.visit(e),
            Stmt::Assign { targets, value, .. } => {
                self.visit(value);
                for t in targets {
                    self.visit_target(t);
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
                    self.visit(value);
                    self.assign(name);
                }
                Expr::Attribute(a) => {
                    self.visit(&mut a.value);
                    self.visit(value);
                }
                Expr::Subscript(s) => {
                    self.visit(&mut s.value);
                    self.visit(&mut s.slice);
                    self.visit(value);
                }
                other => self.visit(other),
            },
            Stmt::Delete { targets, .. } => {
                for t in targets {
                    self.visit_delete(t);
                }
            }
            Stmt::Assert { test, msg, .. } => {
                self.visit(test);
                if let Some(m) = msg {
                    self.maybe(|r| r.visit(m));
                }
            }
            Stmt::Raise { exc, cause, .. } => {
                for e in [exc, cause].into_iter().flatten() {
                    self.visit(e);
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
                self.visit(test);
                let before = self.flow.clone();
                self.visit_block(body);
                let after_body = std::mem::replace(&mut self.flow, before);
                self.visit_block(orelse);
                for (id, state) in self.flow.iter_mut() {
                    *state = join(after_body.get(id).copied().unwrap_or(Flow::No), *state);
                }
            }
            Stmt::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                self.visit(iter);
                let mut assigned = Vec::new();
                target_names(target, &mut assigned);
                stmts_assigned_names(body, &mut assigned);
                self.looped(
                    |r| {
                        r.visit_target(target);
                        r.visit_block(body);
                    },
                    &assigned,
                );
                self.maybe(|r| {
                    r.visit_block(orelse);
                });
            }
            Stmt::Return { value, .. } => {
                if let Some(v) = value {
                    self.visit(v);
                }
            }
            Stmt::FunctionDef {
                name,
                args,
                body,
                scope,
                ..
            } => {
                default_exprs_mut(args, &mut |d| self.visit(d));
                self.stack.push(*scope);
                self.visit_block(body);
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
                self.maybe(|r| {
                    r.visit_block(body);
                });
                for handler in handlers.iter_mut() {
                    self.maybe(|r| {
                        if let Some(t) = &mut handler.type_ {
                            r.visit(t);
                        }
                        if let Some(name) = &mut handler.name {
                            r.assign(name);
                        }
                        r.visit_block(&mut handler.body);
                    });
                }
                self.maybe(|r| {
                    r.visit_block(orelse);
                });
                self.visit_block(finalbody);
            }
            Stmt::With {
                context,
                target,
                body,
                ..
            } => {
                self.visit(context);
                if let Some(t) = target {
                    self.visit_target(t);
                }
                self.maybe(|r| {
                    r.visit_block(body);
                });
            }
            Stmt::While {
                test, body, orelse, ..
            } => {
                let mut assigned = Vec::new();
                walrus_names(test, &mut assigned);
                stmts_assigned_names(body, &mut assigned);
                self.looped(
                    |r| {
                        r.visit(test);
                        r.visit_block(body);
                    },
                    &assigned,
                );
                self.maybe(|r| {
                    r.visit_block(orelse);
                });
            }
        }
    }

    fn visit_block(&mut self, stmts: &mut [Stmt]) {
        for s in stmts {
            self.visit_stmt(s);
        }
    }

    fn visit_delete(&mut self, target: &mut Expr) {
        match target {
            Expr::Name(name) => {
                if let Some(id) = self.lookup(&name.id) {
                    name.binding = Binding::Local(id);
                    if let Some(state) = self.flow.get_mut(&id) {
                        *state = Flow::Maybe;
                    }
                }
            }
            Expr::Tuple(t) | Expr::List(t) => {
                for e in &mut t.elts {
                    self.visit_delete(e);
                }
            }
            other => self.visit_target(other),
        }
    }

    fn new_scope(&mut self, kind: ScopeKind, parent: Option<ScopeId>) -> ScopeId {
        self.scopes.push(Scope {
            kind,
            parent,
            locals: Vec::new(),
            captured_cells: Vec::new(),
            captured_rust: Vec::new(),
        });
        self.bound.push(HashMap::new());
        ScopeId(self.scopes.len() - 1)
    }

    fn bind(&mut self, scope: ScopeId, name: &str, storage: Storage) -> LocalId {
        if let Some(id) = self.bound[scope.0].get(name) {
            return *id;
        }
        self.locals.push(Local {
            name: name.to_owned(),
            scope,
            storage,
            is_param: storage == Storage::Param,
        });
        let id = LocalId(self.locals.len() - 1);
        self.bound[scope.0].insert(name.to_owned(), id);
        self.scopes[scope.0].locals.push(id);
        if self.scopes[scope.0].kind == ScopeKind::Top {
            self.flow.insert(id, Flow::No);
        }
        id
    }

    /// First pass: create scopes and bind the names each one owns. `scope` is where the
    /// expression runs; `walrus_scope` is where `:=` binds (comprehensions bind outside).
    fn collect(&mut self, expr: &mut Expr, scope: ScopeId, walrus_scope: ScopeId) {
        crate::deep(|| self.collect_level(expr, scope, walrus_scope))
    }

    fn collect_level(&mut self, expr: &mut Expr, scope: ScopeId, walrus_scope: ScopeId) {
        let generator = matches!(expr, Expr::GeneratorExp(_));
        match expr {
            Expr::NamedExpr(e) => {
                self.collect(&mut e.value, scope, walrus_scope);
                let name = e.target.id.clone();
                if self.rebinds_iteration_variable(scope, &name) {
                    self.errors.push(syn::Error::new(
                        e.target.span,
                        format!("assignment expression cannot rebind comprehension iteration variable `{name}`"),
                    ));
                }
                self.bind(walrus_scope, &name, Storage::Optional);
            }
            Expr::Lambda(l) => {
                let inner = self.collect_function(&mut l.args, scope, walrus_scope);
                l.scope = inner;
                self.collect(&mut l.body, inner, inner);
            }
            Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
                let kind = if generator {
                    ScopeKind::Generator
                } else {
                    ScopeKind::Comprehension
                };
                let elt = &mut c.elt;
                c.scope = self.collect_comprehension(
                    kind,
                    &mut c.generators,
                    scope,
                    walrus_scope,
                    |r, inner, ws| {
                        r.collect(elt, inner, ws);
                    },
                );
            }
            Expr::DictComp(c) => {
                let (key, value) = (&mut c.key, &mut c.value);
                c.scope = self.collect_comprehension(
                    ScopeKind::Comprehension,
                    &mut c.generators,
                    scope,
                    walrus_scope,
                    |r, inner, ws| {
                        r.collect(key, inner, ws);
                        r.collect(value, inner, ws);
                    },
                );
            }
            _ => child_exprs_mut(expr, |child| self.collect(child, scope, walrus_scope)),
        }
    }

    /// A lambda's or `def`'s defaults (run where it is made) and a new scope binding its
    /// parameters.
    fn collect_function(
        &mut self,
        args: &mut Arguments,
        scope: ScopeId,
        walrus_scope: ScopeId,
    ) -> ScopeId {
        default_exprs_mut(args, &mut |d| self.collect(d, scope, walrus_scope));
        let inner = self.new_scope(ScopeKind::Lambda, Some(scope));
        for arg in args.params() {
            self.bind(inner, &arg.arg, Storage::Param);
        }
        inner
    }

    fn collect_comprehension(
        &mut self,
        kind: ScopeKind,
        generators: &mut [Comprehension],
        scope: ScopeId,
        walrus_scope: ScopeId,
        body: impl FnOnce(&mut Self, ScopeId, ScopeId),
    ) -> ScopeId {
        let inner = self.new_scope(kind, Some(scope));
        // `:=` inside a comprehension binds in the nearest enclosing lambda or the macro.
        let ws = if self.scopes[scope.0].kind == ScopeKind::Lambda
            || self.scopes[scope.0].kind == ScopeKind::Top
        {
            scope
        } else {
            walrus_scope
        };
        let storage = if kind == ScopeKind::Generator {
            Storage::Cell
        } else {
            Storage::Optional
        };
        for (i, generator) in generators.iter_mut().enumerate() {
            if i == 0 {
                self.collect_no_walrus(&mut generator.iter, scope, walrus_scope);
            } else {
                self.collect_no_walrus(&mut generator.iter, inner, ws);
            }
            let mut names = Vec::new();
            target_names(&generator.target, &mut names);
            for name in names {
                self.bind(inner, &name, storage);
            }
            for cond in &mut generator.ifs {
                self.collect(cond, inner, ws);
            }
        }
        body(self, inner, ws);
        inner
    }

    /// Whether `name` is a `for` target of the comprehension `scope` or of one around it.
    fn rebinds_iteration_variable(&self, scope: ScopeId, name: &str) -> bool {
        let mut current = Some(scope);
        while let Some(s) = current {
            let info = &self.scopes[s.0];
            if !matches!(info.kind, ScopeKind::Comprehension | ScopeKind::Generator) {
                return false;
            }
            if self.bound[s.0].contains_key(name) {
                return true;
            }
            current = info.parent;
        }
        false
    }

    fn collect_no_walrus(&mut self, expr: &mut Expr, scope: ScopeId, walrus_scope: ScopeId) {
        if let Some(range) = find_walrus(expr) {
            self.errors.push(range.error(
                "assignment expression cannot be used in a comprehension iterable expression",
            ));
        }
        self.collect(expr, scope, walrus_scope);
    }

    /// Finds the scope that binds `name`, looking outwards from the current scope.
    fn lookup(&self, name: &str) -> Option<LocalId> {
        self.stack
            .iter()
            .rev()
            .find_map(|s| self.bound[s.0].get(name).copied())
    }

    fn in_deferred(&self) -> bool {
        self.stack.iter().any(|s| self.scopes[s.0].kind.deferred())
    }

    /// Deferred scopes on the stack above `owner` (the closures a read must cross).
    fn deferred_between(&self, owner: ScopeId) -> Vec<ScopeId> {
        let mut crossed = Vec::new();
        for s in self.stack.iter().rev() {
            if *s == owner {
                break;
            }
            if self.scopes[s.0].kind.deferred() {
                crossed.push(*s);
            }
        }
        crossed
    }

    fn capture_rust(&mut self) -> Option<usize> {
        if !self.in_deferred() {
            return None;
        }
        let index = self.rust_captures;
        self.rust_captures += 1;
        for s in self.stack.clone() {
            if self.scopes[s.0].kind.deferred() {
                self.scopes[s.0].captured_rust.push(index);
            }
        }
        Some(index)
    }

    fn resolve_name(&mut self, name: &mut Name) -> Option<usize> {
        match self.lookup(&name.id) {
            Some(id) => {
                let owner = self.locals[id.0].scope;
                let crossed = self.deferred_between(owner);
                if !crossed.is_empty() {
                    self.locals[id.0].storage = Storage::Cell;
                    for d in crossed {
                        if !self.scopes[d.0].captured_cells.contains(&id) {
                            self.scopes[d.0].captured_cells.push(id);
                        }
                    }
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

    fn resolve_outer(&mut self, name: &mut Name) -> Option<usize> {
        if is_builtin(&name.id) {
            name.binding = Binding::Builtin;
            None
        } else {
            name.binding = Binding::Rust;
            self.capture_rust()
        }
    }

    fn assign(&mut self, name: &mut Name) {
        let Some(id) = self.lookup(&name.id) else {
            return;
        };
        name.binding = Binding::Local(id);
        let owner = self.locals[id.0].scope;
        if !self.deferred_between(owner).is_empty() {
            self.locals[id.0].storage = Storage::Cell;
            for d in self.deferred_between(owner) {
                if !self.scopes[d.0].captured_cells.contains(&id) {
                    self.scopes[d.0].captured_cells.push(id);
                }
            }
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

    /// Second pass, in evaluation order.
    fn visit(&mut self, expr: &mut Expr) {
        crate::deep(|| self.visit_level(expr))
    }

    fn visit_level(&mut self, expr: &mut Expr) {
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
                self.visit(&mut e.value);
                self.assign(&mut e.target);
            }
            Expr::BoolOp(e) => {
                let (first, rest) = e.values.split_at_mut(1);
                self.visit(&mut first[0]);
                self.maybe(|r| {
                    for v in rest {
                        r.visit(v);
                    }
                });
            }
            Expr::IfExp(e) => {
                self.visit(&mut e.test);
                let before = self.flow.clone();
                self.visit(&mut e.body);
                let after_body = std::mem::replace(&mut self.flow, before);
                self.visit(&mut e.orelse);
                for (id, state) in self.flow.iter_mut() {
                    *state = join(after_body.get(id).copied().unwrap_or(Flow::No), *state);
                }
            }
            Expr::Lambda(l) => {
                default_exprs_mut(&mut l.args, &mut |d| self.visit(d));
                self.stack.push(l.scope);
                self.visit(&mut l.body);
                self.stack.pop();
            }
            Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
                let scope = c.scope;
                let elt = &mut c.elt;
                self.visit_comprehension(scope, &mut c.generators, assigned, |r| r.visit(elt));
            }
            Expr::DictComp(c) => {
                let scope = c.scope;
                let (key, value) = (&mut c.key, &mut c.value);
                self.visit_comprehension(scope, &mut c.generators, assigned, |r| {
                    r.visit(key);
                    r.visit(value);
                });
            }
            _ => child_exprs_mut(expr, |child| self.visit(child)),
        }
    }

    fn visit_comprehension(
        &mut self,
        scope: ScopeId,
        generators: &mut [Comprehension],
        assigned: Vec<String>,
        body: impl FnOnce(&mut Self),
    ) {
        let Some((first, rest)) = generators.split_first_mut() else {
            return;
        };
        self.visit(&mut first.iter);
        self.stack.push(scope);
        self.looped(
            |r| {
                r.visit_target(&mut first.target);
                for cond in &mut first.ifs {
                    r.visit(cond);
                }
                for g in rest.iter_mut() {
                    r.visit(&mut g.iter);
                    r.visit_target(&mut g.target);
                    for cond in &mut g.ifs {
                        r.visit(cond);
                    }
                }
                body(r);
            },
            &assigned,
        );
        self.stack.pop();
    }

    fn visit_target(&mut self, target: &mut Expr) {
        match target {
            Expr::Name(name) => self.assign(name),
            Expr::Tuple(t) | Expr::List(t) => {
                for e in &mut t.elts {
                    self.visit_target(e);
                }
            }
            Expr::Starred(s) => self.visit_target(&mut s.value),
            Expr::Attribute(a) => self.visit(&mut a.value),
            Expr::Subscript(s) => {
                self.visit(&mut s.value);
                self.visit(&mut s.slice);
            }
            other => self.visit(other),
        }
    }
}

/// Names bound by a `for` target.
fn target_names(target: &Expr, out: &mut Vec<String>) {
    match target {
        Expr::Name(n) => out.push(n.id.clone()),
        Expr::Tuple(t) | Expr::List(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// Names bound by `:=` anywhere in `expr`, not looking into lambdas.
fn walrus_names(expr: &Expr, out: &mut Vec<String>) {
    expr.walrus_targets(&mut |name| out.push(name.id.clone()));
}

fn find_walrus(expr: &Expr) -> Option<Range> {
    expr.contains_walrus().then(|| expr.range())
}

/// Names a statement binds directly (not those of nested blocks, nor `:=` inside expressions).
fn stmt_bound_names(stmt: &Stmt, out: &mut Vec<String>) {
    match stmt {
        Stmt::Assign { targets, .. } => targets.iter().for_each(|t| target_names(t, out)),
        Stmt::AugAssign { target, .. } => target_names(target, out),
        Stmt::Delete { targets, .. } => targets.iter().for_each(|t| target_names(t, out)),
        Stmt::For { target, .. } => target_names(target, out),
        Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
            out.extend(names.iter().map(|a| a.bound_name().to_owned()))
        }
        Stmt::With {
            target: Some(t), ..
        } => target_names(t, out),
        Stmt::FunctionDef { name, .. } => out.push(name.id.clone()),
        Stmt::Try { handlers, .. } => out.extend(
            handlers
                .iter()
                .filter_map(|h| h.name.as_ref().map(|n| n.id.clone())),
        ),
        _ => {}
    }
}

/// Every name statements assign, nested blocks and `:=` included.
fn stmts_assigned_names(stmts: &[Stmt], out: &mut Vec<String>) {
    for stmt in stmts {
        stmt_bound_names(stmt, out);
        stmt_exprs(stmt, |e| walrus_names(e, out));
        if !matches!(stmt, Stmt::FunctionDef { .. }) {
            stmt_blocks(stmt, |block| stmts_assigned_names(block, out));
        }
    }
}
