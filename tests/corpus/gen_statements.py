#!/usr/bin/env python3
"""Generate tests/corpus/statements.rs from tests/corpus/statements.py,
tests/corpus/language.rs from tests/corpus/language.py, and tests/corpus/match.rs and
match_outcomes.rs (CPython's outcome of each program, for 3.9) from tests/corpus/match.py.

Each program (programs are separated by lines `# ---`, which in language.py carry feature
tags: `# --- class super`) becomes one line

    case!("<python source>", py!{ <py! spelling> });

The py! spelling is the program's tokens respelled as gen.py does for expressions, with
Python's layout turned into py!'s:

  - a NEWLINE becomes `;`, an INDENT `{` (the `:` that opened the block is dropped), a
    DEDENT `}` (a `;` just before it is dropped); `//=` becomes `/ /=`;
  - a compound statement with its body on the header's line (`class E(Exception): pass`)
    becomes `class E(Exception) { pass }`: the header's `:` becomes `{` and the line's
    NEWLINE `}`;
  - a decorator line `@expr` keeps its tokens, and its NEWLINE is dropped (no `;`): the
    decorator is followed directly by `def`, `class` or the next `@`;
  - annotations (`x: int = 3`, `def f(a: int) -> bool`), `global`/`nonlocal` and
    `raise … from …` keep Python's spelling;
  - a one-line str/bytes literal is respelled by gen.respell_string; a triple-quoted or
    multi-line one (a docstring) becomes a plain Rust literal with the same value (`\\n`,
    `\\t`, `\\\\`, `\\"` escapes; other control characters as `\\u{…}`); an f-string
    becomes `f "…"`, a Rust literal whose value is the f-string's text after Python's
    escapes (`{`/`}` fields untouched, as py! reads them).

Every program must compile in exec mode and end with an expression statement. language.py
must not use the names listed in FORBIDDEN (nondeterministic, or not this issue's syntax).

Usage:  python3 tests/corpus/gen_statements.py           (re)write statements.rs, language.rs and match.rs
        python3 tests/corpus/gen_statements.py --check   exit 1 if any of them is stale
"""

import ast
import io
import re
import sys
import tokenize
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import gen  # noqa: E402

HERE = Path(__file__).parent
SOURCE = HERE / "statements.py"
TARGET = HERE / "statements.rs"
LANGUAGE_SOURCE = HERE / "language.py"
LANGUAGE_TARGET = HERE / "language.rs"
MATCH_SOURCE = HERE / "match.py"
MATCH_TARGET = HERE / "match.rs"
GENERATORS_SOURCE = HERE / "generators.py"
GENERATORS_TARGET = HERE / "generators.rs"
COROUTINES_SOURCE = HERE / "coroutines.py"
COROUTINES_TARGET = HERE / "coroutines.rs"

# (source, target) pairs written by this script.
CORPORA = [(SOURCE, TARGET), (LANGUAGE_SOURCE, LANGUAGE_TARGET), (MATCH_SOURCE, MATCH_TARGET),
           (GENERATORS_SOURCE, GENERATORS_TARGET), (COROUTINES_SOURCE, COROUTINES_TARGET)]

# Names language.py must not use: nondeterministic results (`id`, addresses), output,
# generators/async (the next issue's), frame introspection py! blocks do not have.
FORBIDDEN = {
    "id", "print", "input", "open", "eval", "exec", "compile", "breakpoint", "globals",
    "locals", "yield", "async", "await", "__import__",
}

COMPOUND = {"if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class",
            "match", "case"}


def tagged_programs(text):
    """(tags, source) for each program: the lines between two separator lines `# --- tags`
    (programs made only of comments and blank lines are skipped)."""
    chunks, current, tags = [], [], []

    def flush():
        if any(l.strip() and not l.lstrip().startswith("#") for l in current):
            chunks.append((tags, "\n".join(current) + "\n"))

    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "# ---" or stripped.startswith("# --- "):
            flush()
            current = []
            tags = stripped[len("# ---"):].split()
        else:
            current.append(line)
    flush()
    return chunks


def programs(text):
    return [src for _, src in tagged_programs(text)]


# --------------------------------------------------------------------------
# Strings gen.respell_string does not take: triple-quoted or multi-line literals and
# f-strings.


def rust_text(value):
    """A plain Rust literal ("…") whose value is `value` (str)."""
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF:
            if 0xD800 <= ord(c) <= 0xDFFF:
                raise gen.RespellError(f"surrogate in string literal: {value!r}")
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    lit = '"' + "".join(out) + '"'
    if gen.rust_literal_value(lit) != value:
        raise gen.RespellError(f"internal error quoting {value!r}")
    return lit


