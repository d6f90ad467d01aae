//! Parsing, f-strings: the text of `f "…"` split into literal parts and replacement fields,
//! whose expressions are parsed like any other `py!` expression.

use crate::ast::{Expr, FPart, FormattedValue};
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// The parts of an f-string's text (after Rust's escapes were applied).
pub fn parse_fstring(text: &str, span: Span) -> syn::Result<Vec<FPart>> {
    let chars: Vec<char> = text.chars().collect();
    let (parts, end) = parse_parts(&chars, 0, false, span)?;
    if end != chars.len() {
        return Err(syn::Error::new(span, "f-string: single '}' is not allowed"));
    }
    Ok(parts)
}

/// Parts from `start` until the end (or, in a format spec, an unmatched `}`).
fn parse_parts(
    chars: &[char],
    start: usize,
    in_spec: bool,
    span: Span,
) -> syn::Result<(Vec<FPart>, usize)> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '{' if !in_spec && chars.get(i + 1) == Some(&'{') => {
                literal.push('{');
                i += 2;
            }
            '}' if !in_spec && chars.get(i + 1) == Some(&'}') => {
                literal.push('}');
                i += 2;
            }
            '}' if in_spec => break,
            '}' => return Err(syn::Error::new(span, "f-string: single '}' is not allowed")),
            '{' => {
                if !literal.is_empty() {
                    parts.push(FPart::Literal(std::mem::take(&mut literal)));
                }
                let (mut field_parts, next) = parse_field(chars, i + 1, in_spec, span)?;
                parts.append(&mut field_parts);
                i = next;
            }
            c => {
                literal.push(c);
                i += 1;
            }
        }
    }
    if !literal.is_empty() {
        parts.push(FPart::Literal(literal));
    }
    Ok((parts, i))
}

/// One `{…}` field starting after its `{`; returns its parts (a `x=` field adds its text) and
/// the index after its `}`.
fn parse_field(
    chars: &[char],
    start: usize,
    nested: bool,
    span: Span,
) -> syn::Result<(Vec<FPart>, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut i = start;
    let mut expr_end = None;
    let mut debug = false;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            '}' | ':' if depth == 0 => {
                expr_end = Some(i);
                break;
            }
            '!' if depth == 0 && chars.get(i + 1) != Some(&'=') => {
                expr_end = Some(i);
                break;
            }
            '=' if depth == 0
                && i > start
                && !matches!(chars[i - 1], '=' | '!' | '<' | '>')
                && chars.get(i + 1) != Some(&'=') =>
            {
                debug = true;
                expr_end = Some(i);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let Some(expr_end) = expr_end else {
        return Err(syn::Error::new(span, "f-string: expecting '}'"));
    };
    let source: String = chars[start..expr_end].iter().collect();
    if source.trim().is_empty() {
        return Err(syn::Error::new(
            span,
            "f-string: empty expression not allowed",
        ));
    }
    let value = parse_field_expression(&source, span)?;
    let mut i = expr_end + usize::from(debug);
    // `{x = }`: the spaces after `=` are part of the text the field shows.
    let mut debug_tail = String::new();
    while debug && chars.get(i).is_some_and(|c| c.is_whitespace()) {
        debug_tail.push(chars[i]);
        i += 1;
    }
    let mut conversion = None;
    if chars.get(i) == Some(&'!') {
        match chars.get(i + 1) {
            Some(c @ ('r' | 's' | 'a')) => conversion = Some(*c),
            _ => {
                return Err(syn::Error::new(
                    span,
                    "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                ));
            }
        }
        i += 2;
    }
    let mut format_spec = None;
    if chars.get(i) == Some(&':') {
        if nested {
            return Err(syn::Error::new(
                span,
                "f-string: expressions nested too deeply",
            ));
        }
        let (spec, next) = parse_parts(chars, i + 1, true, span)?;
        format_spec = Some(spec);
        i = next;
    }
    if chars.get(i) != Some(&'}') {
        return Err(syn::Error::new(span, "f-string: expecting '}'"));
    }
    let mut parts = Vec::new();
    if debug {
        let mut text = source.clone();
        text.push('=');
        text.push_str(&debug_tail);
        parts.push(FPart::Literal(text));
        if conversion.is_none() && format_spec.is_none() {
            conversion = Some('r');
        }
    }
    parts.push(FPart::Field(FormattedValue {
        value: Box::new(value),
        conversion,
        format_spec,
    }));
    Ok((parts, i + 1))
}

/// Parses a field's Python text: respelled for Rust's lexer (`'…'` strings become `"…"`, `//`
/// becomes `/ /`), lexed, given the f-string's span, and parsed as an expression list.
fn parse_field_expression(source: &str, span: Span) -> syn::Result<Expr> {
    let respelled = respell(source);
    let tokens = TokenStream::from_str(&respelled)
        .map_err(|_| syn::Error::new(span, format!("f-string: invalid expression `{source}`")))?;
    let tokens = respan(tokens, span);
    super::parse_expression(tokens).map_err(|e| syn::Error::new(span, format!("f-string: {e}")))
}

fn respell(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' {
            let mut j = i + 1;
            let mut body = String::new();
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' && j + 1 < chars.len() {
                    body.push(chars[j]);
                    body.push(chars[j + 1]);
                    j += 2;
                    continue;
                }
                if chars[j] == '"' {
                    body.push('\\');
                }
                body.push(chars[j]);
                j += 1;
            }
            out.push('"');
            out.push_str(&body);
            out.push('"');
            i = j + 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            out.push_str("/ /");
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}
