//! Printing: ast -> Python source, like Python's `ast.unparse`, in Python's or `py!`'s spelling.

use crate::ast::*;
use std::fmt::Write;

/// How to spell what Rust's lexer does not take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// Real Python: `a // b`.
    Python,
    /// What `py!` accepts: `a / / b`.
    Rust,
}

/// Python source for `expr`.
///
/// ```
/// use pycall_backend::unparse::{unparse, Spelling};
/// let expr = pycall_backend::parse::parse_expression("(a / / b)".parse().unwrap()).unwrap();
/// assert_eq!(unparse(&expr, Spelling::Python), "a // b");
/// assert_eq!(unparse(&expr, Spelling::Rust), "a / / b");
/// ```
pub fn unparse(expr: &Expr, spelling: Spelling) -> String {
    let mut out = String::new();
    Printer {
        out: &mut out,
        spelling,
    }
    .expr(expr, Precedence::Tuple);
    out
}

struct Printer<'a> {
    out: &'a mut String,
    spelling: Spelling,
}

impl Printer<'_> {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn paren_if(&mut self, cond: bool, f: impl FnOnce(&mut Self)) {
        if cond {
            self.push("(");
        }
        f(self);
        if cond {
            self.push(")");
        }
    }

    fn list(&mut self, items: &[Expr], prec: Precedence) {
        for (i, e) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(e, prec);
        }
    }

    fn expr(&mut self, expr: &Expr, ctx: Precedence) {
        crate::deep(|| self.expr_level(expr, ctx))
    }

    fn expr_level(&mut self, expr: &Expr, ctx: Precedence) {
        match expr {
            Expr::BoolOp(e) => {
                let p = e.op.precedence();
                self.paren_if(ctx > p, |s| {
                    for (i, v) in e.values.iter().enumerate() {
                        if i > 0 {
                            s.push(" ");
                            s.push(e.op.text());
                            s.push(" ");
                        }
                        s.expr(v, p.next());
                    }
                });
            }
            Expr::NamedExpr(e) => self.paren_if(ctx > Precedence::Named, |s| {
                s.push(&e.target.id);
                s.push(" := ");
                s.expr(&e.value, Precedence::Atom.min(Precedence::Named.next()));
            }),
            Expr::BinOp(e) => {
                let p = e.op.precedence();
                let (left, right) = if e.op == Operator::Pow {
                    (p.next(), p)
                } else {
                    (p, p.next())
                };
                self.paren_if(ctx > p, |s| {
                    s.expr(
                        &e.left,
                        if e.op == Operator::Pow {
                            Precedence::Atom
                        } else {
                            left
                        },
                    );
                    let text = match (e.op, s.spelling) {
                        (Operator::FloorDiv, Spelling::Rust) => "/ /",
                        (op, _) => op.text(),
                    };
                    s.push(" ");
                    s.push(text);
                    s.push(" ");
                    s.expr(
                        &e.right,
                        if e.op == Operator::Pow {
                            Precedence::Factor
                        } else {
                            right
                        },
                    );
                });
            }
            Expr::UnaryOp(e) => {
                let p = e.op.precedence();
                self.paren_if(ctx > p, |s| {
                    s.push(e.op.text());
                    if e.op == UnaryOperator::Not {
                        s.push(" ");
                    }
                    s.expr(&e.operand, p);
                });
            }
            Expr::Lambda(l) => self.paren_if(ctx > Precedence::Test, |s| {
                s.push("lambda");
                let params = s.arguments(&l.args);
                if !params.is_empty() {
                    s.push(" ");
                    s.push(&params);
                }
                s.push(": ");
                s.expr(&l.body, Precedence::Test);
            }),
            Expr::IfExp(e) => self.paren_if(ctx > Precedence::Test, |s| {
                s.expr(&e.body, Precedence::Test.next());
                s.push(" if ");
                s.expr(&e.test, Precedence::Test.next());
                s.push(" else ");
                s.expr(&e.orelse, Precedence::Test);
            }),
            Expr::Dict(d) => {
                self.push("{");
                for (i, (k, v)) in d.keys.iter().zip(&d.values).enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    match k {
                        Some(k) => {
                            self.expr(k, Precedence::Test);
                            self.push(": ");
                            self.expr(v, Precedence::Test);
                        }
                        None => {
                            self.push("**");
                            self.expr(v, Precedence::BOr);
                        }
                    }
                }
                self.push("}");
            }
            Expr::Set(e) => {
                self.push("{");
                self.list(&e.elts, Precedence::Test);
                self.push("}");
            }
            Expr::List(e) => {
                self.push("[");
                self.list(&e.elts, Precedence::Test);
                self.push("]");
            }
            Expr::Tuple(e) => {
                let bare = !e.parenthesized && ctx == Precedence::Tuple && !e.elts.is_empty();
                self.paren_if(!bare, |s| {
                    s.list(&e.elts, Precedence::Test);
                    if e.elts.len() == 1 {
                        s.push(",");
                    }
                });
            }
            Expr::ListComp(c) => self.comp(
                "[",
                "]",
                |s| s.expr(&c.elt, Precedence::Test),
                &c.generators,
            ),
            Expr::SetComp(c) => self.comp(
                "{",
                "}",
                |s| s.expr(&c.elt, Precedence::Test),
                &c.generators,
            ),
            Expr::GeneratorExp(c) => self.comp(
                "(",
                ")",
                |s| s.expr(&c.elt, Precedence::Test),
                &c.generators,
            ),
            Expr::DictComp(c) => self.comp(
                "{",
                "}",
                |s| {
                    s.expr(&c.key, Precedence::Test);
                    s.push(": ");
                    s.expr(&c.value, Precedence::Test);
                },
                &c.generators,
            ),
            Expr::Compare(c) => self.paren_if(ctx > Precedence::Cmp, |s| {
                s.expr(&c.left, Precedence::Cmp.next());
                for ((op, _), right) in c.ops.iter().zip(&c.comparators) {
                    s.push(" ");
                    s.push(op.text());
                    s.push(" ");
                    s.expr(right, Precedence::Cmp.next());
                }
            }),
            Expr::Call(c) => {
                self.expr(&c.func, Precedence::Atom);
                self.push("(");
                let sole_genexp = c.args.len() == 1
                    && c.keywords.is_empty()
                    && matches!(c.args[0], Expr::GeneratorExp(_));
                if sole_genexp {
                    if let Expr::GeneratorExp(g) = &c.args[0] {
                        self.comp("", "", |s| s.expr(&g.elt, Precedence::Test), &g.generators);
                    }
                } else {
                    let mut first = true;
                    for a in &c.args {
                        if !first {
                            self.push(", ");
                        }
                        first = false;
                        self.expr(a, Precedence::Test);
                    }
                    for k in &c.keywords {
                        if !first {
                            self.push(", ");
                        }
                        first = false;
                        match &k.arg {
                            Some((name, _)) => {
                                self.push(name);
                                self.push("=");
                            }
                            None => self.push("**"),
                        }
                        self.expr(&k.value, Precedence::Test);
                    }
                }
                self.push(")");
            }
            Expr::Constant(c) => {
                let needs_parens = ctx == Precedence::Atom
                    && matches!(
                        c.value,
                        ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::Imag(_)
                    );
                let text = constant_text(&c.value, self.spelling);
                // `1 .real`: an int before `.` needs a space (or parentheses) in Python.
                self.paren_if(needs_parens && text.starts_with('-'), |s| s.push(&text));
                if needs_parens && matches!(c.value, ConstValue::Int(_)) && !text.starts_with('-') {
                    self.push(" ");
                }
            }
            Expr::Attribute(a) => {
                self.expr(&a.value, Precedence::Atom);
                self.push(".");
                self.push(&a.attr);
            }
            Expr::Subscript(sub) => {
                self.expr(&sub.value, Precedence::Atom);
                self.push("[");
                match &*sub.slice {
                    Expr::Tuple(t) if !t.parenthesized && !t.elts.is_empty() => {
                        self.list(&t.elts, Precedence::Test);
                        if t.elts.len() == 1 {
                            self.push(",");
                        }
                    }
                    other => self.expr(other, Precedence::Tuple),
                }
                self.push("]");
            }
            Expr::Yield(y) => self.paren_if(ctx > Precedence::Tuple, |s| {
                s.push("yield");
                if let Some(value) = &y.value {
                    s.push(" ");
                    s.expr(value, Precedence::Tuple);
                }
            }),
            Expr::YieldFrom(y) => self.paren_if(ctx > Precedence::Tuple, |s| {
                s.push("yield from ");
                s.expr(&y.value, Precedence::Test);
            }),
            Expr::Await(a) => self.paren_if(ctx > Precedence::Power, |s| {
                s.push("await ");
                s.expr(&a.value, Precedence::Atom);
            }),
            Expr::Starred(st) => {
                self.push("*");
                self.expr(&st.value, Precedence::BOr);
            }
            Expr::Name(n) => self.push(&n.id),
            Expr::Slice(sl) => {
                if let Some(l) = &sl.lower {
                    self.expr(l, Precedence::Test);
                }
                self.push(":");
                if let Some(u) = &sl.upper {
                    self.expr(u, Precedence::Test);
                }
                if let Some(st) = &sl.step {
                    self.push(":");
                    self.expr(st, Precedence::Test);
                }
            }
            Expr::JoinedStr(j) => {
                let body = fstring_body(&j.values, self.spelling);
                match self.spelling {
                    Spelling::Python => {
                        let _ = write!(self.out, "f\"{body}\"");
                    }
                    Spelling::Rust => {
                        let _ = write!(self.out, "f \"{body}\"");
                    }
                }
            }
            Expr::Rust(r) => match &r.name {
                Some(name) => {
                    self.push("$");
                    self.push(name);
                }
                None => {
                    let _ = write!(self.out, "$({})", r.tokens);
                }
            },
        }
    }

    fn comp(
        &mut self,
        open: &str,
        close: &str,
        elt: impl FnOnce(&mut Self),
        generators: &[Comprehension],
    ) {
        self.push(open);
        elt(self);
        for g in generators {
            self.push(if g.is_async { " async for " } else { " for " });
            self.expr(&g.target, Precedence::Tuple);
            self.push(" in ");
            self.expr(&g.iter, Precedence::Or);
            for cond in &g.ifs {
                self.push(" if ");
                self.expr(cond, Precedence::Or);
            }
        }
        self.push(close);
    }

    fn arguments(&mut self, args: &Arguments) -> String {
        let mut parts: Vec<String> = Vec::new();
        let positional: Vec<&Arg> = args.posonlyargs.iter().chain(&args.args).collect();
        let first_default = positional.len() - args.defaults.len().min(positional.len());
        for (i, a) in positional.iter().enumerate() {
            let mut text = a.arg.clone();
            if i >= first_default {
                text.push('=');
                text.push_str(&unparse_prec(
                    &args.defaults[i - first_default],
                    Precedence::Test,
                    self.spelling,
                ));
            }
            parts.push(text);
            if i + 1 == args.posonlyargs.len() {
                parts.push("/".to_owned());
            }
        }
        if let Some(v) = &args.vararg {
            parts.push(format!("*{}", v.arg));
        } else if !args.kwonlyargs.is_empty() {
            parts.push("*".to_owned());
        }
        for (a, d) in args.kwonlyargs.iter().zip(&args.kw_defaults) {
            match d {
                Some(d) => parts.push(format!(
                    "{}={}",
                    a.arg,
                    unparse_prec(d, Precedence::Test, self.spelling)
                )),
                None => parts.push(a.arg.clone()),
            }
        }
        if let Some(k) = &args.kwarg {
            parts.push(format!("**{}", k.arg));
        }
        parts.join(", ")
    }
}

