# Differential corpus for py!(...): one Python 3.11 eval-mode expression per line.
# Blank lines and lines starting with '#' are ignored by tests/corpus/gen.py.
# Bindings defined on both sides: x = 7, y = 2.5, n = 10, s = "hello",
# words = ["pear", "fig", "banana"], nums = [3, 1, 4, 1, 5, 9, 2, 6],
# flag = True, nothing = None, scores = {"a": 1, "b": 2, "c": 3}.
# After editing, run: python3 tests/corpus/gen.py

# --- integer literals -------------------------------------------------------
0
7
-7
+7
00
1_000_000
1_2_3
0xff
0XFF
0x_dead_BEEF
0o17
0O777
0b101
0B1111_0000
123456789012345678901234567890
-123456789012345678901234567890
0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF
2 ** 100
2 ** 64 - 1
-2 ** 63
10 ** 30 // 7
(2 ** 100).bit_length()
(2 ** 100) % 1000007
-(2 ** 70) // 3
(2 ** 80) >> 70
1 << 100
9223372036854775807 + 1
-9223372036854775808 - 1
18446744073709551616 * 18446744073709551616

# --- float literals ---------------------------------------------------------
1.5
1e10
1.
.5
1e-3
1E5
1.5e+3
5.e3
.25e2
1_000.000_1
3.14159
2.5e-10
1e400
-1e400
0.0
-0.0
1e308 * 10
0.1 + 0.2
1 / 3
7 / 2
2 ** 0.5
10 ** -2
1.5.is_integer()
(2.0).is_integer()
(0.5).as_integer_ratio()
float("inf")
float("-inf")
float("nan")
float("nan") == float("nan")
float("  1.5 ")
float(7)
float("1e5")
1e16 + 1
0.1 * 3

# --- complex literals -------------------------------------------------------
1j
2.5j
1e3j
1J
0j
.5j
1.j
3 + 4j
-1j
(1 + 2j) * (3 - 4j)
abs(3 + 4j)
1j ** 2
1j * 1j == -1
(1 + 2j).real
(3 - 4j).imag
(1 + 2j).conjugate()
complex(1, 2)
complex("3+4j")
(2 + 0j) / 2
(-8) ** (1 / 3)

# --- string literals --------------------------------------------------------
"hello"
'hello'
""
''
"a" "b"
'a' "b" 'c'
"it's"
'say "hi"'
'don\'t'
"quote\"inside"
"tab\there"
"line\nbreak"
"cr\rlf"
"back\\slash"
"\x41\x42"
'\x7f'
"\xe9"
"\xff"
"\u00e9"
"caf\u00e9"
"\u20ac"
"\U0001F600"
"\U000000e9"
"\N{GREEK SMALL LETTER ALPHA}"
"\a\b\f\v"
"\101\102"
"\0"
"\7"
"\0101"
"\x00"
"café"
"日本語"
"mixed \"dq\" and 'sq'"
'mixed "dq" and \'sq\''
u"unicode prefix"
U'upper unicode prefix'
r"\d+\s*"
r'raw\'quote'
r'he said "hi"'
r'"#'
R"\n"
r"a\b" "\n"
"\\n" == r"\n"
len("\U0001F600")
len("café")
len("\t\n\\")
"abc" * 3
"ab" + "cd"
"%d items" % 5
"%s-%s" % ("a", "b")
"%-5s|" % "ab"
"%05.1f" % 3.14159
"x=%r" % "s"
"{}+{}".format(1, 2)
"{0}{1}{0}".format("a", "b")
"{name}!".format(name="hi")
"{:>5}".format("a")
"{:,}".format(1234567)
"{:.3e}".format(12345.678)

