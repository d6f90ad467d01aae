#!/usr/bin/env bash
# The tests, as a fresh checkout runs them: makes .venv with the Python packages the tests and
# examples use (requirements.txt), then runs every test and every example inside it.
#
#   bash scripts/test.sh
#
# pycall reads VIRTUAL_ENV (what `source .venv/bin/activate` sets) to choose the environment
# of the interpreter it embeds, so exporting it is all the activation the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
export VIRTUAL_ENV="$PWD/.venv"

cargo test --workspace

# The examples check their own results; run each one (the plot goes to target/).
for example in examples/*.rs; do
  name=$(basename "$example" .rs)
  echo "example $name"
  cargo run -q --example "$name" >/dev/null
done
