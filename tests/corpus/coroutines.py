# Programs for `async def`, `await`, `async for`, `async with`, async generators and async
# comprehensions (issue 13), in the format of language.py: programs separated by lines
# "# --- <tags>", the last line an expression. tests/test_coroutines.rs runs each through `py!`
# and through CPython's `exec`; macros/backend/tests/parse_corpus.rs compares the parser's
# trees with CPython's `ast.dump`.
# --- coroutine basic run
import asyncio

async def add(a, b):
    return a + b

asyncio.run(add(2, 3))

# --- coroutine await chain
import asyncio

async def inner(x):
    await asyncio.sleep(0)
    return x * 2

async def middle(x):
    return await inner(x) + 1

async def outer():
    return [await middle(i) for i in range(3)]

asyncio.run(outer())

# --- coroutine exception propagates
import asyncio

async def fail():
    await asyncio.sleep(0)
    raise ValueError("inside")

async def main():
    try:
        await fail()
    except ValueError as e:
        return "caught " + str(e)

asyncio.run(main())

# --- coroutine uncaught exception
import asyncio

async def fail():
    raise KeyError("nobody catches")

asyncio.run(fail())

# --- coroutine gather
import asyncio

async def square(x):
    await asyncio.sleep(0)
    return x * x

async def main():
    return await asyncio.gather(*(square(i) for i in range(5)))

asyncio.run(main())

# --- coroutine gather return exceptions
import asyncio

async def maybe(x):
    if x == 2:
        raise ValueError(x)
    return x

async def main():
    results = await asyncio.gather(maybe(1), maybe(2), maybe(3), return_exceptions=True)
    return [repr(r) for r in results]

asyncio.run(main())

# --- coroutine tasks interleave
import asyncio

log = []

async def worker(name, n):
    for i in range(n):
        log.append((name, i))
        await asyncio.sleep(0)

async def main():
    a = asyncio.create_task(worker("a", 3))
    b = asyncio.create_task(worker("b", 2))
    await a
    await b

asyncio.run(main())
log

# --- coroutine task result and done
import asyncio

async def value():
    await asyncio.sleep(0)
    return 42

async def main():
    task = asyncio.ensure_future(value())
    before = task.done()
    result = await task
    return [before, task.done(), result, task.result()]

asyncio.run(main())

# --- coroutine cancellation runs finally
import asyncio

log = []

async def sleeper():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("cancelled")
        raise
    finally:
        log.append("finally")

async def main():
    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append("main saw cancel")
    return task.cancelled()

[asyncio.run(main()), log]

# --- coroutine wait_for timeout
import asyncio

async def slow():
    await asyncio.sleep(10)

async def main():
    try:
        await asyncio.wait_for(slow(), timeout=0.01)
    except asyncio.TimeoutError:
        return "timed out"

asyncio.run(main())

# --- coroutine event and future
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    event = asyncio.Event()

    async def setter():
        await asyncio.sleep(0)
        fut.set_result("future value")
        event.set()

    asyncio.create_task(setter())
    await event.wait()
    return await fut

asyncio.run(main())

# --- coroutine queue producer consumer
import asyncio

async def producer(q):
    for i in range(4):
        await q.put(i)
    await q.put(None)

async def consumer(q):
    got = []
    while True:
        item = await q.get()
        if item is None:
            return got
        got.append(item * 10)

async def main():
    q = asyncio.Queue()
    results = await asyncio.gather(producer(q), consumer(q))
    return results[1]

asyncio.run(main())

# --- coroutine lock and semaphore
import asyncio

async def main():
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(2)
    order = []

    async def job(i):
        async with sem:
            async with lock:
                order.append(i)
                await asyncio.sleep(0)

    await asyncio.gather(*(job(i) for i in range(4)))
    return sorted(order)

asyncio.run(main())

# --- coroutine send directly
async def f():
    return "result"

c = f()
try:
    c.send(None)
except StopIteration as e:
    result = e.value
result

# --- coroutine reuse error
import asyncio

async def f():
    return 1

c = f()
asyncio.run(c)
try:
    c.send(None)
except RuntimeError as e:
    result = str(e)
result

# --- coroutine send non-none first
async def f():
    return 1

c = f()
try:
    c.send(5)
except TypeError as e:
    result = str(e)
c.close()
result

# --- coroutine close unstarted
async def f():
    return 1

c = f()
[c.close(), type(c).__name__]

