//! Nothing leaks, nothing is lost: each kind of expansion runs a million times (a class or
//! function definition 100,000 times)
//! and the reference counts of its inputs are unchanged and memory is flat, by tracemalloc and
//! by the process's RSS; faults midway (in a comprehension, a call's arguments, a `with`, a
//! chained comparison, a Rust callback that panics) leave nothing behind either and come back
//! as a `PyErr` naming the `py!`; failed conversions are errors, never panics.
//!
//! One test function, so that nothing else runs in the process while it measures.

mod common;

use pycall::prelude::*;
use pycall::pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError, PyZeroDivisionError};

/// Resident set size in KiB, from /proc/self/statm.
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

struct Meter<'py> {
    py: Python<'py>,
    sys: Bound<'py, PyModule>,
    gc: Bound<'py, PyModule>,
    tracemalloc: Bound<'py, PyModule>,
}

impl<'py> Meter<'py> {
    fn refcounts(&self, inputs: &[&Bound<'py, PyAny>]) -> Vec<isize> {
        self.gc.call_method0("collect").unwrap();
        inputs
            .iter()
            .map(|o| {
                self.sys
                    .call_method1("getrefcount", (*o,))
                    .unwrap()
                    .extract()
                    .unwrap()
            })
            .collect()
    }

    fn traced(&self) -> i64 {
        let (current, _peak): (i64, i64) = self
            .tracemalloc
            .call_method0("get_traced_memory")
            .unwrap()
            .extract()
            .unwrap();
        current
    }

    /// Runs `f` `n` times after a warm-up; the inputs' reference counts must not move, Python's
    /// traced memory must grow by less than 64 KiB and RSS by less than 8 MiB.
    fn check(&self, what: &str, n: usize, inputs: &[&Bound<'py, PyAny>], f: impl Fn() -> bool) {
        for _ in 0..n / 100 {
            assert!(f(), "{what}: wrong result during warm-up");
        }
        let before = self.refcounts(inputs);
        let (traced, rss) = (self.traced(), rss_kib());
        let start = std::time::Instant::now();
        for _ in 0..n {
            assert!(f(), "{what}: wrong result");
        }
        let took = start.elapsed();
        let after = self.refcounts(inputs);
        self.gc.call_method0("collect").unwrap();
        let (traced_growth, rss_growth) = (self.traced() - traced, rss_kib() as i64 - rss as i64);
        println!(
            "{what:<28} {n:>9} runs in {took:>9.2?}: refcounts {before:?} -> {after:?}, traced {traced_growth:+} B, RSS {rss_growth:+} KiB"
        );
        assert_eq!(before, after, "{what}: reference counts moved");
        assert!(
            traced_growth < 64 * 1024,
            "{what}: traced memory grew by {traced_growth} B"
        );
        assert!(
            rss_growth < 8 * 1024,
            "{what}: RSS grew by {rss_growth} KiB"
        );
        let _ = self.py;
    }
}

fn noted(py: Python<'_>, err: &PyErr) -> bool {
    common::notes(py, err)
        .iter()
        .any(|s| s.starts_with("in py!("))
}

pycall::wrap! {
    #[pycall(class = "fractions.Fraction")]
    struct Fraction;

    impl Fraction {
        #[pycall(new)]
        fn new(numerator: i64, denominator: i64) -> Fraction;
    }
}

#[test]
fn expansions_and_faults_leak_nothing() {
    let million: usize = std::env::var("PYCALL_LEAK_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    Python::attach(|py| {
        let m = Meter {
            py,
            sys: py.import("sys").unwrap(),
            gc: py.import("gc").unwrap(),
            tracemalloc: py.import("tracemalloc").unwrap(),
        };
        m.tracemalloc.call_method0("start").unwrap();

        let words = py!(["pear", "fig", "banana", "kiwi"]).unwrap();
        let table = py!({"key": 41, "other": [1, 2]}).unwrap();
        let obj = py! {
            import types;
            types.SimpleNamespace(attr=7, name="x")
        }
        .unwrap();
        let a = py!(6.5).unwrap();
        let big = py!(10 * *30).unwrap();
        let key = py!(len).unwrap();
        let inputs = [&words, &table, &obj, &a, &big, &key];

        m.check("call", million, &inputs, || {
            py!(len(words) as usize).unwrap() == 4
        });
        m.check("call with keywords", million, &inputs, || {
            py!(sorted(words, key = key, reverse = True)[0] as String).unwrap() == "banana"
        });
        m.check("attribute", million, &inputs, || {
            py!(obj.attr as i64).unwrap() == 7
        });
        m.check("subscript", million, &inputs, || {
            py!(table["key"] + 1 as i64).unwrap() == 42
        });
        m.check("operators", million, &inputs, || {
            py!(a * 2 + big / / 10 ** 29 > 0 as bool).unwrap()
        });
        m.check("comprehension", million, &inputs, || {
            py!([w.upper() for w in words if len(w) > 3] as Vec<String>)
                .unwrap()
                .len()
                == 3
        });
        m.check("lambda", million, &inputs, || {
            py!((lambda q, r=1: q + r)(a) as f64).unwrap() == 7.5
        });
        m.check("f-string", million, &inputs, || {
            py!(f "{a:>8.2f}|{obj.name!r}" as String).unwrap() == "    6.50|'x'"
        });
        m.check("statement block", million, &inputs, || {
            py! {
                total = 0;
                for w in words { if w != "fig" { total += len(w) } }
                total
                as usize
            }
            .unwrap()
                == 14
        });

        // Classes and decorated functions defined in `py!`: each run defines them anew, as
        // Python does each time the statement runs (100,000 runs: a class is a type object).
        let defs = million / 10;
        let functools = py.import("functools").unwrap().into_any();
        let def_inputs = [&words, &a, &functools];
        m.check("class definition and use", defs, &def_inputs, || {
            py! {
                class Base {
                    def __init__(self, v) { self.v = v }
                    def total(self) { return self.v }
                }
                @functools.total_ordering
                class Scaled(Base) {
                    factor: float = 2.0;
                    def __init__(self, v) { super().__init__(v * self.factor) }
                    def total(self) { return super().total() + len(words) }
                    def __eq__(self, other) { return self.v == other.v }
                    def __lt__(self, other) { return self.v < other.v }
                    @property
                    def half(self) { return self.v / 2 }
                }
                s = Scaled(a);
                (s.total(), s.half, s <= Scaled(a)) == (17.0, 6.5, True)
                as bool
            }
            .unwrap()
        });
        m.check("class in a cycle", defs, &def_inputs, || {
            py! {
                class Node {
                    registry = [];
                    def __init__(self, value) {
                        self.value = value;
                        self.kind = type(self);
                        type(self).registry.append(self)
                    }
                }
                first = Node(a);
                Node(words);
                len(Node.registry) == 2 and first.kind is Node
                as bool
            }
            .unwrap()
        });
        m.check("decorated functions", defs, &def_inputs, || {
            py! {
                def logged(f) {
                    @functools.wraps(f)
                    def wrapper(*args, **kwargs) { return f(*args, **kwargs) }
                    return wrapper
                }
                @functools.lru_cache(maxsize=None)
                def fib(n) { return n if n < 2 else fib(n - 1) + fib(n - 2) }
                @logged
                def scaled(x: float, k: int = 2) -> float {
                    "Scales.";
                    return x * k
                }
                (fib(20), scaled(a), scaled.__name__, scaled.__wrapped__.__doc__)
                    == (6765, 13.0, "scaled", "Scales.")
                as bool
            }
            .unwrap()
        });
        let point = py! {
            class Point {
                __slots__ = ("x", "y");
                def __init__(self, x, y) { self.x = x; self.y = y }
                def norm2(self) { return self.x * self.x + self.y * self.y }
            }
            Point
        }
        .unwrap();
        let cached = py! {
            @functools.lru_cache(maxsize=128)
            def square(n) { return n * n }
            square
        }
        .unwrap();
        let use_inputs = [&point, &cached, &a];
        m.check("instance and method call", defs, &use_inputs, || {
            py!(point(3, 4).norm2() as i64).unwrap() == 25
        });
        m.check("lru_cache hit", million, &use_inputs, || {
            py!(cached(12) as i64).unwrap() == 144
        });
        // `match` over every pattern kind, the failing cases included (each builds and drops
        // its partial captures, keys, attribute values and `**rest` dicts).
        let located = py! {
            class Located {
                __match_args__ = ("x", "y");
                def __init__(self, x, y) { self.x = x; self.y = y }
            }
            Located
        }
        .unwrap();
        let shapes = py! {
            [(1, 2), [0, 3, 4, 5], {"kind": "p", "at": (1, 2), "extra": 0}, located(0, 7),
             located(1, 1), "text", 2.5, None, {"kind": "q"}, (1, (2, 3)), (2, 1)]
        }
        .unwrap();
        let match_inputs = [&shapes, &located];
        m.check("match", defs, &match_inputs, || {
            py! {
                out = [];
                for v in shapes {
                    match v {
                        case (1, (2, c)) { out.append(c) }
                        case (a, b) if a > b { out.append("down") }
                        case [0, *rest] { out.append(len(rest)) }
                        case {"kind": "p", "at": (x, y), **others} { out.append(x + y + len(others)) }
                        case located(x=0, y=y) { out.append(y) }
                        case str() | bytes() as t { out.append(t) }
                        case float(f) | int(f) { out.append(f) }
                        case None { out.append(None) }
                        case _ { out.append("?") }
                    }
                }
                out == ["?", 3, 4, 7, "?", "text", 2.5, None, "?", 3, "down"]
                as bool
            }
            .unwrap()
        });

        // Generators: run to the end (with `send`, `yield from` and a return value), left
        // suspended inside `try`/`finally` (closed when dropped), and suspended in a cycle
        // through their own variables (collected by the garbage collector).
        let generators = py! {
            def inner(xs) { total = 0; for x in xs { total += yield x }; return total }
            def outer(xs) { r = yield from inner(xs); yield r }
            def guarded(log) { try { yield 1; yield 2 } finally { log.append(1) } }
            def selfish() { me = yield; yield me }
            [outer, guarded, selfish]
        }
        .unwrap();
        let generator_inputs = [&generators, &a];
        m.check("generator finished", defs, &generator_inputs, || {
            py! {
                outer, guarded, selfish = generators;
                g = outer([a, 2, 3]);
                got = [next(g), g.send(1), g.send(2), g.send(3)];
                got == [a, 2, 3, 6] as bool
            }
            .unwrap()
        });
        m.check("generator abandoned", defs, &generator_inputs, || {
            py! {
                outer, guarded, selfish = generators;
                log = [];
                g = guarded(log);
                next(g);
                del g;
                log == [1] as bool
            }
            .unwrap()
        });
        m.check("generator in a cycle", defs, &generator_inputs, || {
            py! {
                outer, guarded, selfish = generators;
                g = selfish();
                next(g);
                g.send(g) is g as bool
            }
            .unwrap()
        });

        // Coroutines, driven by hand (a finished one, one closed while suspended in
        // `try`/`finally`) and by an event loop with an async generator and `async with`.
        let coroutines = py! {
            import asyncio;
            async def step(x) { return x + 1 }
            async def chain(n) { total = 0; for i in range(n) { total = await step(total) }; return total }
            async def guarded(log) { try { await asyncio.sleep(0) } finally { log.append(1) } }
            async def ticks(n) { for i in range(n) { yield i } }
            class Manager {
                async def __aenter__(self) { return self }
                async def __aexit__(self, *exc) { return False }
            }
            async def main(n) {
                got = [x async for x in ticks(n)];
                async with Manager() { got.append(await chain(n)) }
                return got
            }
            [chain, guarded, main, asyncio.new_event_loop()]
        }
        .unwrap();
        let coroutine_inputs = [&coroutines, &a];
        m.check("coroutine finished", defs, &coroutine_inputs, || {
            py! {
                chain, guarded, main, loop = coroutines;
                c = chain(3);
                try { c.send(None); done = False } except StopIteration as stop { done = stop.value == 3 }
                done as bool
            }
            .unwrap()
        });
        m.check("coroutine closed", defs, &coroutine_inputs, || {
            py! {
                chain, guarded, main, loop = coroutines;
                log = [];
                c = guarded(log);
                c.send(None);
                c.close();
                log == [1] as bool
            }
            .unwrap()
        });
        m.check(
            "event loop, async for/with",
            defs / 10,
            &coroutine_inputs,
            || {
                py! {
                    chain, guarded, main, loop = coroutines;
                    loop.run_until_complete(main(3)) == [0, 1, 2, 3] as bool
                }
                .unwrap()
            },
        );

        // Async Rust (the `asyncio` feature): 10,000 round trips each way, through pycall's
        // background event loop.
        let token = py!(object()).unwrap();
        let relay = py! { async def relay(awaitable) { return await awaitable } relay }.unwrap();
        let async_inputs = [&token, &relay];
        m.check("py!(await) from Rust", 10_000, &async_inputs, || {
            let future = py!(await __import__("asyncio").sleep(0, token)).unwrap();
            let value = py.detach(|| futures::executor::block_on(future)).unwrap();
            value.bind(py).is(&token)
        });
        m.check(
            "Rust future awaited by Python",
            10_000,
            &async_inputs,
            || {
                let sent = token.clone().unbind();
                let rust = pycall::awaitable(py, async move { Ok(sent) }).unwrap();
                let future = py!(await relay(rust)).unwrap();
                let value = py.detach(|| futures::executor::block_on(future)).unwrap();
                value.bind(py).is(&token)
            },
        );

        // CPython 3.12+ collects cycles only from its bytecode loop, which `py!` code never
        // enters: pycall gives the collector its turn, so cycles that `py!` code alone makes
        // are collected without any `gc.collect()` (on 3.9-3.11 allocations collect them).
        let tracked = || py!(len(__import__("gc").get_objects()) as usize).unwrap();
        let before = tracked();
        for _ in 0..defs / 2 {
            py! { cycle = []; cycle.append(cycle) }.unwrap();
        }
        let after = tracked();
        println!(
            "cycles made by py! alone    {:>9} runs: tracked objects {before} -> {after}",
            defs / 2
        );
        assert!(
            after < before + 20_000,
            "cycles made by py! were not collected: {before} -> {after} tracked objects"
        );

        // Faults: an exception midway, 10% of a million times each.
        let runs = million / 10;
        let nums = py!([5, 4, 3, 2, 1]).unwrap();
        let cm = py! {
            import contextlib;
            contextlib.nullcontext(words)
        }
        .unwrap();
        let boom =
            pycall::callback(py, |(_w,): (String,)| -> i64 { panic!("callback failed") }).unwrap();
        let fault_inputs = [&words, &nums, &cm, &boom, &a];
        let fails =
            |err: PyErr, check: fn(Python<'_>, &PyErr) -> bool| check(py, &err) && noted(py, &err);
        m.check("fault in comprehension", runs, &fault_inputs, || {
            fails(py!([w / (w - 3) for w in nums]).unwrap_err(), |py, e| {
                e.is_instance_of::<PyZeroDivisionError>(py)
            })
        });
        m.check("fault in call arguments", runs, &fault_inputs, || {
            fails(
                py!(max(words, nums, 1 / 0, key = len)).unwrap_err(),
                |py, e| e.is_instance_of::<PyZeroDivisionError>(py),
            )
        });
        m.check("fault in with block", runs, &fault_inputs, || {
            fails(
                py! { with cm as ws { x = ws[0]; raise ValueError(x) } }.unwrap_err(),
                |py, e| e.is_instance_of::<PyValueError>(py) && e.value(py).to_string() == "pear",
            )
        });
        m.check("fault in chained comparison", runs, &fault_inputs, || {
            fails(py!(a < 10 < words < 1).unwrap_err(), |py, e| {
                e.is_instance_of::<PyTypeError>(py)
            })
        });
        m.check("failed conversion", runs, &fault_inputs, || {
            fails(py!(words[0] as i64).unwrap_err(), |py, e| {
                e.is_instance_of::<PyTypeError>(py)
            })
        });
        m.check("fault in a wrap! method", runs, &fault_inputs, || {
            let err = Fraction::new(py, 1, 0).unwrap_err();
            err.is_instance_of::<PyZeroDivisionError>(py)
                && common::notes(py, &err) == ["in Fraction.new (a pycall::wrap! method)"]
        });
        // The panics are caught (and become Python exceptions); keep the default hook from
        // printing each one.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        m.check("panic in Rust callback", runs / 10, &fault_inputs, || {
            fails(py!([boom(w) for w in words]).unwrap_err(), |py, e| {
                e.value(py).to_string() == "Rust callback panicked: callback failed"
            })
        });
        std::panic::set_hook(hook);

        // Failed conversions are errors, never panics.
        let conversions = [
            (py!("text" as i64).unwrap_err(), "TypeError"),
            (py!(2 * *70 as i64).unwrap_err(), "OverflowError"),
            (py!(-1 as u8).unwrap_err(), "OverflowError"),
            (py!(None as f64).unwrap_err(), "TypeError"),
            (py!([1, "a"] as Vec<i64>).unwrap_err(), "TypeError"),
            (py!({"a": 1} as (i64, i64)).unwrap_err(), "TypeError"),
        ];
        for (err, kind) in conversions {
            assert_eq!(err.get_type(py).name().unwrap().to_string(), kind, "{err}");
            assert!(noted(py, &err), "{err}");
        }
        assert!(
            py!(2 * *70 as i64)
                .unwrap_err()
                .is_instance_of::<PyOverflowError>(py)
        );
        m.tracemalloc.call_method0("stop").unwrap();
    });
}
