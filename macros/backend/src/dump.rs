//! Printing: ast -> the text of Python's `ast.dump(ast.parse(src, mode="eval"))` for an
//! expression and `mode="exec"` for a block, to compare pycall's parser with CPython's.

use crate::ast::*;
use std::fmt::Write;

/// `ast.dump` of an expression parsed in `mode="eval"`.
///
/// ```
/// let expr = pycall_backend::parse::parse_expression("-x ** 2".parse().unwrap()).unwrap();
/// assert_eq!(
///     pycall_backend::dump::dump(&expr),
///     "Expression(body=UnaryOp(op=USub(), operand=BinOp(left=Name(id='x', ctx=Load()), \
///      op=Pow(), right=Constant(value=2))))"
/// );
/// ```
pub fn dump(expr: &Expr) -> String {
    let mut out = String::from("Expression(body=");
    node(&mut out, expr, Ctx::Load);
    out.push(')');
    out
}

#[derive(Clone, Copy)]
enum Ctx {
    Load,
    Store,
    Del,
}

impl Ctx {
    fn text(self) -> &'static str {
        match self {
            Ctx::Load => "Load()",
            Ctx::Store => "Store()",
            Ctx::Del => "Del()",
        }
    }
}

fn list(out: &mut String, items: &[Expr], ctx: Ctx) {
    out.push('[');
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        node(out, e, ctx);
    }
    out.push(']');
}

fn generators(out: &mut String, gens: &[Comprehension]) {
    out.push_str("generators=[");
    for (i, g) in gens.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("comprehension(target=");
        node(out, &g.target, Ctx::Store);
        out.push_str(", iter=");
        node(out, &g.iter, Ctx::Load);
        out.push_str(", ifs=");
        list(out, &g.ifs, Ctx::Load);
        let _ = write!(out, ", is_async={})", u8::from(g.is_async));
    }
    out.push(']');
}

/// `[keyword(arg='k', value=…), keyword(value=…)]` of a call or a class statement.
fn keywords(out: &mut String, keywords: &[Keyword]) {
    out.push('[');
    for (i, k) in keywords.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("keyword(");
        if let Some((name, _)) = &k.arg {
            let _ = write!(out, "arg={}, ", py_str(name));
        }
        out.push_str("value=");
        node(out, &k.value, Ctx::Load);
        out.push(')');
    }
    out.push(']');
}

fn arg(out: &mut String, a: &Arg) {
    let _ = write!(out, "arg(arg={}", py_str(&a.arg));
    if let Some(annotation) = &a.annotation {
        out.push_str(", annotation=");
        node(out, annotation, Ctx::Load);
    }
    out.push(')');
}

fn args_list(out: &mut String, args: &[Arg]) {
    out.push('[');
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        arg(out, a);
    }
    out.push(']');
}

/// `arguments(...)` of a lambda or a `def`.
fn arguments(out: &mut String, a: &Arguments) {
    out.push_str("arguments(posonlyargs=");
    args_list(out, &a.posonlyargs);
    out.push_str(", args=");
    args_list(out, &a.args);
    if let Some(v) = &a.vararg {
        out.push_str(", vararg=");
        arg(out, v);
    }
    out.push_str(", kwonlyargs=");
    args_list(out, &a.kwonlyargs);
    out.push_str(", kw_defaults=[");
    for (i, d) in a.kw_defaults.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match d {
            Some(d) => node(out, d, Ctx::Load),
            None => out.push_str("None"),
        }
    }
    out.push(']');
    if let Some(k) = &a.kwarg {
        out.push_str(", kwarg=");
        arg(out, k);
    }
    out.push_str(", defaults=");
    list(out, &a.defaults, Ctx::Load);
    out.push(')');
}

