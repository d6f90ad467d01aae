//! Syntax tree, walking: the direct children of every node in evaluation order, defined once
//! for `&` and `&mut`, each `match` exhaustive (no `_ =>` arm) so that a new node or statement
//! cannot slip past the phases that walk the tree.

use super::{Arguments, Expr, FPart, Name, Pattern, Stmt};

/// Defines the walkers for shared (no argument) or mutable (`mut`) references.
macro_rules! walkers {
    (
        $($mutability:ident)?;
        $child_exprs:ident,
        $stmt_exprs:ident,
        $stmt_blocks:ident,
        $default_exprs:ident,
        $field_exprs:ident,
        $pattern_exprs:ident,
        $pattern_names:ident $(,)?
    ) => {
        /// Calls `f` on each expression directly under `expr`, in evaluation order: a lambda's
        /// defaults and its body, each comprehension clause's iterable, target and conditions
        /// then the element (walkers that treat scopes specially match those nodes first).
        pub(crate) fn $child_exprs<'a>(
            expr: &'a $($mutability)? Expr,
            mut f: impl FnMut(&'a $($mutability)? Expr),
        ) {
            match expr {
                Expr::BoolOp(e) => {
                    for value in & $($mutability)? e.values {
                        f(value);
                    }
                }
                Expr::NamedExpr(e) => f(& $($mutability)? e.value),
                Expr::BinOp(e) => {
                    f(& $($mutability)? e.left);
                    f(& $($mutability)? e.right);
                }
                Expr::UnaryOp(e) => f(& $($mutability)? e.operand),
                Expr::Lambda(l) => {
                    $default_exprs(& $($mutability)? l.args, &mut f);
                    f(& $($mutability)? l.body);
                }
                Expr::IfExp(e) => {
                    f(& $($mutability)? e.test);
                    f(& $($mutability)? e.body);
                    f(& $($mutability)? e.orelse);
                }
                Expr::Dict(d) => {
                    for (key, value) in (& $($mutability)? d.keys)
                        .into_iter()
                        .zip(& $($mutability)? d.values)
                    {
                        if let Some(key) = key {
                            f(key);
                        }
                        f(value);
                    }
                }
                Expr::Set(e) | Expr::List(e) | Expr::Tuple(e) => {
                    for elt in & $($mutability)? e.elts {
                        f(elt);
                    }
                }
                Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
                    for g in & $($mutability)? c.generators {
                        f(& $($mutability)? g.iter);
                        f(& $($mutability)? g.target);
                        for cond in & $($mutability)? g.ifs {
                            f(cond);
                        }
                    }
                    f(& $($mutability)? c.elt);
                }
                Expr::DictComp(c) => {
                    for g in & $($mutability)? c.generators {
                        f(& $($mutability)? g.iter);
                        f(& $($mutability)? g.target);
                        for cond in & $($mutability)? g.ifs {
                            f(cond);
                        }
                    }
                    f(& $($mutability)? c.key);
                    f(& $($mutability)? c.value);
                }
                Expr::Compare(e) => {
                    f(& $($mutability)? e.left);
                    for comparator in & $($mutability)? e.comparators {
                        f(comparator);
                    }
                }
                Expr::Call(e) => {
                    f(& $($mutability)? e.func);
                    for arg in & $($mutability)? e.args {
                        f(arg);
                    }
                    for keyword in & $($mutability)? e.keywords {
                        f(& $($mutability)? keyword.value);
                    }
                }
                Expr::Attribute(e) => f(& $($mutability)? e.value),
                Expr::Subscript(e) => {
                    f(& $($mutability)? e.value);
                    f(& $($mutability)? e.slice);
                }
                Expr::Starred(e) | Expr::YieldFrom(e) | Expr::Await(e) => {
                    f(& $($mutability)? e.value)
                }
                Expr::Yield(e) => {
                    if let Some(value) = & $($mutability)? e.value {
                        f(value);
                    }
                }
                Expr::Slice(s) => {
                    for part in [
                        & $($mutability)? s.lower,
                        & $($mutability)? s.upper,
                        & $($mutability)? s.step,
                    ]
                    .into_iter()
                    .flatten()
                    {
                        f(part);
                    }
                }
                Expr::JoinedStr(j) => $field_exprs(& $($mutability)? j.values, &mut f),
                Expr::Constant(_) | Expr::Name(_) | Expr::Rust(_) => {}
            }
        }

        /// Calls `f` on each expression directly in `stmt` (not in its blocks), in evaluation
        /// order.
        pub(crate) fn $stmt_exprs<'a>(
            stmt: &'a $($mutability)? Stmt,
            mut f: impl FnMut(&'a $($mutability)? Expr),
        ) {
            match stmt {
                Stmt::Expr(e) => f(e),
                Stmt::Assign { targets, value, .. } => {
                    f(value);
                    for target in targets {
                        f(target);
                    }
                }
                Stmt::AugAssign { target, value, .. } => {
                    f(target);
                    f(value);
                }
                Stmt::Delete { targets, .. } => {
                    for target in targets {
                        f(target);
                    }
                }
                Stmt::Assert { test, msg, .. } => {
                    f(test);
                    if let Some(msg) = msg {
                        f(msg);
                    }
                }
                Stmt::Raise { exc, cause, .. } => {
                    if let Some(exc) = exc {
                        f(exc);
                    }
                    if let Some(cause) = cause {
                        f(cause);
                    }
                }
                Stmt::If { test, .. } | Stmt::While { test, .. } => f(test),
                Stmt::For { target, iter, .. } => {
                    f(iter);
                    f(target);
                }
                Stmt::Return { value, .. } => {
                    if let Some(value) = value {
                        f(value);
                    }
                }
                Stmt::FunctionDef {
                    args,
                    decorator_list,
                    returns,
                    ..
                } => {
                    for decorator in decorator_list {
                        f(decorator);
                    }
                    let Arguments {
                        posonlyargs,
                        args: positional,
                        vararg,
                        kwonlyargs,
                        kw_defaults,
                        kwarg,
                        defaults,
                    } = args;
                    for default in defaults {
                        f(default);
                    }
                    for default in kw_defaults.into_iter().flatten() {
                        f(default);
                    }
                    // Then the annotations, in parameter order, and the return annotation.
                    for arg in posonlyargs
                        .into_iter()
                        .chain(positional)
                        .chain(vararg)
                        .chain(kwonlyargs)
                        .chain(kwarg)
                    {
                        if let Some(annotation) = & $($mutability)? arg.annotation {
                            f(annotation);
                        }
                    }
                    if let Some(returns) = returns {
                        f(returns);
                    }
                }
                Stmt::ClassDef {
                    bases,
                    keywords,
                    decorator_list,
                    ..
                } => {
                    for decorator in decorator_list {
                        f(decorator);
                    }
                    for base in bases {
                        f(base);
                    }
                    for keyword in keywords {
                        f(& $($mutability)? keyword.value);
                    }
                }
                Stmt::AnnAssign {
                    target,
                    annotation,
                    value,
                    ..
                } => {
                    if let Some(value) = value {
                        f(value);
                    }
                    f(target);
                    f(annotation);
                }
                Stmt::Try { handlers, .. } => {
                    for handler in handlers {
                        if let Some(type_) = & $($mutability)? handler.type_ {
                            f(type_);
                        }
                    }
                }
                Stmt::With {
                    context, target, ..
                } => {
                    f(context);
                    if let Some(target) = target {
                        f(target);
                    }
                }
                Stmt::Match { subject, cases, .. } => {
                    f(subject);
                    for case in cases {
                        $pattern_exprs(& $($mutability)? case.pattern, &mut f);
                        if let Some(guard) = & $($mutability)? case.guard {
                            f(guard);
                        }
                    }
                }
                Stmt::Pass(_)
                | Stmt::Break(_)
                | Stmt::Continue(_)
                | Stmt::Import { .. }
                | Stmt::ImportFrom { .. }
                | Stmt::Global { .. }
                | Stmt::Nonlocal { .. } => {}
            }
        }

        /// Calls `f` on each name a `case` pattern captures, in the order written (the
        /// alternatives of `|` each with theirs).
        pub(crate) fn $pattern_names<'a>(
            pattern: &'a $($mutability)? Pattern,
            f: &mut impl FnMut(&'a $($mutability)? Name),
        ) {
            match pattern {
                Pattern::MatchValue { .. } | Pattern::MatchSingleton { .. } => {}
                Pattern::MatchSequence { patterns, .. } | Pattern::MatchOr { patterns, .. } => {
                    for p in patterns {
                        $pattern_names(p, f);
                    }
                }
                Pattern::MatchMapping { patterns, rest, .. } => {
                    for p in patterns {
                        $pattern_names(p, f);
                    }
                    if let Some(rest) = rest {
                        f(rest);
                    }
                }
                Pattern::MatchClass {
                    patterns,
                    kwd_patterns,
                    ..
                } => {
                    for p in patterns {
                        $pattern_names(p, f);
                    }
                    for p in kwd_patterns {
                        $pattern_names(p, f);
                    }
                }
                Pattern::MatchStar { name, .. } => {
                    if let Some(name) = name {
                        f(name);
                    }
                }
                Pattern::MatchAs { pattern, name, .. } => {
                    if let Some(p) = pattern {
                        $pattern_names(p, f);
                    }
                    if let Some(name) = name {
                        f(name);
                    }
                }
            }
        }

        /// Calls `f` on each expression in a `case` pattern (values, mapping keys, classes), in
        /// the order written.
        pub(crate) fn $pattern_exprs<'a>(
            pattern: &'a $($mutability)? Pattern,
            f: &mut impl FnMut(&'a $($mutability)? Expr),
        ) {
            match pattern {
                Pattern::MatchValue { value, .. } => f(value),
                Pattern::MatchSingleton { .. } | Pattern::MatchStar { .. } => {}
                Pattern::MatchSequence { patterns, .. } | Pattern::MatchOr { patterns, .. } => {
                    for p in patterns {
                        $pattern_exprs(p, f);
                    }
                }
                Pattern::MatchMapping { keys, patterns, .. } => {
                    for key in keys {
                        f(key);
                    }
                    for p in patterns {
                        $pattern_exprs(p, f);
                    }
                }
                Pattern::MatchClass {
                    cls,
                    patterns,
                    kwd_patterns,
                    ..
                } => {
                    f(cls);
                    for p in patterns {
                        $pattern_exprs(p, f);
                    }
                    for p in kwd_patterns {
                        $pattern_exprs(p, f);
                    }
                }
                Pattern::MatchAs { pattern, .. } => {
                    if let Some(p) = pattern {
                        $pattern_exprs(p, f);
                    }
                }
            }
        }

        /// Calls `f` on each block of a compound statement, in source order.
        pub(crate) fn $stmt_blocks<'a>(
            stmt: &'a $($mutability)? Stmt,
            mut f: impl FnMut(&'a $($mutability)? Vec<Stmt>),
        ) {
            match stmt {
                Stmt::If { body, orelse, .. }
                | Stmt::For { body, orelse, .. }
                | Stmt::While { body, orelse, .. } => {
                    f(body);
                    f(orelse);
                }
                Stmt::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody,
                    ..
                } => {
                    f(body);
                    for handler in handlers {
                        f(& $($mutability)? handler.body);
                    }
                    f(orelse);
                    f(finalbody);
                }
                Stmt::With { body, .. }
                | Stmt::FunctionDef { body, .. }
                | Stmt::ClassDef { body, .. } => f(body),
                Stmt::Match { cases, .. } => {
                    for case in cases {
                        f(& $($mutability)? case.body);
                    }
                }
                Stmt::Expr(_)
                | Stmt::Assign { .. }
                | Stmt::AugAssign { .. }
                | Stmt::Delete { .. }
                | Stmt::Assert { .. }
                | Stmt::Raise { .. }
                | Stmt::Pass(_)
                | Stmt::Break(_)
                | Stmt::Continue(_)
                | Stmt::Import { .. }
                | Stmt::ImportFrom { .. }
                | Stmt::Return { .. }
                | Stmt::Global { .. }
                | Stmt::Nonlocal { .. }
                | Stmt::AnnAssign { .. } => {}
            }
        }

        /// Calls `f` on a parameter list's default values, positional then keyword-only (the
        /// order they are evaluated in, where the function is made).
        pub(crate) fn $default_exprs<'a>(
            args: &'a $($mutability)? Arguments,
            f: &mut impl FnMut(&'a $($mutability)? Expr),
        ) {
            for default in & $($mutability)? args.defaults {
                f(default);
            }
            for default in (& $($mutability)? args.kw_defaults).into_iter().flatten() {
                f(default);
            }
        }

        /// Calls `f` on the expressions of an f-string's fields, nested format specs included,
        /// in order.
        fn $field_exprs<'a>(
            parts: &'a $($mutability)? [FPart],
            f: &mut impl FnMut(&'a $($mutability)? Expr),
        ) {
            for part in parts {
                match part {
                    FPart::Literal(_) => {}
                    FPart::Field(field) => {
                        f(& $($mutability)? field.value);
                        if let Some(spec) = & $($mutability)? field.format_spec {
                            $field_exprs(spec, f);
                        }
                    }
                }
            }
        }
    };
}

walkers!(
    ;
    child_exprs,
    stmt_exprs,
    stmt_blocks,
    default_exprs,
    field_exprs,
    pattern_exprs,
    pattern_names,
);
walkers!(
    mut;
    child_exprs_mut,
    stmt_exprs_mut,
    stmt_blocks_mut,
    default_exprs_mut,
    field_exprs_mut,
    pattern_exprs_mut,
    pattern_names_mut,
);
