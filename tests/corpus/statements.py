# Programs for tests/test_statements.rs, separated by lines "# ---". Each is run by `py!` (as
# respelled by gen_statements.py: blocks in braces, `;` between statements) and by CPython's
# `exec` of all but its last line plus `eval` of the last, which must be an expression.
# Bindings as in expressions.py: x, y, n, s, words, nums, flag, nothing, scores.
# ---
a = 1
b = a + 2
(a, b)
# ---
a = b = c = [1]
a.append(2)
(a, b, c, a is c)
# ---
first, *rest = nums
(first, rest)
# ---
*init, last = words
(init, last)
# ---
(p, (q, r)), t = (1, (2, 3)), 4
[p, q, r, t]
# ---
k = 10
k += 5
k -= 1
k *= 3
k //= 4
k %= 7
k **= 3
k <<= 2
k >>= 1
k |= 8
k &= 0xff
k ^= 5
k
# ---
f = 7.0
f /= 2
f
# ---
lst = [1]
alias = lst
lst += [2, 3]
(lst, alias is lst)
# ---
tup = (1,)
alias = tup
tup += (2,)
(tup, alias)
# ---
d = {"a": 1}
d["a"] += 10
d["b"] = d.get("b", 0) + 1
sorted(d.items())
# ---
total = 0
for i in range(n):
    total += i
total
# ---
out = []
for i in range(10):
    if i % 3 == 0:
        continue
    if i > 7:
        break
    out.append(i)
else:
    out.append("no break")
out
# ---
out = []
for i in range(3):
    out.append(i)
else:
    out.append("done")
out
# ---
pairs = []
for k2, v2 in sorted(scores.items()):
    pairs.append(k2 * v2)
pairs
# ---
m = 0
while m < 5:
    m += 2
else:
    m = -m
m
# ---
m = 0
while True:
    m += 1
    if m == 4:
        break
m
# ---
grid = []
for r in range(3):
    row = []
    for c in range(3):
        if c > r:
            break
        row.append(r * 3 + c)
    grid.append(row)
grid
# ---
v = 5
if v > 3:
    kind = "big"
elif v > 1:
    kind = "medium"
else:
    kind = "small"
kind
# ---
v = 2
if v > 3:
    kind = "big"
elif v > 1:
    kind = "medium"
else:
    kind = "small"
kind
# ---
if flag:
    res = "yes"
else:
    res = "no"
res
# ---
if nothing is None:
    res = len(words)
res
# ---
import math
math.floor(y)
# ---
import os.path
os.path.basename("/a/b.txt")
# ---
import os.path as osp
osp.splitext("x.tar.gz")
# ---
from math import sqrt, pi as PI
round(sqrt(16) + PI, 6)
# ---
from collections import Counter
Counter(w[0] for w in words + ["pear"]).most_common(1)
# ---
from os import path
path.join("a", "b")
# ---
import json, statistics as st
(json.dumps([1]), st.median([3, 1, 2]))
# ---
z = 1
del z
z
# ---
d = {"a": 1, "b": 2}
del d["a"]
d
# ---
lst = [0, 1, 2, 3, 4]
del lst[1:3]
lst
# ---
class_like = type("C", (), {})()
class_like.attr = 3
class_like.attr += 1
class_like.attr
# ---
obj = type("C", (), {})()
obj.v = 1
del obj.v
hasattr(obj, "v")
# ---
assert 1 + 1 == 2
"ok"
# ---
assert len(words) == 5, "length is " + str(len(words))
"unreachable"
# ---
raise ValueError("boom")
0
# ---
raise KeyError
0
# ---
acc = []
for i, w in enumerate(words):
    acc.append((i, w[:2]))
acc
# ---
squares = {}
for i in range(5):
    squares[i] = i * i
squares
# ---
xs = [3, 1, 2]
xs.sort()
xs.reverse()
xs
# ---
count = 0
for ch in s:
    if ch in "aeiou":
        count += 1
count
# ---
fib = [0, 1]
while len(fib) < 10:
    fib.append(fib[-1] + fib[-2])