# --- bytes literals ---------------------------------------------------------
b"bytes"
b'single'
B"upper"
b""
b"\x00\xff"
b"\n\t\r"
b"\101\377"
b"\a\b\f\v"
b'it\'s'
b'say "x"'
rb"\d"
Rb"raw"
bR'a\'b'
BR"x\y"
br"\x00"
rb'q"q'
b"ab" b"cd"
b"ab" rb"\n"
b"abc"[0]
b"abc"[1:]
b"abc"[::-1]
len(b"\xff\xfe")
bytes(3)
bytes([65, 66, 67])
bytearray(b"abc")
bytearray(b"abc") + b"d"
bytearray(3)
b"hello".upper()
b"a,b".split(b",")
b"abc".hex()
bytes.fromhex("4142")
b"abc".decode()
"é".encode()
b"\xc3\xa9".decode("utf-8")
list(b"hi")
b"%d" % 5
b"x" * 3
b"abc" == b"abc"
b"a" < b"b"
b"abc".find(b"c")
str(b"x")

# --- singletons -------------------------------------------------------------
None
True
False
...
Ellipsis
NotImplemented
... is Ellipsis
True + True
True * 3
True + 1.5
not None
None is None
type(...).__name__
type(None).__name__

# --- tuples, lists, dicts, sets, unpacking ----------------------------------
()
(1,)
1, 2
1,
(1, 2, 3)
(1, "a", None)
((),)
[]
[1, 2, 3]
[1, [2, [3, []]]]
[1, 2, 3,]
{}
{"a": 1, "b": 2}
{1: "one", 2: "two"}
{"a": 1, "a": 2}
{1: 2, 1.0: 3, True: 4}
{"k": [1, 2], "j": {"n": None}}
{1, 2, 3}
{3, 1, 2, 1}
set()
{(1, 2), (1, 2)}
[*range(3), *"ab"]
(*range(3), 1)
(*"ab",)
{**{"a": 1}, "k": 1}
{"k": 0, **{"k": 1}}
{*[1, 2], *(2, 3)}
{*()}
[*()]
[*[], *[1], *[[2]]]
{**{}, **{}}
[1, 2] + [3]
(1, 2) + (3,)
[0] * 5
(1, 2) * 2
[1] * -1
{1, 2} | {2, 3}
{1, 2} & {2, 3}
{1, 2} - {2, 3}
{1, 2} ^ {2, 3}
{1, 2} <= {1, 2, 3}
{"a": 1} | {"b": 2}
1, 2 == 1, 2
[1, 2] < [1, 3]
(1, 2) < (1, 2, 0)
[] == ()
{1: 2} == {1: 2.0}
[[0] * 3 for _ in range(2)]

# --- attributes and method chains -------------------------------------------
"a,b".split(",")[1].upper()
"  pad  ".strip()
"Hello World".lower().replace("world", "there").title()
"abc".upper().lower().capitalize()
" ".join(["a", "b", "c"])
"x".join("abc")
"a b  c".split()
"a,b,,c".split(",")
"a-b-c".rsplit("-", 1)
"one\ntwo".splitlines()
"Hello".swapcase()
"hello world".title()
"abc".isalpha()
"123".isdigit()
"  ".isspace()
"Hi".islower()
"42".zfill(5)
"a\tb".expandtabs(4)
"Tic".casefold()
"ß".upper()
"abc".index("c")
"banana".count("an")
"banana".replace("a", "o", 2)
"  x  ".lstrip() + "|"
"www.example.org".removeprefix("www.")
"k=v".partition("=")[2]
"abc".encode().decode()
str.upper("abc")
"abc".__len__()
(5).bit_length()
(255).to_bytes(2, "big")
int.from_bytes(b"\x01\x00", "big")
(10).__add__(5)
(7).conjugate()
(-7).__abs__()
[3, 1, 2].index(2)
[1, 2, 2, 3].count(2)
[3, 1, 2].copy()
{"a": 1}.items()
{"a": 1}.copy()
{"a": 1, "b": 2}.get("b")
{"a": 1}.get("z", "miss")
dict.fromkeys("ab", 0)
(1).__class__.__name__
"".__class__.__name__
int.__name__
str.__name__
(3).real.imag
[].__class__.__name__

