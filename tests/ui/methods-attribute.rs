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

fn main() {}
