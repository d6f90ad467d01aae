# Programs for generators (issue 13), in the format of language.py: programs separated by lines
# "# --- <tags>", the last line an expression. tests/test_generators.rs runs each through `py!`
# and through CPython's `exec`; macros/backend/tests/parse_corpus.rs compares the parser's
# trees with CPython's `ast.dump`.
# --- yield basic
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1

list(count(4))

# --- yield bare value none
def nothing():
    yield
    yield

list(nothing())

# --- yield tuple
def pairs():
    yield 1, 2
    yield 3, 4

list(pairs())

# --- yield return value stopiteration
def g():
    yield 1
    return "done"

it = g()
out = [next(it)]
try:
    next(it)
except StopIteration as e:
    out.append(e.value)
out

# --- yield return none
def g():
    yield 1
    return

it = g()
next(it)
try:
    next(it)
except StopIteration as e:
    result = (e.value, e.args)
result

# --- yield return tuple value
def g():
    return (1, 2)
    yield

try:
    next(g())
except StopIteration as e:
    result = (e.value, e.args)
result

# --- send
def echo():
    received = []
    while True:
        value = yield len(received)
        if value is None:
            break
        received.append(value)
    return received

e = echo()
out = [next(e), e.send("a"), e.send("b")]
try:
    e.send(None)
except StopIteration as stop:
    out.append(stop.value)
out

# --- send just started error
def g():
    yield 1

g().send(5)

# --- send just started none
def g():
    x = yield 1
    yield x

it = g()
[it.send(None), it.send("x")]

# --- send finished
def g():
    yield 1

it = g()
list(it)
try:
    it.send(None)
except StopIteration as e:
    result = ("stopped", e.args)
result

# --- yield expression in assignment and augmented
def acc():
    total = 0
    while True:
        total += yield total

a = acc()
next(a)
[a.send(1), a.send(2), a.send(10)]

# --- yield in expression parenthesized
def g():
    x = (yield 1) + (yield 2)
    yield x

it = g()
[next(it), it.send(10), it.send(20)]

# --- yield inside call arguments
def g():
    yield str((yield "first"))

it = g()
[next(it), it.send(42)]

# --- throw caught
def g():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            yield "caught " + str(e)

it = g()
[next(it), it.throw(ValueError("boom")), next(it)]

# --- throw uncaught
def g():
    yield 1
    yield 2

it = g()
next(it)
try:
    it.throw(KeyError("k"))
except KeyError as e:
    result = repr(e)
[result, list(it)]

# --- throw class with value
def g():
    try:
        yield 1
    except ValueError as e:
        yield e.args

it = g()
next(it)
it.throw(ValueError)

# --- throw unstarted
def g():
    yield 1

it = g()
try:
    it.throw(TypeError("early"))
except TypeError as e:
    result = str(e)
[result, list(it)]

# --- throw not exception
def g():
    yield 1

it = g()
next(it)
it.throw(42)

# --- close running finally
log = []

def g():
    try:
        yield 1
        yield 2
    finally:
        log.append("cleanup")

it = g()
next(it)
it.close()
[log, list(it)]

# --- close unstarted
log = []

def g():
    try:
        yield 1
    finally:
        log.append("never")

it = g()
it.close()
[log, list(it)]

# --- close catches generatorexit
def g():
    try:
        yield 1
    except GeneratorExit:
        raise
    yield 2

it = g()
next(it)
[it.close(), list(it)]

# --- close ignored generatorexit
def g():
    while True:
        try:
            yield 1
        except GeneratorExit:
            pass

it = g()
next(it)
it.close()

# --- close raises other
def g():
    try:
        yield 1
    except GeneratorExit:
        raise ValueError("in close")

it = g()
next(it)
it.close()

# --- close twice
def g():
    yield 1

it = g()
next(it)
[it.close(), it.close()]

# --- generatorexit through finally order
log = []

def g():
    try:
        try:
            yield 1
        finally:
            log.append("inner")
    finally:
        log.append("outer")

it = g()
next(it)
it.close()
log

# --- yield from list
def g():
    yield from [1, 2, 3]
    yield 4

list(g())

# --- yield from generator return value
def inner():
    yield 1
    yield 2
    return "inner result"

def outer():
    result = yield from inner()
    yield result

list(outer())

# --- yield from send delegation
def inner():
    got = []
    while len(got) < 2:
        got.append((yield len(got)))
    return got