# --- calls: positional, keyword, *args, **kwargs ----------------------------
(lambda a, b: a - b)(5, 3)
(lambda a, b: a - b)(b=5, a=3)
(lambda a, b=10: a + b)(1)
(lambda a, b=10: a + b)(1, 2)
(lambda *a: a)(1, 2, 3)
(lambda *a: a)()
(lambda **k: k)(x=1, y=2)
(lambda **k: sorted(k))(b=1, a=2)
(lambda *a, **k: (a, k))(1, 2, c=3)
(lambda a, b, c: a + b + c)(*[1, 2], 3)
(lambda a, b, c: a + b + c)(1, *(2, 3))
(lambda a, b, c: [a, b, c])(*"ab", c=0)
(lambda a, b: a * b)(**{"a": 2, "b": 3})
(lambda a, b: a * b)(2, **{"b": 5})
(lambda **k: k)(**{"a": 1}, **{"b": 2})
(lambda **k: k)(a=1, **{"b": 2}, c=3)
(lambda *a, **k: (a, k))(*[1], 2, *[3], d=4, **{"e": 5})
(lambda *a: a)(*range(3), *"xy")
dict(a=1, b=2)
dict([("a", 1), ("b", 2)])
dict(zip("abc", range(3)))
dict({"a": 1}, **{"b": 2})
dict(**{"a": 1}, b=2)
max(1, 2, 3)
max([1, 2, 3])
min(3, 1, 2)
min("bca")
max([], default=None)
min([], default=-1)
min(1, 2, key=lambda v: -v)
max("apple", "fig", key=len)
sorted("hello")
sorted([(1, "b"), (1, "a"), (0, "z")])
sorted(["b", "A", "c"], key=str.lower)
sorted([3, 1, 2], reverse=True)
sorted({3: "c", 1: "a"}.items())
sorted(range(5), key=lambda v: (v % 2, -v))

# --- subscripts and slices --------------------------------------------------
[1, 2, 3][0]
[1, 2, 3][-1]
"hello"[1]
"abc"[0:100]
"abc"[-100:]
"abcdef"[1:-1:2]
"abcdef"[::2]
"abcdef"[::-1]
"abcdef"[:3]
"abcdef"[1:]
"abcdef"[:]
"abcdef"[-2:]
"abcdef"[4:1:-1]
"abcdef"[::-2]
"abcdef"[5:1]
(1, 2, 3)[::-1]
(1, 2, 3)[1:]
[1, 2][::-1]
range(10)[2:8:3]
range(10)[::2]
range(1, 10, 2)[2]
{(1, 2): 3}[1, 2]
{(1, 2): 3}[(1, 2)]
{(1, 2, 3): "t"}[1, 2, 3]
{(): 0}[()]
{1: {2: {3: "deep"}}}[1][2][3]
[[1, 2], [3, 4]][1][0]
[0, 1, 2, 3, 4, 5][slice(1, 5, 2)]
"abcdef"[slice(None, None, -1)]
slice(1, 5, 2)
slice(3)
slice(1, 10, 2).indices(5)
[10, 20, 30][True]
"abc"[-1:-4:-1]

# --- arithmetic and bitwise operators ---------------------------------------
7 + 3
7 - 3
7 * 3
7 // 2
-7 // 2
7 % 3
-7 % 3
7 % -3
-3 % 5
2 ** 10
2 ** -1
7.5 // 2
-7.5 % 2
5 // 0.5
10 % 3.5
1 << 10
1024 >> 3
-16 >> 2
6 & 3
6 | 3
6 ^ 3
~5
-5
+5
--5
-(-5)
- - - 1
+-+1
~~7
1 - - 1
-2 ** 2
2 ** 3 ** 2
(2 ** 3) ** 2
-2 ** -2
2 ** 2 ** 0
2 * 3 ** 2
not 1 == 2
1 + 2 * 3 - 4 // 3 % 2
~-5
1 | 2 ^ 3 & 4 << 1
(1 | 2) ^ (3 & 4) << 1
1 + 2 << 3
1 & 3 == 1
(1 + 2) * 3
10 - 2 - 3
100 / 10 / 5
2 ** 62 * 4
-7 // 2 * 2 + -7 % 2
2 ** 0.5 * 2 ** 0.5
3 * "ab"
"ab" * 0
not -1
~True
-True
True & False
True | False
True ^ True
5 & -1
-1 >> 100

