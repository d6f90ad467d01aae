#!/usr/bin/env python3
"""Prints the results of `cargo bench --bench versus_pyo3` as a markdown table.

Reads criterion's `target/criterion/<group>/<function>/new/estimates.json` for the functions
`py_macro`, `hand_pyo3`, `py_eval` and `py_function` of every group that has them, and prints
one row per workload with the ratio `py!` / hand-written PyO3 (below 1.0: `py!` is faster).

    python3 benches/ratios.py [--statistic typical|mean|median|slope] [--target-dir DIR]

`typical` (the default) is the estimate criterion prints: the slope of its linear regression,
or the mean where criterion sampled flat and has no slope.
"""

import argparse
import json
import os
import sys
from pathlib import Path

WAYS = ("py_macro", "hand_pyo3", "py_eval", "py_function")

# The order of the benchmark's groups; any other group with the four functions follows.
ORDER = (
    "math_sqrt",
    "sorted_words",
    "arith_compare_in",
    "list_comprehension",
    "dict_subscript",
    "list_index",
    "block_import_loop_fstring",
    "class_field",
)

# Extra ways some groups have, compared with `py_macro` in a second table.
EXTRA = ("py_macro_lookup", "rust_borrow")


def estimate(path, statistic):
    with open(path) as f:
        data = json.load(f)
    if statistic == "typical":
        statistic = "slope" if data.get("slope") else "mean"
    return data[statistic]["point_estimate"]


def groups(criterion):
    found = [
        d.name
        for d in criterion.iterdir()
        if d.is_dir() and all((d / w / "new" / "estimates.json").is_file() for w in WAYS)
    ]
    known = [g for g in ORDER if g in found]
    return known + sorted(g for g in found if g not in ORDER)


def ns(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statistic", default="typical", choices=("typical", "mean", "median", "slope"))
    parser.add_argument(
        "--target-dir",
        type=Path,
        default=Path(os.environ.get("CARGO_TARGET_DIR", here.parent / "target")),
    )
    args = parser.parse_args()

    criterion = args.target_dir / "criterion"
    if not criterion.is_dir():
        sys.exit(f"no {criterion}: run `cargo bench --bench versus_pyo3` first")
    names = groups(criterion)
    if not names:
        sys.exit(f"no group in {criterion} has all of {', '.join(WAYS)}")

    print(f"times: criterion's {args.statistic} estimate, ns per iteration")
    print()
    print("| workload | py! ns | hand PyO3 ns | ratio py!/hand | py.eval ns | compiled fn ns |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in names:
        t = {
            w: estimate(criterion / name / w / "new" / "estimates.json", args.statistic)
            for w in WAYS
        }
        ratio = t["py_macro"] / t["hand_pyo3"]
        print(
            f"| `{name}` | {ns(t['py_macro'])} | {ns(t['hand_pyo3'])} | {ratio:.2f} "
            f"| {ns(t['py_eval'])} | {ns(t['py_function'])} |"
        )

    extra = [n for n in names if all((criterion / n / w / "new" / "estimates.json").is_file() for w in EXTRA)]
    for name in extra:
        t = {
            w: estimate(criterion / name / w / "new" / "estimates.json", args.statistic)
            for w in ("py_macro", "hand_pyo3") + EXTRA
        }
        print()
        print(f"`{name}`: py! reading a derived field directly, against the Python attribute path")
        print()
        print("| way | ns | ratio to py! |")
        print("| --- | ---: | ---: |")
        for w, label in (
            ("py_macro", "py! on `Bound<Account>` (direct field read)"),
            ("py_macro_lookup", "py! on the same object as `Bound<PyAny>` (attribute lookup)"),
            ("hand_pyo3", "hand PyO3 `getattr(intern!(..))`"),
            ("rust_borrow", "Rust `try_borrow()?.balance` (no Python object)"),
        ):
            print(f"| {label} | {ns(t[w])} | {t[w] / t['py_macro']:.2f} |")

    transfer = [n for n in ("numpy_in", "numpy_out", "numpy_sum")
                if all((criterion / n / w / "new" / "estimates.json").is_file() for w in ("elementwise", "rust_numpy"))]
    if transfer:
        print()
        print("numpy transfer (100,000 f64): element by element against rust-numpy (`numpy` feature)")
        print()
        print("| workload | element by element | rust-numpy | speed-up |")
        print("| --- | ---: | ---: | ---: |")
        for name in transfer:
            e, r = (estimate(criterion / name / w / "new" / "estimates.json", args.statistic)
                    for w in ("elementwise", "rust_numpy"))
            print(f"| `{name}` | {ns(e)} ns | {ns(r)} ns | {e / r:.1f}x |")


if __name__ == "__main__":
    main()
