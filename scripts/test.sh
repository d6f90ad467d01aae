#!/usr/bin/env bash
# The tests, as a fresh checkout runs them: makes a virtual environment with the Python packages
# the tests and examples use (requirements.txt), then runs every test and every example in it.
#
#   bash scripts/test.sh                      # against the python3 on PATH
#   bash scripts/test.sh --python 3.12        # against another CPython: a pyenv version,
#                                             # python3.12 on PATH, or a path to an interpreter
#   bash scripts/test.sh --python 3.12 --quick
#
# --quick runs the behaviour tests that compare with CPython and the tour (what CI runs on the
# versions other than the main one) instead of everything.
#
# Against another Python, the build goes to target/python-X.Y (PyO3 rebuilds for each version),
# the environment is .venv-X.Y, and that Python's lib/ directory is put on LD_LIBRARY_PATH so
# that the programs load its libpython. Against the python3 on PATH, nothing is set: a program
# loads whatever libpython the system's loader finds, as a user's program would.
#
# pycall is pointed at the environment with PYCALL_PYTHON rather than VIRTUAL_ENV: PyO3's build
# reads VIRTUAL_ENV too, and a different value would make it rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
quick=false
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python="${2:?--python needs a version or a path}"; shift 2 ;;
    --quick) quick=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "scripts/test.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The interpreter for a version (`3.12`), from pyenv or PATH; a path is taken as it is.
find_python() {
  local want="$1"
  if [ -x "$want" ] && [ ! -d "$want" ]; then echo "$want"; return; fi
  if command -v pyenv >/dev/null; then
    local v
    for v in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.[0-9]+)?$" | sort -V -r); do
      if [ -x "$(pyenv prefix "$v")/bin/python3" ]; then echo "$(pyenv prefix "$v")/bin/python3"; return; fi
    done
  fi
  if command -v "python$want" >/dev/null; then command -v "python$want"; return; fi
  return 1
}

venv=.venv
if [ -n "$python" ]; then
  exe=$(find_python "$python") || { echo "scripts/test.sh: no Python $python found (pyenv, PATH)" >&2; exit 2; }
  version=$("$exe" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  libdir=$("$exe" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
  export PYO3_PYTHON="$exe"
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/python-$version}"
  export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  venv=".venv-$version"
else
  exe=$(command -v python3)
  version=$("$exe" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
fi
echo "== tests against Python $version ($exe)${CARGO_TARGET_DIR:+, build in $CARGO_TARGET_DIR}"

if [ ! -x "$venv/bin/python" ]; then
  "$exe" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
export PYCALL_PYTHON="$PWD/$venv/bin/python"
# An activated conda environment is not the one under test.
unset CONDA_PREFIX

if $quick; then
  # The behaviour tests that compare with CPython, and the main example, which finds the
  # interpreter by itself (no PYCALL_PYTHON): the python3 on PATH, or the one it was built with.
  tests=(test_differential test_statements test_fstrings test_names test_errors
         test_wrappers test_callbacks test_leaks test_threads test_blocks test_functions
         test_extract test_modules test_limits test_signals test_extension test_language
         test_match test_generators test_coroutines test_classes test_memory test_async
         test_fast_paths)
  cargo test --no-fail-fast $(printf -- '--test %s ' "${tests[@]}")
  echo "example tour (no environment set)"
  env -u PYCALL_PYTHON cargo run -q --example tour >/dev/null
  exit 0
fi

cargo test --workspace --no-fail-fast

# The examples check their own results; run each one (the plot goes to target/).
for example in examples/*.rs; do
  name=$(basename "$example" .rs)
  echo "example $name"
  cargo run -q --example "$name" >/dev/null
done
