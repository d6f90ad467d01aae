//! Behaviour: which names are Python's and which are Rust's, and how Rust values flow in.

use pycall::prelude::*;
use pycall::pyo3::types::{PyDict, PyList};
use std::collections::HashMap;

const LIMIT: i64 = 5;
static GREETING: &str = "hi";

struct Point {
    x: f64,
    y: f64,
}

fn double(v: i64) -> i64 {
    v * 2
}

#[test]
fn rust_locals_consts_and_statics() {
    Python::attach(|py| {
        let base = 10_i64;
        let r: i64 = py!(base * LIMIT + len(GREETING) as i64).unwrap();
        assert_eq!(r, 52);
    });
}

#[test]
fn rust_values_are_borrowed_not_moved() {
    Python::attach(|py| {
        let words = vec![String::from("pear"), String::from("fig")];
        let n: usize = py!(len(words) as usize).unwrap();
        // `words` is still ours: py! converted it by reference.
        assert_eq!(words.len(), n);
        let by_ref = &words;
        let first: String = py!(by_ref[0] as String).unwrap();
        assert_eq!(first, "pear");
        let as_slice: &[String] = &words;
        let joined: String = py!("-".join(as_slice) as String).unwrap();
        assert_eq!(joined, "pear-fig");
    });
}

#[test]
fn bound_and_py_objects_go_in_as_the_same_object() {
    Python::attach(|py| {
        let items = PyList::empty(py);
        py!(items.append(1)).unwrap();
        py!(items.extend([2, 3])).unwrap();
        assert_eq!(items.len(), 3);
        let same: bool = py!(items is items as bool).unwrap();
        assert!(same);
        let owned: Py<PyList> = items.clone().unbind();
        let identical: bool = py!(owned is items as bool).unwrap();
        assert!(identical);
        let as_any = items.as_any();
        let total: i64 = py!(sum(as_any) as i64).unwrap();
        assert_eq!(total, 6);
    });
}

#[test]
fn builtin_names_win_over_rust_locals() {
    Python::attach(|py| {
        // A Rust local named like a builtin is not seen without `$`: `list` is Python's `list`.
        let list = vec![1_i64, 2];
        let name: String = py!(list.__name__ as String).unwrap();
        assert_eq!(name, "list");
        let total: i64 = py!(sum($list) as i64).unwrap();
        assert_eq!(total, 3);
    });
}

#[test]
fn escapes_for_shadowed_names_and_any_rust_expression() {
    Python::attach(|py| {
        let len = 41_i64;
        // `len` is Python's builtin; `$len` is the Rust local.
        let builtin: i64 = py!(len("abc") as i64).unwrap();
        let local: i64 = py!($len + 1 as i64).unwrap();
        assert_eq!((builtin, local), (3, 42));
        let p = Point { x: 3.0, y: 4.0 };
        let h: f64 = py!(($(p.x) ** 2 + $(p.y) ** 2) ** 0.5 as f64).unwrap();
        assert_eq!(h, 5.0);
        let d: i64 = py!($(double(LIMIT)) + 1 as i64).unwrap();
        assert_eq!(d, 11);
    });
}

#[test]
fn lambdas_and_generators_capture_rust_values() {
    Python::attach(|py| {
        let k = 3_i64;
        let f = py!(lambda v: v * k).unwrap();
        let r: i64 = py!(f(7) as i64).unwrap();
        assert_eq!(r, 21);
        let words = vec!["pear", "fig", "banana"];
        let lengths: Vec<usize> = py!(list(len(w) + k for w in words) as Vec<usize>).unwrap();
        assert_eq!(lengths, [7, 6, 9]);
        // A generator keeps working after the py! that made it has returned.
        let lazy = py!((i * k for i in range(3))).unwrap();
        let items: Vec<i64> = py!(list(lazy) as Vec<i64>).unwrap();
        assert_eq!(items, [0, 3, 6]);
    });
}

#[test]
fn python_names_shadow_rust_ones_from_their_assignment_on() {
    Python::attach(|py| {
        let w = 10_i64;
        let r: (i64, i64, i64) = py!((w, (w := 1), w) as (i64, i64, i64)).unwrap();
        assert_eq!(r, (10, 1, 1));
        let i = 100_i64;
        let squares: Vec<i64> = py!([i * i for i in range(3)] as Vec<i64>).unwrap();
        assert_eq!(squares, [0, 1, 4]);
        let outer: i64 = py!(i as i64).unwrap();
        assert_eq!(outer, 100);
    });
}

#[test]
fn keyword_arguments_and_unpacking_from_rust() {
    Python::attach(|py| {
        let words = vec!["pear", "fig", "banana"];
        let best: String = py!(sorted(words, key = len, reverse = True)[0] as String).unwrap();
        assert_eq!(best, "banana");
        let opts: HashMap<&str, bool> = [("reverse", true)].into_iter().collect();
        let sorted: Vec<String> = py!(sorted(words, **opts) as Vec<String>).unwrap();
        assert_eq!(sorted, ["pear", "fig", "banana"]);
        let parts = vec![1_i64, 2, 3];
        let d = PyDict::new(py);
        d.set_item("sep", "+").unwrap();
        let printed: String = py!("{}{sep}{}{sep}{}".format(*parts, **d) as String).unwrap();
        assert_eq!(printed, "1+2+3");
    });
}