# --- comparisons ------------------------------------------------------------
1 < 2 < 3
1 < 3 > 2 == 2
1 < 2 > 5 < 1 / 0
3 > 2 > 1
5 > 4 >= 4 > 3
1 < 2 < 3 < 4 < 5
1 < 2 == True
(1 < 2) == True
1 == 1.0
1 == 1.0 == True
1 != 2
1 != 1.0
"abc" < "abd"
"B" < "a"
[1, 2] == [1, 2] != [3]
None is not None
[] is []
"a" in "cat"
"z" not in "cat"
"" in "abc"
(1, 2) in [(1, 2)]
not 1 in [1]
not 1 not in [1]
1 in {1: "a"}
3 not in {1, 2}
5 in range(10)
float("nan") != float("nan")
x < n is not None
2 > 1 in [True]

# --- boolean operators ------------------------------------------------------
0 or 1
1 or 1 / 0
0 and 1 / 0
1 and 2
0 and 2
"" or "default"
[] or {}
None or 0 or "" or "last"
1 and 2 and 3
1 and 0 and 1 / 0
0 or 0 or 3
not 1 or 2
not (1 or 2)
1 or 2 and 3
(1 or 2) and 3
0 or not 0
not not []
() or None

# --- conditional expressions ------------------------------------------------
1 if True else 2
1 if False else 2
"a" if 0 else "b" if 0 else "c"
"a" if 1 else "b" if 0 else "c"
("a" if 1 else "b") if 0 else "c"
1 if 1 else 1 / 0
1 / 0 if 0 else 5
1 + (2 if 0 else 3) * 2
(1 if 0 else 2) ** 2
[i if i % 2 else -i for i in range(5)]
0 if (1 if 0 else 0) else 1
(lambda v: "even" if v % 2 == 0 else "odd")(3)
"yes" if [] else "no"

# --- lambdas ----------------------------------------------------------------
(lambda: 42)()
(lambda a: a * 2)(21)
(lambda a, b=2, *c, d, e=5, **f: (a, b, c, d, e, f))(1, d=4)
(lambda a, b=2, *c, d, e=5, **f: (a, b, c, d, e, f))(1, 2, 3, 4, d=0, g=9)
(lambda a, *, k: (a, k))(1, k=2)
(lambda a, *, k=5: a * k)(2)
(lambda *, k: k)(k=3)
(lambda a, /, b: a + b)(1, b=2)
(lambda a, /, b: a + b)(1, 2)
(lambda a, /: a)(5)
(lambda a, b, /: (b, a))(1, 2)
(lambda a, b, /, c, *, d: (a, b, c, d))(1, 2, c=3, d=4)
(lambda a, /, **k: (a, k))(1, a=2)
(lambda a=1, /, b=2: (a, b))()
(lambda a, *args, **kw: (a, args, kw))(1)
(lambda *a, sep="-": sep.join(a))("a", "b")
(lambda a, b=lambda: 5: a + b())(1)
(lambda k=[]: k)()
(lambda a: lambda b: a + b)(1)(2)
(lambda a: lambda b: lambda c: a * 100 + b * 10 + c)(1)(2)(3)
(lambda f: f(f(1)))(lambda v: v * 10)
(lambda f, v: f(f(v)))(lambda t: t + 1, 0)
(lambda: (lambda: (lambda: 3)())())()
(lambda: [lambda: i for i in range(3)])()[0]()
[lambda: i for i in range(3)][0]()
[(lambda i=i: i) for i in range(3)][0]()
[f() for f in [lambda: i for i in range(3)]]
[f(10) for f in [lambda v, m=m: v * m for m in range(3)]]
(lambda c: [c * i for i in range(3)])(2)
(lambda v: [v] * 3)(0)
(lambda v: v if v > 0 else -v)(-4)
(lambda a, b: a if a > b else b)(3, 9)
(lambda: (z := 3) + z)()
(lambda *a: len(a))(*range(5))
(lambda a, b: (b, a))(*"xy")
(lambda **kw: kw.get("missing", "dflt"))()
(lambda a, b, c=3, *d, e, **f: a + b + c + sum(d) + e + sum(f.values()))(1, 2, 3, 4, 5, e=6, g=7)

