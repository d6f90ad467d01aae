//! Parsing, token level: Python's operators and keywords as Rust's lexer delivers them.

use proc_macro2::{Delimiter, Spacing, Span};
use syn::parse::ParseStream;

/// Python's reserved words; none of them can be a name.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The text of an identifier, without the `r#` of a Rust raw identifier.
pub fn ident_text(ident: &proc_macro2::Ident) -> String {
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Whether the next tokens are the punctuation `op`, its characters joined (no space between).
pub fn peek_op(input: ParseStream, op: &str) -> bool {
    let mut cursor = input.cursor();
    let count = op.chars().count();
    for (i, ch) in op.chars().enumerate() {
        match cursor.punct() {
            Some((p, next)) if p.as_char() == ch => {
                if i + 1 < count && p.spacing() != Spacing::Joint {
                    return false;
                }
                cursor = next;
            }
            _ => return false,
        }
    }
    true
}

/// Whether the next tokens are the characters of `op` as separate punctuation, spaced or not
/// (used for `/ /` and `* *`, which Rust's lexer never joins into one operator).
pub fn peek_chars(input: ParseStream, op: &str) -> bool {
    let mut cursor = input.cursor();
    for ch in op.chars() {
        match cursor.punct() {
            Some((p, next)) if p.as_char() == ch => cursor = next,
            _ => return false,
        }
    }
    true
}

/// The character of the punctuation `n` tokens ahead, if it is one.
pub fn punct_at(input: ParseStream, n: usize) -> Option<char> {
    let mut cursor = input.cursor();
    for _ in 0..n {
        cursor = cursor.token_tree()?.1;
    }
    cursor.punct().map(|(p, _)| p.as_char())
}

/// How many tokens Python's operator `text` takes at the next tokens, if they spell it: its
/// words (`not in`), or its characters joined, except that `//` and `**` may be spaced (Rust's
/// lexer never joins them: `a / / b`).
pub fn peek_operator(input: ParseStream, text: &str) -> Option<usize> {
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        let mut words = 0;
        for word in text.split(' ') {
            if !peek_kw_at(input, words, word) {
                return None;
            }
            words += 1;
        }
        return Some(words);
    }
    let spelled = if text == "//" || text == "**" {
        peek_chars(input, text)
    } else {
        peek_op(input, text)
    };
    spelled.then(|| text.chars().count())
}

/// Whether the `n`-th token ahead (from 1) is punctuation with `=` joined to it: the end of an
/// augmented assignment's operator (`+=`, `/ /=`).
pub fn equals_after(input: ParseStream, n: usize) -> bool {
    let mut cursor = input.cursor();
    for _ in 1..n {
        match cursor.token_tree() {
            Some((_, next)) => cursor = next,
            None => return false,
        }
    }
    match cursor.punct() {
        Some((p, next)) => {
            p.spacing() == Spacing::Joint
                && matches!(next.punct(), Some((q, _)) if q.as_char() == '=')
        }
        None => false,
    }
}

/// Consumes `n` tokens and returns the span of the first.
pub fn eat_tokens(input: ParseStream, n: usize) -> syn::Result<Span> {
    let first = input.span();
    for _ in 0..n {
        input.step(|c| {
            c.token_tree()
                .map(|(_, rest)| ((), rest))
                .ok_or_else(|| c.error("expected a token"))
        })?;
    }
    Ok(first)
}

/// Consumes `n` punctuation tokens and returns the span of the first and the last.
pub fn eat_puncts(input: ParseStream, n: usize) -> syn::Result<(Span, Span)> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut first = None;
        let mut last = cursor.span();
        for _ in 0..n {
            match rest.punct() {
                Some((p, next)) => {
                    first.get_or_insert(p.span());
                    last = p.span();
                    rest = next;
                }
                None => return Err(syn::Error::new(rest.span(), "expected punctuation")),
            }
        }
        Ok(((first.unwrap_or(last), last), rest))
    })
}

/// Whether the next token is the identifier `word` (a Python keyword, or a Rust one).
pub fn peek_kw(input: ParseStream, word: &str) -> bool {
    peek_kw_at(input, 0, word)
}

/// Whether the token `n` ahead is the identifier `word`.
pub fn peek_kw_at(input: ParseStream, n: usize, word: &str) -> bool {
    let mut cursor = input.cursor();
    for _ in 0..n {
        match cursor.token_tree() {
            Some((_, next)) => cursor = next,
            None => return false,
        }
    }
    matches!(cursor.ident(), Some((ident, _)) if ident == word)
}

/// Consumes the keyword `word` and returns its span.
pub fn eat_kw(input: ParseStream, word: &str) -> syn::Result<Span> {
    input.step(|cursor| match cursor.ident() {
        Some((ident, rest)) if ident == word => Ok((ident.span(), rest)),
        _ => Err(cursor.error(format!("expected `{word}`"))),
    })
}

/// Whether the next token is a group with this delimiter.
pub fn peek_group(input: ParseStream, delimiter: Delimiter) -> bool {
    input.cursor().group(delimiter).is_some()
}

/// A short description of the next token, for "expected …, found …" messages.
pub fn describe_next(input: ParseStream) -> String {
    let cursor = input.cursor();
    if cursor.eof() {
        return "the end of the input".to_owned();
    }
    if let Some((p, _)) = cursor.punct() {
        return format!("`{}`", p.as_char());
    }
    if let Some((ident, _)) = cursor.ident() {
        return format!("`{ident}`");
    }
    if let Some((lit, _)) = cursor.literal() {
        return format!("`{lit}`");
    }
    for (delimiter, text) in [
        (Delimiter::Parenthesis, "`(`"),
        (Delimiter::Bracket, "`[`"),
        (Delimiter::Brace, "`{`"),
    ] {
        if cursor.group(delimiter).is_some() {
            return text.to_owned();
        }
    }
    "this token".to_owned()
}

/// A single `:` (an annotation's), not `::` nor `:=`.
pub fn peek_colon(input: ParseStream) -> bool {
    peek_op(input, ":") && !peek_op(input, "::") && !peek_op(input, ":=")
}

/// After an item of a comma-separated list inside a group: `true` when a `,` was eaten (an
/// item may follow), `false` at the end of the group, else an error naming what was
/// `expected` besides the comma.
pub fn comma_or_end(input: ParseStream, expected: &str) -> syn::Result<bool> {
    if input.is_empty() {
        return Ok(false);
    }
    if !peek_op(input, ",") {
        return Err(super::error_here(
            input,
            format!("expected `,` or {expected}, found {}", describe_next(input)),
        ));
    }
    eat_puncts(input, 1)?;
    Ok(true)
}