/// `ast.dump` of a block parsed in `mode="exec"`: its statements, then its final expression
/// as an `Expr` statement (unless the block ends with a statement). `as T` is not Python and is
/// left out.
///
/// ```
/// let input = pycall_backend::parse::parse_input("x = 1; x".parse().unwrap()).unwrap();
/// assert_eq!(
///     pycall_backend::dump::dump_module(&input),
///     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1)), \
///      Expr(value=Name(id='x', ctx=Load()))], type_ignores=[])"
/// );
/// ```
pub fn dump_module(input: &Input) -> String {
    let mut out = String::from("Module(body=[");
    let mut first = true;
    for stmt in &input.stmts {
        if !first {
            out.push_str(", ");
        }
        first = false;
        statement(&mut out, stmt);
    }
    if !input.ends_with_statement {
        if !first {
            out.push_str(", ");
        }
        out.push_str("Expr(value=");
        node(&mut out, &input.body, Ctx::Load);
        out.push(')');
    }
    out.push_str("], type_ignores=[])");
    out
}

fn block(out: &mut String, stmts: &[Stmt]) {
    out.push('[');
    for (i, s) in stmts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        statement(out, s);
    }
    out.push(']');
}

fn alias_list(out: &mut String, names: &[Alias]) {
    out.push('[');
    for (i, a) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "alias(name={}", py_str(&a.name));
        if let Some(asname) = &a.asname {
            let _ = write!(out, ", asname={}", py_str(asname));
        }
        out.push(')');
    }
    out.push(']');
}

fn patterns(out: &mut String, items: &[Pattern]) {
    out.push('[');
    for (i, p) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        pattern(out, p);
    }
    out.push(']');
}

fn pattern(out: &mut String, p: &Pattern) {
    crate::deep(|| pattern_level(out, p))
}

fn pattern_level(out: &mut String, p: &Pattern) {
    match p {
        Pattern::MatchValue { value, .. } => {
            out.push_str("MatchValue(value=");
            node(out, value, Ctx::Load);
            out.push(')');
        }
        Pattern::MatchSingleton { value, .. } => {
            let _ = write!(out, "MatchSingleton(value={})", constant_repr(value));
        }
        Pattern::MatchSequence {
            patterns: items, ..
        } => {
            out.push_str("MatchSequence(patterns=");
            patterns(out, items);
            out.push(')');
        }
        Pattern::MatchMapping {
            keys,
            patterns: items,
            rest,
            ..
        } => {
            out.push_str("MatchMapping(keys=");
            list(out, keys, Ctx::Load);
            out.push_str(", patterns=");
            patterns(out, items);
            if let Some(rest) = rest {
                let _ = write!(out, ", rest={}", py_str(&rest.id));
            }
            out.push(')');
        }
        Pattern::MatchClass {
            cls,
            patterns: items,
            kwd_attrs,
            kwd_patterns,
            ..
        } => {
            out.push_str("MatchClass(cls=");
            node(out, cls, Ctx::Load);
            out.push_str(", patterns=");
            patterns(out, items);
            let attrs: Vec<String> = kwd_attrs.iter().map(|(a, _)| py_str(a)).collect();
            let _ = write!(out, ", kwd_attrs=[{}], kwd_patterns=", attrs.join(", "));
            patterns(out, kwd_patterns);
            out.push(')');
        }
        Pattern::MatchStar { name, .. } => match name {
            Some(name) => {
                let _ = write!(out, "MatchStar(name={})", py_str(&name.id));
            }
            None => out.push_str("MatchStar()"),
        },
        Pattern::MatchAs {
            pattern: inner,
            name,
            ..
        } => {
            out.push_str("MatchAs(");
            if let Some(inner) = inner {
                out.push_str("pattern=");
                pattern(out, inner);
                if name.is_some() {
                    out.push_str(", ");
                }
            }
            if let Some(name) = name {
                let _ = write!(out, "name={}", py_str(&name.id));
            }
            out.push(')');
        }
        Pattern::MatchOr {
            patterns: items, ..
        } => {
            out.push_str("MatchOr(patterns=");
            patterns(out, items);
            out.push(')');
        }
    }
}

fn statement(out: &mut String, stmt: &Stmt) {
    crate::deep(|| statement_level(out, stmt))
}

