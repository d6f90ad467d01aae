//! Checking: the nesting limit, then every semantic syntax error of a parsed block in one pass
//! (what CPython's symtable and compiler refuse after parsing, as ruff's `semantic_errors.rs`),
//! so that the phases after it only meet input they can expand.

use crate::MAX_DEPTH;
use crate::ast::visit::{
    child_exprs, default_exprs, pattern_exprs, pattern_names, stmt_blocks, stmt_exprs,
};
use crate::ast::*;
use crate::ast::{body_yields, scope_declarations};
use crate::diag::Ctxt;

/// Checks a parsed input, reporting every error to `cx`.
pub(crate) fn check_input(input: &Input, cx: &Ctxt) {
    // The nesting limit first, and only its first breach: the rules below and the phases
    // after recurse over the tree.
    let shallow = input.stmts.iter().all(|stmt| check_stmt_depth(stmt, 1, cx))
        && check_depth(&input.body, 1, cx);
    if !shallow {
        return;
    }
    let mut super_assigned = false;
    find_assignments(&input.stmts, &mut |name| super_assigned |= name == "super");
    let mut checker = Checker {
        cx,
        loops: 0,
        handlers: 0,
        scopes: Vec::new(),
        blocks: vec![Block::new(BlockKind::Top)],
        super_assigned,
    };
    checker.check_block(&input.stmts);
    checker.check_expr(&input.body);
}

/// Calls `f` on every name any statement of `stmts` binds, at any depth.
fn find_assignments(stmts: &[Stmt], f: &mut impl FnMut(&str)) {
    for stmt in stmts {
        stmt.bound_names(&mut *f);
        stmt_blocks(stmt, |block| find_assignments(block, f));
    }
}

/// [`check_depth`] over a statement's expressions, and its blocks one level deeper; stops at
/// the first expression too deep.
fn check_stmt_depth(stmt: &Stmt, depth: usize, cx: &Ctxt) -> bool {
    let mut shallow = true;
    stmt_exprs(stmt, |e| shallow = shallow && check_depth(e, depth, cx));
    stmt_blocks(stmt, |block| {
        shallow = shallow && block.iter().all(|s| check_stmt_depth(s, depth + 1, cx));
    });
    shallow
}

/// Refuses an expression nested deeper than [`MAX_DEPTH`] (a chain of `and`, `or` or
/// comparisons counts as deep as it is long: it expands to nested code); stops at the first
/// node too deep.
fn check_depth(expr: &Expr, depth: usize, cx: &Ctxt) -> bool {
    crate::deep(|| {
        let width = match expr {
            Expr::BoolOp(b) => b.values.len(),
            Expr::Compare(c) => c.comparators.len(),
            _ => 1,
        };
        let depth = depth + width - 1;
        if depth > MAX_DEPTH {
            cx.push(expr.range().error(format!(
                "expression too deeply nested for `py!` (more than {MAX_DEPTH} levels of operators, calls or brackets); split it with intermediate variables"
            )));
            return false;
        }
        let mut shallow = true;
        child_exprs(expr, |child| {
            shallow = shallow && check_depth(child, depth + 1, cx)
        });
        shallow
    })
}

/// The semantic rules, in one walk that knows what surrounds each node.
struct Checker<'a> {
    cx: &'a Ctxt,
    /// Loops around the statement, in the current function (for `break` and `continue`).
    loops: usize,
    /// `except` blocks around the statement, in the current function (for a bare `raise`).
    handlers: usize,
    /// The scopes between the expression and the statement it is in, innermost last.
    scopes: Vec<Scope>,
    /// The blocks (the macro's, functions', class bodies) around the statement, innermost
    /// last.
    blocks: Vec<Block>,
    /// Some statement binds the name `super`, so `super()` may not be the builtin's.
    super_assigned: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Top,
    Function,
    Class,
}

/// What the checker knows of a block's names, for `global` and `nonlocal`.
struct Block {
    kind: BlockKind,
    /// A function's own variables: its parameters and what its statements bind.
    locals: Vec<String>,
    params: Vec<String>,
    /// Names read and assigned so far, in source order.
    used: Vec<String>,
    assigned: Vec<String>,
    annotated: Vec<String>,
    /// `global` (`true`) and `nonlocal` (`false`) declarations so far.
    declared: Vec<(String, bool)>,
    /// An `async def`.
    is_async: bool,
    /// A function with `yield` of its own: a generator.
    is_generator: bool,
}