def outer():
    r = yield from inner()
    yield r

o = outer()
[next(o), o.send("a"), o.send("b")]

# --- yield from throw delegation
def inner():
    try:
        yield 1
    except KeyError:
        yield "inner caught"

def outer():
    yield from inner()
    yield "after"

o = outer()
[next(o), o.throw(KeyError), next(o)]

# --- yield from close delegation
log = []

def inner():
    try:
        yield 1
    finally:
        log.append("inner closed")

def outer():
    try:
        yield from inner()
    finally:
        log.append("outer closed")

o = outer()
next(o)
o.close()
log

# --- yield from nested three levels
def a():
    yield "a"
    return 1

def b():
    x = yield from a()
    yield "b"
    return x + 1

def c():
    y = yield from b()
    yield y

list(c())

# --- yield from iterator without send
def g():
    yield from iter(range(3))

it = g()
next(it)
it.send(None)

# --- yield from iterator send value errors
def g():
    yield from iter(range(3))

it = g()
next(it)
it.send(5)

# --- yield from not iterable
def g():
    yield from 5

list(g())

# --- yield from string and dict
def g():
    yield from "ab"
    yield from {"k": 1}

list(g())

# --- stopiteration inside generator runtimeerror
def g():
    yield 1
    raise StopIteration("inner")

it = g()
next(it)
try:
    next(it)
except RuntimeError as e:
    result = (str(e), type(e.__cause__).__name__)
result

# --- next on finished generator
def g():
    yield 1

it = g()
list(it)
next(it, "default")

# --- exception in generator finishes it
def g():
    yield 1
    raise ValueError("bad")
    yield 2

it = g()
next(it)
try:
    next(it)
except ValueError:
    pass
list(it)

# --- gi_running reentry
def g():
    yield me.gi_running
    next(me)

me = g()
out = [next(me)]
try:
    next(me)
except ValueError as e:
    out.append(str(e))
[out, me.gi_running]

# --- generator name and qualname
def outer():
    def inner():
        yield 1
    return inner()

it = outer()
[it.__name__, it.__qualname__]

# --- generator repr prefix
def g():
    yield 1

repr(g()).split(" at ")[0]

# --- generator closure captures
def make(step):
    def g(n):
        for i in range(n):
            yield i * step
    return g

list(make(3)(4))

# --- generator nonlocal
def counter():
    count = 0
    def g():
        nonlocal count
        while True:
            count += 1
            yield count
    return g

g = counter()()
[next(g), next(g), next(g)]

# --- generator locals independent
def g(x):
    yield x
    x += 1
    yield x

a, b = g(1), g(10)
[next(a), next(b), next(a), next(b)]

# --- generator default and keyword args
def g(start, *, step=2, stop=10):
    while start < stop:
        yield start
        start += step

[list(g(1)), list(g(0, step=5)), list(g(stop=3, start=0))]

# --- generator varargs
def g(*args, **kwargs):
    yield from args
    yield from sorted(kwargs.items())

list(g(1, 2, z=3, a=4))

# --- generator with for loop and break
def g(items):
    for item in items:
        if item < 0:
            break
        yield item * 2
    else:
        yield "no break"

[list(g([1, 2, -1, 3])), list(g([1]))]

# --- generator with while else continue
def g(n):
    i = 0
    while i < n:
        i += 1
        if i % 2:
            continue
        yield i
    else:
        yield "end"

list(g(6))

# --- generator in try except else
def g(values):
    for v in values:
        try:
            r = 10 // v
        except ZeroDivisionError:
            yield "div"
        else:
            yield r

list(g([1, 0, 5]))

# --- yield inside except block exc_info
import sys

def g():
    try:
        raise KeyError("k")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
    yield sys.exc_info()[0]

list(g())

# --- yield inside except caller sees own exception
import sys

def g():
    try:
        raise KeyError("inside")
    except KeyError:
        yield 1

it = g()
next(it)
outside = sys.exc_info()[0]
try:
    raise ValueError("caller")
except ValueError:
    caller_view = sys.exc_info()[0].__name__
[outside, caller_view, next(it, "end")]

# --- yield inside with block
log = []

class Manager:
    def __enter__(self):
        log.append("enter")
        return self
    def __exit__(self, *exc):
        log.append(("exit", exc[0]))
        return False

def g():
    with Manager():
        yield 1
        yield 2

[list(g()), log]

# --- close inside with block
log = []