fn statement_level(out: &mut String, stmt: &Stmt) {
    match stmt {
        Stmt::Expr(e) => {
            out.push_str("Expr(value=");
            node(out, e, Ctx::Load);
            out.push(')');
        }
        Stmt::Assign { targets, value, .. } => {
            out.push_str("Assign(targets=");
            list(out, targets, Ctx::Store);
            out.push_str(", value=");
            node(out, value, Ctx::Load);
            out.push(')');
        }
        Stmt::AugAssign {
            target, op, value, ..
        } => {
            out.push_str("AugAssign(target=");
            node(out, target, Ctx::Store);
            let _ = write!(out, ", op={}(), value=", op.name());
            node(out, value, Ctx::Load);
            out.push(')');
        }
        Stmt::Delete { targets, .. } => {
            out.push_str("Delete(targets=");
            list(out, targets, Ctx::Del);
            out.push(')');
        }
        Stmt::Assert { test, msg, .. } => {
            out.push_str("Assert(test=");
            node(out, test, Ctx::Load);
            if let Some(m) = msg {
                out.push_str(", msg=");
                node(out, m, Ctx::Load);
            }
            out.push(')');
        }
        Stmt::Raise { exc, cause, .. } => {
            out.push_str("Raise(");
            if let Some(e) = exc {
                out.push_str("exc=");
                node(out, e, Ctx::Load);
            }
            if let Some(c) = cause {
                out.push_str(", cause=");
                node(out, c, Ctx::Load);
            }
            out.push(')');
        }
        Stmt::Pass(_) => out.push_str("Pass()"),
        Stmt::Break(_) => out.push_str("Break()"),
        Stmt::Continue(_) => out.push_str("Continue()"),
        Stmt::Import { names, .. } => {
            out.push_str("Import(names=");
            alias_list(out, names);
            out.push(')');
        }
        Stmt::ImportFrom { module, names, .. } => {
            let _ = write!(out, "ImportFrom(module={}, names=", py_str(module));
            alias_list(out, names);
            out.push_str(", level=0)");
        }
        Stmt::If {
            test, body, orelse, ..
        }
        | Stmt::While {
            test, body, orelse, ..
        } => {
            let kind = if matches!(stmt, Stmt::If { .. }) {
                "If"
            } else {
                "While"
            };
            let _ = write!(out, "{kind}(test=");
            node(out, test, Ctx::Load);
            out.push_str(", body=");
            block(out, body);
            out.push_str(", orelse=");
            block(out, orelse);
            out.push(')');
        }
        Stmt::For {
            target,
            iter,
            body,
            orelse,
            is_async,
            ..
        } => {
            out.push_str(if *is_async {
                "AsyncFor(target="
            } else {
                "For(target="
            });
            node(out, target, Ctx::Store);
            out.push_str(", iter=");
            node(out, iter, Ctx::Load);
            out.push_str(", body=");
            block(out, body);
            out.push_str(", orelse=");
            block(out, orelse);
            out.push(')');
        }
        Stmt::Return { value, .. } => {
            out.push_str("Return(");
            if let Some(v) = value {
                out.push_str("value=");
                node(out, v, Ctx::Load);
            }
            out.push(')');
        }
        Stmt::Try {
            body,
            handlers,
            orelse,
            finalbody,
            ..
        } => {
            out.push_str("Try(body=");
            block(out, body);
            out.push_str(", handlers=[");
            for (i, h) in handlers.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str("ExceptHandler(");
                if let Some(t) = &h.type_ {
                    out.push_str("type=");
                    node(out, t, Ctx::Load);
                    out.push_str(", ");
                }
                if let Some(n) = &h.name {
                    let _ = write!(out, "name={}, ", py_str(&n.id));
                }
                out.push_str("body=");
                block(out, &h.body);
                out.push(')');
            }
            out.push_str("], orelse=");
            block(out, orelse);
            out.push_str(", finalbody=");
            block(out, finalbody);
            out.push(')');
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
            let kind = if *is_async {
                "AsyncFunctionDef"
            } else {
                "FunctionDef"
            };
            let _ = write!(out, "{kind}(name={}, args=", py_str(&name.id));
            arguments(out, args);
            out.push_str(", body=");
            block(out, body);
            out.push_str(", decorator_list=");
            list(out, decorator_list, Ctx::Load);
            if let Some(returns) = returns {
                out.push_str(", returns=");
                node(out, returns, Ctx::Load);
            }
            out.push(')');
        }
        Stmt::ClassDef {
            name,
            bases,
            keywords: class_keywords,
            body,
            decorator_list,
            ..
        } => {
            let _ = write!(out, "ClassDef(name={}, bases=", py_str(&name.id));
            list(out, bases, Ctx::Load);
            out.push_str(", keywords=");
            keywords(out, class_keywords);
            out.push_str(", body=");
            block(out, body);
            out.push_str(", decorator_list=");
            list(out, decorator_list, Ctx::Load);
            out.push(')');
        }
        Stmt::Match { subject, cases, .. } => {
            out.push_str("Match(subject=");
            node(out, subject, Ctx::Load);
            out.push_str(", cases=[");
            for (i, case) in cases.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str("match_case(pattern=");
                pattern(out, &case.pattern);
                if let Some(guard) = &case.guard {
                    out.push_str(", guard=");
                    node(out, guard, Ctx::Load);
                }
                out.push_str(", body=");
                block(out, &case.body);
                out.push(')');
            }
            out.push_str("])");
        }
        Stmt::Global { names, .. } | Stmt::Nonlocal { names, .. } => {
            let kind = if matches!(stmt, Stmt::Global { .. }) {
                "Global"
            } else {
                "Nonlocal"
            };
            let names: Vec<String> = names.iter().map(|n| py_str(&n.id)).collect();
            let _ = write!(out, "{kind}(names=[{}])", names.join(", "));
        }
        Stmt::AnnAssign {
            target,
            annotation,
            value,
            simple,
            ..
        } => {
            out.push_str("AnnAssign(target=");
            node(out, target, Ctx::Store);
            out.push_str(", annotation=");
            node(out, annotation, Ctx::Load);
            if let Some(value) = value {
                out.push_str(", value=");
                node(out, value, Ctx::Load);
            }
            let _ = write!(out, ", simple={})", u8::from(*simple));
        }
        Stmt::With { is_async, .. } => {
            // `with a, b { … }` was parsed as nested `With`s marked `continued`; CPython keeps
            // one `With` with several items.
            out.push_str(if *is_async {
                "AsyncWith(items=["
            } else {
                "With(items=["
            });
            let mut current = stmt;
            while let Stmt::With {
                context,
                target,
                body,
                ..
            } = current
            {
                out.push_str("withitem(context_expr=");
                node(out, context, Ctx::Load);
                if let Some(t) = target {
                    out.push_str(", optional_vars=");
                    node(out, t, Ctx::Store);
                }
                out.push(')');
                match body.as_slice() {
                    [
                        next @ Stmt::With {
                            continued: true, ..
                        },
                    ] => {
                        out.push_str(", ");
                        current = next;
                    }
                    _ => {
                        out.push_str("], body=");
                        block(out, body);
                        out.push(')');
                        break;
                    }
                }
            }
        }
    }
}

