//! Parsing: tokens -> ast, by Python 3.11's expression grammar, in its precedence order.

mod fstring;
pub(crate) mod literal;
mod pattern;
mod stmt;
pub(crate) mod tokens;

use crate::ast::*;
use proc_macro2::{Delimiter, Span, TokenStream};
use std::cell::Cell;
use syn::parse::{ParseStream, Parser};
use tokens::*;

/// How deeply brackets and unary operators may nest before the input is refused (CPython's
/// tokenizer stops at 200 nested brackets; we allow the same).
const MAX_DEPTH: usize = 200;

/// Parses the input of `py!`: an expression list, then optionally `as T`.
///
/// ```
/// let input = pycall_backend::parse::parse_input("math.sqrt(x) as f64".parse().unwrap()).unwrap();
/// assert_eq!(input.body.kind(), "Call");
/// assert!(input.target.is_some());
///
/// let err = pycall_backend::parse::parse_input("not".parse().unwrap()).err().unwrap();
/// assert_eq!(err.to_string(), "expected an expression after `not`");
/// ```
pub fn parse_input(tokens: TokenStream) -> syn::Result<Input> {
    let cx = Cx::default();
    (|input: ParseStream| {
        if input.is_empty() {
            return Err(error_here(input, "expected a Python expression"));
        }
        let (stmts, value) = cx.parse_top_block(input)?;
        if stmts.is_empty() && value.is_none() {
            return Err(error_here(
                input,
                "expected a Python expression before `as`",
            ));
        }
        let ends_with_statement = value.is_none();
        let body = match value {
            Some(value) => {
                if let Expr::Starred(s) = &value {
                    return Err(s.range.error("cannot use starred expression here"));
                }
                value
            }
            None => Expr::Constant(Constant {
                value: ConstValue::None,
                range: Range::single(input.cursor().prev_span()),
            }),
        };
        let target = if input.peek(syn::Token![as]) {
            let as_span = eat_kw(input, "as")?;
            if input.is_empty() {
                return Err(syn::Error::new(as_span, "expected a Rust type after `as`"));
            }
            let rest: TokenStream = input.fork().parse()?;
            crate::parse::literal::check_literal_sizes(&rest)?;
            match input.parse::<syn::Type>() {
                Ok(ty) => Some(ty),
                Err(e) => {
                    return Err(syn::Error::new(
                        e.span(),
                        format!(
                            "expected a Rust type after `as`, found {}",
                            describe_next(input)
                        ),
                    ));
                }
            }
        } else {
            None
        };
        if !input.is_empty() {
            return Err(cx.unexpected(input));
        }
        Ok(Input {
            stmts,
            body,
            ends_with_statement,
            target,
        })
    })
    .parse2(tokens)
}

/// Parses one expression list (`mode="eval"`) and nothing else.
///
/// ```
/// let expr = pycall_backend::parse::parse_expression("2 ** 3 ** 2".parse().unwrap()).unwrap();
/// assert_eq!(expr.kind(), "BinOp");
/// ```
pub fn parse_expression(tokens: TokenStream) -> syn::Result<Expr> {
    let cx = Cx::default();
    (|input: ParseStream| {
        if input.is_empty() {
            return Err(error_here(input, "expected a Python expression"));
        }
        let body = cx.parse_expressions(input)?;
        if !input.is_empty() {
            return Err(cx.unexpected(input));
        }
        Ok(body)
    })
    .parse2(tokens)
}

/// Parses one operand of a boolean operator.
type OperandParser = fn(&Cx, ParseStream) -> syn::Result<Expr>;

/// The parser's context: how deep it is.
#[derive(Default)]
struct Cx {
    depth: Cell<usize>,
}

/// An error at the next token, or at the last one when the input has ended (syn would say
/// "unexpected end of input" and point at the whole macro call).
fn error_here(input: ParseStream, message: impl std::fmt::Display) -> syn::Error {
    if input.is_empty() {
        syn::Error::new(input.cursor().prev_span(), message)
    } else {
        input.error(message)
    }
}

fn span_of(range_start: Span, input: ParseStream) -> Range {
    Range::new(range_start, input.cursor().prev_span())
}

fn binary(left: Expr, op: Operator, op_span: Span, right: Expr) -> Expr {
    let range = left.range().to(right.range());
    Expr::BinOp(BinOp {
        left: Box::new(left),
        op,
        op_span,
        right: Box::new(right),
        range,
    })
}

impl Cx {
    fn nested<T>(&self, span: Span, f: impl FnOnce() -> syn::Result<T>) -> syn::Result<T> {
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH {
            return Err(syn::Error::new(
                span,
                "too many nested parentheses or operators",
            ));
        }
        self.depth.set(depth);
        let result = crate::deep(f);
        self.depth.set(depth - 1);
        result
    }

    fn unexpected(&self, input: ParseStream) -> syn::Error {
        if peek_op(input, ":=") {
            return error_here(
                input,
                "invalid syntax: an assignment expression `:=` needs parentheses here",
            );
        }
        if peek_op(input, "=") && !peek_op(input, "==") {
            return error_here(
                input,
                "invalid syntax: assignment is a statement, not an expression; maybe you meant `==` or `:=`",
            );
        }
        if let Some((ident, _)) = input.cursor().ident() {
            let word = ident_text(&ident);
            if word == "for" {
                return error_here(input, "generator expression must be parenthesized");
            }
        }
        error_here(
            input,
            format!("invalid syntax: unexpected {}", describe_next(input)),
        )
    }

    fn expected_expression(&self, input: ParseStream, after: Option<&str>) -> syn::Error {
        match after {
            Some(what) => error_here(input, format!("expected an expression after {what}")),
            None => error_here(
                input,
                format!("expected an expression, found {}", describe_next(input)),
            ),
        }
    }

    /// Whether an expression can start at the next token.
    fn starts_expression(&self, input: ParseStream) -> bool {
        let cursor = input.cursor();
        if let Some((ident, _)) = cursor.ident() {
            let word = ident_text(&ident);
            return !KEYWORDS.contains(&word.as_str())
                || matches!(
                    word.as_str(),
                    "None" | "True" | "False" | "not" | "lambda" | "await"
                );
        }
        if let Some((p, _)) = cursor.punct() {
            return matches!(p.as_char(), '-' | '+' | '~' | '$' | '.' | '*');
        }
        !cursor.eof()
    }

