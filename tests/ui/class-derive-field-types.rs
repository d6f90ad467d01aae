//! `#[derive(Class)]`: a field whose type cannot cross to Python, unless it is skipped.

use std::cell::Cell;

#[derive(pycall::Class)]
struct Handle {
    file: std::fs::File,
}

#[derive(pycall::Class)]
struct NotSync {
    count: Cell<i64>,
}

#[derive(pycall::Class)]
struct Skipped {
    #[pycall(skip)]
    file: std::fs::File,
    name: String,
}

fn main() {}
