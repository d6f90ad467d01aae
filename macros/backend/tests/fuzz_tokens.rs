//! The macros never panic, whatever tokens they are given: random token trees, and valid
//! expressions with random token-level damage, go through `py!`'s expansion and the derives;
//! each must come back as Rust code that parses (an expansion, or `compile_error!` next to a
//! stand-in), never as a panic.
//!
//! It runs for a bounded time (`PYCALL_FUZZ_SECONDS`, 20 by default) from a fixed seed
//! (`PYCALL_FUZZ_SEED`) and prints how many inputs it tried. cargo-fuzz needs a nightly
//! toolchain, which these machines cannot fetch; this is the stable stand-in.

mod common;

use common::{Rng, env_number};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::time::{Duration, Instant};

const IDENTS: &[&str] = &[
    "x", "y", "f", "r", "b", "u", "rb", "lambda", "not", "and", "or", "in", "is", "if", "else",
    "for", "as", "def", "return", "yield", "await", "import", "from", "try", "except", "finally",
    "with", "while", "break", "continue", "pass", "del", "raise", "assert", "global", "class",
    "True", "False", "None", "elif", "async", "match", "type", "self", "Self", "crate", "fn",
    "let", "mut", "struct", "impl", "pycall", "pub", "i64", "String", "Vec", "new", "getter",
    "keyword", "name", "skip", "readonly", "frozen", "module", "_", "Ω",
];

const PUNCTS: &str = "+-*/%@&|^~<>=!.,:;#$?'";

fn random_literal(rng: &mut Rng) -> Literal {
    match rng.below(12) {
        0 => Literal::i64_unsuffixed(rng.next() as i64 % 1000),
        1 => Literal::f64_unsuffixed((rng.below(10_000) as f64) / 7.0),
        2 => {
            let text: &str = rng.pick::<&str>(&[
                "",
                "abc",
                "{x}",
                "{",
                "}",
                "{x!r:>{w}}",
                "{{}}",
                "{x=}",
                "{a[\"k\"]}",
                "{lambda: 1}",
                "{!}",
                "{:}",
            ]);
            Literal::string(text)
        }
        3 => Literal::byte_string(b"\x00\xff"),
        4 => Literal::character(*rng.pick(&['a', '\'', 'é'])),
        5 => "1j".parse().unwrap(),
        6 => "1e999".parse().unwrap(),
        7 => "123456789012345678901234567890123456789012345678901234567890"
            .parse()
            .unwrap(),
        8 => "0x_FFu8".parse().unwrap(),
        9 => "r#\"raw\"#".parse().unwrap(),
        10 => "1.5e-3j".parse().unwrap(),
        _ => "c\"cstr\"".parse().unwrap(),
    }
}