def rust_bytes(value):
    out = []
    for b in value:
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\x%02x" % b)
    lit = 'b"' + "".join(out) + '"'
    if gen.rust_literal_value(lit) != value:
        raise gen.RespellError(f"internal error quoting {value!r}")
    return lit


def literal_value(token):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return ast.literal_eval(token)
        except Warning as e:
            raise gen.RespellError(f"{token}: {e}") from None


def respell_any_string(token):
    m = re.fullmatch(r"([A-Za-z]*)(['\"])(.*)", token, re.S)
    if not m:
        raise gen.RespellError(f"cannot parse string token {token}")
    prefix = m.group(1).lower()
    if "f" in prefix:
        rest = prefix.replace("f", "")
        if rest not in ("", "r"):
            raise gen.RespellError(f"bad f-string prefix in {token}")
        # The f-string's text after Python's escapes: the same token without its `f`.
        template = literal_value(rest + token[len(prefix):])
        # A backslash inside a field is 3.12+ syntax (and would be read differently once the
        # field is text in a Rust literal): refuse it.
        fields = re.findall(r"\{[^{}]*\}", token[len(prefix):].replace("{{", "").replace("}}", ""))
        if any("\\" in field for field in fields):
            raise gen.RespellError(f"backslash in an f-string field: {token}")
        return "f " + rust_text(template)
    quote = m.group(2)
    body = m.group(3)
    if body.startswith(quote * 2) or "\n" in body or "\r" in body:
        # Triple-quoted or multi-line: a plain literal with the token's value.
        value = literal_value(token)
        return rust_bytes(value) if isinstance(value, bytes) else rust_text(value)
    return gen.respell_string(token)


def joined_tokens(tokens, src):
    """Python 3.12+ splits an f-string into FSTRING_START … FSTRING_END tokens; put each back
    together as one STRING token (as earlier tokenizers give it)."""
    start_kind = getattr(tokenize, "FSTRING_START", None)
    if start_kind is None:
        return tokens
    lines = src.splitlines(keepends=True)
    out, depth, first = [], 0, None
    for tok in tokens:
        if tok.type == start_kind:
            if depth == 0:
                first = tok
            depth += 1
        elif depth and tok.type == tokenize.FSTRING_END:
            depth -= 1
            if depth == 0:
                (r0, c0), (r1, c1) = first.start, tok.end
                if r0 == r1:
                    text = lines[r0 - 1][c0:c1]
                else:
                    text = lines[r0 - 1][c0:] + "".join(lines[r0:r1 - 1]) + lines[r1 - 1][:c1]
                out.append(tokenize.TokenInfo(tokenize.STRING, text, first.start, tok.end, first.line))
        elif not depth:
            out.append(tok)
    return out


# --------------------------------------------------------------------------
# Programs.


def header_colon(line_tokens):
    """Index (in `line_tokens`, one logical line) of the `:` ending a compound statement's
    header, or None: the first `:` outside brackets that is not a lambda's."""
    if not line_tokens or line_tokens[0].type != tokenize.NAME or line_tokens[0].string not in COMPOUND:
        return None
    depth, lambdas = 0, 0
    for i, tok in enumerate(line_tokens):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif depth == 0 and tok.type == tokenize.NAME and tok.string == "lambda":
            lambdas += 1
        elif depth == 0 and tok.type == tokenize.OP and tok.string == ":":
            if lambdas:
                lambdas -= 1
            else:
                return i
    return None


