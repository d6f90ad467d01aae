//! Generators and `async`: what CPython's compiler refuses, at the token.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        // `yield` belongs to a function.
        let _ = py!(yield 1);
        let _ = py! { x = yield 1; x };
        let _ = py! { class C { yield 1 } C };
        // A comprehension is a scope of its own, without `yield`.
        let _ = py! { def f() { return [(yield x) for x in range(3)] } f };
        let _ = py! { def f() { return {(yield x) for x in range(3)} } f };
        let _ = py! { def f() { return {x: (yield x) for x in range(3)} } f };
        let _ = py! { def f() { return list((yield x) for x in range(3)) } f };
        // `await` belongs to an `async def` (or is the whole `py!`, for async Rust).
        let _ = py!(len(await x));
        let _ = py! { def f() { await g() } f };
        let _ = py! { async def f() { return lambda: await g() } f };
        // What an `async def` refuses.
        let _ = py! { async def f() { yield from g() } f };
        let _ = py! { async def f() { yield 1; return 2 } f };
        // `async for`, `async with` and async comprehensions belong to an `async def`.
        let _ = py! { def f(xs) { async for x in xs { pass } } f };
        let _ = py! { async with m { pass } };
        let _ = py! { def f(xs) { return [x async for x in xs] } f };
        let _ = py! { async def f(xs) { return lambda: [x async for x in xs] } f };
        // `yield` needs parentheses inside an expression.
        let _ = py! { def f() { return 1 + yield 2 } f };
        let _ = py! { def f() { yield from } f };
        let _ = py! { def f() { await } f };
    });
}
