//! Parsing, `match`: the statement (`match subject { case pattern if guard { … } … }`) and
//! the pattern grammar of PEP 634, with the literal, value, capture, wildcard, group,
//! sequence, mapping, class, star, `as` and `|` patterns.

use super::tokens::*;
use super::{Cx, error_here, literal};
use crate::ast::*;
use proc_macro2::{Delimiter, Span};
use syn::parse::ParseStream;

/// Whether the tokens after `match` make a `match` statement rather than an expression that
/// uses `match` as a name (a soft keyword, as in Python): the next token is a name or a
/// literal (which cannot follow a name in an expression, `if`, `in`, `and` and the like
/// aside), or one of the brace groups before the next top-level `;` starts with `case`.
pub(super) fn starts_match(input: ParseStream) -> bool {
    const CONTINUE_EXPRESSION: &[&str] =
        &["if", "else", "in", "and", "or", "is", "not", "for", "as"];
    let mut cursor = input.cursor();
    let Some((_, next)) = cursor.ident() else {
        return false;
    };
    cursor = next;
    if next.literal().is_some()
        || next
            .ident()
            .is_some_and(|(word, _)| !CONTINUE_EXPRESSION.contains(&ident_text(&word).as_str()))
    {
        return true;
    }
    while !cursor.eof() {
        if let Some((punct, _)) = cursor.punct()
            && punct.as_char() == ';'
        {
            return false;
        }
        if let Some((inside, _, _)) = cursor.group(Delimiter::Brace)
            && let Some((word, _)) = inside.ident()
            && ident_text(&word) == "case"
        {
            return true;
        }
        match cursor.token_tree() {
            Some((_, next)) => cursor = next,
            None => return false,
        }
    }
    false
}