impl Block {
    fn new(kind: BlockKind) -> Self {
        Block {
            kind,
            locals: Vec::new(),
            params: Vec::new(),
            used: Vec::new(),
            assigned: Vec::new(),
            annotated: Vec::new(),
            declared: Vec::new(),
            is_async: false,
            is_generator: false,
        }
    }
}

/// A scope an expression can open.
enum Scope {
    /// A comprehension (what CPython calls it: "list comprehension", "generator
    /// expression"…), with the iteration variables its clauses have bound so far.
    Comprehension(&'static str, Vec<String>),
    /// A lambda: `:=` inside it binds there, whatever is around it.
    Lambda,
}

impl Checker<'_> {
    fn check_block(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            self.check_stmt(stmt);
        }
    }

    fn check_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Expr(e) => self.check_expr(e),
            Stmt::Assign { targets, value, .. } => {
                self.check_expr(value);
                for target in targets {
                    self.check_target(target);
                }
            }
            Stmt::AugAssign { target, value, .. } => {
                self.check_target(target);
                self.check_expr(value);
            }
            Stmt::Delete { targets, .. } => {
                for target in targets {
                    self.check_target(target);
                }
            }
            Stmt::Assert { test, msg, .. } => {
                self.check_expr(test);
                if let Some(msg) = msg {
                    self.check_expr(msg);
                }
            }
            Stmt::Raise { exc, cause, range } => match exc {
                Some(exc) => {
                    self.check_expr(exc);
                    if let Some(cause) = cause {
                        self.check_expr(cause);
                    }
                }
                None => self.check_bare_raise(*range),
            },
            Stmt::Pass(_) => {}
            Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
                for alias in names {
                    self.assigned(alias.bound_name());
                }
            }
            Stmt::Break(range) => self.check_break(*range),
            Stmt::Continue(range) => self.check_continue(*range),
            Stmt::Return { value, range } => {
                if self.block().kind == BlockKind::Class {
                    self.cx.push(range.error("`return` outside function"));
                }
                if value.is_some() && self.block().is_async && self.block().is_generator {
                    self.cx
                        .push(range.error("'return' with value in async generator"));
                }
                if let Some(value) = value {
                    self.check_expr(value);
                }
            }
            Stmt::Match { subject, cases, .. } => {
                self.check_expr(subject);
                for (i, case) in cases.iter().enumerate() {
                    // Only the last case, or one with a guard, may match anything.
                    let allow = case.guard.is_some() || i + 1 == cases.len();
                    check_pattern(&case.pattern, allow, &mut Vec::new(), self.cx);
                    pattern_exprs(&case.pattern, &mut |e| self.check_expr(e));
                    pattern_names(&case.pattern, &mut |name| self.assigned(&name.id));
                    if let Some(guard) = &case.guard {
                        self.check_expr(guard);
                    }
                    self.check_block(&case.body);
                }
            }
            Stmt::Global { names, range } => self.check_declaration(names, *range, true),
            Stmt::Nonlocal { names, range } => self.check_declaration(names, *range, false),
            Stmt::AnnAssign {
                target,
                annotation,
                value,
                ..
            } => {
                if let Some(value) = value {
                    self.check_expr(value);
                }
                self.check_target(target);
                if let Expr::Name(name) = target {
                    self.block_mut().annotated.push(name.id.clone());
                }
                self.check_expr(annotation);
            }
            Stmt::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorator_list,
                ..
            } => {
                for decorator in decorator_list {
                    self.check_expr(decorator);
                }
                for base in bases {
                    self.check_element(base);
                }
                for keyword in keywords {
                    self.check_expr(&keyword.value);
                }
                self.assigned(&name.id);
                // A class body is a scope of its own, not inside the loops around it.
                let loops = std::mem::replace(&mut self.loops, 0);
                self.blocks.push(Block::new(BlockKind::Class));
                self.check_block(body);
                self.blocks.pop();
                self.loops = loops;
            }
            Stmt::If {
                test, body, orelse, ..
            } => {
                self.check_expr(test);
                self.check_block(body);
                self.check_block(orelse);
            }
            Stmt::For {
                target,
                iter,
                body,
                orelse,
                is_async,
                range,
            } => {
                if *is_async {
                    self.check_async_statement("for", *range);
                }
                self.check_expr(iter);
                self.check_target(target);
                self.check_loop_body(body);
                self.check_block(orelse);
            }
            Stmt::While {
                test, body, orelse, ..
            } => {
                self.check_expr(test);
                self.check_loop_body(body);
                self.check_block(orelse);
            }
            Stmt::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => {
                self.check_block(body);
                for handler in handlers {
                    if let Some(type_) = &handler.type_ {
                        self.check_expr(type_);
                    }
                    self.handlers += 1;
                    self.check_block(&handler.body);
                    self.handlers -= 1;
                }
                self.check_block(orelse);
                self.check_block(finalbody);
            }
            Stmt::FunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                is_async,
                ..
            } => {
                for decorator in decorator_list {
                    self.check_expr(decorator);
                }
                default_exprs(args, &mut |d| self.check_expr(d));
                for arg in args.params() {
                    if let Some(annotation) = &arg.annotation {
                        self.check_expr(annotation);
                    }
                }
                if let Some(returns) = returns {
                    self.check_expr(returns);
                }
                self.assigned(&name.id);

                self.check_function_def(args, body, *is_async);
            }
            Stmt::With {
                context,
                target,
                body,
                is_async,
                continued,
                range,
            } => {
                if *is_async && !*continued {
                    self.check_async_statement("with", *range);
                }
                self.check_expr(context);
                if let Some(target) = target {
                    self.check_target(target);
                }
                self.check_block(body);
            }
        }
    }

    fn check_loop_body(&mut self, body: &[Stmt]) {
        self.loops += 1;
        self.check_block(body);
        self.loops -= 1;
    }

    fn check_break(&mut self, range: Range) {
        if self.loops == 0 {
            self.cx.push(range.error("`break` outside loop"));
        }
    }

    fn check_continue(&mut self, range: Range) {
        if self.loops == 0 {
            self.cx.push(range.error("`continue` not properly in loop"));
        }
    }

    /// `raise` alone re-raises the exception an `except` block handles, and `py!` sees at
    /// compile time whether there is one.
    fn check_bare_raise(&mut self, range: Range) {
        if self.handlers == 0 {
            self.cx.push(range.error(
                "a bare `raise` re-raises the exception being handled: use it inside `except`",
            ));
        }
    }

    /// A `def`'s body, a world of its own, where no loop or `except` of the block around it is
    /// in reach.
    fn check_function_def(&mut self, args: &Arguments, body: &[Stmt], is_async: bool) {
        let outer = (self.loops, self.handlers);
        (self.loops, self.handlers) = (0, 0);
        let mut block = Block::new(BlockKind::Function);
        block.is_async = is_async;
        block.is_generator = body_yields(body);
        block.params = args.params().map(|a| a.arg.clone()).collect();
        let mut declared = Vec::new();
        scope_declarations(body, &mut |name, _| declared.push(name.id.clone()));
        let mut locals = block.params.clone();
        function_bindings(body, &mut |name| {
            if !declared.iter().any(|d| d == name) {
                locals.push(name.to_owned());
            }
        });
        block.locals = locals;
        self.blocks.push(block);
        self.check_block(body);
        self.blocks.pop();
        (self.loops, self.handlers) = outer;
    }

    // Cannot panic: `blocks` starts with the macro's own (`Top`) block, and every other push
    // (a function or class body) is popped by the same call that pushed it, so the stack is
    // never empty while a statement is checked.
    fn block(&self) -> &Block {
        self.blocks
            .last()
            .expect("the macro's block is always there")
    }

    // Cannot panic, as `block`.
    fn block_mut(&mut self) -> &mut Block {
        self.blocks
            .last_mut()
            .expect("the macro's block is always there")
    }

    /// A name the current block's own code assigns (not a nested scope's).
    fn assigned(&mut self, name: &str) {
        if self.scopes.is_empty() {
            self.block_mut().assigned.push(name.to_owned());
        }
    }

    /// `global a, b` (`global`) or `nonlocal a, b`: CPython's symtable rules, in its words.
    fn check_declaration(&mut self, names: &[Name], range: Range, global: bool) {
        let what = if global { "global" } else { "nonlocal" };
        if !global && self.block().kind == BlockKind::Top {
            self.cx
                .push(range.error("nonlocal declaration not allowed at module level"));
            return;
        }
        for name in names {
            let id = &name.id;
            let block = self.block();
            let message = if block.params.contains(id) {
                Some(format!("name '{id}' is parameter and {what}"))
            } else if block.used.contains(id) {
                Some(format!("name '{id}' is used prior to {what} declaration"))
            } else if block.annotated.contains(id) {
                Some(format!("annotated name '{id}' can't be {what}"))
            } else if block.assigned.contains(id) {
                Some(format!(
                    "name '{id}' is assigned to before {what} declaration"
                ))
            } else if block.declared.iter().any(|(d, g)| d == id && *g != global) {
                Some(format!("name '{id}' is nonlocal and global"))
            } else if !global && !self.bound_in_enclosing_function(id) {
                Some(format!("no binding for nonlocal '{id}' found"))
            } else {
                None
            };
            match message {
                Some(message) => self.cx.push(syn::Error::new(name.span, message)),
                None => self.block_mut().declared.push((id.clone(), global)),
            }
        }
    }

    /// Whether a function around the current block (past class bodies, not the macro's
    /// block) has a variable `name`, as `nonlocal` needs.
    fn bound_in_enclosing_function(&self, name: &str) -> bool {
        for block in self.blocks.iter().rev().skip(1) {
            match block.kind {
                BlockKind::Top => return false,
                BlockKind::Class => {}
                BlockKind::Function => {
                    if block.locals.iter().any(|l| l == name) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether the current code is in a function defined (at any depth) in a class body: where
    /// `super()` without arguments has a class and an instance to use.
    fn in_method(&self) -> bool {
        let Some(function) = self
            .blocks
            .iter()
            .rposition(|b| b.kind == BlockKind::Function)
        else {
            return false;
        };
        self.blocks[..function]
            .iter()
            .any(|b| b.kind == BlockKind::Class)
    }

    /// An expression whose value is used whole, so `*value` cannot stand there alone.
    fn check_expr(&mut self, expr: &Expr) {
        if let Expr::Starred(s) = expr {
            self.cx
                .push(s.range.error("cannot use starred expression here"));
        }
        self.check_inside(expr);
    }

    /// An assignment target (the parser has checked its shape).
    fn check_target(&mut self, target: &Expr) {
        match target {
            Expr::Name(name) => self.assigned(&name.id),
            Expr::Tuple(t) | Expr::List(t) => {
                for elt in &t.elts {
                    self.check_target(elt);
                }
            }
            Expr::Starred(s) => self.check_target(&s.value),
            other => self.check_inside(other),
        }
    }

    /// An element of a display or a positional argument, where `*value` unpacks.
    fn check_element(&mut self, expr: &Expr) {
        match expr {
            Expr::Starred(s) => self.check_expr(&s.value),
            other => self.check_expr(other),
        }
    }

    /// What is inside an expression.
    fn check_inside(&mut self, expr: &Expr) {
        crate::deep(|| match expr {
            Expr::Name(name) => {
                if self.scopes.is_empty() {
                    self.block_mut().used.push(name.id.clone());
                }
            }
            Expr::Tuple(e) | Expr::List(e) | Expr::Set(e) => {
                for elt in &e.elts {
                    self.check_element(elt);
                }
            }
            Expr::Call(c) => {
                let zero_arg_super = matches!(&*c.func, Expr::Name(n) if n.id == "super")
                    && c.args.is_empty()
                    && c.keywords.is_empty();
                if zero_arg_super && !self.super_assigned && !self.in_method() {
                    self.cx.push(c.range.error(
                        "`super()` without arguments works only in a method (a `def` inside a `class` body); outside one, name the class and the object: `super(C, obj)`",
                    ));
                }
                self.check_expr(&c.func);
                for arg in &c.args {
                    self.check_element(arg);
                }
                for keyword in &c.keywords {
                    self.check_expr(&keyword.value);
                }
            }
            Expr::NamedExpr(e) => {
                self.check_expr(&e.value);
                self.check_walrus_target(&e.target);
                let in_comprehension = self
                    .scopes
                    .iter()
                    .any(|s| matches!(s, Scope::Comprehension(..)));
                let in_lambda = self.scopes.iter().any(|s| matches!(s, Scope::Lambda));
                if in_comprehension && !in_lambda && self.block().kind == BlockKind::Class {
                    self.cx.push(e.range.error(
                        "assignment expression within a comprehension cannot be used in a class body",
                    ));
                }
                self.assigned(&e.target.id);
            }
            Expr::Lambda(l) => {
                default_exprs(&l.args, &mut |d| self.check_expr(d));
                self.scopes.push(Scope::Lambda);
                self.check_expr(&l.body);
                self.scopes.pop();
            }
            Expr::ListComp(c) => {
                self.check_comprehension("list comprehension", &c.generators, &[&c.elt]);
            }
            Expr::SetComp(c) => {
                self.check_comprehension("set comprehension", &c.generators, &[&c.elt]);
            }
            Expr::GeneratorExp(c) => {
                self.check_comprehension("generator expression", &c.generators, &[&c.elt]);
            }
            Expr::DictComp(c) => {
                self.check_comprehension("dict comprehension", &c.generators, &[&c.key, &c.value])
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.check_yield(expr);
                child_exprs(expr, |child| self.check_expr(child));
            }
            Expr::Await(a) => {
                self.check_await(a);
                self.check_expr(&a.value);
            }
            other => child_exprs(other, |child| self.check_expr(child)),
        })
    }

    /// `yield` and `yield from`: only in a function's own code (or a lambda's).
    fn check_yield(&mut self, expr: &Expr) {
        let range = expr.range();
        match self.scopes.last() {
            Some(Scope::Comprehension(kind, _)) => {
                self.cx.push(range.error(format!("'yield' inside {kind}")));
                return;
            }
            Some(Scope::Lambda) => return,
            None => {}
        }
        let block = self.block();
        if block.kind != BlockKind::Function {
            self.cx.push(range.error("'yield' outside function"));
        } else if block.is_async && matches!(expr, Expr::YieldFrom(_)) {
            self.cx
                .push(range.error("'yield from' inside async function"));
        }
    }

    /// `async for` and `async with`: only in an `async def`'s own code.
    fn check_async_statement(&mut self, what: &str, range: Range) {
        let block = self.block();
        if block.kind != BlockKind::Function {
            self.cx.push(range.error(format!(
                "'async {what}' outside function (in `py!`, `async {what}` works inside an `async def`)"
            )));
        } else if !block.is_async {
            self.cx
                .push(range.error(format!("'async {what}' outside async function")));
        }
    }

    /// `await`: only in an `async def`'s own code (and its comprehensions).
    fn check_await(&mut self, a: &Starred) {
        if self.in_async_code() {
            return;
        }
        let in_lambda = self.scopes.iter().any(|s| matches!(s, Scope::Lambda));
        if self.block().kind != BlockKind::Function && !in_lambda {
            self.cx.push(
                a.range.error(
                    "'await' outside function (in `py!`, `await` works inside an `async def`, or as the whole `py!(await …)` for async Rust)",
                ),
            );
        } else {
            self.cx
                .push(a.range.error("'await' outside async function"));
        }
    }

    /// Whether code here may suspend on `await`: the nearest scope around it is a generator
    /// expression (which becomes an async one), or it is an `async def`'s own code (through
    /// its comprehensions, not through a lambda).
    fn in_async_code(&self) -> bool {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Comprehension("generator expression", _) => return true,
                Scope::Comprehension(..) => {}
                Scope::Lambda => return false,
            }
        }
        let block = self.block();
        block.kind == BlockKind::Function && block.is_async
    }

    /// The clauses of a comprehension, then its element. Its first iterable runs outside it;
    /// each clause's target is bound before the rest of the clause and the clauses after it.
    fn check_comprehension(
        &mut self,
        kind: &'static str,
        generators: &[Comprehension],
        element: &[&Expr],
    ) {
        let Some((first, rest)) = generators.split_first() else {
            return;
        };
        if let Some(clause) = generators.iter().find(|g| g.is_async) {
            // An async generator expression may stand anywhere (it only makes an async
            // generator); another async comprehension runs where it stands, in an `async def`.
            if kind != "generator expression" && !self.in_async_code() {
                self.cx.push(
                    clause
                        .target
                        .range()
                        .error("asynchronous comprehension outside of an asynchronous function"),
                );
            }
        }
        self.check_iterable(&first.iter);
        self.scopes.push(Scope::Comprehension(kind, Vec::new()));
        self.check_clause(first);
        for generator in rest {
            self.check_iterable(&generator.iter);
            self.check_clause(generator);
        }
        for e in element {
            self.check_expr(e);
        }
        self.scopes.pop();
    }

    /// A clause's target, which binds its names, then its conditions.
    fn check_clause(&mut self, generator: &Comprehension) {
        self.check_target(&generator.target);
        let mut names = Vec::new();
        generator
            .target
            .target_names(&mut |name| names.push(name.id.clone()));
        if let Some(Scope::Comprehension(_, bound)) = self.scopes.last_mut() {
            bound.extend(names);
        }
        for cond in &generator.ifs {
            self.check_expr(cond);
        }
    }

    /// `:=` cannot assign in a comprehension's iterable (its variable would belong to the
    /// scope the comprehension runs in, before the comprehension exists).
    fn check_iterable(&mut self, iter: &Expr) {
        if iter.contains_walrus() {
            self.cx.push(iter.range().error(
                "assignment expression cannot be used in a comprehension iterable expression",
            ));
        }
        self.check_expr(iter);
    }

    /// `:=` in a comprehension binds outside it, so it cannot rebind an iteration variable of
    /// that comprehension or of one around it.
    fn check_walrus_target(&mut self, target: &Name) {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Comprehension(_, bound) if bound.contains(&target.id) => {
                    self.cx.push(syn::Error::new(
                        target.span,
                        format!(
                            "assignment expression cannot rebind comprehension iteration variable `{}`",
                            target.id
                        ),
                    ));
                    return;
                }
                Scope::Comprehension(..) => {}
                Scope::Lambda => return,
            }
        }
    }
}

