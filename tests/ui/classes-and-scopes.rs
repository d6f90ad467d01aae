//! Classes, decorators, `global` and `nonlocal`, annotations: what CPython's parser, symbol
//! table and compiler refuse, at the token.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        // `nonlocal` needs a function around it that binds the name.
        let _ = py!(nonlocal x);
        let _ = py!(def f() { nonlocal y; y = 1 });
        let _ = py!(def f() { x = 1; class C { nonlocal z } });
        // A declaration comes before any use of the name in its scope.
        let _ = py!(def f() { print(x); global x });
        let _ = py!(def f() { x = 1; global x });
        let _ = py!(def f(x) { global x });
        let _ = py!(def f() { x: int = 1; global x });
        let _ = py!(def f() { x = 1; def g() { global x; nonlocal x } });
        // Decorators go before a `def` or a `class`, with an expression each.
        let _ = py!(@staticmethod x = 1);
        let _ = py!(@ def f() { pass });
        let _ = py!(@property);
        // `super()` without arguments needs a method (a `def` in a class body).
        let _ = py!(def f() { return super() });
        let _ = py!(super().x);
        // A class body is no function and no loop.
        let _ = py!(class C { return 1 });
        let _ = py!(for i in range(3) { class C { break } });
        let _ = py!(class C { xs = [(y := i) for i in range(3)] });
        // Annotations.
        let _ = py!(a, b: int = 1, 2);
        let _ = py!(f(): int = 1);
        let _ = py!(def f(x: int = ) { pass });
        let _ = py!(def f() -> { pass });
        // Class statements.
        let _ = py!(class C(x for x in y) { pass });
        let _ = py!(class C());
    });
}
