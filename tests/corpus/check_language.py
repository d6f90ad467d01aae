#!/usr/bin/env python3
"""Run every program of tests/corpus/language.py (or another corpus) the way
tests/test_statements.rs runs its corpus through CPython, under several Pythons, and report.

For each program: `ast.parse`, pop the last statement, `exec` the rest in a fresh
`dict(BINDINGS, __name__="__main__")` and `eval` the last (an expression); the outcome is
`value <repr>` or `raises <Type>: <str(exception)>`, as tests/common/mod.rs `outcome` prints it.

Reports:
  - programs whose outcome differs between Python versions (or between two hash seeds of one
    version: a nondeterministic program);
  - suspicious outcomes: a program tagged `error` that does not raise, one not tagged `error`
    that raises, a repr with an address (` at 0x`), a program that changes the bindings.

Usage:  python3 tests/corpus/check_language.py [-v] [--file statements.py] [--versions 3.9.18,3.13.0]
        (-v prints every program's outcome per version; the default versions are the pyenv
        3.9–3.13 ones found on this machine, else just `python3`.)
"""

import argparse
import ast
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BINDINGS = {
    "x": 7,
    "y": 2.5,
    "n": 10,
    "s": "hello",
    "words": ["pear", "fig", "banana"],
    "nums": [3, 1, 4, 1, 5, 9, 2, 6],
    "flag": True,
    "nothing": None,
    "scores": {"a": 1, "b": 2, "c": 3},
}


def outcome(source):
    namespace = dict(BINDINGS, __name__="__main__")
    before = copy.deepcopy(BINDINGS)
    try:
        tree = ast.parse(source)
        last = tree.body.pop()
        if not isinstance(last, ast.Expr):
            return "THE LAST STATEMENT IS NOT AN EXPRESSION"
        exec(compile(tree, "<program>", "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), "<program>", "eval"), namespace)
        try:
            result = "value " + repr(value)
        except BaseException as e:  # noqa: BLE001
            result = f"unprintable value ({type(e).__name__})"
    except BaseException as e:  # noqa: BLE001
        result = f"raises {type(e).__name__}: {e}"
    if BINDINGS != before:
        result += "  [CHANGED THE BINDINGS]"
        BINDINGS.clear()
        BINDINGS.update(before)
    return result


def run_here(path):
    # Only the splitting: importing gen_statements would import gen, fine on 3.9+.
    from gen_statements import tagged_programs

    text = Path(path).read_text(encoding="utf-8")
    print(json.dumps([outcome(src) for _, src in tagged_programs(text)]))


def pythons(wanted):
    found = []
    for version in wanted:
        try:
            prefix = subprocess.run(
                ["pyenv", "prefix", version], capture_output=True, text=True, check=True
            ).stdout.strip()
            found.append((version, os.path.join(prefix, "bin", "python3")))
        except (OSError, subprocess.CalledProcessError):
            print(f"check_language.py: no Python {version} (pyenv prefix failed)", file=sys.stderr)
    return found or [("python3", "python3")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("--file", default="language.py", help="corpus under tests/corpus/")
    ap.add_argument("--versions", default="3.9.18,3.10.13,3.11.7,3.12.1,3.13.0")
    ap.add_argument("-v", action="store_true", help="print every outcome")
    args = ap.parse_args()
    if args.run:
        run_here(args.run)
        return 0

    from gen_statements import tagged_programs

    path = HERE / args.file
    progs = tagged_programs(path.read_text(encoding="utf-8"))
    results = {}
    for version, exe in pythons(args.versions.split(",")):
        for seed in ("0", "4242"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            proc = subprocess.run(
                [exe, __file__, "--run", str(path)], capture_output=True, text=True, env=env
            )
            if proc.returncode != 0:
                print(f"{version}: runner failed:\n{proc.stderr}")
                return 1
            results[(version, seed)] = json.loads(proc.stdout)
    keys = list(results)
    problems = 0
    for i, (tags, src) in enumerate(progs):
        outs = {k: results[k][i] for k in keys}
        distinct = sorted(set(outs.values()), key=list(outs.values()).index)
        first_line = src.strip().splitlines()[0]
        title = f"#{i + 1} [{' '.join(tags)}] {first_line}"
        notes = []
        if len(distinct) > 1:
            by_version = {}
            for (version, seed), out in outs.items():
                by_version.setdefault(version, set()).add(out)
            if any(len(v) > 1 for v in by_version.values()):
                notes.append("DEPENDS ON THE HASH SEED")
            else:
                notes.append("differs between versions")
        for out in distinct:
            raises = out.startswith("raises ")
            if "error" in tags and not raises:
                notes.append("tagged error but does not raise")
            if "error" not in tags and raises:
                notes.append("raises but not tagged error")
            if " at 0x" in out:
                notes.append("address in the outcome")
            if out.startswith("THE LAST STATEMENT"):
                notes.append("the last statement is not an expression")
            if "CHANGED THE BINDINGS" in out:
                notes.append("changes the bindings")
        notes = sorted(set(notes))
        if notes or args.v:
            problems += bool(notes)
            print(title + ("  <-- " + "; ".join(notes) if notes else ""))
            if len(distinct) == 1:
                print("    all: " + distinct[0])
            else:
                for (version, seed), out in outs.items():
                    if seed == "0" or len(set(o for (v, _), o in outs.items() if v == version)) > 1:
                        print(f"    {version} (seed {seed}): {out}")
    print(f"{len(progs)} programs, {problems} with notes, versions: {', '.join(sorted({v for v, _ in keys}))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