class Manager:
    def __enter__(self):
        return self
    def __exit__(self, kind, value, tb):
        log.append(kind.__name__ if kind else None)

def g():
    with Manager():
        yield 1

it = g()
next(it)
it.close()
log

# --- yield in finally during close
def g():
    try:
        yield 1
    finally:
        yield 2

it = g()
next(it)
it.close()

# --- return inside try finally in generator
log = []

def g():
    try:
        yield 1
        return "r"
    finally:
        log.append("f")

it = g()
next(it)
try:
    next(it)
except StopIteration as e:
    result = e.value
[result, log]

# --- generator method in class
class Tree:
    def __init__(self, value, children=()):
        self.value = value
        self.children = children
    def walk(self):
        yield self.value
        for child in self.children:
            yield from child.walk()

t = Tree(1, [Tree(2, [Tree(3)]), Tree(4)])
list(t.walk())

# --- generator iter protocol in class
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        n = self.n
        while n > 0:
            yield n
            n -= 1

[list(Countdown(3)), sum(Countdown(4))]

# --- generator decorated
def double(f):
    def wrapper(*args):
        for v in f(*args):
            yield v * 2
    return wrapper

@double
def g(n):
    yield from range(n)

list(g(3))

# --- generator pipeline
def numbers(n):
    yield from range(n)

def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x

def squares(src):
    for x in src:
        yield x * x

list(squares(evens(numbers(10))))

# --- generator sum filter
def gen(n):
    for i in range(n):
        yield i

sum(x for x in gen(30) if x % 3)

# --- infinite generator with islice
import itertools

def naturals():
    n = 0
    while True:
        yield n
        n += 1

list(itertools.islice(naturals(), 5))

# --- generator zip and enumerate
def letters():
    yield "a"
    yield "b"
    yield "c"

[list(zip(letters(), range(10))), list(enumerate(letters(), 1))]

# --- generator unpacking and star
def g():
    yield 1
    yield 2
    yield 3

first, *rest = g()
[first, rest, [*g()], (*g(), 4)]

# --- generator in comprehension
def g(n):
    yield from range(n)

[x * y for x in g(3) for y in g(2)]

# --- generator recursion
def flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item

list(flatten([1, [2, [3, [4]], 5], [[6]]]))

# --- generator fibonacci
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

f = fib()
[next(f) for _ in range(10)]

# --- generator lambda yield
g = lambda: (yield 1)
it = g()
[next(it), next(it, "end")]

# --- generator lambda send
g = lambda: (yield (yield "a"))
it = g()
[next(it), it.send("b"), next(it, "end")]

# --- generator isinstance dispatch inside
def g(items):
    for item in items:
        if isinstance(item, tuple):
            x, y = item
            yield x + y
        elif isinstance(item, int):
            yield -item
        else:
            yield "?"

list(g([(1, 2), 5, "s"]))

# --- generator walrus
def g(data):
    it = iter(data)
    while (item := next(it, None)) is not None:
        yield item

list(g([3, 1, 2]))

# --- generator del variable
def g():
    x = 1
    yield x
    del x
    yield "deleted"
    yield x

list(g())

# --- generator unbound local
def g():
    yield y
    y = 1

list(g())

# --- generator global
total = 0

def g():
    global total
    for i in range(3):
        total += i
        yield total

[list(g()), total]

# --- generator state after exhaustion
def g():
    yield 1

it = g()
[list(it), list(it), next(it, None)]

# --- generator type name
def g():
    yield 1

[type(g()).__name__, hasattr(g(), "send"), hasattr(g(), "throw"), hasattr(g(), "close")]

# --- generator iter returns self
def g():
    yield 1

it = g()
iter(it) is it

# --- generator as dict and set source
def g():
    yield "a", 1
    yield "b", 2

[dict(g()), sorted(set(k for k, _ in g()))]

# --- generator sorted key and max
def g():
    yield "ccc"
    yield "a"
    yield "bb"

[sorted(g(), key=len), max(g(), key=len), "-".join(g())]

# --- generator exception traceback type
def g():
    yield 1 / 0

list(g())

# --- generator exception context
def g():
    try:
        yield 1
    except KeyError:
        raise ValueError("converted")

it = g()
next(it)
try:
    it.throw(KeyError("original"))
except ValueError as e:
    result = (str(e), repr(e.__context__))
result

# --- throw into finished generator
def g():
    yield 1

