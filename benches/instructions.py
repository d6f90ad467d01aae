#!/usr/bin/env python3
"""Instructions per iteration of each workload of benches/instructions.rs, counted by
valgrind's callgrind: the difference between runs of 3,000 and 1,000 iterations, over 2,000,
so that start-up and set-up cancel out. Counts are repeatable for one binary (the hash seed is
fixed), unlike wall-clock times on a shared machine. Each workload is also measured as its
CPython twin (the same code in a Python function, called from Rust the same way), and the
ratio printed: below 1.00, `py!` runs fewer instructions than CPython's interpreter.

    python3 benches/instructions.py                  # build, measure every workload, print
    python3 benches/instructions.py --json out.json  # also save the counts
    python3 benches/instructions.py --compare before.json   # a column with the change
"""
import argparse, json, os, re, subprocess, sys, tempfile

LOW, HIGH = 1000, 3000


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
    parser.add_argument("workloads", nargs="*")
    args = parser.parse_args()
    binary = bench_binary()
    listed = subprocess.run(
        [binary, "--list"], check=True, stdout=subprocess.PIPE, text=True).stdout.split()
    names = args.workloads or [n for n in listed if not n.endswith(".cpython")]
    before = json.load(open(args.compare)) if args.compare else {}
    counts = {}

    def per_iteration(name):
        per = (count(binary, name, HIGH) - count(binary, name, LOW)) / (HIGH - LOW)
        counts[name] = per
        return per

    header = "| workload | py! instructions per iteration | CPython function | py! / CPython |"
    rule = "|---|---:|---:|---:|"
    if before:
        header += " py! before | change |"
        rule += "---:|---:|"
    print(header)
    print(rule)
    for name in names:
        per = per_iteration(name)
        row = f"| {name} | {per:,.1f} |"
        twin = name + ".cpython"
        if twin in listed:
            theirs = per_iteration(twin)
            row += f" {theirs:,.1f} | {per / theirs:.2f} |"
        else:
            row += " | |"
        if name in before:
            row += f" {before[name]:,.1f} | {100 * (per / before[name] - 1):+.2f}% |"
        print(row, flush=True)
    if args.json:
        json.dump(counts, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