fn node(out: &mut String, expr: &Expr, ctx: Ctx) {
    match expr {
        Expr::BoolOp(e) => {
            let _ = write!(out, "BoolOp(op={}(), values=", e.op.name());
            list(out, &e.values, Ctx::Load);
            out.push(')');
        }
        Expr::NamedExpr(e) => {
            let _ = write!(
                out,
                "NamedExpr(target=Name(id={}, ctx=Store()), value=",
                py_str(&e.target.id)
            );
            node(out, &e.value, Ctx::Load);
            out.push(')');
        }
        Expr::BinOp(e) => {
            out.push_str("BinOp(left=");
            node(out, &e.left, Ctx::Load);
            let _ = write!(out, ", op={}(), right=", e.op.name());
            node(out, &e.right, Ctx::Load);
            out.push(')');
        }
        Expr::UnaryOp(e) => {
            let _ = write!(out, "UnaryOp(op={}(), operand=", e.op.name());
            node(out, &e.operand, Ctx::Load);
            out.push(')');
        }
        Expr::Lambda(l) => {
            out.push_str("Lambda(args=");
            arguments(out, &l.args);
            out.push_str(", body=");
            node(out, &l.body, Ctx::Load);
            out.push(')');
        }
        Expr::IfExp(e) => {
            out.push_str("IfExp(test=");
            node(out, &e.test, Ctx::Load);
            out.push_str(", body=");
            node(out, &e.body, Ctx::Load);
            out.push_str(", orelse=");
            node(out, &e.orelse, Ctx::Load);
            out.push(')');
        }
        Expr::Dict(d) => {
            out.push_str("Dict(keys=[");
            for (i, k) in d.keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Some(k) => node(out, k, Ctx::Load),
                    None => out.push_str("None"),
                }
            }
            out.push_str("], values=");
            list(out, &d.values, Ctx::Load);
            out.push(')');
        }
        Expr::Set(e) => {
            out.push_str("Set(elts=");
            list(out, &e.elts, Ctx::Load);
            out.push(')');
        }
        Expr::ListComp(c) | Expr::SetComp(c) | Expr::GeneratorExp(c) => {
            let _ = write!(out, "{}(elt=", expr.kind());
            node(out, &c.elt, Ctx::Load);
            out.push_str(", ");
            generators(out, &c.generators);
            out.push(')');
        }
        Expr::DictComp(c) => {
            out.push_str("DictComp(key=");
            node(out, &c.key, Ctx::Load);
            out.push_str(", value=");
            node(out, &c.value, Ctx::Load);
            out.push_str(", ");
            generators(out, &c.generators);
            out.push(')');
        }
        Expr::Compare(c) => {
            out.push_str("Compare(left=");
            node(out, &c.left, Ctx::Load);
            let ops: Vec<String> = c
                .ops
                .iter()
                .map(|(op, _)| format!("{}()", op.name()))
                .collect();
            let _ = write!(out, ", ops=[{}], comparators=", ops.join(", "));
            list(out, &c.comparators, Ctx::Load);
            out.push(')');
        }
        Expr::Call(c) => {
            out.push_str("Call(func=");
            node(out, &c.func, Ctx::Load);
            out.push_str(", args=");
            list(out, &c.args, Ctx::Load);
            out.push_str(", keywords=");
            keywords(out, &c.keywords);
            out.push(')');
        }
        Expr::Constant(c) => {
            let _ = write!(out, "Constant(value={})", constant_repr(&c.value));
        }
        Expr::Attribute(a) => {
            out.push_str("Attribute(value=");
            node(out, &a.value, Ctx::Load);
            let _ = write!(out, ", attr={}, ctx={})", py_str(&a.attr), ctx.text());
        }
        Expr::Subscript(s) => {
            out.push_str("Subscript(value=");
            node(out, &s.value, Ctx::Load);
            out.push_str(", slice=");
            node(out, &s.slice, Ctx::Load);
            let _ = write!(out, ", ctx={})", ctx.text());
        }
        Expr::Yield(y) => match &y.value {
            Some(value) => {
                out.push_str("Yield(value=");
                node(out, value, Ctx::Load);
                out.push(')');
            }
            None => out.push_str("Yield()"),
        },
        Expr::YieldFrom(s) | Expr::Await(s) => {
            let _ = write!(out, "{}(value=", expr.kind());
            node(out, &s.value, Ctx::Load);
            out.push(')');
        }
        Expr::Starred(s) => {
            out.push_str("Starred(value=");
            node(out, &s.value, ctx);
            let _ = write!(out, ", ctx={})", ctx.text());
        }
        Expr::Name(n) => {
            let _ = write!(out, "Name(id={}, ctx={})", py_str(&n.id), ctx.text());
        }
        Expr::List(e) | Expr::Tuple(e) => {
            let _ = write!(out, "{}(elts=", expr.kind());
            list(out, &e.elts, ctx);
            let _ = write!(out, ", ctx={})", ctx.text());
        }
        Expr::Slice(s) => {
            out.push_str("Slice(");
            let mut parts = Vec::new();
            for (name, part) in [("lower", &s.lower), ("upper", &s.upper), ("step", &s.step)] {
                if let Some(p) = part {
                    let mut text = format!("{name}=");
                    node(&mut text, p, Ctx::Load);
                    parts.push(text);
                }
            }
            out.push_str(&parts.join(", "));
            out.push(')');
        }
        Expr::Rust(r) => {
            let _ = write!(out, "Rust({})", py_str(&r.tokens.to_string()));
        }
        Expr::JoinedStr(j) => joined(out, &j.values),
    }
}

