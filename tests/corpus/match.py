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

# --- sequence str
def shape(v):
    match v:
        case [a, b]:
            return ("pair", a, b)
        case [*_]:
            return "sequence"
        case str() | bytes():
            return "text"
        case _:
            return "other"

[shape(v) for v in ("ab", b"ab", [1, 2], (1, 2, 3), range(2), bytearray(b"xy"), {1, 2})]

# --- sequence custom
import collections

class Squares(collections.abc.Sequence):
    def __init__(self, n):
        self.n = n
        self.reads = []

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        self.reads.append(i)
        return i * i

first = Squares(6)
match first:
    case [a, *_, z]:
        by_index = (a, z, first.reads)
second = Squares(4)
match second:
    case [a, *middle, z]:
        by_iteration = (a, middle, z, second.reads)
(by_index, by_iteration)

# --- sequence deque
import collections

def ends(q):
    match q:
        case collections.deque() if not q:
            return "empty deque"
        case [head, *_]:
            return head

[ends(collections.deque()), ends(collections.deque([5, 6])), ends([7])]

# --- mapping defaultdict
import collections

counts = collections.defaultdict(int, {"a": 1})
match counts:
    case {"b": _}:
        found = "b"
    case {"a": n}:
        found = ("a", n)
(found, dict(counts))

# --- mapping subclass
class Loud(dict):
    def __missing__(self, key):
        return "missing " + key

match Loud(a=1):
    case {"z": value}:
        result = value
    case {"a": 1, **rest}:
        result = ("a", rest)
result

# --- mapping rest
match {"a": 1, "b": 2, "c": 3}:
    case {"a": 1, **others}:
        rest_only = others
match {"only": 0}:
    case {**everything}:
        whole = everything
match [("a", 1)]:
    case {**never}:
        listed = "matched"
    case _:
        listed = "a list is no mapping"
(rest_only, whole, listed)

# --- mapping value key
import enum

class Key(enum.Enum):
    A = "a"
    B = "b"

def pick(d):
    match d:
        case {Key.A: x, Key.B: y}:
            return (x, y)
        case {Key.A: x}:
            return (x,)
    return ()

[pick({Key.A: 1, Key.B: 2}), pick({Key.A: 3}), pick({})]

# --- mapping error
class Same:
    a = "k"
    b = "k"

match {"k": 1, "j": 2}:
    case {Same.a: 1, Same.b: 2}:
        pass
"not reached"

# --- class error
def check(v):
    match v:
        case len():
            return "len"
    return "no"

check(3)

# --- class error
class Listed:
    __match_args__ = ["a"]

match Listed():
    case Listed(1):
        pass
"not reached"

# --- class error
class Point:
    __match_args__ = ("x",)

    def __init__(self, x):
        self.x = x

match Point(1):
    case Point(1, 2):
        pass
"not reached"

# --- class error
class Numbered:
    __match_args__ = (1,)

match Numbered():
    case Numbered(0):
        pass
"not reached"

# --- class attribute
class Box:
    __match_args__ = ("content", "label")

    def __init__(self, content):
        self.content = content

def open_box(b):
    match b:
        case Box(c, label):
            return ("labelled", c, label)
        case Box(c):
            return ("plain", c)
        case Box(content=c, missing=m):
            return "never"

[open_box(Box(1)), open_box(3)]

# --- class nested
class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

class Line:
    __match_args__ = ("start", "end")

    def __init__(self, start, end):
        self.start, self.end = start, end

def kind(line):
    match line:
        case Line(Point(x1, y1), Point(x2, y2)) if x1 == x2:
            return ("vertical", x1)
        case Line(Point(_, y1), Point(_, y2)) if y1 == y2:
            return ("horizontal", y1)
        case Line(start=Point(x=0, y=0)):
            return "from origin"
        case Line():
            return "slanted"

[kind(Line(Point(1, 0), Point(1, 5))), kind(Line(Point(0, 2), Point(3, 2))),
 kind(Line(Point(0, 0), Point(3, 4))), kind(Line(Point(1, 1), Point(2, 3)))]

# --- class builtin subclass
class Celsius(float):
    pass

class Tagged(tuple):
    pass

def describe(v):
    match v:
        case float(degrees) if isinstance(v, Celsius):
            return ("celsius", degrees)
        case tuple((a, b)):
            return ("tuple", a, b)
        case dict(d):
            return ("dict", len(d))
    return "?"

[describe(Celsius(21.5)), describe(Tagged((1, 2))), describe({"a": 1}), describe(1.5)]

# --- or capture
def locate(p):
    match p:
        case [x, 0] | [0, x]:
            return ("on an axis", x)
        case [x, y] | (x, y, _):
            return ("point", x, y)

[locate(v) for v in ([3, 0], [0, 4], [1, 2], (5, 6, 7))]

# --- singleton equality
def exact(v):
    match v:
        case True:
            return "True"
        case 1:
            return "one"
        case None:
            return "None"
        case 0:
            return "zero"
    return "?"

[exact(v) for v in (True, 1, 1.0, None, False, 0, 0.0)]

# --- value eq
class Anything:
    def __init__(self, log):
        self.log = log

    def __eq__(self, other):
        self.log.append(other)
        return True

log = []
match Anything(log):
    case 5:
        result = "five"
(result, log)

# --- value error
class Broken:
    def __eq__(self, other):
        raise RuntimeError("no comparing")

match Broken():
    case 1:
        pass
"not reached"

# --- capture unbound
def f(v):
    match v:
        case [x, 0]:
            pass
    try:
        return x
    except UnboundLocalError as e:
        return type(e).__name__

[f([1, 0]), f([1, 1])]

# --- guard binding
def g(v):
    match v:
        case [x, y] if x > y:
            return ("descending", x, y)
        case _:
            return ("other", x, y)

[g([2, 1]), g([1, 2])]

# --- loop control
out = []
for item in [1, "skip", (2, 3), "stop", 4]:
    match item:
        case "skip":
            continue
        case "stop":
            break
        case (a, b):
            out.append(a + b)
        case n:
            out.append(n)
out

# --- class body
class Config:
    match {"mode": "fast", "level": 3}:
        case {"mode": mode, "level": level}:
            settings = (mode, level)

(Config.mode, Config.level, Config.settings)

# --- subject walrus
match (total := 5), 2:
    case (5, two):
        walrus = (total, two)
walrus

# --- no case
state = "unchanged"
match 42:
    case 1 | 2 | 3:
        state = "small"
    case str():
        state = "text"
state

# --- complex literal
def polar(z):
    match z:
        case 0:
            return "zero"
        case 1j | -1j:
            return "unit imaginary"
        case 3 + 4j:
            return "three four"
        case -0.5 - 0.5j:
            return "corner"
    return "?"

[polar(v) for v in (0, 0j, 1j, -1j, 3 + 4j, complex(-0.5, -0.5), 2)]

# --- lambda captures
def make(v):
    match v:
        case {"scale": k}:
            return lambda x: x * k
        case _:
            return lambda x: x

[make({"scale": 3})(2), make(None)(2)]
