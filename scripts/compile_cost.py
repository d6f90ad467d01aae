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
                                    [--profiles debug,release,check] [--optimized-macros]

`--optimized-macros` builds both crates with `opt-level = 3` in `[profile.dev.build-override]`
and `[profile.release.build-override]` (procedural macros and build scripts optimized; Cargo
builds them unoptimized by default, in release builds too), the setting the README suggests to
users of `py!`.

`--pycall` takes another checkout's `runtime/` (to compare two versions of pycall).
"""
import argparse, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKLOADS_PY = [
    ("f64", "(math: &Bound<'_, PyAny>, x: f64)", "let py = math.py();\n    py!(math.sqrt(x) as f64)"),
    ("String", "(py: Python<'_>, words: &[&str])",
     "py!(sorted(words, key = len, reverse = True)[0] as String)"),
    ("bool", "(py: Python<'_>, a: i64, b: i64, c: i64, d: i64, e: i64, f: &[i64])",
     "py!(a * b + c ** 2 > d and e in f as bool)"),
    ("Vec<i64>", "(py: Python<'_>, size: i64)",
     "py!([i * i for i in range(size) if i % 3 == 0] as Vec<i64>)"),
    ("i64", "(table: &Bound<'_, PyDict>)", "let py = table.py();\n    py!(table[\"key\"] + 1 as i64)"),
    ("usize", "(words: &Bound<'_, PyAny>, fig: &str)", "let py = words.py();\n    py!(words.index(fig) as usize)"),
]

# The same six, as written by hand in benches/common/hand.rs (copied from there).
HAND_NAMES = ["math_sqrt", "sorted_key", "arithmetic", "comprehension", "dict_item", "list_index"]


def hand_functions():
    """The text of each of HAND_NAMES in benches/common/hand.rs, up to its closing brace."""
    source = (ROOT / "benches" / "common" / "hand.rs").read_text()
    found = []
    for name in HAND_NAMES:
        start = source.index(f"pub fn {name}(")
        depth, i = 0, source.index("{", source.index(") -> ", start))
        while True:
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
            if depth == 0:
                break
        found.append(source[start:i].replace(f"pub fn {name}(", "pub fn NAME(", 1))
    return found


HEADER = """#![allow(clippy::all, unused_imports)]
use pycall::prelude::*;
use pycall::pyo3::exceptions::PyKeyError;
use pycall::pyo3::intern;
use pycall::pyo3::sync::PyOnceLock;
use pycall::pyo3::types::{PyDict, PyFloat, PyList, PyString};
"""


def write_crate(path, functions, runtime, workloads=None, hand=None, optimized_macros=False):
    (path / "src").mkdir(parents=True, exist_ok=True)
    (path / "Cargo.toml").write_text(f"""[package]
name = "{path.name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
pycall = {{ path = "{runtime}" }}

[workspace]
""" + ("""
[profile.dev.build-override]
opt-level = 3

[profile.release.build-override]
opt-level = 3
""" if optimized_macros else ""))
    out = [HEADER]
    for i in range(functions):
        if hand:
            out.append(hand[i % len(hand)].replace("pub fn NAME(", f"pub fn f{i}(", 1) + "\n")
        else:
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
    parser.add_argument("--optimized-macros", action="store_true",
                        help="build procedural macros optimized in debug builds")
    parser.add_argument("--profiles", default="debug,release,check",
                        help="which builds to time, comma-separated (default: all three)")
    args = parser.parse_args()
    runtime = args.pycall.resolve()
    base = ROOT / "target" / "compile-cost" / ("this" if runtime == ROOT / "runtime" else "other")
    if args.optimized_macros:
        base = base.with_name(base.name + "-optimized-macros")
    crates = {"py!": base / "with_py_macro", "hand PyO3": base / "by_hand"}
    write_crate(crates["py!"], args.functions, runtime, workloads=WORKLOADS_PY,
                optimized_macros=args.optimized_macros)
    write_crate(crates["hand PyO3"], args.functions, runtime, hand=hand_functions(),
                optimized_macros=args.optimized_macros)
    # One target directory for both, so that they share their dependencies' builds; the
    # PyO3 configuration of the environment (PYO3_PYTHON) is kept.
    env = dict(os.environ, CARGO_TARGET_DIR=str(base / "target"))
    results = {}
    known = {"debug": [], "release": ["--release"], "check": ["check"]}
    wanted = args.profiles.split(",")
    if any(p not in known for p in wanted):
        parser.error(f"--profiles takes some of {', '.join(known)}")
    profiles = [(p, known[p]) for p in wanted]
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