    /// `yield_expr`: `yield from expression`, `yield star_expressions`, or a bare `yield`.
    pub(super) fn parse_yield(&self, input: ParseStream) -> syn::Result<Expr> {
        let start = eat_kw(input, "yield")?;
        if peek_kw(input, "from") {
            let from = eat_kw(input, "from")?;
            if !self.starts_expression(input) || peek_op(input, "*") {
                return Err(self.expected_expression(input, Some("`yield from`")));
            }
            let value = self.nested(from, || self.parse_expr(input))?;
            let range = Range::new(start, value.range().end);
            return Ok(Expr::YieldFrom(Starred {
                value: Box::new(value),
                range,
            }));
        }
        if !self.starts_expression(input) {
            return Ok(Expr::Yield(Yield {
                value: None,
                range: Range::single(start),
            }));
        }
        let value = self.nested(start, || self.parse_star_list_expr(input))?;
        let range = Range::new(start, value.range().end);
        Ok(Expr::Yield(Yield {
            value: Some(Box::new(value)),
            range,
        }))
    }

    /// Where Python takes `yield_expr | star_expressions` (an expression statement, the value
    /// of an assignment).
    pub(super) fn parse_value_list(&self, input: ParseStream) -> syn::Result<Expr> {
        if peek_kw(input, "yield") {
            return self.parse_yield(input);
        }
        self.parse_star_list_expr(input)
    }

    /// Whether the next tokens can start `yield_expr | star_expressions`.
    pub(super) fn starts_value(&self, input: ParseStream) -> bool {
        peek_kw(input, "yield") || self.starts_expression(input)
    }

    // expressions: expression (',' expression)* [',']
    fn parse_expressions(&self, input: ParseStream) -> syn::Result<Expr> {
        let first = self.parse_top_expr(input)?;
        if !peek_op(input, ",") {
            if let Expr::Starred(s) = &first {
                return Err(s.range.error("cannot use starred expression here"));
            }
            return Ok(first);
        }
        let start = first.range();
        let mut elts = vec![first];
        while peek_op(input, ",") {
            eat_puncts(input, 1)?;
            if !self.starts_expression(input) {
                break;
            }
            elts.push(self.parse_top_expr(input)?);
        }
        let range = Range::new(start.start, input.cursor().prev_span());
        Ok(Expr::Tuple(Elts {
            elts,
            range,
            parenthesized: false,
        }))
    }

    /// An element of the top-level expression list: starred expressions are not allowed there
    /// (`eval("*a, b")` is a syntax error).
    fn parse_top_expr(&self, input: ParseStream) -> syn::Result<Expr> {
        let expr = self.parse_star_expr(input, false)?;
        if let Expr::Starred(s) = &expr {
            return Err(s.range.error("cannot use starred expression here"));
        }
        Ok(expr)
    }

    /// `'*' bitwise_or | expression` (or `named_expression` when `named`).
    fn parse_star_expr(&self, input: ParseStream, named: bool) -> syn::Result<Expr> {
        if peek_op(input, "*") && !peek_chars(input, "**") {
            let (star, _) = eat_puncts(input, 1)?;
            if !self.starts_expression(input) {
                return Err(self.expected_expression(input, Some("`*`")));
            }
            let value = self.parse_binary(input, Precedence::BOr)?;
            let range = Range::new(star, value.range().end);
            return Ok(Expr::Starred(Starred {
                value: Box::new(value),
                range,
            }));
        }
        if named {
            self.parse_named(input)
        } else {
            self.parse_expr(input)
        }
    }

    // named_expression: NAME ':=' expression | expression !':='
    fn parse_named(&self, input: ParseStream) -> syn::Result<Expr> {
        let expr = self.parse_expr(input)?;
        if !peek_op(input, ":=") {
            return Ok(expr);
        }
        let (colon, _) = eat_puncts(input, 2)?;
        let target = match expr {
            Expr::Name(name) => name,
            other => {
                let what = describe_target(&other);
                return Err(other
                    .range()
                    .error(format!("cannot use assignment expressions with {what}")));
            }
        };
        if !self.starts_expression(input) {
            return Err(syn::Error::new(colon, "expected an expression after `:=`"));
        }
        let value = self.parse_expr(input)?;
        let range = Range::new(target.span, value.range().end);
        Ok(Expr::NamedExpr(NamedExpr {
            target,
            value: Box::new(value),
            range,
        }))
    }

    // expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
    fn parse_expr(&self, input: ParseStream) -> syn::Result<Expr> {
        if peek_kw(input, "lambda") {
            return self.parse_lambda(input);
        }
        let body = self.parse_or(input)?;
        if !peek_kw(input, "if") {
            return Ok(body);
        }
        let if_span = eat_kw(input, "if")?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(if_span, "expected a condition after `if`"));
        }
        let test = self.parse_or(input)?;
        if !peek_kw(input, "else") {
            return Err(error_here(input, "expected `else` after `if` expression"));
        }
        let else_span = eat_kw(input, "else")?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(
                else_span,
                "expected an expression after `else`",
            ));
        }
        let orelse = self.nested(else_span, || self.parse_expr(input))?;
        let range = body.range().to(orelse.range());
        Ok(Expr::IfExp(IfExp {
            test: Box::new(test),
            body: Box::new(body),
            orelse: Box::new(orelse),
            range,
        }))
    }

    fn parse_lambda(&self, input: ParseStream) -> syn::Result<Expr> {
        let start = eat_kw(input, "lambda")?;
        let args = self.parse_lambda_params(input)?;
        if !peek_op(input, ":") {
            return Err(error_here(
                input,
                "expected `:` after the lambda's parameters",
            ));
        }
        let (colon, _) = eat_puncts(input, 1)?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(
                colon,
                "expected an expression after `lambda …:`",
            ));
        }
        let body = self.nested(start, || self.parse_expr(input))?;
        let range = Range::new(start, body.range().end);
        Ok(Expr::Lambda(Lambda {
            args,
            body: Box::new(body),
            range,
            scope: ScopeId::default(),
        }))
    }

    fn parse_lambda_params(&self, input: ParseStream) -> syn::Result<Arguments> {
        self.parse_params(input, false)
    }

    /// `name: annotation` after a parameter's name, where annotations are allowed (a `def`).
    fn parse_annotation(
        &self,
        input: ParseStream,
        arg: &mut Arg,
        annotations: bool,
    ) -> syn::Result<()> {
        if annotations && peek_colon(input) {
            let (colon, _) = eat_puncts(input, 1)?;
            if !self.starts_expression(input) {
                return Err(syn::Error::new(colon, "expected an annotation after `:`"));
            }
            let annotation = self.nested(colon, || self.parse_expr(input))?;
            arg.annotation = Some(Box::new(annotation));
        }
        Ok(())
    }

    /// The parameters of a lambda (up to its `:`) or of a `def` (inside its parentheses, with
    /// `annotations`).
    pub(super) fn parse_params(
        &self,
        input: ParseStream,
        annotations: bool,
    ) -> syn::Result<Arguments> {
        let mut args = Arguments::default();
        let mut seen: Vec<String> = Vec::new();
        let mut after_star = false;
        let mut bare_star: Option<Span> = None;
        let mut saw_default = false;
        let mut check_name = |arg: &Arg| -> syn::Result<()> {
            if seen.contains(&arg.arg) {
                return Err(syn::Error::new(
                    arg.span,
                    format!("duplicate argument `{}` in function definition", arg.arg),
                ));
            }
            seen.push(arg.arg.clone());
            Ok(())
        };
        while !peek_op(input, ":") || peek_op(input, "::") {
            if input.is_empty() {
                break;
            }
            if args.kwarg.is_some() {
                return Err(error_here(
                    input,
                    "arguments cannot follow var-keyword argument",
                ));
            }
            if peek_chars(input, "**") {
                eat_puncts(input, 2)?;
                let mut arg = self.parse_param_name(input)?;
                check_name(&arg)?;
                self.parse_annotation(input, &mut arg, annotations)?;
                if peek_op(input, "=") {
                    return Err(error_here(
                        input,
                        "var-keyword argument cannot have default value",
                    ));
                }
                args.kwarg = Some(arg);
            } else if peek_op(input, "*") {
                let (star, _) = eat_puncts(input, 1)?;
                if after_star {
                    return Err(syn::Error::new(star, "* argument may appear only once"));
                }
                after_star = true;
                if peek_op(input, ",") || peek_op(input, ":") || input.is_empty() {
                    bare_star = Some(star);
                } else {
                    let mut arg = self.parse_param_name(input)?;
                    check_name(&arg)?;
                    self.parse_annotation(input, &mut arg, annotations)?;
                    if peek_op(input, "=") {
                        return Err(error_here(
                            input,
                            "var-positional argument cannot have default value",
                        ));
                    }
                    args.vararg = Some(arg);
                }
            } else if peek_op(input, "/") {
                let (slash, _) = eat_puncts(input, 1)?;
                if after_star || !args.posonlyargs.is_empty() {
                    return Err(syn::Error::new(slash, "/ must be ahead of *"));
                }
                if args.args.is_empty() {
                    return Err(syn::Error::new(
                        slash,
                        "at least one argument must precede /",
                    ));
                }
                args.posonlyargs = std::mem::take(&mut args.args);
            } else {
                let mut arg = self.parse_param_name(input)?;
                check_name(&arg)?;
                self.parse_annotation(input, &mut arg, annotations)?;
                let default = if peek_op(input, "=") && !peek_op(input, "==") {
                    let (eq, _) = eat_puncts(input, 1)?;
                    if !self.starts_expression(input) {
                        return Err(syn::Error::new(eq, "expected a default value after `=`"));
                    }
                    Some(self.nested(eq, || self.parse_expr(input))?)
                } else {
                    None
                };
                if after_star {
                    args.kwonlyargs.push(arg);
                    args.kw_defaults.push(default);
                } else {
                    match default {
                        Some(d) => {
                            saw_default = true;
                            args.defaults.push(d);
                        }
                        None if saw_default => {
                            return Err(syn::Error::new(
                                arg.span,
                                "non-default argument follows default argument",
                            ));
                        }
                        None => {}
                    }
                    args.args.push(arg);
                }
            }
            if peek_op(input, ",") {
                eat_puncts(input, 1)?;
            } else {
                break;
            }
        }
        if let Some(star) = bare_star
            && args.kwonlyargs.is_empty()
        {
            return Err(syn::Error::new(star, "named arguments must follow bare *"));
        }
        Ok(args)
    }

    fn parse_param_name(&self, input: ParseStream) -> syn::Result<Arg> {
        match input.cursor().ident() {
            Some((ident, _)) => {
                let text = ident_text(&ident);
                if KEYWORDS.contains(&text.as_str()) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("invalid syntax: `{text}` is a keyword, not a parameter name"),
                    ));
                }
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, rest)| ((), rest))
                        .ok_or_else(|| c.error(""))
                })?;
                Ok(Arg {
                    arg: text,
                    span: ident.span(),
                    annotation: None,
                })
            }
            None => Err(error_here(
                input,
                format!("expected a parameter name, found {}", describe_next(input)),
            )),
        }
    }

    // disjunction / conjunction
    fn parse_or(&self, input: ParseStream) -> syn::Result<Expr> {
        self.parse_bool(input, BoolOperator::Or)
    }

    fn parse_bool(&self, input: ParseStream, op: BoolOperator) -> syn::Result<Expr> {
        let operand: OperandParser = match op {
            BoolOperator::Or => |cx, i| cx.parse_bool(i, BoolOperator::And),
            BoolOperator::And => |cx, i| cx.parse_not(i),
        };
        let word = op.text();
        let first = operand(self, input)?;
        if !peek_kw(input, word) {
            return Ok(first);
        }
        let mut values = vec![first];
        while peek_kw(input, word) {
            eat_kw(input, word)?;
            if !self.starts_expression(input) {
                return Err(self.expected_expression(input, Some(&format!("`{word}`"))));
            }
            values.push(operand(self, input)?);
        }
        let range = values[0].range().to(values[values.len() - 1].range());
        Ok(Expr::BoolOp(BoolOp { op, values, range }))
    }

    // inversion: 'not' inversion | comparison
    fn parse_not(&self, input: ParseStream) -> syn::Result<Expr> {
        let not = UnaryOperator::Not.text();
        if !peek_kw(input, not) {
            return self.parse_comparison(input);
        }
        let span = eat_kw(input, not)?;
        if !self.starts_expression(input) {
            return Err(self.expected_expression(input, Some("`not`")));
        }
        let operand = self.nested(span, || self.parse_not(input))?;
        let range = Range::new(span, operand.range().end);
        Ok(Expr::UnaryOp(UnaryOp {
            op: UnaryOperator::Not,
            operand: Box::new(operand),
            range,
        }))
    }

    /// The comparison operator at the next tokens and how many tokens it takes: the longest
    /// one there (`<=` over `<`, `is not` over `is`), never the `<` or `>` of a shift.
    fn peek_cmp_op(&self, input: ParseStream) -> Option<(CmpOp, usize)> {
        // Every comparison starts with `=`, `!`, `<` or `>`, or is `in`, `not in`, `is`.
        let cursor = input.cursor();
        let possible = match (cursor.punct(), cursor.ident()) {
            (Some((p, _)), _) => matches!(p.as_char(), '=' | '!' | '<' | '>'),
            (_, Some((word, _))) => word == "in" || word == "not" || word == "is",
            _ => false,
        };
        if !possible {
            return None;
        }
        CmpOp::ALL
            .iter()
            .filter_map(|&op| Some((op, peek_operator(input, op.text())?)))
            .filter(|(op, _)| {
                !matches!(op, CmpOp::Lt | CmpOp::Gt) || !peek_op(input, &op.text().repeat(2))
            })
            .max_by_key(|&(_, len)| len)
    }

    // comparison: bitwise_or (compare_op bitwise_or)*
    fn parse_comparison(&self, input: ParseStream) -> syn::Result<Expr> {
        let left = self.parse_binary(input, Precedence::BOr)?;
        let mut ops = Vec::new();
        let mut comparators = Vec::new();
        while let Some((op, len)) = self.peek_cmp_op(input) {
            let span = eat_tokens(input, len)?;
            if !self.starts_expression(input) {
                let text = format!("`{}`", op.text());
                return Err(self.expected_expression(input, Some(&text)));
            }
            ops.push((op, span));
            comparators.push(self.parse_binary(input, Precedence::BOr)?);
        }
        if ops.is_empty() {
            return Ok(left);
        }
        let range = left.range().to(comparators[comparators.len() - 1].range());
        Ok(Expr::Compare(Compare {
            left: Box::new(left),
            ops,
            comparators,
            range,
        }))
    }

    /// The binary operator at the next tokens and how many tokens it takes. Not `**`, which
    /// `parse_power` takes, nor one that goes on into a longer operator: joined to `=` (an
    /// augmented assignment), a `/` or `*` doubled (`//`, `**`), `-` joined to `>`.
    fn peek_binary_op(&self, input: ParseStream) -> Option<(Operator, usize)> {
        // Every binary operator starts with one of these characters: anything else (a name,
        // a bracket, a comma, the end) is answered without trying each operator.
        let first = input.cursor().punct().map(|(p, _)| p.as_char());
        if !matches!(
            first,
            Some('+' | '-' | '*' | '@' | '/' | '%' | '<' | '>' | '|' | '^' | '&')
        ) {
            return None;
        }
        Operator::ALL
            .iter()
            .filter(|&&op| op != Operator::Pow)
            .find_map(|&op| {
                let text = op.text();
                let len = peek_operator(input, text)?;
                let goes_on = equals_after(input, len)
                    || (matches!(text, "/" | "*") && punct_at(input, 1) == text.chars().next())
                    || (text == "-" && peek_op(input, "->"));
                (!goes_on).then_some((op, len))
            })
    }

    /// Precedence climbing over the left-associative binary operators, from `min_level` up.
    fn parse_binary(&self, input: ParseStream, min_level: Precedence) -> syn::Result<Expr> {
        let mut left = self.parse_factor(input)?;
        while let Some((op, len)) = self.peek_binary_op(input) {
            let level = op.precedence();
            if level < min_level {
                break;
            }
            let (op_span, _) = eat_puncts(input, len)?;
            if !self.starts_expression(input) || peek_op(input, "*") {
                return Err(self.expected_expression(input, Some(&format!("`{}`", op.text()))));
            }
            let right = self.nested(op_span, || self.parse_binary(input, level.next()))?;
            left = binary(left, op, op_span, right);
        }
        Ok(left)
    }

    // factor: '+' factor | '-' factor | '~' factor | power
    fn parse_factor(&self, input: ParseStream) -> syn::Result<Expr> {
        let factor_op = UnaryOperator::ALL
            .iter()
            .filter(|op| op.precedence() == Precedence::Factor)
            .find(|op| peek_op(input, op.text()));
        let Some(&op) = factor_op else {
            return self.parse_power(input);
        };
        let (span, _) = eat_puncts(input, 1)?;
        if !self.starts_expression(input) || peek_op(input, "*") {
            return Err(self.expected_expression(input, Some(&format!("`{}`", op.text()))));
        }
        let operand = self.nested(span, || self.parse_factor(input))?;
        let range = Range::new(span, operand.range().end);
        Ok(Expr::UnaryOp(UnaryOp {
            op,
            operand: Box::new(operand),
            range,
        }))
    }

    // power: primary '**' factor | primary
    fn parse_power(&self, input: ParseStream) -> syn::Result<Expr> {
        let base = self.parse_primary(input)?;
        let pow = Operator::Pow.text();
        if peek_operator(input, pow).is_none() || equals_after(input, pow.len()) {
            return Ok(base);
        }
        let (op_span, _) = eat_puncts(input, 2)?;
        if !self.starts_expression(input) || peek_op(input, "*") {
            return Err(self.expected_expression(input, Some("`**`")));
        }
        let exponent = self.nested(op_span, || self.parse_factor(input))?;
        Ok(binary(base, Operator::Pow, op_span, exponent))
    }

    // primary: atom ('.' NAME | '(' arguments ')' | '[' slices ']')*
    fn parse_primary(&self, input: ParseStream) -> syn::Result<Expr> {
        if peek_kw(input, "await") {
            let start = eat_kw(input, "await")?;
            if peek_kw(input, "await") || !self.starts_expression(input) || peek_op(input, "*") {
                return Err(self.expected_expression(input, Some("`await`")));
            }
            let value = self.nested(start, || self.parse_primary(input))?;
            let range = Range::new(start, value.range().end);
            return Ok(Expr::Await(Starred {
                value: Box::new(value),
                range,
            }));
        }
        let mut expr = self.parse_atom(input)?;
        loop {
            if peek_op(input, ".") && !peek_op(input, "..") {
                let (dot, _) = eat_puncts(input, 1)?;
                let Some((ident, _)) = input.cursor().ident() else {
                    return Err(syn::Error::new(dot, "expected an attribute name after `.`"));
                };
                let attr = ident_text(&ident);
                if KEYWORDS.contains(&attr.as_str()) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("invalid syntax: `{attr}` is a keyword, not an attribute name"),
                    ));
                }
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, r)| ((), r))
                        .ok_or_else(|| c.error(""))
                })?;
                // Rust's lexer splits `1.e5` / `1.j` into `1`, `.`, `e5`: a float in Python,
                // never an attribute (an int has none of those names).
                let exponent_like = attr == "j"
                    || attr == "J"
                    || attr.strip_prefix(['e', 'E']).is_some_and(|rest| {
                        rest.trim_end_matches(['j', 'J'])
                            .chars()
                            .all(|c| c.is_ascii_digit())
                    });
                if let Expr::Constant(Constant {
                    value: ConstValue::Int(n),
                    ..
                }) = &expr
                    && exponent_like
                {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!(
                            "Rust's lexer splits a float like `{n}.{attr}` after the dot: write the digits after it too (`{n}.0{attr}`), or leave out the dot (`{n}{attr}`)"
                        ),
                    ));
                }
                let range = Range::new(expr.range().start, ident.span());
                expr = Expr::Attribute(Attribute {
                    value: Box::new(expr),
                    attr,
                    attr_span: ident.span(),
                    range,
                });
            } else if peek_group(input, Delimiter::Parenthesis) {
                let content;
                let paren = syn::parenthesized!(content in input);
                let close = paren.span.close();
                let (args, keywords) =
                    self.nested(paren.span.open(), || self.parse_arguments(&content))?;
                let range = Range::new(expr.range().start, close);
                expr = Expr::Call(Call {
                    func: Box::new(expr),
                    args,
                    keywords,
                    range,
                    zero_arg_super: None,
                });
            } else if peek_group(input, Delimiter::Bracket) {
                let content;
                let bracket = syn::bracketed!(content in input);
                let open = bracket.span.open();
                if content.is_empty() {
                    return Err(syn::Error::new(open, "expected a subscript inside `[]`"));
                }
                let slice = self.nested(open, || self.parse_slices(&content))?;
                let range = Range::new(expr.range().start, bracket.span.close());
                expr = Expr::Subscript(Subscript {
                    value: Box::new(expr),
                    slice: Box::new(slice),
                    range,
                });
            } else {
                return Ok(expr);
            }
        }
    }

    // arguments: (positional | '*' expr | NAME '=' expr | '**' expr),* and `f(x for x in y)`
    fn parse_arguments(&self, input: ParseStream) -> syn::Result<(Vec<Expr>, Vec<Keyword>)> {
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut saw_kwargs_unpack = false;
        while !input.is_empty() {
            let start = input.span();
            if peek_chars(input, "**") {
                eat_puncts(input, 2)?;
                if !self.starts_expression(input) {
                    return Err(self.expected_expression(input, Some("`**`")));
                }
                let value = self.parse_expr(input)?;
                let range = Range::new(start, value.range().end);
                saw_kwargs_unpack = true;
                keywords.push(Keyword {
                    arg: None,
                    value,
                    range,
                });
            } else if peek_op(input, "*") {
                if saw_kwargs_unpack {
                    return Err(syn::Error::new(
                        start,
                        "iterable argument unpacking follows keyword argument unpacking",
                    ));
                }
                eat_puncts(input, 1)?;
                if !self.starts_expression(input) {
                    return Err(self.expected_expression(input, Some("`*`")));
                }
                let value = self.parse_expr(input)?;
                let range = Range::new(start, value.range().end);
                if peek_comp_for(input) {
                    return Err(range.error("iterable unpacking cannot be used in comprehension"));
                }
                args.push(Expr::Starred(Starred {
                    value: Box::new(value),
                    range,
                }));
            } else if input.cursor().ident().is_some()
                && punct_at(input, 1) == Some('=')
                && !peek_keyword_eq_eq(input)
            {
                let (ident, _) = input
                    .cursor()
                    .ident()
                    .ok_or_else(|| error_here(input, "expected a name"))?;
                let name = ident_text(&ident);
                if KEYWORDS.contains(&name.as_str()) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("cannot assign to {name}"),
                    ));
                }
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, r)| ((), r))
                        .ok_or_else(|| c.error(""))
                })?;
                let (eq, _) = eat_puncts(input, 1)?;
                if keywords
                    .iter()
                    .any(|k| k.arg.as_ref().is_some_and(|(n, _)| *n == name))
                {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("keyword argument repeated: `{name}`"),
                    ));
                }
                if !self.starts_expression(input) {
                    return Err(syn::Error::new(
                        eq,
                        format!("expected a value for the keyword argument `{name}`"),
                    ));
                }
                let value = self.parse_expr(input)?;
                let range = Range::new(ident.span(), value.range().end);
                keywords.push(Keyword {
                    arg: Some((name, ident.span())),
                    value,
                    range,
                });
            } else {
                if !self.starts_expression(input) {
                    return Err(self.expected_expression(input, None));
                }
                let value = self.parse_named(input)?;
                if peek_comp_for(input) {
                    let generators = self.parse_comp_clauses(input)?;
                    let range = Range::new(value.range().start, input.cursor().prev_span());
                    let genexp = Expr::GeneratorExp(Comp {
                        elt: Box::new(value),
                        generators,
                        range,
                        scope: ScopeId::default(),
                    });
                    if !args.is_empty() || !keywords.is_empty() || !input.is_empty() {
                        return Err(range.error("generator expression must be parenthesized"));
                    }
                    args.push(genexp);
                    break;
                }
                if peek_op(input, "=") && !peek_op(input, "==") {
                    return Err(value
                        .range()
                        .error("expression cannot contain assignment, perhaps you meant \"==\"?"));
                }
                if saw_kwargs_unpack {
                    return Err(value
                        .range()
                        .error("positional argument follows keyword argument unpacking"));
                }
                if !keywords.is_empty() {
                    return Err(value
                        .range()
                        .error("positional argument follows keyword argument"));
                }
                args.push(value);
            }
            if !comma_or_end(input, "`)` after an argument")? {
                break;
            }
        }
        Ok((args, keywords))
    }

    // slices: slice | (slice | starred_expression),+ [',']
    fn parse_slices(&self, input: ParseStream) -> syn::Result<Expr> {
        let first = self.parse_slice(input)?;
        if input.is_empty() {
            if let Expr::Starred(_) = first {
                let range = first.range();
                return Ok(Expr::Tuple(Elts {
                    elts: vec![first],
                    range,
                    parenthesized: false,
                }));
            }
            return Ok(first);
        }
        let start = first.range().start;
        let mut elts = vec![first];
        while peek_op(input, ",") {
            eat_puncts(input, 1)?;
            if input.is_empty() {
                break;
            }
            elts.push(self.parse_slice(input)?);
        }
        if !input.is_empty() {
            return Err(self.unexpected(input));
        }
        let range = Range::new(start, input.cursor().prev_span());
        Ok(Expr::Tuple(Elts {
            elts,
            range,
            parenthesized: false,
        }))
    }

    // slice: [expression] ':' [expression] [':' [expression]] | named_expression | '*' expr
    fn parse_slice(&self, input: ParseStream) -> syn::Result<Expr> {
        if peek_op(input, "*") {
            return self.parse_star_expr(input, false);
        }
        let start = input.span();
        let lower = if peek_op(input, ":") {
            None
        } else {
            let expr = self.parse_named(input)?;
            if !peek_op(input, ":") {
                return Ok(expr);
            }
            Some(Box::new(expr))
        };
        eat_puncts(input, 1)?;
        let ends_part =
            |input: ParseStream| input.is_empty() || peek_op(input, ",") || peek_op(input, ":");
        let upper = if ends_part(input) {
            None
        } else {
            Some(Box::new(self.parse_expr(input)?))
        };
        let step = if peek_op(input, ":") {
            eat_puncts(input, 1)?;
            if input.is_empty() || peek_op(input, ",") {
                None
            } else {
                Some(Box::new(self.parse_expr(input)?))
            }
        } else {
            None
        };
        let range = span_of(start, input);
        Ok(Expr::Slice(Slice {
            lower,
            upper,
            step,
            range,
        }))
    }

    // for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+
    fn parse_comp_clauses(&self, input: ParseStream) -> syn::Result<Vec<Comprehension>> {
        let mut generators = Vec::new();
        while peek_comp_for(input) {
            let is_async = peek_kw(input, "async");
            if is_async {
                eat_kw(input, "async")?;
            }
            let for_span = eat_kw(input, "for")?;
            if input.is_empty() || peek_kw(input, "in") {
                return Err(syn::Error::new(for_span, "expected a target after `for`"));
            }
            let target = self.parse_targets(input)?;
            if !peek_kw(input, "in") {
                return Err(error_here(
                    input,
                    "expected `in` after the comprehension's target",
                ));
            }
            let in_span = eat_kw(input, "in")?;
            if !self.starts_expression(input) {
                return Err(syn::Error::new(in_span, "expected an iterable after `in`"));
            }
            let iter = self.parse_or(input)?;
            let mut ifs = Vec::new();
            while peek_kw(input, "if") {
                let if_span = eat_kw(input, "if")?;
                if !self.starts_expression(input) {
                    return Err(syn::Error::new(if_span, "expected a condition after `if`"));
                }
                ifs.push(self.parse_or(input)?);
            }
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                is_async,
            });
        }
        Ok(generators)
    }

    /// star_targets: the target list of a `for` clause, up to `in`.
    fn parse_targets(&self, input: ParseStream) -> syn::Result<Expr> {
        let first = self.parse_target(input)?;
        if !peek_op(input, ",") {
            if let Expr::Starred(s) = &first {
                return Err(s
                    .range
                    .error("starred assignment target must be in a list or tuple"));
            }
            return Ok(first);
        }
        let start = first.range().start;
        let mut elts = vec![first];
        while peek_op(input, ",") {
            eat_puncts(input, 1)?;
            if peek_kw(input, "in") {
                break;
            }
            elts.push(self.parse_target(input)?);
        }
        let range = span_of(start, input);
        check_one_star(&elts)?;
        Ok(Expr::Tuple(Elts {
            elts,
            range,
            parenthesized: false,
        }))
    }

    fn parse_target(&self, input: ParseStream) -> syn::Result<Expr> {
        if peek_op(input, "*") {
            let (star, _) = eat_puncts(input, 1)?;
            let value = self.nested(star, || self.parse_target(input))?;
            let range = Range::new(star, value.range().end);
            return Ok(Expr::Starred(Starred {
                value: Box::new(value),
                range,
            }));
        }
        let target = self.parse_primary(input)?;
        check_target(&target)?;
        Ok(target)
    }

    fn parse_atom(&self, input: ParseStream) -> syn::Result<Expr> {
        let cursor = input.cursor();
        if let Some((ident, _)) = cursor.ident() {
            return self.parse_name_atom(input, &ident);
        }
        if cursor.literal().is_some() {
            return literal::parse_strings_and_numbers(input);
        }
        if peek_op(input, "...") {
            let (start, end) = eat_puncts(input, 3)?;
            return Ok(Expr::Constant(Constant {
                value: ConstValue::Ellipsis,
                range: Range::new(start, end),
            }));
        }
        if peek_op(input, ".") {
            return literal::parse_leading_dot_float(input);
        }
        if peek_op(input, "$") {
            return self.parse_rust_value(input);
        }
        if let Some((_, delimiter, delim_span, _)) = cursor.any_group() {
            let open = delim_span.open();
            return self.nested(open, || match delimiter {
                Delimiter::Parenthesis => {
                    let content;
                    let paren = syn::parenthesized!(content in input);
                    self.parse_paren(&content, Range::new(open, paren.span.close()))
                }
                Delimiter::Bracket => {
                    let content;
                    let bracket = syn::bracketed!(content in input);
                    self.parse_list(&content, Range::new(open, bracket.span.close()))
                }
                Delimiter::Brace => {
                    let content;
                    let brace = syn::braced!(content in input);
                    self.parse_brace(&content, Range::new(open, brace.span.close()))
                }
                Delimiter::None => Err(error_here(input, "unexpected invisible group")),
            });
        }
        if let Some((lifetime, _)) = cursor.lifetime() {
            return Err(syn::Error::new(
                lifetime.span(),
                "single-quoted strings are not possible in Rust tokens: write \"…\" instead",
            ));
        }
        Err(self.expected_expression(input, None))
    }

    fn parse_name_atom(&self, input: ParseStream, ident: &proc_macro2::Ident) -> syn::Result<Expr> {
        let text = ident_text(ident);
        let span = ident.span();
        let constant = match text.as_str() {
            "None" => Some(ConstValue::None),
            "True" => Some(ConstValue::Bool(true)),
            "False" => Some(ConstValue::Bool(false)),
            _ => None,
        };
        if let Some(value) = constant {
            input.step(|c| {
                c.token_tree()
                    .map(|(_, r)| ((), r))
                    .ok_or_else(|| c.error(""))
            })?;
            return Ok(Expr::Constant(Constant {
                value,
                range: Range::single(span),
            }));
        }
        if literal::is_string_prefix(input) {
            return literal::parse_strings_and_numbers(input);
        }
        if KEYWORDS.contains(&text.as_str()) {
            let message = match text.as_str() {
                "yield" => "`yield` is not supported in `py!`".to_owned(),
                "lambda" | "not" => format!("invalid syntax: unexpected `{text}`"),
                _ => {
                    format!("invalid syntax: `{text}` is a keyword and cannot start an expression")
                }
            };
            return Err(syn::Error::new(span, message));
        }
        input.step(|c| {
            c.token_tree()
                .map(|(_, r)| ((), r))
                .ok_or_else(|| c.error(""))
        })?;
        Ok(Expr::Name(Name {
            id: text,
            span,
            ident: ident.clone(),
            binding: Binding::Unresolved,
            rust_capture: None,
        }))
    }

    /// `$name` or `$(rust expression)`.
    fn parse_rust_value(&self, input: ParseStream) -> syn::Result<Expr> {
        let (dollar, _) = eat_puncts(input, 1)?;
        if let Some((ident, _)) = input.cursor().ident() {
            input.step(|c| {
                c.token_tree()
                    .map(|(_, r)| ((), r))
                    .ok_or_else(|| c.error(""))
            })?;
            let name = crate::ast::Name {
                id: ident_text(&ident),
                span: ident.span(),
                ident: ident.clone(),
                binding: Default::default(),
                rust_capture: None,
            };
            let tokens: TokenStream =
                std::iter::once(proc_macro2::TokenTree::Ident(name.rust_ident())).collect();
            return Ok(Expr::Rust(RustValue {
                tokens,
                name: Some(ident_text(&ident)),
                range: Range::new(dollar, ident.span()),
                capture: None,
            }));
        }
        if peek_group(input, Delimiter::Parenthesis) {
            let content;
            let paren = syn::parenthesized!(content in input);
            let tokens: TokenStream = content.parse()?;
            if tokens.is_empty() {
                return Err(syn::Error::new(
                    paren.span.open(),
                    "expected a Rust expression inside `$( )`",
                ));
            }
            // Checked here, so that a mistake is reported as one and the expansion stays Rust
            // (huge integer literals first: syn's conversion of them is quadratic).
            crate::parse::literal::check_literal_sizes(&tokens)?;
            if let Err(e) = syn::parse2::<syn::Expr>(tokens.clone()) {
                return Err(syn::Error::new(
                    e.span(),
                    format!("expected a Rust expression inside `$( )`: {e}"),
                ));
            }
            return Ok(Expr::Rust(RustValue {
                tokens,
                name: None,
                range: Range::new(dollar, paren.span.close()),
                capture: None,
            }));
        }
        Err(syn::Error::new(
            dollar,
            "expected a Rust name or `(expression)` after `$`",
        ))
    }

    // '(' ')' | '(' named_expression ')' | tuple | genexp
    fn parse_paren(&self, input: ParseStream, range: Range) -> syn::Result<Expr> {
        if peek_kw(input, "yield") {
            let value = self.parse_yield(input)?;
            if !input.is_empty() {
                return Err(error_here(
                    input,
                    "expected `)` after the `yield` expression",
                ));
            }
            return Ok(value);
        }
        if input.is_empty() {
            return Ok(Expr::Tuple(Elts {
                elts: Vec::new(),
                range,
                parenthesized: true,
            }));
        }
        let first = self.parse_star_expr(input, true)?;
        if let Some(generators) = self.parse_comp_after(&first, input)? {
            return Ok(Expr::GeneratorExp(Comp {
                elt: Box::new(first),
                generators,
                range,
                scope: ScopeId::default(),
            }));
        }
        if input.is_empty() {
            if let Expr::Starred(s) = &first {
                return Err(s.range.error("cannot use starred expression here"));
            }
            return Ok(first);
        }
        let mut elts = vec![first];
        self.parse_rest_of_elements(input, &mut elts, "`)`")?;
        Ok(Expr::Tuple(Elts {
            elts,
            range,
            parenthesized: true,
        }))
    }

    /// After the first element of a display: `for …` makes it a comprehension, which must
    /// fill the rest of the brackets.
    fn parse_comp_after(
        &self,
        first: &Expr,
        input: ParseStream,
    ) -> syn::Result<Option<Vec<Comprehension>>> {
        if !peek_comp_for(input) {
            return Ok(None);
        }
        if let Expr::Starred(s) = first {
            return Err(s
                .range
                .error("iterable unpacking cannot be used in comprehension"));
        }
        let generators = self.parse_comp_clauses(input)?;
        if !input.is_empty() {
            return Err(self.unexpected(input));
        }
        Ok(Some(generators))
    }

    /// `, elt, elt [,]` to the end of a bracketed group.
    fn parse_rest_of_elements(
        &self,
        input: ParseStream,
        elts: &mut Vec<Expr>,
        close: &str,
    ) -> syn::Result<()> {
        while !input.is_empty() {
            if !peek_op(input, ",") {
                if peek_comp_for(input) {
                    return Err(error_here(
                        input,
                        "did you forget parentheses around the comprehension target?",
                    ));
                }
                return Err(error_here(
                    input,
                    format!("expected `,` or {close}, found {}", describe_next(input)),
                ));
            }
            eat_puncts(input, 1)?;
            if input.is_empty() {
                break;
            }
            elts.push(self.parse_star_expr(input, true)?);
        }
        Ok(())
    }

    fn parse_list(&self, input: ParseStream, range: Range) -> syn::Result<Expr> {
        if input.is_empty() {
            return Ok(Expr::List(Elts {
                elts: Vec::new(),
                range,
                parenthesized: false,
            }));
        }
        let first = self.parse_star_expr(input, true)?;
        if let Some(generators) = self.parse_comp_after(&first, input)? {
            return Ok(Expr::ListComp(Comp {
                elt: Box::new(first),
                generators,
                range,
                scope: ScopeId::default(),
            }));
        }
        let mut elts = vec![first];
        self.parse_rest_of_elements(input, &mut elts, "`]`")?;
        Ok(Expr::List(Elts {
            elts,
            range,
            parenthesized: false,
        }))
    }

    // dict | set | dictcomp | setcomp
    fn parse_brace(&self, input: ParseStream, range: Range) -> syn::Result<Expr> {
        if input.is_empty() {
            return Ok(Expr::Dict(Dict {
                keys: Vec::new(),
                values: Vec::new(),
                range,
            }));
        }
        let first_is_dict_unpack = peek_chars(input, "**");
        let (first_key, first_value) = if first_is_dict_unpack {
            eat_puncts(input, 2)?;
            if !self.starts_expression(input) {
                return Err(self.expected_expression(input, Some("`**`")));
            }
            (None, Some(self.parse_binary(input, Precedence::BOr)?))
        } else {
            let bare_walrus = input.cursor().ident().is_some()
                && punct_at(input, 1) == Some(':')
                && punct_at(input, 2) == Some('=');
            let key = self.parse_star_expr(input, true)?;
            if peek_op(input, ":") && bare_walrus {
                return Err(key
                    .range()
                    .error("invalid syntax: a dict key with `:=` needs parentheses"));
            }
            if peek_op(input, ":") && !matches!(key, Expr::Starred(_)) {
                let (colon, _) = eat_puncts(input, 1)?;
                if !self.starts_expression(input) {
                    return Err(syn::Error::new(
                        colon,
                        "expected an expression after `:` in a dict",
                    ));
                }
                (Some(key), Some(self.parse_expr(input)?))
            } else {
                (Some(key), None)
            }
        };
        match (first_key, first_value) {
            (Some(element), None) => {
                // a set
                if let Some(generators) = self.parse_comp_after(&element, input)? {
                    return Ok(Expr::SetComp(Comp {
                        elt: Box::new(element),
                        generators,
                        range,
                        scope: ScopeId::default(),
                    }));
                }
                let mut elts = vec![element];
                self.parse_rest_of_elements(input, &mut elts, "`}`")?;
                Ok(Expr::Set(Elts {
                    elts,
                    range,
                    parenthesized: false,
                }))
            }
            (key, Some(value)) => {
                if peek_comp_for(input) {
                    let Some(key) = key else {
                        return Err(value
                            .range()
                            .error("dict unpacking cannot be used in dict comprehension"));
                    };
                    let generators = self.parse_comp_clauses(input)?;
                    if !input.is_empty() {
                        return Err(self.unexpected(input));
                    }
                    return Ok(Expr::DictComp(DictComp {
                        key: Box::new(key),
                        value: Box::new(value),
                        generators,
                        range,
                        scope: ScopeId::default(),
                    }));
                }
                let mut keys = vec![key];
                let mut values = vec![value];
                while !input.is_empty() {
                    if !peek_op(input, ",") {
                        return Err(error_here(
                            input,
                            format!(
                                "expected `,` or `}}` in a dict, found {}",
                                describe_next(input)
                            ),
                        ));
                    }
                    eat_puncts(input, 1)?;
                    if input.is_empty() {
                        break;
                    }
                    if peek_chars(input, "**") {
                        eat_puncts(input, 2)?;
                        if !self.starts_expression(input) {
                            return Err(self.expected_expression(input, Some("`**`")));
                        }
                        keys.push(None);
                        values.push(self.parse_binary(input, Precedence::BOr)?);
                        continue;
                    }
                    let key = self.parse_expr(input)?;
                    if !peek_op(input, ":") {
                        return Err(key.range().error("`:` expected after dictionary key"));
                    }
                    let (colon, _) = eat_puncts(input, 1)?;
                    if !self.starts_expression(input) {
                        return Err(syn::Error::new(
                            colon,
                            "expected an expression after `:` in a dict",
                        ));
                    }
                    keys.push(Some(key));
                    values.push(self.parse_expr(input)?);
                }
                Ok(Expr::Dict(Dict {
                    keys,
                    values,
                    range,
                }))
            }
            (None, None) => Err(error_here(input, "expected a dict or set element")),
        }
    }
}

