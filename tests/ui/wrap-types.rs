//! `pycall::wrap!`: parameter and return types that cannot cross, reported at the type.

pycall::wrap! {
    #[pycall(module = "json")]
    pub struct Json;

    impl Json {
        pub fn dumps(&self, obj: std::fs::File) -> String;
        pub fn loads(&self, s: &str) -> std::fs::File;
    }
}

fn main() {}