/// Calls `f` on each name a function's body binds in the function's own scope: its
/// statements' targets at any depth of blocks, and `:=` targets, not inside nested functions
/// and classes (their scopes are their own) nor lambdas.
fn function_bindings(stmts: &[Stmt], f: &mut impl FnMut(&str)) {
    for stmt in stmts {
        stmt.bound_names(&mut *f);
        stmt_exprs(stmt, |e| e.walrus_targets(&mut |name| f(&name.id)));
        if !matches!(stmt, Stmt::FunctionDef { .. } | Stmt::ClassDef { .. }) {
            stmt_blocks(stmt, |block| function_bindings(block, f));
        }
    }
}

/// CPython's compile-time rules for a `case` pattern: an irrefutable pattern (a capture or
/// `_`, alone or as an alternative) only where `allow_irrefutable` (the last case, a guarded
/// one, the last alternative of such, or a sub-pattern); no name captured twice; every
/// alternative of `|` capturing the same names; no literal key twice in a mapping pattern.
/// `bound` collects the names captured so far. False when an error was reported.
fn check_pattern(
    pattern: &Pattern,
    allow_irrefutable: bool,
    bound: &mut Vec<String>,
    cx: &Ctxt,
) -> bool {
    let mut ok = true;
    let mut report = |error: syn::Error| {
        ok = false;
        cx.push(error);
    };
    let bind = |name: &Name, bound: &mut Vec<String>| {
        if bound.contains(&name.id) {
            return Err(syn::Error::new(
                name.span,
                format!("multiple assignments to name '{}' in pattern", name.id),
            ));
        }
        bound.push(name.id.clone());
        Ok(())
    };
    // Sub-patterns report their own errors; `inner_ok` records whether there were any.
    let mut inner_ok = true;
    match pattern {
        Pattern::MatchValue { .. } | Pattern::MatchSingleton { .. } => {}
        Pattern::MatchAs {
            pattern,
            name,
            range,
        } => {
            match pattern {
                Some(inner) => inner_ok &= check_pattern(inner, allow_irrefutable, bound, cx),
                None if !allow_irrefutable => report(range.error(match name {
                    Some(name) => format!(
                        "name capture '{}' makes remaining patterns unreachable",
                        name.id
                    ),
                    None => "wildcard makes remaining patterns unreachable".to_owned(),
                })),
                None => {}
            }
            if let Some(name) = name {
                bind(name, bound).unwrap_or_else(&mut report);
            }
        }
        Pattern::MatchStar { name, .. } => {
            if let Some(name) = name {
                bind(name, bound).unwrap_or_else(&mut report);
            }
        }
        Pattern::MatchSequence { patterns, .. } => {
            for p in patterns {
                inner_ok &= check_pattern(p, true, bound, cx);
            }
        }
        Pattern::MatchClass {
            patterns,
            kwd_patterns,
            ..
        } => {
            for p in patterns.iter().chain(kwd_patterns) {
                inner_ok &= check_pattern(p, true, bound, cx);
            }
        }
        Pattern::MatchMapping {
            keys,
            patterns,
            rest,
            ..
        } => {
            let mut seen: Vec<String> = Vec::new();
            for key in keys {
                if let Some((identity, shown)) = literal_key(key) {
                    if seen.contains(&identity) {
                        report(
                            key.range()
                                .error(format!("mapping pattern checks duplicate key ({shown})")),
                        );
                    } else {
                        seen.push(identity);
                    }
                }
            }
            for p in patterns {
                inner_ok &= check_pattern(p, true, bound, cx);
            }
            if let Some(rest) = rest {
                bind(rest, bound).unwrap_or_else(&mut report);
            }
        }
        Pattern::MatchOr { patterns, .. } => {
            let before = bound.clone();
            let mut first: Option<Vec<String>> = None;
            for (i, p) in patterns.iter().enumerate() {
                let mut names = before.clone();
                let last = i + 1 == patterns.len();
                if !check_pattern(p, allow_irrefutable && last, &mut names, cx) {
                    // CPython stops at its first error: no comparison of names after one.
                    inner_ok = false;
                    continue;
                }
                let mut added: Vec<String> = names[before.len()..].to_vec();
                added.sort();
                match &first {
                    None => first = Some(added),
                    Some(expected) if *expected != added => {
                        report(p.range().error("alternative patterns bind different names"));
                    }
                    Some(_) => {}
                }
            }
            if let Some(added) = first {
                bound.extend(added);
            }
        }
    }
    ok && inner_ok
}

