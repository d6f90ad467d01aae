//! `#[pycall::methods]`: misuse, each at its token.

#[derive(pycall::Class)]
struct Counter {
    n: i64,
}

#[pycall::methods(frozen)]
impl Counter {
    #[pycall(rename = "x")]
    fn a(&self) -> i64 {
        self.n
    }
    #[pycall(name = "not-an-identifier")]
    fn b(&self) -> i64 {
        self.n
    }
}

trait Bump {
    fn bump(&mut self);
}

#[pycall::methods]
impl Bump for Counter {
    fn bump(&mut self) {
        self.n += 1
    }
}

#[derive(pycall::Class)]
struct Shadowed {
    count: i64,
    total: i64,
}

#[pycall::methods]
impl Shadowed {
    fn count(&self) -> i64 {
        self.count
    }
    #[getter]
    fn get_total(&self) -> i64 {
        self.total * 2
    }
}

#[pycall::methods]
impl Shadowed {
    fn __getattribute__(&self, name: String) -> String {
        name
    }
}

#[pycall::pyo3::pyclass(crate = "pycall::pyo3")]
struct PlainPyclass {
    n: i64,
}

#[pycall::methods]
impl PlainPyclass {
    fn n(&self) -> i64 {
        self.n
    }
}

fn main() {}