def respell_program(src, forbidden=()):
    compile(src, "<program>", "exec")
    tree = ast.parse(src)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        raise gen.RespellError("the program's last statement is not an expression")
    tokens = joined_tokens(list(tokenize.generate_tokens(io.StringIO(src).readline)), src)
    tokens = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]

    # Per logical line: is it a decorator, and where is a header `:` with the body on the
    # same line.
    inline_colons = set()  # indices of header colons followed by a body on the same line
    decorator_newlines = set()  # indices of NEWLINE tokens ending a decorator line
    line = []
    for i, tok in enumerate(tokens):
        if tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.NEWLINE:
            if line and line[0][1].type == tokenize.OP and line[0][1].string == "@":
                decorator_newlines.add(i)
            colon = header_colon([t for _, t in line])
            if colon is not None and colon != len(line) - 1:
                inline_colons.add(line[colon][0])
            line = []
        else:
            line.append((i, tok))

    out = []
    open_inline = 0
    for i, tok in enumerate(tokens):
        kind = tok.type
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind == tokenize.ENDMARKER:
            continue
        if kind == tokenize.NEWLINE:
            if open_inline:
                out.extend(["}"] * open_inline)
                open_inline = 0
                continue
            if i in decorator_newlines:
                continue
            # A block header's newline: the `{` comes with the INDENT.
            if nxt is not None and nxt.type == tokenize.INDENT:
                continue
            out.append(";")
        elif kind == tokenize.INDENT:
            out.append("{")
        elif kind == tokenize.DEDENT:
            if out and out[-1] == ";":
                out.pop()
            out.append("}")
        elif i in inline_colons:
            out.append("{")
            open_inline += 1
        elif kind == tokenize.OP and tok.string == ":" and nxt is not None and nxt.type == tokenize.NEWLINE:
            continue
        elif kind == tokenize.OP and tok.string == "//=":
            out.append("/ /=")
        elif kind == tokenize.OP and tok.string == "**=":
            out.append("**=")
        elif kind == tokenize.OP and tok.string.endswith("=") and tok.string not in gen.PY_OPERATORS:
            out.append(tok.string)
        elif kind == tokenize.NUMBER:
            out.append(gen.respell_number(tok.string))
        elif kind == tokenize.STRING:
            out.append(respell_any_string(tok.string))
        elif kind == tokenize.NAME:
            if tok.string in forbidden:
                raise gen.RespellError(f"forbidden name {tok.string!r}")
            out.append(tok.string)
        elif kind == tokenize.OP:
            out.append(gen.OPERATORS.get(tok.string, tok.string))
        else:
            raise SystemExit(f"unexpected token {tokenize.tok_name[kind]} {tok.string!r} in:\n{src}")
    while out and out[-1] == ";":
        out.pop()
    return " ".join(out)


def generate(source=SOURCE):
    forbidden = FORBIDDEN if source in (LANGUAGE_SOURCE, MATCH_SOURCE) else ()
    if source == GENERATORS_SOURCE:
        forbidden = FORBIDDEN - {"yield"}
    if source == COROUTINES_SOURCE:
        forbidden = FORBIDDEN - {"yield", "async", "await"}
    lines = [
        f"// @generated by tests/corpus/gen_statements.py from tests/corpus/{source.name}; do not edit",
        "{",
    ]
    errors = []
    for src in programs(source.read_text(encoding="utf-8")):
        try:
            body = respell_program(src, forbidden)
        except (gen.RespellError, SyntaxError) as e:
            errors.append(f"{e}\n{src}")
            continue
        lines.append(f"case!({gen.rust_str(src)}, py!{{ {body} }});")
    if errors:
        raise SystemExit(f"gen_statements.py: cannot respell, in {source.name}:\n" + "\n".join(errors))
    lines.append("}")
    return "\n".join(lines) + "\n"


# The outcome of each match.py program under this CPython (3.10 or later), for the Python
# versions without `match` (3.9), where py! has nothing to compare with: a Rust array of the
# strings tests/common's `outcome` makes ("value <repr>" or "raises <type>: <message>").
MATCH_OUTCOMES = HERE / "match_outcomes.rs"
BINDINGS = {
    "x": 7, "y": 2.5, "n": 10, "s": "hello", "words": ["pear", "fig", "banana"],
    "nums": [3, 1, 4, 1, 5, 9, 2, 6], "flag": True, "nothing": None,
    "scores": {"a": 1, "b": 2, "c": 3},
}


def outcome(src):
    tree = ast.parse(src)
    last = tree.body.pop()
    namespace = dict(BINDINGS, __name__="__main__")
    try:
        exec(compile(tree, "<program>", "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), "<program>", "eval"), namespace)
    except Exception as e:  # noqa: BLE001 - the outcome is the exception
        return f"raises {type(e).__name__}: {e}"
    return f"value {value!r}"


def generate_outcomes():
    if sys.version_info < (3, 10):
        raise SystemExit("gen_statements.py: match_outcomes.rs needs CPython 3.10 or later")
    lines = [
        "// @generated by tests/corpus/gen_statements.py from tests/corpus/match.py; do not edit",
        "&[",
    ]
    for src in programs(MATCH_SOURCE.read_text(encoding="utf-8")):
        lines.append(f"    {gen.rust_str(outcome(src))},")
    lines.append("]")
    return "\n".join(lines) + "\n"


def main():
    stale = False
    for source, target in CORPORA + [(None, MATCH_OUTCOMES)]:
        text = generate(source) if source else generate_outcomes()
        if "--check" in sys.argv:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(f"tests/corpus/{target.name} is stale: run python3 tests/corpus/gen_statements.py")
                stale = True
            continue
        target.write_text(text, encoding="utf-8")
        count = text.count("case!(") if target != MATCH_OUTCOMES else text.count("\n    ")
        print(f"gen_statements.py: wrote {count} programs to {target.name}")
    if stale:
        sys.exit(1)


if __name__ == "__main__":
    main()