fib
# ---
best = None
for w in words:
    if best is None or len(w) > len(best):
        best = w
best
# ---
found = -1
for i, v in enumerate(nums):
    if v == 9:
        found = i
        break
found
# ---
acc = 0
for i in range(3):
    for j in range(3):
        if j == i:
            continue
        acc += i * j
acc
# ---
lam = lambda q: q * 2
vals = [lam(i) for i in range(3)]
vals
# ---
fs = []
for i in range(3):
    fs.append(lambda: i)
[f() for f in fs]
# ---
gen = (i * i for i in range(4))
first = next(gen)
rest = list(gen)
(first, rest)
# ---
word = "hello"
word *= 2
word
# ---
a, b = 1, 2
a, b = b, a
(a, b)
# ---
i = 0
for i in range(0):
    pass
i
# ---
for item in []:
    pass
else:
    item = "empty"
item
# ---
x1 = 10
if (w := x1 * 2) > 15:
    big = w
big
# ---
total = 0
for v in nums:
    total += v
total / len(nums)
# ---
1 / 0
# ---
text = ""
for w in sorted(words, key=len):
    text += w[0]
text
# ---
data = {"a": [1, 2], "b": [3]}
flat = []
for key in sorted(data):
    for v in data[key]:
        flat.append((key, v))
flat
# ---
res = []
m = 3
while m:
    m -= 1
    if m == 1:
        continue
    res.append(m)
res
# ---
pass
None
# ---
log = []
try:
    log.append("body")
    1 / 0
    log.append("not reached")
except ZeroDivisionError as e:
    log.append("caught " + type(e).__name__)
else:
    log.append("else")
finally:
    log.append("finally")
log
# ---
log = []
try:
    log.append("body")
except ValueError:
    log.append("handler")
else:
    log.append("else")
finally:
    log.append("finally")
log
# ---
log = []
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        log.append(i)
    finally:
        log.append("f" + str(i))
log
# ---
try:
    int("x")
except (TypeError, ValueError) as err:
    caught = str(err)
caught
# ---
try:
    try:
        {}["k"]
    except KeyError:
        raise
except LookupError as outer:
    kind = type(outer).__name__
kind
# ---
try:
    [][1]
except KeyError:
    res = "wrong"
res
# ---
try:
    raise ValueError("inner")
except ValueError as e:
    msg = e.args[0]
msg
# ---
from contextlib import suppress
with suppress(ZeroDivisionError):
    1 / 0
"suppressed"
# ---
import io
buf = io.StringIO()
with buf as f:
    f.write("hi")
(buf.closed, "written")
# ---
from threading import Lock
lock = Lock()
with lock:
    held = lock.locked()
(held, lock.locked())
# ---
total = 0
for i in range(10):
    if i == 4:
        break
    total += i
else:
    total = -1
total
# ---
def add(a, b=10, *rest, scale=1, **extra):
    return (a + b + sum(rest)) * scale + len(extra)
[add(1), add(1, 2), add(1, 2, 3, 4), add(1, scale=2), add(1, z=0)]
# ---
def fact(k):
    if k <= 1:
        return 1
    return k * fact(k - 1)
fact(10)
# ---
def make_counter():
    count = 0
    def step():
        return count + 1
    count = 5
    return step
make_counter()()
# ---
base = 100
def offset(v):
    return v + base
base = 200
offset(1)
# ---
def first_even(values):
    for v in values:
        if v % 2 == 0:
            return v
    return None
(first_even(nums), first_even([1, 3]))
# ---
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return "inf"
    finally:
        pass
(safe_div(1, 2), safe_div(1, 0))
# ---
def noop():
    pass
(noop(), noop.__name__)
# ---
def labels(words):
    out = []
    for i, w in enumerate(words):
        out.append(str(i) + ":" + w)
    return out
labels(words)
# ---
def bad(a):
    return a
bad(1, 2)
# ---
def key_of(w):
    return (-len(w), w)
sorted(words, key=key_of)