/// A mapping pattern's key when it is a literal: what makes two keys the same in a Python set
/// (`1`, `1.0` and `True` are one key) and its `repr`. `None` for a value pattern (`a.b`) and
/// for complex numbers, which CPython does not compare at compile time either.
fn literal_key(key: &Expr) -> Option<(String, String)> {
    let (value, negative) = match key {
        Expr::Constant(c) => (&c.value, false),
        Expr::UnaryOp(u) => match &*u.operand {
            Expr::Constant(c) => (&c.value, true),
            _ => return None,
        },
        _ => return None,
    };
    let sign = if negative { "-" } else { "" };
    let number = |digits: String| {
        let identity = if digits == "0" {
            digits.clone()
        } else {
            format!("{sign}{digits}")
        };
        Some((format!("n{identity}"), format!("{sign}{digits}")))
    };
    match value {
        ConstValue::None => Some(("None".into(), "None".into())),
        ConstValue::Bool(b) => Some((
            format!("n{}", u8::from(*b)),
            if *b { "True" } else { "False" }.into(),
        )),
        ConstValue::Int(digits) => number(digits.clone()),
        ConstValue::Float(f) => {
            let shown = format!("{sign}{}", crate::dump::constant_repr(value));
            if f.fract() == 0.0 && f.abs() < 1e15 {
                let identity = if *f == 0.0 {
                    "0".to_owned()
                } else {
                    format!("{sign}{}", *f as i64)
                };
                Some((format!("n{identity}"), shown))
            } else {
                Some((format!("f{sign}{f}"), shown))
            }
        }
        ConstValue::Str(_) | ConstValue::Bytes(_) => {
            let shown = crate::dump::constant_repr(value);
            Some((format!("s{shown}"), shown))
        }
        ConstValue::Imag(_) | ConstValue::Ellipsis => None,
    }
}
