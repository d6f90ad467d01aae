//! `py!(await …)` at the top of a `py!` becomes a Rust future with the `asyncio` feature, and
//! a compile error naming the feature without it.

fn expand(source: &str) -> String {
    pycall_backend::expand_py(source.parse().expect("tokens")).to_string()
}

#[test]
fn a_top_level_await_depends_on_the_feature() {
    for source in ["await f(x)", "await f(x) as i64", "import m; await m.f()"] {
        let out = expand(source);
        if cfg!(feature = "asyncio") {
            assert!(out.contains("evaluate_await"), "{source}: {out}");
            assert!(!out.contains("compile_error"), "{source}: {out}");
        } else {
            assert!(out.contains("compile_error"), "{source}: {out}");
            assert!(out.contains("cargo feature `asyncio`"), "{source}: {out}");
        }
    }
}

#[test]
fn an_await_elsewhere_outside_async_def_is_still_an_error() {
    for source in ["f(await x)", "await x + 1", "x = await y; x"] {
        let out = expand(source);
        assert!(out.contains("compile_error"), "{source}: {out}");
        assert!(out.contains("'await' outside function"), "{source}: {out}");
    }
}