#[test]
fn results_are_typed_or_bound() {
    Python::attach(|py| {
        let obj: Bound<'_, PyAny> = py!({"a": [1, 2.5, None]}).unwrap();
        assert_eq!(obj.repr().unwrap().to_string(), "{'a': [1, 2.5, None]}");
        let big: String = py!(str(2 * *100) as String).unwrap();
        assert_eq!(big, "1267650600228229401496703205376");
        let pair: (String, Option<i64>) = py!(("x", None) as (String, Option<i64>)).unwrap();
        assert_eq!(pair, ("x".to_owned(), None));
    });
}

#[test]
fn rust_keywords_as_names_are_raw_rust_bindings() {
    // A Python name that is a Rust keyword is the raw Rust binding (`r#match`), also after `$`.
    Python::attach(|py| {
        let r#match = 2_i64;
        let r#impl = "x";
        assert_eq!(py!(match * 3 as i64).unwrap(), 6);
        assert_eq!(py!($impl * match as String).unwrap(), "xx");
    });
}

/// A builtin that only newer Pythons have is still a builtin name in `py!`: it is the object
/// where the running Python has it, and a `NameError` where it does not, exactly as the same
/// name evaluated by this interpreter's own `eval`.
#[test]
fn builtins_of_some_versions_only() {
    Python::attach(|py| {
        let version = py.version_info();
        type Case<'py> = (&'static str, PyResult<Bound<'py, PyAny>>, (u8, u8));
        let cases: [Case<'_>; 6] = [
            ("aiter", py!(aiter), (3, 10)),
            ("anext", py!(anext), (3, 10)),
            ("EncodingWarning", py!(EncodingWarning), (3, 10)),
            ("BaseExceptionGroup", py!(BaseExceptionGroup), (3, 11)),
            ("ExceptionGroup", py!(ExceptionGroup), (3, 11)),
            (
                "PythonFinalizationError",
                py!(PythonFinalizationError),
                (3, 13),
            ),
        ];
        for (name, ours, since) in cases {
            let theirs = py.eval(&std::ffi::CString::new(name).unwrap(), None, None);
            let present = (version.major, version.minor) >= since;
            match (ours, theirs) {
                (Ok(a), Ok(b)) => {
                    assert!(present, "{name} exists on {version:?}?");
                    assert!(a.is(&b), "{name}: not the builtin");
                }
                (Err(a), Err(b)) => {
                    assert!(!present, "{name} should exist on {version:?}");
                    assert_eq!(a.get_type(py).name().unwrap(), "NameError");
                    assert_eq!(
                        a.value(py).to_string(),
                        b.value(py).to_string(),
                        "{name}: CPython's message"
                    );
                }
                (a, b) => panic!("{name}: py! gave {a:?}, eval gave {b:?}"),
            }
        }
        // `$name` still reaches a Rust binding of the same name.
        let aiter = 3;
        assert_eq!(py!($aiter + 1 as i64).unwrap(), 4);
    });
}

/// Items of the user's with the names the expansion uses for itself: the expansion's own
/// names shadow them inside `py!`, and they stay the user's outside.
mod shadowed {
    #[allow(non_snake_case, dead_code)]
    mod __pycall {
        pub fn intern() {}
    }

    use pycall::prelude::*;

    #[test]
    fn a_users_pycall_module_does_not_confuse_the_expansion() {
        Python::attach(|py| {
            // A call with `**` (names interned through a macro path), a keyword call, a class
            // and a comprehension.
            let d = py!({"a": 1}).unwrap();
            let merged =
                py!(sorted(dict(**d, b = 2).items(), key = str, reverse = True)
                    as Vec<(String, i64)>);
            assert_eq!(merged.unwrap(), [("b".to_owned(), 2), ("a".to_owned(), 1)]);
            let total: i64 = py! {
                class Box { def __init__(self, v) { self.v = v } }
                sum([Box(i).v for i in range(4)])
                as i64
            }
            .unwrap();
            assert_eq!(total, 6);
            // Attribute stores, augmented and deleted; a class body's annotation; a class
            // pattern with keywords: each names an attribute through `intern!`.
            let shown: String = py! {
                class Box { n: int = 0; def __init__(self, v) { self.v = v } }
                b = Box(3);
                b.v += 1;
                b.w = 1;
                del b.w;
                match b { case Box(v=4) { r = "four" } case _ { r = "other" } }
                str((b.v, r, Box.__annotations__["n"] is int, hasattr(b, "w")))
                as String
            }
            .unwrap();
            assert_eq!(shown, "(4, 'four', True, False)");
            __pycall::intern();
        });
    }
}