# --- comprehensions and generator expressions -------------------------------
[i for i in range(5)]
[i for i in range(20) if i % 2 if i % 3]
[(i, j) for i in range(3) for j in range(i)]
[i + j for i in "ab" for j in "xy"]
[(a, b) for a, *b in [(1, 2, 3), (4,)]]
[b for *a, b in ["xy", "zw"]]
[(a, c) for a, (b, c) in [(1, (2, 3)), (4, (5, 6))]]
[[j for j in range(i)] for i in range(4)]
[sum(row) for row in [[1, 2], [3, 4]]]
[i for row in [[1, 2], [3]] for i in row]
[(i, c) for i, c in enumerate("ab")]
[i for i in range(10)][::3]
[a * b for a, b in [(1, 2), (3, 4)]]
[d["k"] for d in [{"k": 1}, {"k": 2}]]
[i for i in range(3) if i for j in range(i) if j == 0]
[[c for c in w] for w in ["ab", "c"]]
[i for i in [i * 2 for i in range(3)]]
{i % 3 for i in range(10)}
{i: i * i for i in range(4)}
{k: v for k, v in zip("ab", [1, 2]) if v}
{(i, j) for i in range(2) for j in range(2)}
sorted({c for c in "hello"})
{c: c.upper() for c in "ab"}
list(i for i in range(3))
tuple(i * 2 for i in range(3))
sum(i for i in range(5))
sum(0.1 for _ in range(10))
next(i for i in range(10) if i > 3)
next(i for i in iter(int, 1))
next(i for i in iter(int, 1) if i == 0)
next((i for i in range(3)), "none")
next((i for i in range(3) if i > 5), "none")
sorted(c for c in "banana")
dict((k, v) for k, v in [("a", 1)])
set(i % 2 for i in range(4))
any(i == 0 for i in iter(int, 1)) or "lazy"
min((i for i in [3, 1, 2]), default=0)
list(zip((i for i in range(3)), "abc"))
"".join(str(i) for i in range(5))

# --- walrus -----------------------------------------------------------------
[w := 5, w ** 2]
(w := 10) + w
[z for i in range(5) if (z := i * 2) > 4]
([(w := i) for i in range(3)], w)
[(q := i) * q for i in range(4)]
(z := [1, 2, 3])[0] + len(z)
[total := 0, [total := total + i for i in range(4)], total]
(a1 := 1, a1 + 1)
abs(v := -3) + v
(z := 5) if (z := 0) else z
[p for i in range(6) if (p := i ** 2) % 2 == 0]
{(kk := k): kk * 2 for k in range(3)}
(lambda: [(m := i) for i in range(3)] + [m])()
any((hit := v) > 4 for v in [1, 5, 9]) and hit