# --- coroutine throw unstarted
async def f():
    return 1

c = f()
try:
    c.throw(ValueError("early"))
except ValueError as e:
    result = str(e)
result

# --- coroutine name and qualname
async def outer():
    async def inner():
        pass
    return inner

import asyncio
inner = asyncio.run(outer())
c = inner()
names = [c.__name__, c.__qualname__, repr(c).split(" at ")[0]]
c.close()
names

# --- coroutine iscoroutine and awaitable
import asyncio
import inspect

async def f():
    pass

c = f()
result = [asyncio.iscoroutine(c), inspect.isawaitable(c), hasattr(c, "__await__")]
c.close()
result

# --- coroutine await non awaitable
import asyncio

async def main():
    await 5

asyncio.run(main())

# --- coroutine await custom awaitable
import asyncio

class Ready:
    def __init__(self, value):
        self.value = value
    def __await__(self):
        yield from asyncio.sleep(0).__await__()
        return self.value

async def main():
    return await Ready("custom")

asyncio.run(main())

# --- coroutine await returns non iterator
import asyncio

class Bad:
    def __await__(self):
        return 5

async def main():
    await Bad()

asyncio.run(main())

# --- coroutine types coroutine generator
import asyncio
import types

@types.coroutine
def legacy():
    value = yield from asyncio.sleep(0, result="legacy")
    return value

async def main():
    return await legacy()

asyncio.run(main())

# --- coroutine method and classmethod
import asyncio

class Service:
    def __init__(self, base):
        self.base = base
    async def fetch(self, x):
        await asyncio.sleep(0)
        return self.base + x
    @classmethod
    async def make(cls, base):
        return cls(base)

async def main():
    s = await Service.make(10)
    return await s.fetch(5)

asyncio.run(main())

# --- coroutine decorated with wraps
import asyncio
import functools

def logged(f):
    @functools.wraps(f)
    async def wrapper(*args):
        result = await f(*args)
        return ("logged", result)
    return wrapper

@logged
async def compute(x):
    return x + 1

[asyncio.run(compute(1)), compute.__name__]

# --- coroutine closure nonlocal
import asyncio

def counter():
    count = 0
    async def bump():
        nonlocal count
        await asyncio.sleep(0)
        count += 1
        return count
    return bump

bump = counter()

async def main():
    return [await bump(), await bump(), await bump()]

asyncio.run(main())

# --- coroutine try except finally around await
import asyncio

log = []

async def step(x):
    await asyncio.sleep(0)
    if x < 0:
        raise ValueError(x)
    return x

async def main():
    for v in (1, -1):
        try:
            r = await step(v)
        except ValueError as e:
            log.append(("error", e.args[0]))
        else:
            log.append(("ok", r))
        finally:
            log.append("finally")
    return log

asyncio.run(main())

# --- coroutine exception context across await
import asyncio

async def main():
    try:
        try:
            raise KeyError("first")
        except KeyError:
            await asyncio.sleep(0)
            raise ValueError("second")
    except ValueError as e:
        return [str(e), repr(e.__context__)]

asyncio.run(main())

# --- async with class manager
import asyncio

log = []

class Resource:
    async def __aenter__(self):
        await asyncio.sleep(0)
        log.append("enter")
        return "resource"
    async def __aexit__(self, kind, value, tb):
        log.append(("exit", kind.__name__ if kind else None))
        return False

async def main():
    async with Resource() as r:
        log.append(r)
    try:
        async with Resource():
            raise KeyError("inside")
    except KeyError:
        log.append("propagated")
    return log

asyncio.run(main())

# --- async with suppresses
import asyncio

class Suppress:
    async def __aenter__(self):
        return self
    async def __aexit__(self, kind, value, tb):
        return kind is ValueError

async def main():
    async with Suppress():
        raise ValueError("gone")
    return "after"

asyncio.run(main())

# --- async with contextlib asynccontextmanager
import asyncio
import contextlib

log = []

@contextlib.asynccontextmanager
async def opened(name):
    log.append("open " + name)
    try:
        yield name.upper()
    finally:
        log.append("close " + name)

async def main():
    async with opened("a") as a, opened("b") as b:
        log.append(a + b)
    return log

asyncio.run(main())

# --- async with not a manager
import asyncio

async def main():
    async with 5:
        pass

asyncio.run(main())

# --- async with return and break inside
import asyncio

log = []