it = g()
list(it)
it.throw(IndexError("after"))

# --- close returns value
def g():
    try:
        yield 1
    except GeneratorExit:
        return "closed value"

it = g()
next(it)
r = it.close()
r is None or r == "closed value"

# --- generator in class attribute iteration
class Registry:
    items = ["x", "y"]
    @classmethod
    def each(cls):
        for item in cls.items:
            yield item.upper()

list(Registry.each())

# --- generator send accumulates average
def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        total += term
        count += 1
        average = total / count

avg = averager()
next(avg)
[avg.send(10), avg.send(30), avg.send(5)]

# --- yield from generator exception propagation
def inner():
    yield 1
    raise KeyError("from inner")

def outer():
    try:
        yield from inner()
    except KeyError as e:
        yield "outer caught " + repr(e)

list(outer())

# --- yield from throw without throw method
class It:
    def __iter__(self):
        return self
    def __next__(self):
        return 1

def g():
    yield from It()

it = g()
next(it)
it.throw(ValueError("no throw method"))

# --- yield from close iterator close method
log = []

class It:
    def __iter__(self):
        return self
    def __next__(self):
        return 1
    def close(self):
        log.append("closed")

def g():
    yield from It()

it = g()
next(it)
it.close()
log

# --- generator with nested def inside
def g():
    def helper(x):
        return x * 10
    for i in range(3):
        yield helper(i)

list(g())

# --- generator yields lambda using loop variable
def g():
    for i in range(3):
        yield lambda: i

[f() for f in g()]

# --- generator conditional yield expression
def g(flag):
    yield "yes" if flag else "no"
    yield (yield "inner") if flag else "skip"

[list(g(True)), list(g(False))]

# --- generator yield in while condition
def g():
    while (yield "ask") != "stop":
        pass
    yield "stopped"

it = g()
[next(it), it.send("go"), it.send("stop")]

# --- generator with annotations
def g(n: int) -> "Iterator[int]":
    x: int = 0
    while x < n:
        yield x
        x += 1

[list(g(3)), g.__annotations__]

# --- generator docstring
def g():
    "Yields one."
    yield 1

[g.__doc__, list(g())]

# --- generator expression send throw close
g = (x * 2 for x in range(5))
out = [next(g), g.send(None)]
try:
    g.throw(ValueError("into genexpr"))
except ValueError as e:
    out.append(str(e))
out.append(list(g))
g2 = (x for x in range(3))
next(g2)
g2.close()
[out, list(g2)]

# --- generator expression send non none unstarted
g = (x for x in range(3))
g.send(1)

# --- generator expression name qualname repr
def outer():
    return (x for x in "ab")

g = outer()
[g.__name__, g.__qualname__, repr(g).split(" at ")[0], type(g).__name__]

# --- generator expression first iterable evaluated eagerly
def items():
    log.append("items called")
    return [1, 2]

log = []
g = (x for x in items())
log.append("created")
[log, list(g)]

# --- generator expression first iterable not iterable
(x for x in 5)

# --- generator expression later iterable lazy error
g = (x + y for x in [1] for y in 5)
next(g)

# --- generator expression closes inner generator
log = []

def inner():
    try:
        yield 1
        yield 2
    finally:
        log.append("inner closed")

g = (x for x in inner())
next(g)
g.close()
log

# --- generator expression gi_running in its own element
g = (g.gi_running for _ in range(1))
list(g)

# --- generator expression feeding yield from
def g():
    total = yield from (x * x for x in range(4))
    yield total

list(g())

# --- with missing exit inside generator
class Half:
    def __enter__(self):
        return self

def g():
    with Half():
        yield 1

list(g())

# --- generator resumed inside itself without end
# Each `next()` resumes a new generator inside the one running: Python's recursion limit ends
# it with a `RecursionError`, as in CPython (before, pycall overflowed the thread's stack).
def g(n):
    yield next(g(n + 1))

try:
    next(g(0))
except RecursionError as e:
    r = type(e).__name__
r

# --- generator resumed inside itself 400 deep
# Finite recursion through `next()` that every CPython from 3.9 allows (3.9 and 3.10 count
# both the `next()` call and the generator's frame, and stop near 500 levels; 3.11 runs 900):
# pycall counts the call against Python's counter and the resumption on its own, not both
# against one.
def g(n):
    if n == 0:
        yield 0
    else:
        yield next(g(n - 1)) + 1

next(g(400))