# --- builtins ---------------------------------------------------------------
len("hello")
len([1, 2, 3])
len({"a": 1})
len(())
len(range(0, 100, 7))
list(range(5))
list(range(2, 10, 3))
list(range(10, 0, -2))
range(5)
range(1, 10, 2)
list("abc")
tuple([1, 2])
tuple("ab")
set([1, 1, 2])
frozenset([1, 2, 2])
frozenset()
sorted(frozenset({3, 1}))
list(zip([1, 2], "ab"))
list(zip())
list(zip(*[(1, 2), (3, 4)]))
list(map(str, [1, 2]))
list(map(lambda a, b: a + b, [1, 2], [10, 20]))
list(filter(None, [0, 1, "", "a", None]))
list(filter(lambda v: v % 2, range(7)))
list(enumerate("ab"))
dict(enumerate("ab"))
list(enumerate("ab", start=5))
list(reversed([1, 2, 3]))
list(reversed(range(3)))
any([0, 0, 1])
any([])
all([])
all([1, 0])
sum([1, 2, 3])
sum([1, 2], 10)
sum([[1], [2]], [])
sum([0.5, 0.25], start=1)
isinstance(1, int)
isinstance(True, int)
isinstance(1.0, (int, str))
issubclass(bool, int)
int("ff", 16)
int("0x1f", 0)
int("101", 2)
int("z", 36)
int(3.99)
int(-3.99)
int("  42  ")
int(True)
int("1_000")
str(123)
str(1.0)
str(None)
str(-0.0)
repr("a'b")
repr('a"b')
repr("it's \"q\"")
repr(1.0)
repr([1, "a"])
repr(ValueError("bad"))
ascii("é")
divmod(17, 5)
divmod(-17, 5)
divmod(7.5, 2)
pow(2, 10)
pow(2, 10, 1000)
pow(3, -1, 7)
pow(2, -1)
pow(2.0, 0.5)
pow(-2, 3)
abs(-5)
abs(-2.5)
abs(-0.0)
round(3.7)
round(0.5)
round(1.5)
round(-2.5)
round(3.14159, 2)
round(2.675, 2)
round(123.456, -1)
round(1234, -2)
bool(0)
bool([])
bool("x")
bool(None)
chr(65)
chr(0x1F600)
ord("a")
ord("é")
hex(255)
hex(-255)
bin(10)
oct(8)
type(1j).__name__
type(b"").__name__
type(range(1)).__name__
type({}).__name__
getattr(1, "nope", "default")
getattr("abc", "upper")()
hasattr("abc", "upper")
hasattr(1, "nope")
hash(1)
hash(-1)
hash(2 ** 61)
hash(1.0)
hash((1, 2))
hash(True) == hash(1)
next(iter([1, 2]))
next(iter([]), "empty")
list(iter([1, 2, 3]))
iter([1]).__next__()
list(iter(iter([4, 5])))
format(3.14159, ".2f")
format(255, "x")
format(255, "08b")
format(1234.5, ",.1f")
format("ab", "^6")
format(0.25, "%")
format(42)
callable(len)
callable(1)
min(1.5, 2)
max(True, 0.5)
sorted([True, False, 0, 1])
list(map(int, "123"))
list(map(ord, "AZ"))
"".join(map(chr, [104, 105]))
abs(True)
int.bit_length(1023)
float.fromhex("0x1.8p1")
(1.5).hex()
dict(sorted({"b": 1, "a": 2}.items()))