fn random_tree(rng: &mut Rng, depth: u32) -> TokenTree {
    match rng.below(if depth > 3 { 8 } else { 10 }) {
        0..=2 => {
            let name: &str = rng.pick::<&str>(IDENTS);
            TokenTree::Ident(Ident::new(name, Span::call_site()))
        }
        3..=5 => {
            let ch = PUNCTS
                .chars()
                .nth(rng.below(PUNCTS.chars().count()))
                .unwrap();
            let spacing = if rng.chance(50) {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            TokenTree::Punct(Punct::new(ch, spacing))
        }
        6..=7 => TokenTree::Literal(random_literal(rng)),
        _ => {
            let delimiter = *rng.pick(&[
                Delimiter::Parenthesis,
                Delimiter::Bracket,
                Delimiter::Brace,
                Delimiter::None,
            ]);
            TokenTree::Group(Group::new(delimiter, random_stream(rng, depth + 1)))
        }
    }
}

fn random_stream(rng: &mut Rng, depth: u32) -> TokenStream {
    let n = rng.below(if depth == 0 { 24 } else { 8 });
    (0..n).map(|_| random_tree(rng, depth)).collect()
}

/// A valid expression or block with one to three token-level changes (delete, duplicate, swap,
/// insert), applied at any depth.
fn damaged(rng: &mut Rng, valid: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = valid.into_iter().collect();
    for _ in 0..1 + rng.below(3) {
        if trees.is_empty() {
            break;
        }
        let i = rng.below(trees.len());
        match rng.below(5) {
            0 => {
                trees.remove(i);
            }
            1 => {
                let t = trees[i].clone();
                trees.insert(i, t);
            }
            2 => {
                let j = rng.below(trees.len());
                trees.swap(i, j);
            }
            3 => trees.insert(i, random_tree(rng, 3)),
            _ => {
                if let TokenTree::Group(g) = &trees[i] {
                    let inner = damaged(rng, g.stream());
                    trees[i] = TokenTree::Group(Group::new(g.delimiter(), inner));
                }
            }
        }
    }
    trees.into_iter().collect()
}

fn valid_inputs(rng: &mut Rng) -> TokenStream {
    let blocks = [
        "x = 1; y = x + 2; y",
        "for i in range(3) { if i { continue } else { break } } else { pass }",
        "def f(a, b=1, *c, d, **e) { return a } f(1, d=2)",
        "try { 1 / 0 } except ZeroDivisionError as e { raise } finally { x = 1 }",
        "with open(p) as fh, g() { fh.read() }",
        "import os.path as p; from a.b import c, d as e; x",
        "f \"{a!r:>{w}} {b=}\" as String",
        "[x for x in y if x] as Vec<i64>",
        "while x { x -= 1; del y[0] }",
        "assert x, \"message\"; x[1:2] = [3]; a.b += 1",
        "$x + $(y.len())",
    ];
    if rng.chance(30) {
        return blocks[rng.below(blocks.len())].parse().unwrap();
    }
    let (_, rs) = common::exprs::generate(rng.next(), 1).remove(0);
    rs.parse().unwrap()
}

#[test]
fn macros_never_panic_on_any_tokens() {
    let seconds = env_number("PYCALL_FUZZ_SECONDS", 20);
    let seed = env_number("PYCALL_FUZZ_SEED", 1123);
    let mut rng = Rng::new(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut inputs, mut expanded, mut refused) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        for _ in 0..64 {
            let tokens = match rng.below(3) {
                0 => random_stream(&mut rng, 0),
                _ => {
                    let valid = valid_inputs(&mut rng);
                    damaged(&mut rng, valid)
                }
            };
            inputs += 1;
            let input = tokens.to_string();
            let out = std::panic::catch_unwind(|| pycall_backend::expand_py(tokens.clone()))
                .unwrap_or_else(|_| panic!("py! panicked on: {input}"));
            let text = out.to_string();
            if text.contains("compile_error") {
                refused += 1;
            } else {
                expanded += 1;
            }
            if let Err(e) = syn::parse2::<syn::Expr>(out) {
                panic!("py!'s output for `{input}` is not a Rust expression ({e}): {text}");
            }
            // The derives and attribute macros take the same tokens as items.
            let class = std::panic::catch_unwind(|| {
                let item: TokenStream =
                    format!("#[pycall({input})] struct S {{ a: i64, #[pycall({input})] b: i64 }}")
                        .parse()
                        .unwrap_or_default();
                pycall_backend::derive::derive_class(item)
            })
            .unwrap_or_else(|_| panic!("derive(Class) panicked on: {input}"));
            syn::parse2::<syn::File>(class).expect("derive output parses as items");
            let wrap = std::panic::catch_unwind(|| pycall_backend::derive::wrap(tokens.clone()))
                .unwrap_or_else(|_| panic!("wrap! panicked on: {input}"));
            syn::parse2::<syn::File>(wrap).expect("wrap! output parses as items");
            let methods = std::panic::catch_unwind(|| {
                pycall_backend::derive::methods(tokens.clone(), tokens.clone())
            })
            .unwrap_or_else(|_| panic!("#[methods] panicked on: {input}"));
            syn::parse2::<syn::File>(methods).expect("#[methods] output parses as items");
        }
    }
    println!(
        "seed {seed}: {inputs} inputs in {seconds} s; py! expanded {expanded} and refused {refused} with compile errors; no panic"
    );
    assert!(inputs > 1000, "too few inputs tried: {inputs}");
    assert!(expanded > 0 && refused > 0);
}
