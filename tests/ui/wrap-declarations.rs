//! `pycall::wrap!`: declaration errors, each at its token.

pycall::wrap! {
    #[pycall(class = "fractions.Fraction")]
    pub struct Fraction;

    impl Fraction {
        pub fn no_return_type(&self, max: i64);
        pub fn with_body(&self) -> i64 { 1 }
        pub fn generic<T>(&self, x: T) -> i64;
        pub fn mutable(&mut self) -> i64;
        pub fn by_value(self) -> i64;
        #[pycall(getter)]
        pub fn getter_with_args(&self, x: i64) -> i64;
        #[pycall(new)]
        pub fn new_with_self(&self) -> Fraction;
        #[pycall(static)]
        pub fn unknown_option(&self) -> i64;
        pub fn pattern(&self, (a, b): (i64, i64)) -> i64;
        pub fn keyword_typo(&self, #[pycall(kw)] x: i64) -> i64;
        pub async fn asynchronous(&self) -> i64;
    }
}

pycall::wrap! {
    #[pycall(module = "json")]
    pub struct Params;
    impl Params {
        pub fn dumps(py: i64) -> String;
        pub fn twice(&self, #[pycall(keyword = "x")] a: i64, #[pycall(keyword = "x")] b: i64) -> i64;
        pub fn foreign(&self, #[allow(unused)] a: i64) -> i64;
    }
}

pycall::wrap! {
    pub struct NoTarget;
    impl NoTarget {}
}

pycall::wrap! {
    #[pycall(class = "Fraction")]
    pub struct NoModule;
    impl NoModule {}
}

pycall::wrap! {
    #[pycall(module = "json")]
    pub struct WithFields { inner: i64 }
    impl WithFields {
        #[pycall(new)]
        pub fn new() -> WithFields;
    }
}

pycall::wrap! {
    #[pycall(module = "json")]
    pub struct Mismatch;
    impl Other {}
}

fn main() {}