/// `a=` inside a call is a keyword argument, `a==` a comparison.
fn peek_keyword_eq_eq(input: ParseStream) -> bool {
    let Some((_, rest)) = input.cursor().token_tree() else {
        return false;
    };
    match rest.punct() {
        Some((p, after)) if p.as_char() == '=' => {
            p.spacing() == proc_macro2::Spacing::Joint
                && matches!(after.punct(), Some((q, _)) if q.as_char() == '=')
        }
        _ => false,
    }
}

/// How Python names a target it cannot assign to.
///
/// ```
/// let expr = pycall_backend::parse::parse_expression("f(x)".parse().unwrap()).unwrap();
/// assert_eq!(pycall_backend::parse::describe_target(&expr), "function call");
/// ```
pub fn describe_target(expr: &Expr) -> &'static str {
    match expr {
        Expr::Constant(c) => match c.value {
            ConstValue::None => "None",
            ConstValue::Bool(true) => "True",
            ConstValue::Bool(false) => "False",
            ConstValue::Ellipsis => "ellipsis",
            _ => "literal",
        },
        Expr::Call(_) => "function call",
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Tuple(_) => "tuple",
        Expr::List(_) => "list",
        Expr::Lambda(_) => "lambda",
        Expr::Compare(_) => "comparison",
        Expr::Dict(_) | Expr::DictComp(_) => "dict literal",
        Expr::Set(_) | Expr::SetComp(_) => "set display",
        Expr::ListComp(_) => "list comprehension",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::IfExp(_) => "conditional expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Starred(_) => "starred",
        Expr::Rust(_) => "Rust value",
        _ => "expression",
    }
}

fn check_target(target: &Expr) -> syn::Result<()> {
    match target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => Ok(()),
        Expr::Tuple(t) | Expr::List(t) => {
            for elt in &t.elts {
                match elt {
                    Expr::Starred(s) => check_target(&s.value)?,
                    other => check_target(other)?,
                }
            }
            check_one_star(&t.elts)
        }
        other => Err(other
            .range()
            .error(format!("cannot assign to {}", describe_target(other)))),
    }
}

fn check_one_star(elts: &[Expr]) -> syn::Result<()> {
    let mut stars = elts.iter().filter(|e| matches!(e, Expr::Starred(_)));
    stars.next();
    match stars.next() {
        Some(second) => Err(second
            .range()
            .error("multiple starred expressions in assignment")),
        None => Ok(()),
    }
}

/// Whether a comprehension clause starts here: `for`, or `async for`.
fn peek_comp_for(input: ParseStream) -> bool {
    if peek_kw(input, "for") {
        return true;
    }
    peek_kw(input, "async")
        && input
            .cursor()
            .token_tree()
            .and_then(|(_, rest)| rest.ident())
            .is_some_and(|(ident, _)| ident == "for")
}
