//! Parsing, literals: numbers and strings as Rust's lexer spells them, read with Python's rules.

use super::tokens::ident_text;
use crate::ast::{ConstValue, Constant, Expr, FPart, JoinedStr, Range};
use proc_macro2::TokenStream;
use proc_macro2::{Literal, Span};
use syn::Lit;
use syn::parse::ParseStream;

/// Whether the next tokens are a prefix identifier followed by a string (`u"…"`, `f "…"`).
pub fn is_string_prefix(input: ParseStream) -> bool {
    let Some((ident, rest)) = input.cursor().ident() else {
        return false;
    };
    is_prefix_word(&ident_text(&ident))
        && rest
            .literal()
            .is_some_and(|(lit, _)| is_str_text(&lit.to_string()))
}

/// Whether a literal token is a (possibly raw) string.
fn is_str_text(text: &str) -> bool {
    text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")
}

/// Python string prefixes that Rust's lexer leaves as a separate identifier.
fn is_prefix_word(text: &str) -> bool {
    matches!(
        text,
        "u" | "U"
            | "f"
            | "F"
            | "R"
            | "B"
            | "rf"
            | "fr"
            | "Rf"
            | "fR"
            | "RF"
            | "FR"
            | "rF"
            | "Fr"
            | "Rb"
            | "bR"
            | "RB"
            | "BR"
            | "rb"
            | "rB"
            | "Br"
    )
}

enum Piece {
    Str(String),
    Bytes(Vec<u8>),
    F(Vec<FPart>),
}

/// A number, or one or more adjacent string literals (Python concatenates them).
pub fn parse_strings_and_numbers(input: ParseStream) -> syn::Result<Expr> {
    let start = input.span();
    let mut pieces: Vec<(Piece, Span)> = Vec::new();
    loop {
        if let Some((ident, rest)) = input.cursor().ident() {
            let Some((lit, _)) = rest.literal() else {
                break;
            };
            let text = ident_text(&ident);
            if !is_str_text(&lit.to_string()) || !is_prefix_word(&text) {
                break;
            }
            match text.as_str() {
                "u" | "U" => {
                    input.step(|c| {
                        c.token_tree()
                            .map(|(_, r)| ((), r))
                            .ok_or_else(|| c.error(""))
                    })?;
                    continue;
                }
                "f" | "F" => {
                    input.step(|c| {
                        c.token_tree()
                            .map(|(_, r)| ((), r))
                            .ok_or_else(|| c.error(""))
                    })?;
                    let Some((literal, _)) = input.cursor().literal() else {
                        return Err(syn::Error::new(ident.span(), "expected a string after `f`"));
                    };
                    let span = literal.span();
                    let Lit::Str(text) = Lit::new(literal) else {
                        return Err(syn::Error::new(span, "expected a string after `f`"));
                    };
                    reject_suffix(text.suffix(), span)?;
                    let parts = super::fstring::parse_fstring(&text.value(), span)?;
                    input.step(|c| {
                        c.token_tree()
                            .map(|(_, r)| ((), r))
                            .ok_or_else(|| c.error(""))
                    })?;
                    pieces.push((Piece::F(parts), span));
                    continue;
                }
                "rf" | "fr" | "Rf" | "fR" | "RF" | "FR" | "rF" | "Fr" => {
                    return Err(syn::Error::new(
                        ident.span(),
                        "write a raw f-string as `f r\"…\"`",
                    ));
                }
                _ => {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!(
                            "Rust's lexer cannot keep the prefix `{text}`: write it in lowercase (`r\"…\"`, `b\"…\"`, `br\"…\"`)"
                        ),
                    ));
                }
            }
        }
        let Some((literal, _)) = input.cursor().literal() else {
            break;
        };
        let span = literal.span();
        // Numbers are told apart by their first character: `Lit::new` would convert a long
        // integer to decimal (quadratic in its length) before `number` can check its size.
        if literal
            .to_string()
            .starts_with(|c: char| c.is_ascii_digit())
        {
            if !pieces.is_empty() {
                break;
            }
            input.step(|c| {
                c.token_tree()
                    .map(|(_, r)| ((), r))
                    .ok_or_else(|| c.error(""))
            })?;
            return number(&literal).map(|value| {
                Expr::Constant(Constant {
                    value,
                    range: Range::single(span),
                })
            });
        }
        let lit = Lit::new(literal.clone());
        let piece = match lit {
            Lit::Str(s) => {
                reject_suffix(s.suffix(), span)?;
                Piece::Str(s.value())
            }
            Lit::ByteStr(s) => {
                reject_suffix(s.suffix(), span)?;
                Piece::Bytes(s.value())
            }
            Lit::Char(c) => {
                reject_suffix(c.suffix(), span)?;
                Piece::Str(c.value().to_string())
            }
            Lit::Byte(b) => {
                reject_suffix(b.suffix(), span)?;
                Piece::Bytes(vec![b.value()])
            }
            Lit::CStr(_) => {
                return Err(syn::Error::new(
                    span,
                    "C string literals (`c\"…\"`) are not Python",
                ));
            }
            _ => return Err(syn::Error::new(span, "unsupported literal")),
        };
        input.step(|c| {
            c.token_tree()
                .map(|(_, r)| ((), r))
                .ok_or_else(|| c.error(""))
        })?;
        pieces.push((piece, span));
    }
    let end = pieces.last().map(|(_, s)| *s).unwrap_or(start);
    let mut iter = pieces.into_iter();
    let Some((first, _)) = iter.next() else {
        return Err(syn::Error::new(start, "expected a literal"));
    };
    let rest: Vec<(Piece, Span)> = iter.collect();
    let any_f = matches!(first, Piece::F(_)) || rest.iter().any(|(p, _)| matches!(p, Piece::F(_)));
    if any_f {
        let mut values: Vec<FPart> = Vec::new();
        let mut push = |piece: Piece, span: Span| -> syn::Result<()> {
            let parts = match piece {
                Piece::Str(s) => vec![FPart::Literal(s)],
                Piece::F(parts) => parts,
                Piece::Bytes(_) => {
                    return Err(syn::Error::new(
                        span,
                        "cannot mix bytes and nonbytes literals",
                    ));
                }
            };
            for part in parts {
                match (values.last_mut(), part) {
                    (Some(FPart::Literal(a)), FPart::Literal(b)) => a.push_str(&b),
                    (_, part) => values.push(part),
                }
            }
            Ok(())
        };
        push(first, start)?;
        for (piece, span) in rest {
            push(piece, span)?;
        }
        return Ok(Expr::JoinedStr(JoinedStr {
            values,
            range: Range::new(start, end),
        }));
    }
    let iter = rest.into_iter();
    let value = match first {
        Piece::Str(mut s) => {
            for (piece, span) in iter {
                match piece {
                    Piece::Str(more) => s.push_str(&more),
                    Piece::F(_) | Piece::Bytes(_) => {
                        return Err(syn::Error::new(
                            span,
                            "cannot mix bytes and nonbytes literals",
                        ));
                    }
                }
            }
            ConstValue::Str(s)
        }
        Piece::Bytes(mut b) => {
            for (piece, span) in iter {
                match piece {
                    Piece::Bytes(more) => b.extend(more),
                    Piece::F(_) | Piece::Str(_) => {
                        return Err(syn::Error::new(
                            span,
                            "cannot mix bytes and nonbytes literals",
                        ));
                    }
                }
            }
            ConstValue::Bytes(b)
        }
        Piece::F(_) => return Err(syn::Error::new(start, "internal error: f-string piece")),
    };
    Ok(Expr::Constant(Constant {
        value,
        range: Range::new(start, end),
    }))
}

