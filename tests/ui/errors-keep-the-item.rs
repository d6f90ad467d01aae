//! A faulty option of `#[derive(Class)]`, `#[pycall::methods]` or `wrap!` is the only error:
//! the struct, the methods and the wrapper type stay, so the code using them still compiles.

use pycall::prelude::*;

#[derive(pycall::Class)]
#[pycall(frozen, hashable)]
struct Point {
    x: i64,
}

impl Point {
    fn new(x: i64) -> Self {
        Point { x }
    }
}

#[derive(pycall::Class)]
struct Counter {
    n: i64,
}

#[pycall::methods]
impl Counter {
    #[pycall(rename = "total")]
    fn count(&self) -> i64 {
        self.n
    }
}

pycall::wrap! {
    #[pycall(module = "json")]
    pub struct Json;

    impl Json {
        #[pycall(static)]
        pub fn dumps(&self, obj: i64) -> String;
        pub fn loads(&self, text: String) -> i64;
    }
}

fn main() {
    let point = Point::new(3);
    let _: i64 = point.x;
    let _: i64 = Counter { n: 1 }.count();
    Python::attach(|py| {
        let json: Json<'_> = Json::import(py).unwrap();
        let _: i64 = json.loads("1".to_owned()).unwrap();
    });
}
