# Programs for `match` (issue 13), in the format of language.py: programs separated by lines
# "# --- <tags>", the last line an expression. Until the expansion of `match` exists, only the
# parser reads them (macros/backend/tests/parse_corpus.rs compares its trees with CPython's
# `ast.dump`).
# --- literal
def describe(code):
    match code:
        case 200:
            return "ok"
        case 301 | 302:
            return "redirect"
        case 404:
            return "not found"
        case _:
            return "other"

[describe(c) for c in (200, 302, 404, 500)]
# --- literal singleton
def kind(value):
    match value:
        case None:
            return "none"
        case True:
            return "true"
        case False:
            return "false"
        case -1:
            return "minus one"
        case 1.5 | -2.5:
            return "float"
        case 1 + 2j | -1 - 2j:
            return "complex"
        case "a" "b":
            return "ab"
        case b"raw":
            return "bytes"
    return "?"

[kind(v) for v in (None, True, False, -1, 1.5, 1 + 2j, "ab", b"raw", 7)]
# --- capture sequence
def head_tail(items):
    match items:
        case []:
            return "empty"
        case [only]:
            return ("one", only)
        case [first, *rest]:
            return ("many", first, rest)

[head_tail(v) for v in ([], [1], [1, 2, 3], (4, 5))]
# --- sequence star
def ends(seq):
    match seq:
        case (a, *_, z):
            return (a, z)
        case (a,):
            return (a,)
        case ():
            return ()

[ends(s) for s in ((1, 2, 3, 4), [9], ())]
# --- sequence open
point = (3, 4)
match point:
    case 0, 0:
        where = "origin"
    case x, 0:
        where = f"x-axis at {x}"
    case 0, y:
        where = f"y-axis at {y}"
    case x, y:
        where = f"({x}, {y})"
where
# --- mapping
def handle(event):
    match event:
        case {"type": "click", "pos": (x, y)}:
            return ("click", x, y)
        case {"type": "key", "key": k, **rest}:
            return ("key", k, sorted(rest))
        case {}:
            return "some mapping"
    return "not a mapping"

[handle(e) for e in ({"type": "click", "pos": (1, 2)}, {"type": "key", "key": "q", "mod": 1}, {"x": 1}, [1])]
# --- class keyword
import dataclasses

@dataclasses.dataclass
class Point:
    x: int
    y: int

def where(p):
    match p:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y):
            return f"on y at {y}"
        case Point(x=x, y=0):
            return f"on x at {x}"
        case Point():
            return "elsewhere"
        case _:
            return "not a point"

[where(p) for p in (Point(0, 0), Point(0, 5), Point(3, 0), Point(1, 1), 7)]
# --- class positional
class Vec:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

def norm1(v):
    match v:
        case Vec(0, 0):
            return 0
        case Vec(x, y) if x >= 0 and y >= 0:
            return x + y
        case Vec(x, y):
            return abs(x) + abs(y)

[norm1(Vec(*p)) for p in ((0, 0), (1, 2), (-3, 4))]
# --- class builtin
def typed(value):
    match value:
        case bool(b):
            return ("bool", b)
        case int(n):
            return ("int", n)
        case str() as s:
            return ("str", s)
        case [int(a), int(b)]:
            return ("pair", a + b)
        case float(f) | complex(f):
            return ("number", f)
    return ("other", value)

[typed(v) for v in (True, 3, "s", [1, 2], 2.5, 1j, None)]
# --- value
import enum

class Color(enum.Enum):
    RED = 1
    GREEN = 2

def paint(c):
    match c:
        case Color.RED:
            return "stop"
        case Color.GREEN:
            return "go"
        case other:
            return f"unknown {other}"

[paint(c) for c in (Color.RED, Color.GREEN, 3)]
# --- as or
def classify(command):
    match command.split():
        case ["go", ("north" | "south" | "east" | "west") as direction]:
            return ("move", direction)
        case ["drop", *objects] if objects:
            return ("drop", objects)
        case ["quit" | "exit"]:
            return ("quit",)
        case [verb, *_]:
            return ("unknown", verb)
        case _:
            return ("empty",)

[classify(c) for c in ("go north", "drop a b", "exit", "dance now", "")]
# --- guard
def sign(n):
    match n:
        case int() if n < 0:
            return -1
        case 0:
            return 0
        case int():
            return 1

[sign(v) for v in (-5, 0, 8)]
# --- nested mapping sequence
config = {"server": {"host": "h", "ports": [80, 443]}, "debug": True}
match config:
    case {"server": {"host": str(host), "ports": [first, *others]}, "debug": bool(debug)}:
        summary = (host, first, others, debug)
    case _:
        summary = None
summary
# --- subject tuple
x, y = 1, 2
match x, y:
    case (1, 2):
        pair = "one two"
    case _:
        pair = "other"
pair
# --- group
match 5:
    case (5):
        grouped = "five"
    case _:
        grouped = "other"
grouped
# --- error class
class NoArgs:
    pass

def check(v):
    match v:
        case NoArgs(1):
            return "matched"
    return "no"

check(NoArgs())
# --- soft keyword
match = [1, 2]
case = len(match)
match[0] + case
