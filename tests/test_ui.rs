//! Compile-fail: every family of errors `py!` reports, one file each under tests/ui/, with the
//! compiler's output kept next to it and reviewed by eye whenever it changes.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
