//! Name resolution: which names are Python's (bound in the macro, or builtins) and which are
//! Rust's, where each Python variable lives, and what each closure captures.
//!
//! Two passes: `scopes` makes the scopes and binds in each the names it owns; `uses` then
//! resolves every use in evaluation order, following which top-level variables are bound.

mod builtins;
mod mangle;
mod scopes;
mod uses;

pub(crate) use builtins::is_builtin;

use crate::ast::*;
use crate::diag::Ctxt;
use std::collections::HashMap;
use uses::Flow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeKind {
    /// The macro's own scope: like a module, a read before the first assignment falls back to
    /// the Rust binding (or builtin) of that name.
    Top,
    /// A lambda's or a `def`'s.
    Lambda,
    /// A list, set or dict comprehension, run in place.
    Comprehension,
    /// A generator expression: a Python iterator that runs later.
    Generator,
    /// A class body, run in place: its names live in the class namespace, and the scopes
    /// inside it do not see them.
    Class,
}

impl ScopeKind {
    /// Runs after the code that creates it, in a Rust closure of its own.
    fn deferred(self) -> bool {
        matches!(self, ScopeKind::Lambda | ScopeKind::Generator)
    }
}

/// How a Python variable is kept in the generated Rust code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Storage {
    /// `Bound` — a parameter, bound before any read.
    Param,
    /// `Option<Bound>` — unbound until assigned.
    Optional,
    /// A Python cell object, shared with the closures of lambdas and generators.
    Cell,
    /// A slot of a generator's (or coroutine's) frame, which the garbage collector sees: a
    /// variable of a body that suspends, shared with no closure.
    Slot,
}

pub(crate) struct Scope {
    pub(crate) kind: ScopeKind,
    /// The scope it is in (`None` for the macro's own).
    pub(crate) parent: Option<ScopeId>,
    /// A function's first positional parameter (what `super()` passes).
    pub(crate) first_param: Option<String>,
    /// Locals this scope owns, in the order they were first bound.
    pub(crate) locals: Vec<LocalId>,
    /// For deferred scopes: the enclosing scopes' cells this closure needs.
    pub(crate) captured_cells: Vec<LocalId>,
    /// For deferred scopes: the Rust values (capture indices) this closure needs.
    pub(crate) captured_rust: Vec<usize>,
    /// A generator's or coroutine's scope: its body suspends, so every variable of it lives
    /// in a cell of the generator's frame.
    pub(crate) resumable: bool,
    /// An `async def`'s scope (its body makes a coroutine, or with `yield` an async
    /// generator).
    pub(crate) is_async: bool,
    /// The body has `yield` of its own.
    pub(crate) yields: bool,
}

pub(crate) struct Local {
    pub(crate) name: String,
    pub(crate) scope: ScopeId,
    pub(crate) storage: Storage,
    /// A parameter (bound by the call, whatever its storage).
    pub(crate) is_param: bool,
}

/// The resolver's result: scopes and locals, indexed by the ids stored in the AST.
pub(crate) struct Resolution {
    scopes: Vec<Scope>,
    locals: Vec<Local>,
}

impl Resolution {
    pub(crate) fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.0]
    }

    pub(crate) fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0]
    }
}

/// Resolves every name of a `py!` input (its statements, then its value), storing bindings
/// and scopes in the AST; what it cannot give a place is reported to `cx`.
pub(crate) fn resolve_input(input: &mut Input, cx: &Ctxt) -> Resolution {
    let mut r = Resolver {
        scopes: Vec::new(),
        locals: Vec::new(),
        bound: Vec::new(),
        declared: Vec::new(),
        assigned: Vec::new(),
        flow: HashMap::new(),
        stack: Vec::new(),
        captures: 0,
        annotated_only: std::collections::HashSet::new(),
        in_annotation: false,
        deleted_params: Vec::new(),
    };
    mangle::mangle_block(&mut input.stmts, None);
    let top = r.new_scope(ScopeKind::Top, None, &input.stmts);
    for stmt in &mut input.stmts {
        r.declare_stmt(stmt, top);
    }
    r.declare_expr(&mut input.body, top, top);
    r.stack.push(top);
    for stmt in &mut input.stmts {
        r.resolve_stmt(stmt);
    }
    r.resolve_expr(&mut input.body);
    r.finish(cx)
}

struct Resolver {
    scopes: Vec<Scope>,
    locals: Vec<Local>,
    /// Per scope: name -> local.
    bound: Vec<HashMap<String, LocalId>>,
    /// Per scope: its `global` (`true`) and `nonlocal` (`false`) declarations.
    declared: Vec<HashMap<String, bool>>,
    /// Per scope: the names its own statements bind (for a class body: the names of its
    /// namespace, which a read there does not fall back to a Rust binding for).
    assigned: Vec<std::collections::HashSet<String>>,
    /// Flow state of top-level locals.
    flow: HashMap<LocalId, Flow>,
    /// The scopes around the node being resolved, innermost last.
    stack: Vec<ScopeId>,
    /// How many Rust values deferred scopes capture so far.
    captures: usize,
    /// The macro's variables that are only annotated (`x: int`), never assigned: Python
    /// variables all the same, never Rust bindings.
    annotated_only: std::collections::HashSet<String>,
    /// Resolving an annotation, whose names are Python's (a Rust value there is `$name`).
    in_annotation: bool,
    /// `del` of a parameter, and where.
    deleted_params: Vec<(LocalId, proc_macro2::Span)>,
}