impl Cx {
    /// `match subject { case … }`, the tokens after `match` being known to make one.
    pub(super) fn parse_match(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "match")?;
        if !self.starts_expression(input) {
            return Err(self.expected_expression(input, Some("`match`")));
        }
        let subject = self.parse_subject(input)?;
        if !peek_group(input, Delimiter::Brace) {
            return Err(error_here(
                input,
                format!(
                    "expected `{{` and the `case`s after the subject of `match`, found {}",
                    describe_next(input)
                ),
            ));
        }
        let content;
        let brace = syn::braced!(content in input);
        let mut cases = Vec::new();
        self.nested(brace.span.open(), || {
            while !content.is_empty() {
                cases.push(self.parse_case(&content)?);
            }
            Ok(())
        })?;
        if cases.is_empty() {
            return Err(syn::Error::new(
                brace.span.open(),
                "expected at least one `case` in `match`",
            ));
        }
        Ok(Stmt::Match {
            subject,
            cases,
            range: Range::new(start, brace.span.close()),
        })
    }

    /// `subject_expr`: a named expression, or a tuple of starred ones when there is a comma.
    fn parse_subject(&self, input: ParseStream) -> syn::Result<Expr> {
        let subject = self.parse_star_list(input, true)?;
        if let Expr::Starred(s) = &subject {
            return Err(s.range.error("cannot use starred expression here"));
        }
        Ok(subject)
    }

    /// `case patterns if guard { body }`.
    fn parse_case(&self, input: ParseStream) -> syn::Result<MatchCase> {
        if !peek_kw(input, "case") {
            return Err(error_here(
                input,
                format!(
                    "expected `case` in the block of `match`, found {}",
                    describe_next(input)
                ),
            ));
        }
        let start = eat_kw(input, "case")?;
        let pattern = self.parse_patterns(input)?;
        let guard = if peek_kw(input, "if") {
            let if_span = eat_kw(input, "if")?;
            if !self.starts_expression(input) {
                return Err(syn::Error::new(
                    if_span,
                    "expected an expression after `if`",
                ));
            }
            Some(self.parse_named(input)?)
        } else {
            None
        };
        let body = self.parse_braced_block(input, "the pattern of `case`")?;
        Ok(MatchCase {
            pattern,
            guard,
            body,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    /// `patterns`: a pattern, or an open sequence of them (`case a, *rest`).
    fn parse_patterns(&self, input: ParseStream) -> syn::Result<Pattern> {
        let first = self.parse_maybe_star_pattern(input)?;
        if !peek_op(input, ",") {
            if let Pattern::MatchStar { range, .. } = &first {
                return Err(range.error("a star pattern must be inside a sequence pattern"));
            }
            return Ok(first);
        }
        let start = first.range().start;
        let mut patterns = vec![first];
        while peek_op(input, ",") {
            eat_puncts(input, 1)?;
            if peek_kw(input, "if") || brace_is_body(input) {
                break;
            }
            patterns.push(self.parse_maybe_star_pattern(input)?);
        }
        self.check_one_star(&patterns)?;
        Ok(Pattern::MatchSequence {
            patterns,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_maybe_star_pattern(&self, input: ParseStream) -> syn::Result<Pattern> {
        if !peek_op(input, "*") || peek_op(input, "**") {
            return self.parse_pattern(input);
        }
        let (star, _) = eat_puncts(input, 1)?;
        let Some((ident, _)) = input.cursor().ident() else {
            return Err(syn::Error::new(
                star,
                "expected a name or `_` after `*` in a pattern",
            ));
        };
        let name = self.capture_name(input, &ident)?;
        Ok(Pattern::MatchStar {
            name,
            range: Range::new(star, ident.span()),
        })
    }

    /// `pattern`: an or-pattern, with `as name` after it.
    fn parse_pattern(&self, input: ParseStream) -> syn::Result<Pattern> {
        let pattern = self.parse_or_pattern(input)?;
        if !peek_kw(input, "as") {
            return Ok(pattern);
        }
        let as_span = eat_kw(input, "as")?;
        let Some((ident, _)) = input.cursor().ident() else {
            return Err(syn::Error::new(
                as_span,
                "expected a name after `as` in a pattern",
            ));
        };
        if ident_text(&ident) == "_" {
            return Err(syn::Error::new(ident.span(), "cannot use '_' as a target"));
        }
        if peek_op_after_ident(input, ".") {
            return Err(syn::Error::new(
                ident.span(),
                "invalid pattern target: `as` takes a plain name",
            ));
        }
        let name = self.capture_name(input, &ident)?;
        let start = pattern.range().start;
        Ok(Pattern::MatchAs {
            pattern: Some(Box::new(pattern)),
            name,
            range: Range::new(start, ident.span()),
        })
    }

    fn parse_or_pattern(&self, input: ParseStream) -> syn::Result<Pattern> {
        let first = self.parse_closed_pattern(input)?;
        if !peek_op(input, "|") || peek_op(input, "||") || peek_op(input, "|=") {
            return Ok(first);
        }
        let start = first.range().start;
        let mut patterns = vec![first];
        while peek_op(input, "|") && !peek_op(input, "||") && !peek_op(input, "|=") {
            eat_puncts(input, 1)?;
            patterns.push(self.parse_closed_pattern(input)?);
        }
        Ok(Pattern::MatchOr {
            patterns,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_closed_pattern(&self, input: ParseStream) -> syn::Result<Pattern> {
        let cursor = input.cursor();
        if let Some((_, delimiter, delim_span, _)) = cursor.any_group() {
            let open = delim_span.open();
            return self.nested(open, || match delimiter {
                Delimiter::Parenthesis => {
                    let content;
                    let paren = syn::parenthesized!(content in input);
                    self.parse_paren_pattern(&content, Range::new(open, paren.span.close()))
                }
                Delimiter::Bracket => {
                    let content;
                    let bracket = syn::bracketed!(content in input);
                    let patterns = self.parse_pattern_items(&content)?;
                    Ok(Pattern::MatchSequence {
                        patterns,
                        range: Range::new(open, bracket.span.close()),
                    })
                }
                Delimiter::Brace => {
                    let content;
                    let brace = syn::braced!(content in input);
                    self.parse_mapping_pattern(&content, Range::new(open, brace.span.close()))
                }
                Delimiter::None => Err(error_here(input, "unexpected invisible group")),
            });
        }
        if let Some((ident, _)) = cursor.ident() {
            if let Some(value) = singleton(&ident) {
                eat_tokens(input, 1)?;
                return Ok(Pattern::MatchSingleton {
                    value,
                    range: Range::single(ident.span()),
                });
            }
            if !literal::is_string_prefix(input) {
                return self.parse_name_pattern(input, &ident);
            }
        }
        if cursor.literal().is_some() || peek_op(input, "-") || literal::is_string_prefix(input) {
            return self.parse_literal_pattern(input);
        }
        Err(error_here(
            input,
            format!("expected a pattern, found {}", describe_next(input)),
        ))
    }

    /// A capture (`x`), the wildcard (`_`), a value (`a.b.c`) or a class pattern
    /// (`Cls(…)`, `mod.Cls(…)`).
    fn parse_name_pattern(
        &self,
        input: ParseStream,
        ident: &proc_macro2::Ident,
    ) -> syn::Result<Pattern> {
        let text = ident_text(ident);
        if KEYWORDS.contains(&text.as_str()) {
            return Err(syn::Error::new(
                ident.span(),
                format!("invalid syntax: `{text}` is a keyword and cannot start a pattern"),
            ));
        }
        let is_dotted = peek_op_after_ident(input, ".");
        let is_class = peek_group_after_ident(input, Delimiter::Parenthesis);
        if !is_dotted && !is_class {
            let name = self.capture_name(input, ident)?;
            return Ok(Pattern::MatchAs {
                pattern: None,
                name,
                range: Range::single(ident.span()),
            });
        }
        // A dotted name: `parse_primary` reads `a.b.c` and stops before a call, which is the
        // class pattern's argument list.
        let value = self.parse_name_chain(input, ident)?;
        if !peek_group(input, Delimiter::Parenthesis) {
            let range = value.range();
            return Ok(Pattern::MatchValue { value, range });
        }
        let content;
        let paren = syn::parenthesized!(content in input);
        let start = value.range().start;
        let (patterns, kwd_attrs, kwd_patterns) =
            self.nested(paren.span.open(), || self.parse_class_arguments(&content))?;
        Ok(Pattern::MatchClass {
            cls: value,
            patterns,
            kwd_attrs,
            kwd_patterns,
            range: Range::new(start, paren.span.close()),
        })
    }

    /// `NAME ('.' NAME)*` as a load.
    fn parse_name_chain(
        &self,
        input: ParseStream,
        ident: &proc_macro2::Ident,
    ) -> syn::Result<Expr> {
        eat_tokens(input, 1)?;
        let mut expr = Expr::Name(Name {
            id: ident_text(ident),
            span: ident.span(),
            ident: ident.clone(),
            binding: Binding::Unresolved,
            rust_capture: None,
        });
        while peek_op(input, ".") && !peek_op(input, "..") {
            let (dot, _) = eat_puncts(input, 1)?;
            let Some((attr, _)) = input.cursor().ident() else {
                return Err(syn::Error::new(dot, "expected an attribute name after `.`"));
            };
            let text = ident_text(&attr);
            if KEYWORDS.contains(&text.as_str()) {
                return Err(syn::Error::new(
                    attr.span(),
                    format!("invalid syntax: `{text}` is a keyword"),
                ));
            }
            eat_tokens(input, 1)?;
            let start = expr.range().start;
            expr = Expr::Attribute(Attribute {
                value: Box::new(expr),
                attr: text,
                attr_span: attr.span(),
                range: Range::new(start, attr.span()),
            });
        }
        Ok(expr)
    }

    /// The arguments of a class pattern: positional patterns, then `attr=pattern`s.
    #[allow(clippy::type_complexity)]
    fn parse_class_arguments(
        &self,
        input: ParseStream,
    ) -> syn::Result<(Vec<Pattern>, Vec<(String, Span)>, Vec<Pattern>)> {
        let mut patterns = Vec::new();
        let mut kwd_attrs: Vec<(String, Span)> = Vec::new();
        let mut kwd_patterns = Vec::new();
        while !input.is_empty() {
            let keyword = input
                .cursor()
                .ident()
                .filter(|_| punct_at(input, 1) == Some('=') && !equals_after(input, 1));
            if let Some((ident, _)) = keyword {
                let attr = ident_text(&ident);
                if kwd_attrs.iter().any(|(a, _)| *a == attr) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("attribute name repeated in class pattern: {attr}"),
                    ));
                }
                eat_tokens(input, 1)?;
                eat_puncts(input, 1)?;
                kwd_attrs.push((attr, ident.span()));
                kwd_patterns.push(self.parse_pattern(input)?);
            } else {
                let pattern = self.parse_pattern(input)?;
                if !kwd_attrs.is_empty() {
                    return Err(pattern
                        .range()
                        .error("positional patterns follow keyword patterns"));
                }
                patterns.push(pattern);
            }
            if !comma_or_end(input, "`)` in a class pattern")? {
                break;
            }
        }
        Ok((patterns, kwd_attrs, kwd_patterns))
    }

    /// `( … )`: a group pattern (one pattern, no comma) or a sequence pattern.
    fn parse_paren_pattern(&self, input: ParseStream, range: Range) -> syn::Result<Pattern> {
        if input.is_empty() {
            return Ok(Pattern::MatchSequence {
                patterns: Vec::new(),
                range,
            });
        }
        let first = self.parse_maybe_star_pattern(input)?;
        if input.is_empty() && !matches!(first, Pattern::MatchStar { .. }) {
            return Ok(first);
        }
        let mut patterns = vec![first];
        while comma_or_end(input, "`)` in a pattern")? && !input.is_empty() {
            patterns.push(self.parse_maybe_star_pattern(input)?);
        }
        self.check_one_star(&patterns)?;
        Ok(Pattern::MatchSequence { patterns, range })
    }

    /// The items of `[ … ]`: patterns separated by commas, a trailing comma allowed.
    fn parse_pattern_items(&self, input: ParseStream) -> syn::Result<Vec<Pattern>> {
        let mut patterns = Vec::new();
        while !input.is_empty() {
            patterns.push(self.parse_maybe_star_pattern(input)?);
            if !comma_or_end(input, "`]` in a pattern")? {
                break;
            }
        }
        self.check_one_star(&patterns)?;
        Ok(patterns)
    }

    fn check_one_star(&self, patterns: &[Pattern]) -> syn::Result<()> {
        let mut stars = patterns
            .iter()
            .filter(|p| matches!(p, Pattern::MatchStar { .. }));
        if let (Some(_), Some(second)) = (stars.next(), stars.next()) {
            return Err(second
                .range()
                .error("multiple starred names in sequence pattern"));
        }
        Ok(())
    }

    /// `{key: pattern, …, **rest}`.
    fn parse_mapping_pattern(&self, input: ParseStream, range: Range) -> syn::Result<Pattern> {
        let mut keys = Vec::new();
        let mut patterns = Vec::new();
        let mut rest = None;
        while !input.is_empty() {
            if peek_op(input, "**") {
                let (stars, _) = eat_puncts(input, 2)?;
                let Some((ident, _)) = input.cursor().ident() else {
                    return Err(syn::Error::new(stars, "expected a name after `**`"));
                };
                if ident_text(&ident) == "_" {
                    return Err(syn::Error::new(ident.span(), "invalid syntax: `**_`"));
                }
                rest = self.capture_name(input, &ident)?;
                if peek_op(input, ",") {
                    eat_puncts(input, 1)?;
                }
                if !input.is_empty() {
                    return Err(error_here(
                        input,
                        "the `**rest` of a mapping pattern must come last",
                    ));
                }
                break;
            }
            keys.push(self.parse_mapping_key(input)?);
            if !peek_colon(input) {
                return Err(error_here(
                    input,
                    format!(
                        "expected `:` after a key in a mapping pattern, found {}",
                        describe_next(input)
                    ),
                ));
            }
            eat_puncts(input, 1)?;
            patterns.push(self.parse_pattern(input)?);
            if !comma_or_end(input, "`}` in a mapping pattern")? {
                break;
            }
        }
        Ok(Pattern::MatchMapping {
            keys,
            patterns,
            rest,
            range,
        })
    }

    /// A key of a mapping pattern: a literal or a dotted name (`a.b`).
    fn parse_mapping_key(&self, input: ParseStream) -> syn::Result<Expr> {
        if let Some((ident, _)) = input.cursor().ident()
            && !literal::is_string_prefix(input)
        {
            if let Some(value) = singleton(&ident) {
                eat_tokens(input, 1)?;
                return Ok(Expr::Constant(Constant {
                    value,
                    range: Range::single(ident.span()),
                }));
            }
            if !peek_op_after_ident(input, ".") {
                return Err(syn::Error::new(
                    ident.span(),
                    "mapping pattern keys may only match literals and attribute lookups",
                ));
            }
            return self.parse_name_chain(input, &ident);
        }
        match self.parse_literal_pattern(input)? {
            Pattern::MatchValue { value, .. } => Ok(value),
            Pattern::MatchSingleton { value, range } => {
                Ok(Expr::Constant(Constant { value, range }))
            }
            other => Err(other
                .range()
                .error("mapping pattern keys may only match literals and attribute lookups")),
        }
    }

    /// `1`, `-1`, `1.5`, `1 + 2j`, `-1 - 2j`, `"a" "b"`, `b"x"`.
    fn parse_literal_pattern(&self, input: ParseStream) -> syn::Result<Pattern> {
        let minus = if peek_op(input, "-") {
            Some(eat_puncts(input, 1)?.0)
        } else {
            None
        };
        if input.cursor().literal().is_none() && !literal::is_string_prefix(input) {
            return Err(error_here(
                input,
                format!(
                    "expected a number after `-`, found {}",
                    describe_next(input)
                ),
            ));
        }
        let first = literal::parse_strings_and_numbers(input)?;
        let is_number = |e: &Expr| {
            matches!(
                e,
                Expr::Constant(Constant {
                    value: ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::Imag(_),
                    ..
                })
            )
        };
        if let Expr::Constant(Constant { value, .. }) = &first
            && matches!(value, ConstValue::Str(_) | ConstValue::Bytes(_))
        {
            if let Some(minus) = minus {
                return Err(syn::Error::new(minus, "expected a number after `-`"));
            }
        } else if !is_number(&first) {
            return Err(first.range().error("expected a literal in a pattern"));
        }
        let mut value = match minus {
            Some(span) => {
                let range = Range::new(span, first.range().end);
                Expr::UnaryOp(UnaryOp {
                    op: UnaryOperator::USub,
                    operand: Box::new(first),
                    range,
                })
            }
            None => first,
        };
        // `real ± imaginary`: a complex literal, the right side an imaginary number.
        let sign = [("+", Operator::Add), ("-", Operator::Sub)]
            .into_iter()
            .find(|(text, _)| peek_op(input, text) && !equals_after(input, 1));
        if let Some((_, op)) = sign
            && matches!(
                &value,
                Expr::Constant(Constant {
                    value: ConstValue::Int(_) | ConstValue::Float(_),
                    ..
                }) | Expr::UnaryOp(_)
            )
        {
            let (op_span, _) = eat_puncts(input, 1)?;
            let right = literal::parse_strings_and_numbers(input)?;
            if !matches!(
                right,
                Expr::Constant(Constant {
                    value: ConstValue::Imag(_),
                    ..
                })
            ) {
                return Err(right
                    .range()
                    .error("imaginary number required in complex literal"));
            }
            value = super::binary(value, op, op_span, right);
        }
        let range = value.range();
        Ok(Pattern::MatchValue { value, range })
    }

    /// The name of a capture (`None` for `_`), after checking it is one.
    fn capture_name(
        &self,
        input: ParseStream,
        ident: &proc_macro2::Ident,
    ) -> syn::Result<Option<Name>> {
        let text = ident_text(ident);
        if KEYWORDS.contains(&text.as_str()) {
            return Err(syn::Error::new(
                ident.span(),
                format!("invalid syntax: `{text}` is a keyword"),
            ));
        }
        eat_tokens(input, 1)?;
        if text == "_" {
            return Ok(None);
        }
        Ok(Some(Name {
            id: text,
            span: ident.span(),
            ident: ident.clone(),
            binding: Binding::Unresolved,
            rust_capture: None,
        }))
    }
}

/// Whether the token after the next (an identifier) is the punctuation `op`.
fn peek_op_after_ident(input: ParseStream, op: &str) -> bool {
    let fork = input.fork();
    fork.step(|c| {
        c.token_tree()
            .map(|(_, r)| ((), r))
            .ok_or_else(|| c.error(""))
    })
    .is_ok()
        && peek_op(&fork, op)
        && !peek_op(&fork, "..")
}

/// Whether the token after the next (an identifier) is a group with `delimiter`.
fn peek_group_after_ident(input: ParseStream, delimiter: Delimiter) -> bool {
    let fork = input.fork();
    fork.step(|c| {
        c.token_tree()
            .map(|(_, r)| ((), r))
            .ok_or_else(|| c.error(""))
    })
    .is_ok()
        && peek_group(&fork, delimiter)
}

/// Whether the brace group next (after a trailing comma of an open sequence pattern,
/// `case a, { … }`) is the body of the `case` rather than a mapping pattern: the body is the
/// last thing before the next `case` or the end of the `match`.
fn brace_is_body(input: ParseStream) -> bool {
    let Some((_, _, after)) = input.cursor().group(Delimiter::Brace) else {
        return false;
    };
    after.eof()
        || after
            .ident()
            .is_some_and(|(word, _)| ident_text(&word) == "case")
}

/// `None`, `True` or `False`: the constants a pattern compares by identity.
fn singleton(ident: &proc_macro2::Ident) -> Option<ConstValue> {
    match ident_text(ident).as_str() {
        "None" => Some(ConstValue::None),
        "True" => Some(ConstValue::Bool(true)),
        "False" => Some(ConstValue::Bool(false)),
        _ => None,
    }
}
