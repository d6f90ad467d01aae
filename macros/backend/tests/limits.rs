//! Pathological input compiles or errors cleanly, never crashes: deep nesting, long operator
//! chains, huge literals, thousands of arguments. Each case runs on a thread with rustc's
//! stack size for proc macros (8 MiB), as the macro would.

use proc_macro2::TokenStream;

fn expand(src: String) -> String {
    let started = std::time::Instant::now();
    let label: String = src.chars().take(16).collect();
    let out = expand_on_big_stack(src);
    // Each case must be quick, too: no quadratic work on long input.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{label}… took {:?}",
        started.elapsed()
    );
    out
}

fn expand_on_big_stack(src: String) -> String {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let tokens: TokenStream = src.parse().expect("Rust's lexer takes it");
            pycall_backend::expand_py(tokens).to_string()
        })
        .unwrap()
        .join()
        .expect("no panic")
}

fn accepted(src: String) -> bool {
    let out = expand(src);
    !out.contains("compile_error")
}

fn refused_with(src: String, message: &str) {
    let out = expand(src);
    assert!(
        out.contains(message),
        "expected `{message}` in: {}",
        &out[..out.len().min(300)]
    );
}

#[test]
fn deep_parentheses_and_brackets() {
    let nested =
        |n: usize, open: &str, close: &str| format!("{}x{}", open.repeat(n), close.repeat(n));
    assert!(accepted(nested(199, "(", ")")));
    assert!(accepted(nested(150, "[", "]")));
    for n in [201, 1_000, 10_000] {
        refused_with(
            nested(n, "(", ")"),
            "too many nested parentheses or operators",
        );
        refused_with(
            nested(n, "[", "]"),
            "too many nested parentheses or operators",
        );
    }
    refused_with(
        nested(5_000, "f(", ")"),
        "too many nested parentheses or operators",
    );
}

#[test]
fn long_chains_and_unary_runs() {
    let chain = |n: usize, op: &str| vec!["x"; n].join(op);
    for op in [" + ", " ** ", " and ", " < ", " | "] {
        assert!(accepted(chain(150, op)), "{op}");
    }
    // Refused by the parser's nesting guard or by the depth check after parsing.
    for op in [" + ", " ** ", " and ", " < ", " if x else "] {
        let out = expand(chain(5_000, op));
        assert!(
            out.contains("too many nested parentheses or operators")
                || out.contains("expression too deeply nested for `py!`"),
            "{op}: {}",
            &out[..out.len().min(300)]
        );
    }
    assert!(accepted(format!("{}x", "- ".repeat(150))));
    refused_with(format!("{}x", "- ".repeat(10_000)), "too many nested");
    refused_with(format!("{}x", "not ".repeat(10_000)), "too many nested");
    refused_with(
        format!("{}x", "lambda: ".repeat(10_000)),
        "too many nested parentheses or operators",
    );
}

#[test]
fn huge_literals_and_many_arguments() {
    // CPython's own limit on decimal literals (4300 digits), with its message.
    assert!(accepted("7".repeat(4_300)));
    refused_with(
        "7".repeat(100_000),
        "Exceeds the limit (4300 digits) for integer string conversion: value has 100000 digits",
    );
    assert!(accepted(format!("0x{}", "f".repeat(3_500))));
    refused_with(
        format!("0x{}", "f".repeat(100_000)),
        "integer literal too large",
    );
    assert!(accepted(format!("1.{}", "5".repeat(100_000))));
    // Inside Rust escapes and `as T` too, before syn's quadratic conversion.
    refused_with(
        format!("$(0x{})", "f".repeat(40_000)),
        "integer literal too large",
    );
    refused_with(
        format!("x as [u8; 0x{}]", "f".repeat(40_000)),
        "integer literal too large",
    );
    assert!(accepted(format!("\"{}\"", "a".repeat(1 << 20))));
    assert!(accepted(format!("b\"{}\"", "z".repeat(1 << 20))));
    let args: Vec<String> = (0..5_000).map(|i| i.to_string()).collect();
    assert!(accepted(format!("f({})", args.join(", "))));
    assert!(accepted(format!("[{}]", args.join(", "))));
    let keywords: Vec<String> = (0..2_000).map(|i| format!("k{i}={i}")).collect();
    assert!(accepted(format!("f({})", keywords.join(", "))));
    let block: Vec<String> = (0..2_000).map(|i| format!("v{i} = {i}")).collect();
    assert!(accepted(format!("{}; v1999", block.join("; "))));
}