fn joined(out: &mut String, parts: &[FPart]) {
    out.push_str("JoinedStr(values=[");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match part {
            FPart::Literal(text) => {
                let _ = write!(out, "Constant(value={})", py_str(text));
            }
            FPart::Field(f) => {
                out.push_str("FormattedValue(value=");
                node(out, &f.value, Ctx::Load);
                let code = f.conversion.map_or(-1, |c| c as i32);
                let _ = write!(out, ", conversion={code}");
                if let Some(spec) = &f.format_spec {
                    out.push_str(", format_spec=");
                    joined(out, spec);
                }
                out.push(')');
            }
        }
    }
    out.push_str("])");
}

/// `repr()` of a constant, as CPython prints it.
///
/// ```
/// use pycall_backend::ast::ConstValue;
/// assert_eq!(pycall_backend::dump::constant_repr(&ConstValue::Imag(2.0)), "2j");
/// ```
pub fn constant_repr(value: &ConstValue) -> String {
    match value {
        ConstValue::None => "None".to_owned(),
        ConstValue::Bool(true) => "True".to_owned(),
        ConstValue::Bool(false) => "False".to_owned(),
        ConstValue::Ellipsis => "Ellipsis".to_owned(),
        ConstValue::Int(digits) => digits.clone(),
        ConstValue::Float(f) => float_repr(*f),
        ConstValue::Imag(f) => {
            let text = float_repr(*f);
            format!("{}j", text.strip_suffix(".0").unwrap_or(&text))
        }
        ConstValue::Str(s) => py_str(s),
        ConstValue::Bytes(b) => py_bytes(b),
    }
}