fn reject_suffix(suffix: &str, span: Span) -> syn::Result<()> {
    if suffix.is_empty() {
        Ok(())
    } else {
        Err(syn::Error::new(
            span,
            format!("invalid string suffix `{suffix}`"),
        ))
    }
}

/// Reads a Rust numeric literal token with Python's rules (`j` makes it imaginary).
pub fn number(literal: &Literal) -> syn::Result<ConstValue> {
    let span = literal.span();
    let text = literal.to_string();
    check_int_size(&text, span)?;
    let lit = Lit::new(literal.clone());
    let (digits, suffix, is_float) = match &lit {
        Lit::Int(i) => (i.base10_digits().to_owned(), i.suffix().to_owned(), false),
        Lit::Float(f) => (f.base10_digits().to_owned(), f.suffix().to_owned(), true),
        _ => return Err(syn::Error::new(span, "expected a number")),
    };
    let radix_prefixed = text.len() > 1
        && text.starts_with('0')
        && matches!(text.as_bytes()[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
    if !is_float && !radix_prefixed && text.starts_with('0') {
        let decimal: String = text
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_')
            .collect();
        if decimal.chars().any(|c| c.is_ascii_digit() && c != '0') {
            return Err(syn::Error::new(
                span,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
            ));
        }
    }
    check_underscores(&text, radix_prefixed, span)?;
    if radix_prefixed && matches!(suffix.as_str(), "j" | "J") {
        return Err(syn::Error::new(span, "imaginary literals must be decimal"));
    }
    match suffix.as_str() {
        "" if is_float => parse_float(&digits, span).map(ConstValue::Float),
        "" => Ok(ConstValue::Int(digits)),
        "j" | "J" if !radix_prefixed => parse_float(&digits, span).map(ConstValue::Imag),
        other => {
            let hint = if matches!(
                other,
                "if" | "else" | "or" | "and" | "in" | "is" | "not" | "for"
            ) {
                format!("; put a space between the number and `{other}`")
            } else {
                String::new()
            };
            Err(syn::Error::new(
                span,
                format!("invalid number suffix `{other}`{hint}"),
            ))
        }
    }
}

/// CPython refuses decimal integer literals of more than 4300 digits (its limit on converting
/// between `int` and `str`, `sys.int_info.default_max_str_digits`); pycall does too, with
/// CPython's message. A `0x`/`0o`/`0b` literal is refused when its value would need more than
/// 4300 decimal digits, since `py!` carries integers in decimal. The check runs before syn's
/// conversion to decimal, which is quadratic in the length.
fn check_int_size(text: &str, span: Span) -> syn::Result<()> {
    const LIMIT: usize = 4300;
    let lower = text.to_ascii_lowercase();
    let (bits_per_digit, body) = match lower.get(..2) {
        Some("0x") => (4.0, &lower[2..]),
        Some("0o") => (3.0, &lower[2..]),
        Some("0b") => (1.0, &lower[2..]),
        _ => {
            let int_part: String = lower
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '_')
                .collect();
            let is_float = lower[int_part.len()..].starts_with(['.', 'e']);
            let digits = int_part.chars().filter(char::is_ascii_digit).count();
            if !is_float && digits > LIMIT {
                return Err(syn::Error::new(
                    span,
                    format!(
                        "Exceeds the limit ({LIMIT} digits) for integer string conversion: value has {digits} digits; write huge integers as hexadecimal, or compute them at run time"
                    ),
                ));
            }
            return Ok(());
        }
    };
    let digits = body.chars().filter(char::is_ascii_hexdigit).count();
    let decimal_digits = (digits as f64 * bits_per_digit * std::f64::consts::LOG10_2) as usize;
    if decimal_digits > LIMIT {
        return Err(syn::Error::new(
            span,
            format!(
                "integer literal too large for `py!`: about {decimal_digits} decimal digits, more than Python converts ({LIMIT}); compute it at run time"
            ),
        ));
    }
    Ok(())
}

/// [`check_int_size`] over every numeric literal in Rust tokens (`$( )`, `as T`), before syn
/// parses them.
pub fn check_literal_sizes(tokens: &TokenStream) -> syn::Result<()> {
    for tree in tokens.clone() {
        match tree {
            proc_macro2::TokenTree::Literal(lit) => {
                let text = lit.to_string();
                if text.starts_with(|c: char| c.is_ascii_digit()) {
                    check_int_size(&text, lit.span())?;
                }
            }
            proc_macro2::TokenTree::Group(g) => check_literal_sizes(&g.stream())?,
            _ => {}
        }
    }
    Ok(())
}

/// Python allows `_` only between two digits (or right after a base prefix: `0x_ff`).
fn check_underscores(text: &str, radix_prefixed: bool, span: Span) -> syn::Result<()> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != '_' {
            continue;
        }
        let after_prefix = radix_prefixed && i == 2;
        let digit = |c: &char| {
            if radix_prefixed {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        };
        let before_ok = after_prefix || (i > 0 && digit(&chars[i - 1]));
        let after_ok = chars.get(i + 1).is_some_and(digit);
        if !(before_ok && after_ok) {
            return Err(syn::Error::new(
                span,
                "invalid decimal literal: `_` must separate digits",
            ));
        }
    }
    Ok(())
}