class Manager:
    async def __aenter__(self):
        return self
    async def __aexit__(self, *exc):
        log.append("exit")

async def main():
    for i in range(3):
        async with Manager():
            if i == 1:
                break
    async with Manager():
        return log

asyncio.run(main())

# --- async for class iterator
import asyncio

class Countdown:
    def __init__(self, n):
        self.n = n
    def __aiter__(self):
        return self
    async def __anext__(self):
        await asyncio.sleep(0)
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        return self.n

async def main():
    out = []
    async for x in Countdown(3):
        out.append(x)
    else:
        out.append("else")
    return out

asyncio.run(main())

# --- async for break continue
import asyncio

async def numbers(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i

async def main():
    out = []
    async for x in numbers(10):
        if x % 2:
            continue
        if x > 6:
            break
        out.append(x)
    else:
        out.append("no break")
    return out

asyncio.run(main())

# --- async for not async iterable
import asyncio

async def main():
    async for x in [1, 2]:
        pass

asyncio.run(main())

# --- async generator basic
import asyncio

async def ticker(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i * 10

async def main():
    return [x async for x in ticker(4)]

asyncio.run(main())

# --- async generator asend
import asyncio

async def echo():
    received = None
    while True:
        received = yield received

async def main():
    g = echo()
    first = await g.asend(None)
    second = await g.asend("hello")
    third = await g.asend("world")
    await g.aclose()
    return [first, second, third]

asyncio.run(main())

# --- async generator athrow caught
import asyncio

async def gen():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            yield "caught " + str(e)

async def main():
    g = gen()
    out = [await g.__anext__(), await g.athrow(ValueError("x")), await g.__anext__()]
    await g.aclose()
    return out

asyncio.run(main())

# --- async generator aclose runs finally
import asyncio

log = []

async def gen():
    try:
        yield 1
        yield 2
    finally:
        log.append("finally")

async def main():
    g = gen()
    await g.__anext__()
    await g.aclose()
    return [log, [x async for x in g]]

asyncio.run(main())

# --- async generator ignored generatorexit
import asyncio

async def gen():
    try:
        yield 1
    finally:
        yield 2

async def main():
    g = gen()
    await g.__anext__()
    await g.aclose()

asyncio.run(main())

# --- async generator stop async iteration
import asyncio

async def gen():
    yield 1

async def main():
    g = gen()
    first = await g.__anext__()
    try:
        await g.__anext__()
    except StopAsyncIteration:
        return [first, "stopped"]

asyncio.run(main())

# --- async generator raises stopasynciteration inside
import asyncio

async def gen():
    yield 1
    raise StopAsyncIteration

async def main():
    return [x async for x in gen()]

asyncio.run(main())

# --- async generator closed by loop shutdown
import asyncio

log = []

async def gen():
    try:
        for i in range(10):
            yield i
    finally:
        log.append("closed by shutdown")

async def main():
    g = gen()
    async for x in g:
        if x == 2:
            break
    return x

[asyncio.run(main()), log]

# --- async generator type and repr
import asyncio

async def gen():
    yield 1

g = gen()
[type(g).__name__, repr(g).split(" at ")[0], hasattr(g, "__anext__"), hasattr(g, "asend")]

# --- async generator in class
import asyncio

class Stream:
    def __init__(self, items):
        self.items = items
    async def __aiter__(self):
        for item in self.items:
            await asyncio.sleep(0)
            yield item.upper()

async def main():
    return [x async for x in Stream(["a", "b"])]

asyncio.run(main())

# --- async generator return without value
import asyncio

async def gen(n):
    for i in range(10):
        if i == n:
            return
        yield i

async def main():
    return [x async for x in gen(3)]

asyncio.run(main())

# --- async comprehension dict set
import asyncio

async def pairs():
    for k in "abc":
        yield k, ord(k)

async def main():
    d = {k: v async for k, v in pairs()}
    s = {v % 2 async for k, v in pairs()}
    return [d, s]

asyncio.run(main())

# --- await inside comprehension
import asyncio

async def double(x):
    await asyncio.sleep(0)
    return x * 2

async def main():
    return [await double(x) for x in range(4) if x != 2]

asyncio.run(main())

# --- async comprehension nested with filter
import asyncio

async def letters():
    for c in "xy":
        yield c

async def main():
    return [c + str(i) async for c in letters() for i in range(2) if i or c == "x"]

asyncio.run(main())

# --- coroutine while loop with await condition
import asyncio

async def main():
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    out = []
    while not q.empty():
        out.append(await q.get())
    return out

asyncio.run(main())

# --- coroutine as_completed order independent
import asyncio

async def value(x):
    await asyncio.sleep(0)
    return x

async def main():
    results = []
    for fut in asyncio.as_completed([value(i) for i in range(3)]):
        results.append(await fut)
    return sorted(results)

asyncio.run(main())

# --- coroutine default and keyword arguments
import asyncio

async def greet(name, *, greeting="hello", punct="!"):
    await asyncio.sleep(0)
    return greeting + " " + name + punct

async def main():
    return [await greet("a"), await greet("b", greeting="hi"), await greet("c", punct="?")]

asyncio.run(main())

# --- coroutine annotations and docstring
async def f(x: int) -> str:
    "Returns text."
    return str(x)

[f.__doc__, f.__annotations__]

# --- async generator expression
import asyncio

async def numbers():
    for i in range(4):
        await asyncio.sleep(0)
        yield i

async def main():
    squares = (x * x async for x in numbers() if x % 2 == 0)
    return [type(squares).__name__, [v async for v in squares]]

asyncio.run(main())

# --- generator expression with await is async
import asyncio

async def double(x):
    await asyncio.sleep(0)
    return x * 2

async def main():
    g = (await double(x) for x in range(3))
    return [type(g).__name__, [v async for v in g]]

asyncio.run(main())

# --- async generator expression outside coroutine
import asyncio

async def numbers():
    yield 1
    yield 2

def make():
    return (x + 1 async for x in numbers())

async def main():
    return [x async for x in make()]

asyncio.run(main())

# --- async with missing aexit
import asyncio

class Half:
    async def __aenter__(self):
        return self

async def main():
    async with Half():
        pass

asyncio.run(main())

# --- await call direct suspends and resumes with values
# `await f(...)` of an `async def` runs its body without a coroutine object (issue 16): what
# the body suspends with reaches the driver, what the driver sends reaches the body.
import types

@types.coroutine
def ask(question):
    answer = yield question
    return answer

async def inner(q):
    a = await ask(q)
    b = await ask(q * 2)
    return a + b

async def outer():
    return await inner(10) * 100

c = outer()
first = c.send(None)
second = c.send(1)
try:
    c.send(2)
except StopIteration as stop:
    done = stop.value
[first, second, done]

# --- await call direct closed while suspended
import types

log = []

@types.coroutine
def pause():
    yield "paused"

async def inner():
    try:
        await pause()
    finally:
        log.append("inner finally")

async def outer():
    try:
        await inner()
    finally:
        log.append("outer finally")

c = outer()
c.send(None)
c.close()
log

# --- await call direct ignores GeneratorExit
import types

@types.coroutine
def pause():
    yield "paused"

async def stubborn():
    while True:
        try:
            await pause()
        except GeneratorExit:
            pass

async def outer():
    await stubborn()

c = outer()
c.send(None)
c.close()

# --- await call direct thrown into
import types

@types.coroutine
def pause():
    yield "paused"

async def inner():
    try:
        await pause()
    except KeyError as e:
        return "inner caught " + str(e)

async def outer():
    return "outer got " + await inner()

c = outer()
c.send(None)
try:
    c.throw(KeyError("k"))
except StopIteration as stop:
    result = stop.value
result

# --- await call direct cancelled
import asyncio

log = []

async def slow():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("cancelled inside")
        raise
    finally:
        log.append("finally inside")

async def main():
    try:
        await asyncio.wait_for(slow(), 0.01)
    except asyncio.TimeoutError:
        log.append("timed out")
    return log

asyncio.run(main())

# --- await call direct wrong arguments
import asyncio

async def two(a, b):
    return a + b

async def main():
    return await two(1)

asyncio.run(main())

# --- await call direct keywords and defaults
import asyncio

async def f(a, b=10, *, c=100):
    await asyncio.sleep(0)
    return a + b + c

async def main():
    return [await f(1), await f(1, 2), await f(1, c=3), await f(a=5, b=5, c=5)]

asyncio.run(main())

# --- await call direct recursion
import asyncio

async def fact(n):
    if n <= 1:
        return 1
    await asyncio.sleep(0)
    return n * await fact(n - 1)

asyncio.run(fact(20))

# --- await call of a def returning a coroutine
import asyncio

async def real(x):
    return x + 1

def wrapper(x):
    return real(x * 10)

async def main():
    return await wrapper(4)

asyncio.run(main())

# --- await call of an async generator function
import asyncio

async def agen():
    yield 1

async def main():
    return await agen()

asyncio.run(main())

# --- await call direct raises StopIteration inside
import asyncio

async def inner():
    raise StopIteration(5)

async def main():
    try:
        await inner()
    except RuntimeError as e:
        return [type(e).__name__, str(e), type(e.__cause__).__name__]

asyncio.run(main())

# --- await call direct awaits the running coroutine
import asyncio

holder = []

async def inner():
    return await holder[0]

async def outer():
    return await inner()

c = outer()
holder.append(c)
try:
    c.send(None)
except Exception as e:
    outcome = [type(e).__name__, str(e)]
outcome

# --- await call direct of a lambda-made coroutine function and a rebound name
import asyncio

async def first():
    return "first"

async def second():
    return "second"

async def main():
    got = [await first()]
    f = second
    got.append(await f())
    return got

asyncio.run(main())

# --- await call direct not taken by a call made while binding its arguments
import asyncio

leaked = []
entered = []

async def f(a, *, c=1):
    return ["f", a, c]

class Key(str):
    def __hash__(self):
        return str.__hash__(self)
    def __eq__(self, other):
        if not entered:
            entered.append(1)
            leaked.append(f(99))
        return str.__eq__(self, other)

f.__kwdefaults__ = {Key("c"): 5}

async def main():
    got = await f(1)
    kinds = [type(x).__name__ for x in leaked]
    for x in leaked:
        if x is not None:
            x.close()
    return [got, kinds]

asyncio.run(main())

# --- await call direct dropped while suspended runs every finally
import types

log = []

@types.coroutine
def pause():
    yield "paused"

async def inner():
    try:
        await pause()
    finally:
        log.append("inner finally")

async def middle():
    try:
        await inner()
    finally:
        log.append("middle finally")

async def outer():
    try:
        await middle()
    finally:
        log.append("outer finally")

c = outer()
c.send(None)
del c
log

# --- await call direct collected in a cycle while suspended
import types
import gc

log = []

@types.coroutine
def pause():
    yield "paused"

async def inner():
    try:
        await pause()
    finally:
        log.append("inner finally")

async def outer(box):
    try:
        await inner()
    finally:
        log.append("outer finally")

box = []
c = outer(box)
box.append(c)
c.send(None)
del c, box
gc.collect()
log

# --- await call direct thrown into then closed with an error in finally
import types

@types.coroutine
def pause(v):
    return (yield v)

async def inner():
    try:
        await pause(1)
    except ValueError as e:
        x = await pause("again " + str(e))
        return x
    finally:
        pass

async def bad():
    try:
        await pause(2)
    finally:
        raise KeyError("from finally")

async def outer():
    r = await inner()
    try:
        await bad()
    except KeyError as e:
        return [r, "caught " + str(e)]

c = outer()
out = [c.send(None), c.throw(ValueError("v")), c.send(None)]
try:
    c.close()
except KeyError as e:
    out.append("close raised " + str(e))
out

# --- await call direct exception context
import asyncio

async def inner():
    raise ValueError("inner")

async def outer():
    try:
        raise KeyError("k")
    except KeyError:
        try:
            await inner()
        except ValueError as e:
            return [repr(e), repr(e.__context__)]

asyncio.run(outer())

# --- await call direct ignores GeneratorExit once then is dropped
import types

log = []

@types.coroutine
def pause():
    yield "paused"

async def inner():
    try:
        try:
            await pause()
        except GeneratorExit:
            log.append("ignored")
        await pause()
    finally:
        log.append("inner finally")

async def outer():
    try:
        await inner()
    except RuntimeError as e:
        log.append("outer caught " + str(e))
    log.append("outer after")

c = outer()
c.send(None)
try:
    c.close()
except RuntimeError as e:
    log.append("close: " + str(e))
log

# --- await call direct recursion without end
import asyncio

async def down(n):
    return 1 + await down(n + 1)

async def main():
    try:
        return await down(0)
    except RecursionError as e:
        return type(e).__name__

asyncio.run(main())

# --- await call direct recursion 900 deep
import asyncio

async def down(n):
    if n == 0:
        return 0
    return 1 + await down(n - 1)

asyncio.run(down(900))