/// CPython's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
/// decimal point falls within 16 places, otherwise in scientific notation.
///
/// ```
/// use pycall_backend::dump::float_repr;
/// assert_eq!(float_repr(1e16), "1e+16");
/// assert_eq!(float_repr(1e-7), "1e-07");
/// assert_eq!(float_repr(0.0001), "0.0001");
/// assert_eq!(float_repr(1e15), "1000000000000000.0");
/// ```
pub fn float_repr(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    if f.is_nan() {
        return "nan".to_owned();
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let decpt = exponent + 1;
    let n = digits.len() as i32;
    let body = if -4 < decpt && decpt <= 16 {
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        }
    } else {
        let rest = if n > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let esign = if exponent < 0 { '-' } else { '+' };
        format!("{}{}e{}{:02}", &digits[..1], rest, esign, exponent.abs())
    };
    format!("{sign}{body}")
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || u == 0xad
        || (0x200b..=0x200f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2060..=0x206f).contains(&u)
        || u == 0xfeff
        || (0xe000..=0xf8ff).contains(&u)
        || (0xfff9..=0xfffb).contains(&u)
        || u >= 0xf0000)
}

/// CPython's `repr(str)`.
///
/// ```
/// assert_eq!(pycall_backend::dump::py_str("it's"), "\"it's\"");
/// assert_eq!(pycall_backend::dump::py_str("a\u{a0}b"), "'a\\xa0b'");
/// ```
pub fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// CPython's `repr(bytes)`.
///
/// ```
/// assert_eq!(pycall_backend::dump::py_bytes(b"\x00a"), "b'\\x00a'");
/// ```
pub fn py_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            q if q == quote => {
                out.push('\\');
                out.push(q as char);
            }
            0x20..=0x7e => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(quote as char);
    out
}
