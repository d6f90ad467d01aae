#!/usr/bin/env python3
"""Compile cost of `py!` against the same code written by hand with PyO3.

Makes two crates under target/compile-cost/ (path dependencies on this repository's pycall),
each with 200 functions holding one of the first six workloads of benches/instructions.rs in
turn (`math.sqrt(x)`, `sorted(words, key=len, reverse=True)[0]`, the arithmetic, the list
comprehension, `table["key"] + 1`, `words.index(fig)`): one with `py!`, one written by hand
as in benches/common/hand.rs. Builds each once to have its dependencies, then times the
crate's own build after `touch src/lib.rs`, best of three, in debug and in release, and prints
the table, with `cargo check` (parsing and expanding the macros, type checking, no code
generated) as a third row: the share that is the front end's.

    python3 scripts/compile_cost.py [--functions 200] [--runs 3] [--pycall DIR]

`--pycall` takes another checkout's `runtime/` (to compare two versions of pycall).
"""
import argparse, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKLOADS_PY = [
    ("f64", "(math: &Bound<'_, PyAny>, x: f64)", "py!(math.sqrt(x) as f64)"),
    ("String", "(py: Python<'_>, words: &[&str])",
     "py!(sorted(words, key = len, reverse = True)[0] as String)"),
    ("bool", "(py: Python<'_>, a: i64, b: i64, c: i64, d: i64, e: i64, f: &[i64])",
     "py!(a * b + c ** 2 > d and e in f as bool)"),
    ("Vec<i64>", "(py: Python<'_>, size: i64)",
     "py!([i * i for i in range(size) if i % 3 == 0] as Vec<i64>)"),
    ("i64", "(table: &Bound<'_, PyDict>)", "py!(table[\"key\"] + 1 as i64)"),
    ("usize", "(words: &Bound<'_, PyAny>, fig: &str)", "py!(words.index(fig) as usize)"),
]

# The bodies of benches/common/hand.rs, one function each.
WORKLOADS_HAND = [
    ("f64", "(math: &Bound<'_, PyAny>, x: f64)",
     "math.call_method1(intern!(math.py(), \"sqrt\"), (x,))?.extract()"),
    ("String", "(py: Python<'_>, words: &[&str])", """
    static SORTED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static LEN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let sorted = SORTED.import(py, "builtins", "sorted")?;
    let len = LEN.import(py, "builtins", "len")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item(intern!(py, "key"), len)?;
    kwargs.set_item(intern!(py, "reverse"), true)?;
    sorted.call((words,), Some(&kwargs))?.cast_into::<PyList>()?.get_item(0)?.extract()"""),
    ("bool", "(py: Python<'_>, a: i64, b: i64, c: i64, d: i64, e: i64, f: &[i64])", """
    let sum = a.into_pyobject(py)?.mul(b)?.add(c.into_pyobject(py)?.pow(2, py.None())?)?;
    Ok(sum.gt(d)? && PyList::new(py, f)?.contains(e)?)"""),
    ("Vec<i64>", "(py: Python<'_>, size: i64)", """
    static RANGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let range = RANGE.import(py, "builtins", "range")?;
    let (zero, three) = (0_i64.into_pyobject(py)?, 3_i64.into_pyobject(py)?);
    let squares = PyList::empty(py);
    for i in range.call1((size,))?.try_iter()? {
        let i = i?;
        if i.rem(&three)?.eq(&zero)? {
            squares.append(i.mul(&i)?)?;
        }
    }
    squares.extract()"""),
    ("i64", "(table: &Bound<'_, PyDict>)", """
    table.get_item(intern!(table.py(), "key"))?
        .ok_or_else(|| PyKeyError::new_err("key"))?
        .add(1)?
        .extract()"""),
    ("usize", "(words: &Bound<'_, PyAny>, fig: &str)",
     "words.call_method1(intern!(words.py(), \"index\"), (fig,))?.extract()"),
]

HEADER = """#![allow(clippy::all, unused_imports)]
use pycall::prelude::*;
use pycall::pyo3::exceptions::PyKeyError;
use pycall::pyo3::intern;
use pycall::pyo3::sync::PyOnceLock;
use pycall::pyo3::types::{PyDict, PyList};
"""


def write_crate(path, workloads, functions, runtime):
    (path / "src").mkdir(parents=True, exist_ok=True)
    (path / "Cargo.toml").write_text(f"""[package]
name = "{path.name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
pycall = {{ path = "{runtime}" }}

[workspace]
""")
    out = [HEADER]
    for i in range(functions):
        ty, params, body = workloads[i % len(workloads)]
        out.append(f"pub fn f{i}{params} -> PyResult<{ty}> {{\n    {body.strip()}\n}}\n")
    (path / "src" / "lib.rs").write_text("\n".join(out))


def build(path, args, env):
    command = ["cargo", "check", "-q"] if args == ["check"] else ["cargo", "build", "-q", *args]
    subprocess.run(command, cwd=path, env=env, check=True)


def timed(path, args, env, runs):
    best = None
    for _ in range(runs):
        os.utime(path / "src" / "lib.rs")
        start = time.perf_counter()
        build(path, args, env)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--functions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pycall", type=Path, default=ROOT / "runtime",
                        help="the pycall crate to build against (default: this checkout's)")
    args = parser.parse_args()
    runtime = args.pycall.resolve()
    base = ROOT / "target" / "compile-cost" / ("this" if runtime == ROOT / "runtime" else "other")
    crates = {"py!": base / "with_py_macro", "hand PyO3": base / "by_hand"}
    write_crate(crates["py!"], WORKLOADS_PY, args.functions, runtime)
    write_crate(crates["hand PyO3"], WORKLOADS_HAND, args.functions, runtime)
    # One target directory for both, so that they share their dependencies' builds; the
    # PyO3 configuration of the environment (PYO3_PYTHON) is kept.
    env = dict(os.environ, CARGO_TARGET_DIR=str(base / "target"))
    results = {}
    profiles = (("debug", []), ("release", ["--release"]), ("check", ["check"]))
    for profile, flags in profiles:
        for name, path in crates.items():
            build(path, flags, env)  # dependencies, and a first build
            results[name, profile] = timed(path, flags, env, args.runs)
            print(f"{name:10} {profile:8} {results[name, profile]:.2f} s", file=sys.stderr)
    print(f"{args.functions} functions, each one of six workloads; the crate's own build after "
          f"`touch`, best of {args.runs}:\n")
    print("| build | `py!` | hand PyO3 | `py!` / hand |")
    print("|---|---:|---:|---:|")
    for profile, _ in profiles:
        mine, hand = results["py!", profile], results["hand PyO3", profile]
        print(f"| {profile} | {mine:.2f} s | {hand:.2f} s | {mine / hand:.2f} |")


if __name__ == "__main__":
    main()
