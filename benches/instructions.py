#!/usr/bin/env python3
"""Instructions per iteration of each workload of benches/instructions.rs, counted by
valgrind's callgrind: the difference between runs of 3,000 and 1,000 iterations, over 2,000,
so that start-up and set-up cancel out. Counts are repeatable for one binary (the hash seed is
fixed), unlike wall-clock times on a shared machine.

Each workload runs in up to three ways (benches/instructions.rs): `py!`; written by hand with
PyO3 (`.pyo3`); and CPython's own interpreter running the same code in a `for _ in range(n)`
loop (`.cpython`, its loop included: the `empty_loop` row is that loop alone). The table has
both ratios: below 1.00, `py!` runs fewer instructions.

    python3 benches/instructions.py                  # build, measure every workload, print
    python3 benches/instructions.py math_sqrt fstring    # some workloads
    python3 benches/instructions.py --json out.json  # also save the counts
    python3 benches/instructions.py --compare before.json   # a column with the change
"""
import argparse, json, os, re, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

LOW, HIGH = 1000, 3000

# What each row shows in the table.
LABELS = {
    "math_sqrt": "`math.sqrt(x) as f64`",
    "sorted_key": "`sorted(words, key=len, reverse=True)[0]`, 5 words",
    "arithmetic": "`a * b + c ** 2 > d and e in f`, Rust `i64`s and a `Vec`",
    "comprehension": "`[i * i for i in range(n) if i % 3 == 0]`, n = 100",
    "dict_item": "`table[\"key\"] + 1`",
    "list_index": "`words.index(fig)`",
    "fstring": "`f \"{name}: {value:.3f}\"`",
    "method_keyword": "`obj.method(1, key=2)`",
    "block_loop": "block: `total += math.sqrt(v)` over 20 Rust floats",
    "get_len": "`d.get(\"k\", 0) + len(s)`",
    "class_instance": "`point(3, 4).norm2()`, a class defined in `py!`",
    "lru_cache_hit": "`square(12)`, a `functools.lru_cache` hit on a `def` in `py!`",
    "match_shapes": "a `match` over 1,000 values of mixed shapes",
    "generator_pipeline": "`sum(x for x in gen(n) if x % 3)`, `gen` a generator `def`; per item",
    "async_await": "an `async def` awaited in one `asyncio.run`; per `await`",
    "await_roundtrip": "`py!(await asyncio.sleep(0, 1))` from async Rust (hand: pyo3-async-runtimes); per await",
    "empty_loop": "`for _ in range(n): pass` (CPython's loop alone)",
}


def bench_binary():
    out = subprocess.run(
        ["cargo", "bench", "--bench", "instructions", "--no-run", "--message-format=json"],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg["target"]["name"] == "instructions":
            return msg["executable"]
    sys.exit("instructions.py: no bench executable in cargo's output")


def count(binary, workload, n):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        env = dict(os.environ, PYTHONHASHSEED="0", PYCALL_PYTHON="embedded")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                        binary, workload, str(n)],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = open(out).read()
    match = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="save the counts here")
    parser.add_argument("--compare", help="counts saved before, for a change column")
    parser.add_argument("--jobs", type=int, default=2, help="valgrind runs at once (2)")
    parser.add_argument("workloads", nargs="*")
    args = parser.parse_args()
    binary = bench_binary()
    listed = subprocess.run(
        [binary, "--list"], check=True, stdout=subprocess.PIPE, text=True).stdout.split()
    bases = [n for n in listed if "." not in n] + \
        [n.split(".")[0] for n in listed if n.endswith(".cpython") and n.split(".")[0] not in listed]
    names = args.workloads or bases
    for name in names:
        if name not in bases:
            sys.exit(f"instructions.py: no workload {name} (there are: {', '.join(bases)})")
    before = json.load(open(args.compare)) if args.compare else {}

    runs = [n + way for n in names for way in ("", ".pyo3", ".cpython") if n + way in listed]
    with ThreadPoolExecutor(args.jobs) as pool:
        jobs = {(run, k): pool.submit(count, binary, run, k) for run in runs for k in (LOW, HIGH)}
        counts = {run: (jobs[run, HIGH].result() - jobs[run, LOW].result()) / (HIGH - LOW)
                  for run in runs}

    def cell(value):
        return "" if value is None else f"{value:,.0f}"

    def ratio(a, b):
        return "" if a is None or b is None else f"{a / b:.2f}"

    header = "| workload | `py!` | hand PyO3 | CPython loop | `py!` / hand | `py!` / CPython |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if before:
        header += " `py!` before | change |"
        rule += "---:|---:|"
    print(header)
    print(rule)
    for name in names:
        mine, hand, cpython = (counts.get(name + way) for way in ("", ".pyo3", ".cpython"))
        row = (f"| {LABELS.get(name, name)} | {cell(mine)} | {cell(hand)} | {cell(cpython)} "
               f"| {ratio(mine, hand)} | {ratio(mine, cpython)} |")
        if before:
            old = before.get(name)
            row += f" {cell(old)} | {'' if old is None or mine is None else f'{100 * (mine / old - 1):+.1f}%'} |"
        print(row, flush=True)
    if args.json:
        json.dump(counts, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