fn parse_float(digits: &str, span: Span) -> syn::Result<f64> {
    digits
        .parse::<f64>()
        .map_err(|_| syn::Error::new(span, format!("invalid number `{digits}`")))
}

/// `.5` arrives as `.` then `5`: read it as the float `0.5`.
pub fn parse_leading_dot_float(input: ParseStream) -> syn::Result<Expr> {
    let cursor = input.cursor();
    let Some((dot, rest)) = cursor.punct() else {
        return Err(input.error("expected an expression"));
    };
    let Some((literal, _)) = rest.literal() else {
        return Err(syn::Error::new(
            dot.span(),
            "expected an expression, found `.`",
        ));
    };
    let text = literal.to_string();
    if !text.starts_with(|c: char| c.is_ascii_digit()) || text.contains(['x', 'o', 'b', '.']) {
        return Err(syn::Error::new(
            dot.span(),
            "expected an expression, found `.`",
        ));
    }
    let (number_part, imaginary) = match text.strip_suffix(['j', 'J']) {
        Some(rest) => (rest, true),
        None => (text.as_str(), false),
    };
    let cleaned: String = number_part.chars().filter(|c| *c != '_').collect();
    let value = parse_float(&format!("0.{cleaned}"), literal.span())?;
    input.step(|c| {
        let (_, after_dot) = c.punct().ok_or_else(|| c.error("expected `.`"))?;
        let (_, after) = after_dot
            .literal()
            .ok_or_else(|| c.error("expected a number"))?;
        Ok(((), after))
    })?;
    let range = Range::new(dot.span(), literal.span());
    let value = if imaginary {
        ConstValue::Imag(value)
    } else {
        ConstValue::Float(value)
    };
    Ok(Expr::Constant(Constant { value, range }))
}