/// The text between an f-string's quotes.
fn fstring_body(parts: &[FPart], spelling: Spelling) -> String {
    let escape = |text: &str, out: &mut String, braces: bool| {
        for c in text.chars() {
            match c {
                '{' if braces => out.push_str("{{"),
                '}' if braces => out.push_str("}}"),
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
    };
    let mut out = String::new();
    for part in parts {
        match part {
            FPart::Literal(text) => escape(text, &mut out, true),
            FPart::Field(f) => {
                let expr = unparse_prec(&f.value, Precedence::Test, spelling);
                out.push('{');
                if expr.starts_with('{') {
                    out.push(' ');
                }
                escape(&expr, &mut out, false);
                if let Some(c) = f.conversion {
                    out.push('!');
                    out.push(c);
                }
                if let Some(spec) = &f.format_spec {
                    out.push(':');
                    out.push_str(&fstring_body(spec, spelling));
                }
                out.push('}');
            }
        }
    }
    out
}

fn unparse_prec(expr: &Expr, prec: Precedence, spelling: Spelling) -> String {
    let mut out = String::new();
    Printer {
        out: &mut out,
        spelling,
    }
    .expr(expr, prec);
    out
}

/// A literal as Python source; the escapes used are valid in both Python and Rust.
///
/// ```
/// use pycall_backend::ast::ConstValue;
/// use pycall_backend::unparse::{constant_text, Spelling};
/// assert_eq!(constant_text(&ConstValue::Str("a\"b".into()), Spelling::Python), "\"a\\\"b\"");
/// ```
pub fn constant_text(value: &ConstValue, spelling: Spelling) -> String {
    match value {
        ConstValue::None => "None".to_owned(),
        ConstValue::Bool(true) => "True".to_owned(),
        ConstValue::Bool(false) => "False".to_owned(),
        ConstValue::Ellipsis => "...".to_owned(),
        ConstValue::Int(digits) => digits.clone(),
        ConstValue::Float(f) => float_text(*f),
        ConstValue::Imag(f) => format!("{}j", float_text(*f)),
        ConstValue::Str(s) => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        let _ = write!(out, "\\x{:02x}", c as u32);
                    }
                    c if c.is_control() => match spelling {
                        Spelling::Python => {
                            let _ = write!(out, "\\U{:08x}", c as u32);
                        }
                        Spelling::Rust => {
                            let _ = write!(out, "\\u{{{:x}}}", c as u32);
                        }
                    },
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        ConstValue::Bytes(b) => {
            let mut out = String::from("b\"");
            for &byte in b {
                match byte {
                    b'\\' => out.push_str("\\\\"),
                    b'"' => out.push_str("\\\""),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    b'\t' => out.push_str("\\t"),
                    0x20..=0x7e => out.push(byte as char),
                    _ => {
                        let _ = write!(out, "\\x{byte:02x}");
                    }
                }
            }
            out.push('"');
            out
        }
    }
}

fn float_text(f: f64) -> String {
    if f.is_infinite() {
        return "1e309".to_owned();
    }
    let text = format!("{f:?}");
    text
}
