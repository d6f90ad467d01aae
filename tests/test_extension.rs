//! pycall inside a Python extension module: `examples/extension` is built with maturin into a
//! fresh virtual environment, and that environment's Python imports it and checks its
//! functions, its class, the Rust location on its errors, and that the host's `sys.path` is
//! left alone.
//!
//! The virtual environment is made with an interpreter of the `major.minor` version this suite
//! embeds, so the test also covers a suite built for another Python (`PYO3_PYTHON=...`). It
//! needs PyPI, for maturin; the venv and the extension's build are kept under the target
//! directory, so a second run only rebuilds what changed.

use pycall::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The maturin the test installs; any maturin from 1.9.4 on builds the example.
const MATURIN: &str = "1.16.0";

/// What the test runs in the extension's Python; `sys.argv[1]` is the line of the `py!` in
/// `parse_int`.
const SCRIPT: &str = r#"
import sys, traceback

# An entry no probe of another interpreter would report: if pycall rebuilt `sys.path`, it would
# be gone.
sys.path.insert(0, "/nonexistent/pycall-extension-test")
host = (list(sys.path), sys.prefix, sys.base_prefix, sys.executable)

import pycall_example as m

def check(got, want):
    assert got == want, f"got {got!r}, want {want!r}"

check(m.longest_words("a bb ccc dd e", 2), ["ccc", "bb"])
check(m.longest_words("one", 5), ["one"])
check(m.word_counts("The cat, the hat. A cat!"),
      [("cat", 2), ("the", 2), ("a", 1), ("hat", 1)])

p = m.Point(3.0, 4.0)
check(p.norm(), 5.0)
check(repr(p), "Point(x=3.0, y=4.0)")
check(type(p).__module__, "pycall_example")
check(p == m.Point(3.0, 4.0), True)
points = [m.Point(0.0, 0.0), m.Point(2.0, 0.0), m.Point(1.0, 3.0)]
c = m.centroid(points)
check(type(c), m.Point)
check((c.x, c.y), (1.0, 1.0))
m.translate(points, 1.0, -1.0)
check([(q.x, q.y) for q in points], [(1.0, -1.0), (3.0, -1.0), (2.0, 2.0)])

check(m.parse_int(" 42 "), 42)
try:
    m.centroid([])
except ValueError as e:
    check(str(e), "centroid() of no points")
else:
    raise AssertionError("centroid([]) did not raise")

line = int(sys.argv[1])
try:
    m.parse_int("forty-two")
except ValueError as e:
    err = e
else:
    raise AssertionError("parse_int('forty-two') did not raise")
check(str(err), "invalid literal for int() with base 10: 'forty-two'")
shown = "".join(traceback.format_exception(type(err), err, err.__traceback__))
entry = f'lib.rs", line {line}, in py!(int(text)'
assert entry in shown, f"no `{entry}` in the traceback:\n{shown}"
# `__notes__` is filled on every version (shown by tracebacks from 3.11 on).
notes = getattr(err, "__notes__", [])
assert any(f"lib.rs:{line}:" in n for n in notes), f"no note naming lib.rs:{line}: {notes!r}"

# Async (the `asyncio` feature): a Rust future awaited in the caller's own loop.
import asyncio, threading, time

async def main():
    return await m.doubled_later(21)
check(asyncio.run(main()), 42)

# A task left running on pycall's background loop: stopped at the interpreter's exit (the
# `finally` below prints), and the interpreter exits normally.
started = threading.Event()
async def forever():
    started.set()
    try:
        await asyncio.sleep(3600)
    finally:
        print("left-running task cancelled at exit")
m.keep_running(forever())
assert started.wait(60), "the task on pycall's loop did not start"

check(m.environment_source(), "Hosted")
check((list(sys.path), sys.prefix, sys.base_prefix, sys.executable), host)
print("extension checks passed")
"#;

/// Runs `cmd`, panicking with its output if it fails; returns its standard output.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} did not start: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An interpreter of version `want` (`"3.11"`) that can make virtual environments: the Python
/// this suite was built with, else `python3.X` or `python3` on `PATH`, else pyenv's.
fn interpreter(want: &str) -> PathBuf {
    let mut candidates: Vec<PathBuf> = option_env!("PYO3_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(std::env::var_os("PYO3_PYTHON").map(PathBuf::from))
        .collect();
    candidates.push(format!("python{want}").into());
    candidates.push("python3".into());
    if let Ok(out) = Command::new("pyenv").args(["prefix", want]).output() {
        let prefix = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && !prefix.trim().is_empty() {
            candidates.push(Path::new(prefix.trim()).join("bin/python3"));
        }
    }
    let probe = "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])";
    candidates
        .iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", probe])
                .output()
                .is_ok_and(|out| {
                    out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == want
                })
        })
        .cloned()
        .unwrap_or_else(|| {
            panic!("no Python {want} with `venv` and `ensurepip` found; tried {candidates:?}")
        })
}

/// The line of `needle` in `text`, counted from 1.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in the example"))
        + 1
}

#[test]
fn extension_module_built_with_maturin() {
    let version = Python::attach(|py| {
        let v = py.version_info();
        format!("{}.{}", v.major, v.minor)
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("examples/extension");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("extension-py{version}"));
    let venv = work.join("venv");
    let python = venv.join("bin/python");

    if !python.is_file() {
        run(Command::new(interpreter(&version))
            .args(["-m", "venv"])
            .arg(&venv));
    }
    let maturin = venv.join("bin/maturin");
    let installed = Command::new(&maturin)
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(MATURIN));
    if !installed {
        run(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("maturin=={MATURIN}"),
        ]));
    }

    // As `source venv/bin/activate` would, and nothing of this suite's own build: maturin
    // chooses the Python (the venv's) and tells PyO3 it builds an extension module.
    let path = std::env::join_paths(
        std::iter::once(venv.join("bin")).chain(
            std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths),
        ),
    )
    .expect("PATH joins");
    run(Command::new(&maturin)
        .args(["develop", "--quiet", "--manifest-path"])
        .arg(example.join("Cargo.toml"))
        .current_dir(&example)
        .env("VIRTUAL_ENV", &venv)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("CONDA_PREFIX")
        .env_remove("PYO3_PYTHON")
        .env_remove("PYO3_CONFIG_FILE"));

    let source = std::fs::read_to_string(example.join("src/lib.rs")).expect("the example");
    let line = line_of(&source, "py!(int(text)");
    // Neither activated nor pointed anywhere: left to itself, pycall would take the
    // environment of the `python3` on `PATH`, which is not this venv.
    let out = run(Command::new(&python)
        .args(["-c", SCRIPT, &line.to_string()])
        .current_dir(&work)
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYCALL_PYTHON")
        .env_remove("PYTHONPATH"));
    assert_eq!(
        out.trim(),
        "extension checks passed\nleft-running task cancelled at exit"
    );
}
