//! Checking: the nesting limit, then every semantic syntax error of a parsed block in one pass
//! (what CPython's symtable and compiler refuse after parsing, as ruff's `semantic_errors.rs`),
//! so that the phases after it only meet input they can expand.

use crate::MAX_DEPTH;
use crate::ast::visit::{child_exprs, default_exprs, stmt_blocks, stmt_exprs};
use crate::ast::*;
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
    let mut checker = Checker {
        cx,
        loops: 0,
        handlers: 0,
        scopes: Vec::new(),
    };
    checker.check_block(&input.stmts);
    checker.check_expr(&input.body);
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
}

/// A scope an expression can open.
enum Scope {
    /// A comprehension, with the iteration variables its clauses have bound so far.
    Comprehension(Vec<String>),
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
            Stmt::Pass(_) | Stmt::Import { .. } | Stmt::ImportFrom { .. } => {}
            Stmt::Break(range) => self.check_break(*range),
            Stmt::Continue(range) => self.check_continue(*range),
            Stmt::Return { value, .. } => {
                if let Some(value) = value {
                    self.check_expr(value);
                }
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
                ..
            } => {
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
            Stmt::FunctionDef { args, body, .. } => self.check_function_def(args, body),
            Stmt::With {
                context,
                target,
                body,
                ..
            } => {
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

    /// A `def`: its defaults belong to the block around it; its body is a world of its own,
    /// where no loop or `except` of that block is in reach.
    fn check_function_def(&mut self, args: &Arguments, body: &[Stmt]) {
        default_exprs(args, &mut |d| self.check_expr(d));
        let outer = (self.loops, self.handlers);
        (self.loops, self.handlers) = (0, 0);
        self.check_block(body);
        (self.loops, self.handlers) = outer;
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
        self.check_inside(target);
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
            Expr::Tuple(e) | Expr::List(e) | Expr::Set(e) => {
                for elt in &e.elts {
                    self.check_element(elt);
                }
            }
            Expr::Call(c) => {
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
            }
            Expr::Lambda(l) => {
                default_exprs(&l.args, &mut |d| self.check_expr(d));
                self.scopes.push(Scope::Lambda);
                self.check_expr(&l.body);
                self.scopes.pop();
            }
            Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
                self.check_comprehension(&c.generators, &[&c.elt]);
            }
            Expr::DictComp(c) => self.check_comprehension(&c.generators, &[&c.key, &c.value]),
            other => child_exprs(other, |child| self.check_expr(child)),
        })
    }

    /// The clauses of a comprehension, then its element. Its first iterable runs outside it;
    /// each clause's target is bound before the rest of the clause and the clauses after it.
    fn check_comprehension(&mut self, generators: &[Comprehension], element: &[&Expr]) {
        let Some((first, rest)) = generators.split_first() else {
            return;
        };
        self.check_iterable(&first.iter);
        self.scopes.push(Scope::Comprehension(Vec::new()));
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
        if let Some(Scope::Comprehension(bound)) = self.scopes.last_mut() {
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
                Scope::Comprehension(bound) if bound.contains(&target.id) => {
                    self.cx.push(syn::Error::new(
                        target.span,
                        format!(
                            "assignment expression cannot rebind comprehension iteration variable `{}`",
                            target.id
                        ),
                    ));
                    return;
                }
                Scope::Comprehension(_) => {}
                Scope::Lambda => return,
            }
        }
    }
}
