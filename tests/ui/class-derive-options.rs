//! `#[derive(Class)]`: options and shapes it refuses, each at its token.

#[derive(pycall::Class)]
#[pycall(frozen, hashable)]
struct UnknownClassOption {
    a: i64,
}

#[derive(pycall::Class)]
struct UnknownFieldOption {
    #[pycall(read_only)]
    a: i64,
}

#[derive(pycall::Class)]
#[pycall(name = "not valid")]
struct BadName {
    #[pycall(name = "class")]
    a: i64,
}

#[derive(pycall::Class)]
#[pycall(repr = "yes", frozen = true)]
struct BadValues {
    a: i64,
}

#[derive(pycall::Class)]
struct Generic<T> {
    a: T,
}

#[derive(pycall::Class)]
struct Borrowing<'a> {
    a: &'a str,
}

#[derive(pycall::Class)]
struct Tuple(i64, i64);

#[derive(pycall::Class)]
enum Choice {
    A,
    B,
}

#[derive(pycall::Class)]
struct Clash {
    a: i64,
    #[pycall(name = "a")]
    b: i64,
    #[pycall(skip, readonly)]
    c: i64,
}

#[derive(pycall::Class)]
#[pycall(frozen, frozen)]
struct Repeated {
    r#lambda: i64,
    #[pycall(name = "größe")]
    size: i64,
}

fn main() {}