impl Resolver {
    fn finish(mut self, cx: &Ctxt) -> Resolution {
        // A body that suspends keeps its variables in its frame: in slots, or in cells where
        // closures share them.
        for scope in &self.scopes {
            if scope.resumable || scope.kind == ScopeKind::Generator {
                for id in &scope.locals {
                    if self.locals[id.0].storage != Storage::Cell {
                        self.locals[id.0].storage = Storage::Slot;
                    }
                }
            }
        }
        // A parameter no closure captures is kept as a plain `Bound`, which cannot be unbound;
        // whether one captures it is only known now.
        for (id, span) in self.deleted_params {
            if self.locals[id.0].storage == Storage::Param {
                cx.error(span, "cannot delete a lambda parameter");
            }
        }
        Resolution {
            scopes: self.scopes,
            locals: self.locals,
        }
    }

    /// A new scope in `parent`, whose statements (for a function or a class: its body) are
    /// `body`: their `global` and `nonlocal` declarations are the scope's.
    fn new_scope(&mut self, kind: ScopeKind, parent: Option<ScopeId>, body: &[Stmt]) -> ScopeId {
        self.scopes.push(Scope {
            kind,
            parent,
            first_param: None,
            locals: Vec::new(),
            captured_cells: Vec::new(),
            captured_rust: Vec::new(),
            resumable: false,
            is_async: false,
            yields: false,
        });
        self.bound.push(HashMap::new());
        let mut declared = HashMap::new();
        scope_declarations(body, &mut |name, global| {
            declared.entry(name.id.clone()).or_insert(global);
        });
        let id = ScopeId(self.scopes.len() - 1);
        // A `global` name is a variable of the macro's block, assigned or not (reading one that
        // nothing assigned is a `NameError`, never a Rust binding).
        if id.0 != 0 {
            for (name, _) in declared.iter().filter(|(_, global)| **global) {
                let local = self.bind(ScopeId(0), name, Storage::Optional);
                self.flow.insert(local, Flow::Maybe);
            }
        }
        self.declared.push(declared);
        let mut assigned = std::collections::HashSet::new();
        if kind == ScopeKind::Class {
            // What the class statement puts in the namespace before the body runs.
            assigned.extend(["__module__".to_owned(), "__qualname__".to_owned()]);
        }
        self.assigned.push(assigned);
        id
    }

    /// A name a statement of `scope` binds: a local of that scope; the macro's variable of
    /// that name when the scope declares it `global`; nothing for `nonlocal` (the enclosing
    /// function's) or in a class body (its namespace).
    fn bind_name(&mut self, scope: ScopeId, name: &str) {
        self.assigned[scope.0].insert(name.to_owned());
        match self.declared[scope.0].get(name) {
            Some(true) if scope.0 != 0 => {
                let id = self.bind(ScopeId(0), name, Storage::Optional);
                // Assigned by code that may run at any time: never known to be unbound.
                self.flow.insert(id, Flow::Maybe);
            }
            Some(_) => {}
            None if self.scopes[scope.0].kind == ScopeKind::Class => {}
            None => {
                self.bind(scope, name, Storage::Optional);
            }
        }
    }

    /// The local `name` of `scope`, made on its first binding.
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

    /// Finds the variable `name` means in the current scope, looking outwards: a `global`
    /// declaration goes to the macro's variable, a `nonlocal` one past its own scope; a class
    /// body's names are not seen from the scopes inside it (but its `__class__` cell is).
    fn lookup(&self, name: &str) -> Option<LocalId> {
        for (depth, s) in self.stack.iter().rev().enumerate() {
            match self.declared[s.0].get(name) {
                Some(true) => return self.bound[0].get(name).copied(),
                Some(false) => continue,
                None => {}
            }
            if self.scopes[s.0].kind == ScopeKind::Class && (depth > 0) != (name == "__class__") {
                continue;
            }
            if let Some(id) = self.bound[s.0].get(name) {
                return Some(*id);
            }
        }
        None
    }

    /// The class body the current code runs in directly, if any (and `name` is not declared
    /// `global` or `nonlocal` there).
    fn class_body(&self, name: &str) -> Option<ScopeId> {
        let current = *self.stack.last()?;
        (self.scopes[current.0].kind == ScopeKind::Class
            && !self.declared[current.0].contains_key(name))
        .then_some(current)
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

    /// A Rust value read inside a deferred scope: every closure around it keeps a copy, under
    /// a capture index.
    fn capture_rust(&mut self) -> Option<usize> {
        if !self.in_deferred() {
            return None;
        }
        let index = self.captures;
        self.captures += 1;
        for s in self.stack.clone() {
            if self.scopes[s.0].kind.deferred() {
                self.scopes[s.0].captured_rust.push(index);
            }
        }
        Some(index)
    }

    /// A local used across closures lives in a cell that each of them captures.
    fn capture_cell(&mut self, id: LocalId, crossed: Vec<ScopeId>) {
        self.locals[id.0].storage = Storage::Cell;
        for d in crossed {
            if !self.scopes[d.0].captured_cells.contains(&id) {
                self.scopes[d.0].captured_cells.push(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::{Binding, Expr};

    fn resolved(source: &str) -> crate::ast::Input {
        let mut input = crate::parse::parse_input(source.parse().unwrap()).unwrap();
        let cx = crate::diag::Ctxt::default();
        super::resolve_input(&mut input, &cx);
        assert!(!cx.has_errors());
        input
    }

    #[test]
    fn builtins_and_rust_names() {
        assert!(super::is_builtin("sorted"));
        assert!(!super::is_builtin("numpy"));
        let input = resolved("len(xs)");
        let Expr::Call(call) = &input.body else {
            unreachable!()
        };
        let (Expr::Name(func), Expr::Name(arg)) = (&*call.func, &call.args[0]) else {
            unreachable!()
        };
        assert_eq!(
            (func.binding, arg.binding),
            (Binding::Builtin, Binding::Rust)
        );
    }
}
