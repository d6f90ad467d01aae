//! Attributes: the `#[pycall(...)]` options of the derives and of `wrap!`, read into plain data.

use crate::diag::Ctxt;
use proc_macro2::Span;
use syn::{Attribute, LitBool, LitStr};

/// One option inside `#[pycall(...)]`: a flag (`frozen`), a string (`name = "x"`) or a boolean
/// (`repr = false`).
pub struct Opt {
    pub key: syn::Ident,
    pub value: OptValue,
}

pub enum OptValue {
    Flag,
    Str(LitStr),
    Bool(LitBool),
}

impl Opt {
    pub fn span(&self) -> Span {
        self.key.span()
    }

    /// The string of `key = "..."`, or an error saying one was expected.
    pub fn string(&self, cx: &Ctxt) -> Option<LitStr> {
        match &self.value {
            OptValue::Str(s) => Some(s.clone()),
            _ => {
                cx.error(self.span(), format!("expected `{} = \"...\"`", self.key));
                None
            }
        }
    }

    /// The boolean of `key = true|false`, or an error saying one was expected.
    pub fn boolean(&self, cx: &Ctxt) -> Option<bool> {
        match &self.value {
            OptValue::Bool(b) => Some(b.value),
            _ => {
                cx.error(
                    self.span(),
                    format!("expected `{} = true` or `{} = false`", self.key, self.key),
                );
                None
            }
        }
    }

    /// Accepts a bare flag; reports `key = ...` as an error.
    pub fn flag(&self, cx: &Ctxt) -> bool {
        match &self.value {
            OptValue::Flag => true,
            _ => {
                cx.error(self.span(), format!("`{}` takes no value", self.key));
                false
            }
        }
    }
}

/// The options of every `#[pycall(...)]` among `attrs`, in order; other attributes are ignored.
pub fn options(attrs: &[Attribute], cx: &Ctxt) -> Vec<Opt> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("pycall")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error("expected an option name"));
            };
            let value = if meta.input.peek(syn::Token![=]) {
                let lookahead = meta.value()?.lookahead1();
                if lookahead.peek(LitStr) {
                    OptValue::Str(meta.input.parse()?)
                } else if lookahead.peek(LitBool) {
                    OptValue::Bool(meta.input.parse()?)
                } else {
                    return Err(lookahead.error());
                }
            } else {
                OptValue::Flag
            };
            if out.iter().any(|o: &Opt| o.key == key) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("duplicate option `{key}`"),
                ));
            }
            out.push(Opt { key, value });
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
    out
}

/// Reports an option that is not one of `known`, listing them.
pub fn unknown(opt: &Opt, what: &str, known: &[&str], cx: &Ctxt) {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    cx.error(
        opt.span(),
        format!(
            "unknown option `{}` for {what}; expected one of {list}",
            opt.key
        ),
    );
}

/// Whether `name` is a Python identifier (letters, digits and `_`, Unicode included, no leading
/// digit; an approximation of Python's XID rules) and not a Python keyword.
pub fn is_python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !crate::parse::tokens::KEYWORDS.contains(&name)
}

/// Checks a `name = "..."` option's value, reporting a bad identifier at the literal.
pub fn python_name(lit: &LitStr, cx: &Ctxt) -> Option<String> {
    let value = lit.value();
    if is_python_identifier(&value) {
        Some(value)
    } else if crate::parse::tokens::KEYWORDS.contains(&value.as_str()) {
        cx.error(
            lit.span(),
            format!("`{value}` is a Python keyword, so it cannot be a name"),
        );
        None
    } else {
        cx.error(lit.span(), format!("`{value}` is not a Python identifier"));
        None
    }
}

/// Doc attributes only (`#[doc = ...]`), to carry a declaration's docs over.
pub fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}