# --- uses of the Rust bindings ----------------------------------------------
x
y
n
s
words
nums
flag
nothing
scores
x + n
x * y
x ** 2
-x ** 2
(-x) ** 2
x // 2 + x % 2
n / x
y * 2
x / y
x % 3 == 1
x << 2
x & n
x | n
x ^ n
~x
s * 2
s + "!"
s.upper()
s[0]
s[-1]
s[1:-1]
s[::2]
s[::-1]
s[:3]
s[1:]
s[:]
s[::-1].upper()
s.count("l")
s.find("l")
s.rfind("l")
s.startswith("he")
s.endswith(("lo", "x"))
s.center(11, "*")
s.zfill(8)
s.partition("l")
s.replace("l", "L", 1)
s.ljust(8, ".")
"".join(reversed(s))
len(s)
"-".join(words)
len(words)
words[1]
words[-1][::-1]
words[0][1:3]
words.index("fig")
"fig" in words
sorted(words)
sorted(words, key=len)
sorted(words, key=len, reverse=True)[0]
sorted(words, key=lambda w: w[-1])
sorted(words, key=lambda w: (len(w), w))
max(words, key=len)
min(words, key=len)
[w.upper() for w in words]
[w for w in words if "a" in w]
[len(w) for w in words if len(w) > 3]
{w: len(w) for w in words}
list(enumerate(words, 1))
list(zip(words, nums))
(*words,)
max(len(w) for w in words)
any(w.startswith("b") for w in words)
nums[1:-1:2]
nums[::2]
nums[::-1]
nums[:3]
nums[3:]
nums[:]
nums[-3:]
nums[10:]
nums[-100:2]
nums[5:1:-1]
nums[::-3]
nums[x - 5]
nums[len(nums) // 2]
nums.count(1)
nums.index(9)
sum(nums)
sum(nums) / len(nums)
sorted(nums)
sorted(nums, reverse=True)
max(nums, key=lambda v: -v)
3 in nums
10 not in nums
[i for i in nums if i > 3]
[a + b for a, b in zip(nums, nums[1:])]
list(filter(lambda v: v % 2, nums))
all(v > 0 for v in nums)
[*nums, *nums]
sorted(set(nums))
[m := max(nums), nums.index(m)]
(lambda *args: sum(args))(*nums)
[i * i for i in range(n) if i % 3 == 0]
[n * i for i in range(3)]
[x + i for i in range(3)]
[x for x in range(3)]
(lambda a=x: a)()
(lambda a: a + x)(1)
(lambda n: n * 2)(n)
(lambda: lambda: x)()()
(lambda: nums[0])()
"abcdefgh"[x // 2:]
"big" if x > 5 else "small"
x if flag else y
y if nothing else n
x > n or y < x
x < y < n
0 < x < n
x == 7.0
x is not None
y.is_integer()
x.real
x.imag
flag is True
flag and nums[0]
not flag
nothing is None
nothing or words
nothing and 1 / 0
type(x).__name__
type(y).__name__
type(s).__name__
type(nothing).__name__
type(scores).__name__
isinstance(s, str)
scores["b"] + 1
scores["a"]
scores.get("a")
scores.get("z", 0)
scores.get("z")
list(scores.keys())
list(scores.values())
list(scores.items())
scores.keys()
"a" in scores
1 in scores
len(scores)
dict(scores, d=4)
{**scores, "b": 20}
{**scores, **{"d": 4}}
[k for k, v in scores.items() if v > 1]
[v for k, v in sorted(scores.items())]
{v: k for k, v in scores.items()}
sorted(scores, key=scores.get, reverse=True)
sum(scores.values())
max(scores, key=lambda k: scores[k])
getattr(s, "upper")()
hasattr(s, "upper")
getattr(x, "real")

# --- errors: ZeroDivisionError ----------------------------------------------
1 / 0
1 // 0
1 % 0
1.0 / 0
0 ** -1
divmod(1, 0)
x / (n - 10)
0 or 1 / 0
1 < 2 < 1 / 0
[1 / i for i in range(-2, 2)]

n % (x - 7)
divmod(x, 0)
y / 0
x // 0
10 % 0.0
0 ** -1.0
(lambda v: 1 / v)(0)
1 and 1 / 0
[1, 2][1 // 0]
{1: 1 / 0}
1 if 1 / 0 else 2
sum(1 / i for i in range(3))

# --- errors: TypeError ------------------------------------------------------
1 + "a"
"a" * "b"
"a" - "b"
[1, 2] @ [3, 4]
len(5)
-"a"
~1.5
nothing()
x[0]
"a" < 1
sorted([1, "a"])
hash([])
{[]: 1}
{[1]}
int(None)
abs("x")
(lambda a: a)(b=1)
(lambda: 1)(1)
(lambda a: a)()
(lambda a, /: a)(a=1)
(lambda *, k: k)(1)
(lambda **k: k)(**{1: 2})
{**1}
[*1]
(*None,)
dict(a=1, **{"a": 2})
(lambda **k: k)(a=1, **{"a": 2})
(lambda a, b: 0)(1, a=2)
max()
iter(5)
next([1])
sum(["a", "b"], "")
"x" % 1
s + 1
x()
nums + (1,)
scores + scores
flag[0]
s[y]
sorted(words, key=1)

y + "a"
len(x)
nums[s]
words + s
scores[[]]
flag()
s * y
s[1:2:y]
-s
x @ x
nothing + 1
abs(nothing)
hash(scores)
{nums: 1}
[*x]
{**scores, **words}
[a for a, b in nums]
sorted(nums, key=len)
max(nums, key=lambda: 0)
divmod(s, 2)
pow(2, 3, 1.5)
"".join(nums)
"%d" % s
(1, 2) < (1, "a")
(lambda a, b: a)(1, 2, 3)
(lambda a, /, b: b)(a=1, b=2)
(lambda: 1)(**{"a": 1})
chr("a")

# --- errors: KeyError -------------------------------------------------------
{}["a"]
{1: 2}[2]
dict(a=1)["b"]
set().pop()
{(1, 2): 3}[1, 3]
scores["z"]
{**scores}["d"]

scores[s]
{"a": 1}["A"]
{1: 2}[1.5]
dict(zip("ab", nums))["c"]
scores.pop("z")
"{x}".format()

# --- errors: IndexError -----------------------------------------------------
[][0]
"abc"[5]
()[0]
[].pop()
range(3)[3]
nums[8]
words[-4]
[[1]][0][1]

words[x]
s[n]
nums[-9]
sorted(words)[5]
[].pop(0)
(1,)[1]
"{0}{1}".format(1)

# --- errors: AttributeError -------------------------------------------------
(1).foo
"a".nope()
None.x
s.append("x")
nums.upper()
getattr(1, "nope")
# A py! lambda is a `pycall.function` (its type is named `function`, but it is not CPython's).
type(lambda: 0).__name__
(lambda: 0).__name__

x.upper()
scores.append(1)
words.keys()
flag.foo
y.is_int()

# --- errors: ValueError -----------------------------------------------------
int("x")
int("")
int("1.5")
int("12", 1)
float("abc")
[a for a, b in [(1, 2, 3)]]
[(a, b) for a, b in [(1,)]]
"abc".index("z")
[1].index(2)
[].remove(1)
chr(-1)
range(1, 2, 0)
max([])
"a,b".split("")
bytes([256])
pow(2, -1, 4)
bytes.fromhex("zz")
b"\xff".decode()
"é".encode("ascii")
words.index("kiwi")
int("9" * 5000)

int(s)
float(s)
nums.index(7)
s.index("z")
dict([(1, 2, 3)])
s[::0]
int("ff", 7)
[(a, b) for a, b in words]

# --- errors: NameError, OverflowError, StopIteration, LookupError -----------
# (unbound_q + (unbound_q := 1)) is left out on purpose: in py! a name read before the block
# assigns it is the Rust binding of that name, so with no such binding it does not compile.
(lambda: (unbound_lc := unbound_lc + 1))()
2.0 ** 10000
10.0 ** 400
float(2 ** 2000)
(256).to_bytes(1, "big")
int(float("inf"))
round(float("inf"))
chr(2 ** 40)
next(iter([]))
next(i for i in range(0))
next(iter(()))
"a".encode("no-such-codec")
y ** 10000
2 ** 10000 * 1.0
next(iter(nums[10:]))
next(w for w in words if w == "kiwi")

# --- a variable read, then reassigned by := in the same operation ------------
(q := 1) + q + (q := 10) + q
(lambda a: a + (a := a * 10) + a)(2)
(lambda a: a.bit_length() + (a := 255).bit_length())(1)
(lambda a: a < (a := a + 1) < a + 1)(5)
(lambda a: [a, (a := 0), a][a])(7)
(lambda d: d[(d := {1: 2})[1] - 1])({1: 5})

# --- errors raised inside generators and by argument binding ----------------
list(next(it) for it in [iter([1]), iter([])])
(lambda a: a)(1, 2, b=3)
(lambda a, *, k: a)(1, 2, k=3)
(lambda a, b, c: 0)()
(lambda a, b: 0)()
[*(i for i in range(2)), *(1 / 0 for _ in [1])]
