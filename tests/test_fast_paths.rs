//! Behaviour: the fast paths of the expansion give what CPython gives, on the inputs where their
//! semantics could drift: a call site's cached attribute lookups (a module's attribute, a
//! static type's method) after the module, its dict or its class changed, and with several
//! receivers at one site.

mod common;

use common::outcome;
use pycall::prelude::*;
use pycall::pyo3::IntoPyObjectExt;
use pycall::pyo3::types::{IntoPyDict, PyDict};

/// A new module `name` whose namespace is `source` run by CPython.
fn module<'py>(py: Python<'py>, name: &str, source: &str) -> Bound<'py, PyAny> {
    py!(__import__("types").ModuleType(name))
        .and_then(|m| {
            let source = std::ffi::CString::new(source).unwrap();
            let globals = m.getattr("__dict__")?.cast_into::<PyDict>()?;
            py.run(&source, Some(&globals), None)?;
            Ok(m)
        })
        .unwrap()
}

/// What CPython's own `eval` gives for `source` with `m` bound.
fn cpython<'py>(py: Python<'py>, m: &Bound<'py, PyAny>, source: &str) -> String {
    let globals = PyDict::new(py);
    globals.set_item("m", m).unwrap();
    let source = std::ffi::CString::new(source).unwrap();
    outcome(py, py.eval(&source, Some(&globals), None))
}

/// The same call site (one closure) for `m.f(1)`, and for `m.value`.
fn call_f<'py>(m: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = m.py();
    py!(m.f(1))
}

fn read_value<'py>(m: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = m.py();
    py!(m.value)
}

#[test]
fn a_module_attribute_reassigned_between_two_calls_is_seen() {
    Python::attach(|py| {
        let m = module(py, "m1", "def f(x): return x + 1\nvalue = 'first'");
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), 2);
        assert_eq!(
            read_value(&m).unwrap().extract::<String>().unwrap(),
            "first"
        );
        // Reassigned from Python, from Rust, and in the module's own code.
        py!(setattr(m, "f", lambda x: x * 10)).unwrap();
        m.setattr("value", "second").unwrap();
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), 10);
        assert_eq!(
            read_value(&m).unwrap().extract::<String>().unwrap(),
            "second"
        );
        py.run(
            c"def f(x): return -x\nvalue = 3",
            Some(&m.getattr("__dict__").unwrap().cast_into().unwrap()),
            None,
        )
        .unwrap();
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), -1);
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 3);
        // The same value stored again is still the value.
        m.setattr("value", 3).unwrap();
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 3);
    });
}

#[test]
fn a_deleted_module_attribute_is_the_same_error_as_cpython() {
    Python::attach(|py| {
        let m = module(py, "m2", "def f(x): return x\nvalue = 1");
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), 1);
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 1);
        m.delattr("f").unwrap();
        m.delattr("value").unwrap();
        assert_eq!(outcome(py, call_f(&m)), cpython(py, &m, "m.f(1)"));
        assert_eq!(outcome(py, read_value(&m)), cpython(py, &m, "m.value"));
        assert!(outcome(py, read_value(&m)).starts_with("raises AttributeError"));
        // And back.
        m.setattr("value", 5).unwrap();
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 5);
    });
}

#[test]
fn a_module_getattr_is_asked_for_missing_names_each_time() {
    Python::attach(|py| {
        let m = module(
            py,
            "m3",
            "calls = []\ndef __getattr__(name):\n    calls.append(name)\n    return len(calls)",
        );
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 1);
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 2);
        // Once the dict has the name, the dict's value wins.
        m.setattr("value", 100).unwrap();
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 100);
        assert_eq!(read_value(&m).unwrap().extract::<i64>().unwrap(), 100);
        let calls: Vec<String> = py!(m.calls as Vec<String>).unwrap();
        assert_eq!(calls, ["value", "value"]);
    });
}

#[test]
fn module_type_attributes_come_before_the_dict() {
    Python::attach(|py| {
        let m = module(py, "m4", "x = 1");
        // `__dict__` and `__class__` are ModuleType's (data descriptors), even with a dict
        // entry of the same name.
        m.getattr("__dict__")
            .unwrap()
            .set_item("__class__", "shadow")
            .unwrap();
        for _ in 0..2 {
            let same: bool = py!(m.__dict__ is vars(m) as bool).unwrap();
            assert!(same);
            let class: String = py!(m.__class__.__name__ as String).unwrap();
            assert_eq!(class, "module");
        }
    });
}

#[test]
fn a_module_whose_class_changed_uses_the_new_class() {
    Python::attach(|py| {
        let m = module(py, "m5", "value = 'dict'");
        assert_eq!(read_value(&m).unwrap().extract::<String>().unwrap(), "dict");
        py.run(
            c"import types\nclass Special(types.ModuleType):\n    @property\n    def value(self):\n        return 'property'\nm.__class__ = Special",
            Some(&[("m", &m)].into_py_dict(py).unwrap()),
            None,
        )
        .unwrap();
        assert_eq!(
            read_value(&m).unwrap().extract::<String>().unwrap(),
            "property"
        );
        assert_eq!(cpython(py, &m, "m.value"), "value 'property'");
    });
}

#[test]
fn one_site_with_several_modules_gives_each_its_own() {
    Python::attach(|py| {
        let a = module(py, "ma", "value = 'a'\ndef f(x): return x + 1");
        let b = module(py, "mb", "value = 'b'\ndef f(x): return x + 2");
        for _ in 0..3 {
            assert_eq!(read_value(&a).unwrap().extract::<String>().unwrap(), "a");
            assert_eq!(read_value(&b).unwrap().extract::<String>().unwrap(), "b");
            assert_eq!(call_f(&a).unwrap().extract::<i64>().unwrap(), 2);
            assert_eq!(call_f(&b).unwrap().extract::<i64>().unwrap(), 3);
        }
        // Not a module at all, at the same site.
        let ns = py!(__import__("types").SimpleNamespace(value="ns", f=lambda x: x + 3)).unwrap();
        assert_eq!(read_value(&ns).unwrap().extract::<String>().unwrap(), "ns");
        assert_eq!(call_f(&ns).unwrap().extract::<i64>().unwrap(), 4);
        assert_eq!(read_value(&a).unwrap().extract::<String>().unwrap(), "a");
    });
}

#[test]
fn a_function_that_replaces_itself_during_the_call_finishes() {
    Python::attach(|py| {
        // The cached function is the only reference the module held: the call holds its own.
        let m = module(
            py,
            "m6",
            "import sys\ndef f(x):\n    me = sys.modules[__name__] if __name__ in sys.modules else None\n    globals()['f'] = lambda y: y * 100\n    del me\n    return x + 1",
        );
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), 2);
        assert_eq!(call_f(&m).unwrap().extract::<i64>().unwrap(), 100);
    });
}

#[test]
fn a_key_whose_eq_changes_the_module_dict_is_handled() {
    Python::attach(|py| {
        // A key with the hash of "value" whose `__eq__` replaces `value` while the lookup
        // compares it: CPython's lookup sees the change, and so does the next one here.
        let m = module(
            py,
            "m7",
            "armed = False\nclass Evil:\n    def __hash__(self):\n        return hash('value')\n    def __eq__(self, other):\n        global armed\n        if armed:\n            armed = False\n            globals()['value'] = 'changed'\n        return False\nglobals()[Evil()] = 0\nvalue = 'original'\narmed = True",
        );
        let got = outcome(py, read_value(&m));
        let again = outcome(py, read_value(&m));
        m.setattr("value", "original").unwrap();
        m.setattr("armed", true).unwrap();
        let want = cpython(py, &m, "m.value");
        let want_again = cpython(py, &m, "m.value");
        assert_eq!((got, again), (want, want_again));
    });
}

/// The same call site for `obj.index(x)` and `obj.upper()`.
fn index<'py>(obj: &Bound<'py, PyAny>, x: i64) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    py!(obj.index(x))
}

fn upper<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    py!(obj.upper())
}

#[test]
fn a_method_site_follows_the_receiver_type() {
    Python::attach(|py| {
        let list = py!([5, 6, 7]).unwrap();
        let tuple = py!((7, 6, 5)).unwrap();
        let sub = py! {
            class L(list) { def index(self, x) { return "overridden" } }
            L([5, 6, 7])
        }
        .unwrap();
        // An instance dict cannot hold a method of a type without one: a subclass with a
        // `__dict__` can, and takes the ordinary lookup.
        let with_dict = py! {
            class D(list) { pass }
            d = D([5, 6, 7]);
            d.index = lambda x: "instance";
            d
        }
        .unwrap();
        for _ in 0..3 {
            assert_eq!(index(&list, 6).unwrap().extract::<i64>().unwrap(), 1);
            assert_eq!(index(&tuple, 6).unwrap().extract::<i64>().unwrap(), 1);
            assert_eq!(
                index(&sub, 6).unwrap().extract::<String>().unwrap(),
                "overridden"
            );
            assert_eq!(
                index(&with_dict, 6).unwrap().extract::<String>().unwrap(),
                "instance"
            );
        }
        let missing = outcome(py, index(&list, 9));
        let globals = [("obj", &list)].into_py_dict(py).unwrap();
        let want = outcome(py, py.eval(c"obj.index(9)", Some(&globals), None));
        assert_eq!(missing, want);
        // No such method on the type: the ordinary AttributeError.
        let number = 3_i64.into_pyobject(py).unwrap().into_any();
        let got = outcome(py, index(&number, 3));
        let globals = [("obj", &number)].into_py_dict(py).unwrap();
        assert_eq!(
            got,
            outcome(py, py.eval(c"obj.index(3)", Some(&globals), None))
        );
    });
}

#[test]
fn str_subclasses_keep_their_own_methods() {
    Python::attach(|py| {
        let plain = "abc".into_pyobject(py).unwrap().into_any();
        let sub = py! {
            class Loud(str) { def upper(self) { return "LOUD:" + str.upper(self) } }
            Loud("abc")
        }
        .unwrap();
        for _ in 0..3 {
            assert_eq!(upper(&plain).unwrap().extract::<String>().unwrap(), "ABC");
            assert_eq!(
                upper(&sub).unwrap().extract::<String>().unwrap(),
                "LOUD:ABC"
            );
        }
    });
}

#[test]
fn keyword_arguments_to_a_cached_method_are_checked_as_cpython_does() {
    Python::attach(|py| {
        let d = py!({"k": 1}).unwrap();
        for _ in 0..2 {
            let got = outcome(py, py!(d.get("k", default = 0)));
            let globals = [("d", &d)].into_py_dict(py).unwrap();
            let want = outcome(py, py.eval(c"d.get('k', default=0)", Some(&globals), None));
            assert_eq!(got, want);
            assert!(got.starts_with("raises TypeError"), "{got}");
            let got = outcome(py, py!(d.pop("missing", 7)));
            assert_eq!(got, "value 7");
        }
    });
}

#[test]
fn a_dict_mutated_during_a_loop_raises_as_in_cpython() {
    Python::attach(|py| {
        let d = py!({"a": 1, "b": 2}).unwrap();
        let got = outcome(py, py! { for k in d { d[k + "x"] = 0 } d });
        let globals = [("d", py!({"a": 1, "b": 2}).unwrap())]
            .into_py_dict(py)
            .unwrap();
        py.run(
            c"def run(d):\n    for k in d:\n        d[k + 'x'] = 0\n    return d\n",
            Some(&globals),
            None,
        )
        .unwrap();
        let want = outcome(py, py.eval(c"run(d)", Some(&globals), None));
        assert_eq!(got, want);
        assert!(got.contains("RuntimeError"), "{got}");
    });
}

/// Rust strings as Python `str`: short ASCII ones come from a table of those made before.
#[test]
fn rust_strings_convert_to_equal_str_whatever_the_table_holds() {
    Python::attach(|py| {
        let check = |s: &str| {
            let len: usize = py!(len(s) as usize).unwrap();
            assert_eq!(len, s.chars().count(), "{s:?}");
            let back: String = py!(s as String).unwrap();
            assert_eq!(back, s);
            let same: bool = py!(s == $(s.to_owned()) and type(s) is str as bool).unwrap();
            assert!(same, "{s:?}");
        };
        // Distinct strings, many more than the table's slots, twice over; strings that differ
        // only in the middle (the same first and last eight bytes and length); the empty
        // string, NUL, non-ASCII and long ones.
        let mut words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
        words.extend((0..200).map(|i| format!("abcdefgh{i:04}ijklmnop")));
        words.extend((0..200).map(|i| format!("abcd{i:04}wxyz")));
        words.extend((b'!'..=b'~').map(|c| format!("x{}y", c as char)));
        words.extend((b'!'..=b'~').map(|c| format!("{}z", c as char)));
        words.extend(["", "\0", "a\0b", "é", "naïve", "日本", "🦀"].map(String::from));
        words.push("x".repeat(64));
        words.push("x".repeat(65));
        words.push("y".repeat(1000));
        for _ in 0..2 {
            for w in &words {
                check(w);
            }
        }
        // The same string converted twice gives equal values, each usable on its own.
        let key = "key";
        let pair: (String, String) = py!((key + "1", key + "2") as (String, String)).unwrap();
        assert_eq!(pair, ("key1".to_owned(), "key2".to_owned()));
    });
}

/// The operands of the arithmetic checks: `int`s around the 64-bit and 53-bit limits and
/// beyond, `float`s with both zeros, infinities, NaN and the extremes, `bool`s, and an `int`
/// and a `float` subclass.
fn numbers(py: Python<'_>) -> Vec<Bound<'_, PyAny>> {
    py! {
        class MyInt(int) { def __add__(self, other) { return "MyInt.__add__" } }
        class MyFloat(float) { pass }
        [0, 1, -1, 7, -7, 3, -3, 2 ** 53, 2 ** 53 + 1, -(2 ** 53) - 1, 9223372036854775807,
         -9223372036854775808, 9223372036854775806, 2 ** 63, -(2 ** 63) - 1, 10 ** 30,
         0.0, -0.0, 1.5, -2.5, 3.0, float("inf"), float("-inf"), float("nan"), 1e308, -1e308,
         5e-324, 2.0 ** 53, True, False, MyInt(5), MyFloat(2.5)]
        as Vec<Bound<'_, PyAny>>
    }
    .unwrap()
}

/// `a op b` by `py!` and by CPython for every pair of [`numbers`] and every operator with a
/// fast path; also as `t = a; t op= b`.
#[test]
fn arithmetic_and_comparisons_agree_with_cpython_on_the_edges() {
    Python::attach(|py| {
        let values = numbers(py);
        type Op =
            for<'py> fn(&Bound<'py, PyAny>, &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>;
        let ops: [(&str, Op); 12] = [
            ("a + b", |a, b| {
                let py = a.py();
                py!(a + b)
            }),
            ("a - b", |a, b| {
                let py = a.py();
                py!(a - b)
            }),
            ("a * b", |a, b| {
                let py = a.py();
                py!(a * b)
            }),
            ("a / b", |a, b| {
                let py = a.py();
                py!(a / b)
            }),
            ("a // b", |a, b| {
                let py = a.py();
                py!(a / / b)
            }),
            ("a % b", |a, b| {
                let py = a.py();
                py!(a % b)
            }),
            ("a < b", |a, b| {
                let py = a.py();
                py!(a < b)
            }),
            ("a <= b", |a, b| {
                let py = a.py();
                py!(a <= b)
            }),
            ("a == b", |a, b| {
                let py = a.py();
                py!(a == b)
            }),
            ("a != b", |a, b| {
                let py = a.py();
                py!(a != b)
            }),
            ("a > b", |a, b| {
                let py = a.py();
                py!(a > b)
            }),
            ("a >= b", |a, b| {
                let py = a.py();
                py!(a >= b)
            }),
        ];
        let inplace: [(&str, Op); 6] = [
            ("+=", |a, b| {
                let py = a.py();
                py! { t = a; t += b; t }
            }),
            ("-=", |a, b| {
                let py = a.py();
                py! { t = a; t -= b; t }
            }),
            ("*=", |a, b| {
                let py = a.py();
                py! { t = a; t *= b; t }
            }),
            ("/=", |a, b| {
                let py = a.py();
                py! { t = a; t /= b; t }
            }),
            ("//=", |a, b| {
                let py = a.py();
                py! { t = a; t / /= b; t }
            }),
            ("%=", |a, b| {
                let py = a.py();
                py! { t = a; t %= b; t }
            }),
        ];
        let compile = |source: &str| {
            let source = std::ffi::CString::new(source).unwrap();
            py.eval(&source, None, None).unwrap()
        };
        let mut failures = Vec::new();
        let mut total = 0;
        for (source, op) in ops {
            let cpython = compile(&format!("lambda a, b: {source}"));
            for a in &values {
                for b in &values {
                    total += 1;
                    let got = outcome(py, op(a, b));
                    let want = outcome(py, cpython.call1((a, b)));
                    if got != want {
                        failures.push(format!(
                            "{} {source} {}: py! {got}, CPython {want}",
                            a.repr().unwrap(),
                            b.repr().unwrap()
                        ));
                    }
                }
            }
        }
        for (source, op) in inplace {
            let namespace = PyDict::new(py);
            let def = format!("def run(a, b):\n    t = a\n    t {source} b\n    return t\n");
            py.run(
                &std::ffi::CString::new(def).unwrap(),
                Some(&namespace),
                None,
            )
            .unwrap();
            let cpython = namespace.get_item("run").unwrap().unwrap();
            for a in &values {
                for b in &values {
                    total += 1;
                    let got = outcome(py, op(a, b));
                    let want = outcome(py, cpython.call1((a, b)));
                    if got != want {
                        failures.push(format!(
                            "t = {}; t {source} {}: py! {got}, CPython {want}",
                            a.repr().unwrap(),
                            b.repr().unwrap()
                        ));
                    }
                }
            }
        }
        assert!(total > 18 * 30 * 30, "{total}");
        assert!(
            failures.is_empty(),
            "{} of {total} disagree:\n{}",
            failures.len(),
            failures.join("\n")
        );
    });
}

/// `+ - * / // % < ==` of two Rust numbers by `py!` (each converted to an exact `int` or
/// `float`), as outcomes.
macro_rules! rust_ops {
    ($py:expr, $a:expr, $b:expr) => {{
        let (py, a, b) = ($py, $a, $b);
        [
            py!(a + b),
            py!(a - b),
            py!(a * b),
            py!(a / b),
            py!(a / / b),
            py!(a % b),
            py!(a < b),
            py!(a == b),
        ]
        .into_iter()
        .map(|r| outcome(py, r))
        .collect::<Vec<String>>()
    }};
}

/// The same operators by CPython, on the same numbers converted.
fn cpython_ops<'py>(py: Python<'py>, a: Bound<'py, PyAny>, b: Bound<'py, PyAny>) -> Vec<String> {
    [
        "a + b", "a - b", "a * b", "a / b", "a // b", "a % b", "a < b", "a == b",
    ]
    .into_iter()
    .map(|source| {
        let globals = [("a", &a), ("b", &b)].into_py_dict(py).unwrap();
        let source = std::ffi::CString::new(source).unwrap();
        outcome(py, py.eval(&source, Some(&globals), None))
    })
    .collect()
}

/// The same with Rust numbers as the operands (converted to exact `int` and `float`).
#[test]
fn rust_numbers_in_arithmetic_agree_with_cpython() {
    Python::attach(|py| {
        let ints = [
            0_i64,
            1,
            -1,
            3,
            -3,
            7,
            i64::MAX,
            i64::MIN,
            i64::MAX - 1,
            1 << 53,
            (1 << 53) + 1,
        ];
        let floats = [
            0.0_f64,
            -0.0,
            1.5,
            -2.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        for &a in &ints {
            for &b in &ints {
                let want = cpython_ops(
                    py,
                    a.into_bound_py_any(py).unwrap(),
                    b.into_bound_py_any(py).unwrap(),
                );
                assert_eq!(rust_ops!(py, a, b), want, "{a} {b}");
            }
        }
        for &a in &floats {
            for &b in &floats {
                let want = cpython_ops(
                    py,
                    a.into_bound_py_any(py).unwrap(),
                    b.into_bound_py_any(py).unwrap(),
                );
                assert_eq!(rust_ops!(py, a, b), want, "{a} {b}");
            }
        }
    });
}

/// F-strings: a float field with a `.Nf`/`.Ne` spec (formatted without `float.__format__`) and
/// the joining of pieces of every string kind, against CPython's own f-strings.
#[test]
fn fstrings_of_floats_and_of_every_string_kind_agree_with_cpython() {
    Python::attach(|py| {
        let floats = py!([
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.125,
            0.375,
            2.675,
            1e16,
            1.5e300,
            -1e-300,
            5e-324,
            float("inf"),
            float("-inf"),
            float("nan"),
            -float("nan"),
            3.141592653589793,
            123456789.987654321,
            2 * *0.5,
            7,
            True
        ] as Vec<Bound<'_, PyAny>>)
        .unwrap();
        let cpython = py
            .eval(
                c"lambda v: [f'{v:.0f}', f'{v:.1f}', f'{v:.3f}', f'{v:.12f}', f'{v:.2e}', f'{v:.0e}', f'{v:.17e}', f'{v:.99f}', f'{v:.6}', f'{v:+.2f}', f'{v:8.2f}', f'{v:.2%}', f'<{v}>']",
                None,
                None,
            )
            .unwrap();
        for v in &floats {
            let got = outcome(
                py,
                py!([f "{v:.0f}", f "{v:.1f}", f "{v:.3f}", f "{v:.12f}", f "{v:.2e}", f "{v:.0e}",
                     f "{v:.17e}", f "{v:.99f}", f "{v:.6}", f "{v:+.2f}", f "{v:8.2f}",
                     f "{v:.2%}", f "<{v}>"]),
            );
            assert_eq!(got, outcome(py, cpython.call1((v,))), "{v}");
        }
        // A Rust f64 in the field, and pieces of all four kinds of str (ASCII, Latin-1, BMP,
        // astral) and empty ones, joined.
        let x = -2.5_f64;
        let pieces = ["", "abc", "é", "Ω", "🦀", "z"];
        let cpython = py
            .eval(c"lambda a, b, x: f'{a}{b}:{x:.2f}|{b}{a}'", None, None)
            .unwrap();
        for a in pieces {
            for b in pieces {
                let got = outcome(py, py!(f "{a}{b}:{x:.2f}|{b}{a}"));
                assert_eq!(got, outcome(py, cpython.call1((a, b, x))), "{a:?} {b:?}");
            }
        }
        // A str subclass in a field is formatted to a plain str, as CPython does.
        let sub = py! {
            class S(str) { def __format__(self, spec) { return "S!" + spec } }
            S("q")
        }
        .unwrap();
        let got: String = py!(f "[{sub}][{sub:x}]" as String).unwrap();
        assert_eq!(got, "[S!][S!x]");
    });
}

/// `len(x)` (the builtin's work done without calling it) and `d.get(k, default)` on a `dict`
/// (looked up without calling the method), against CPython on every kind of receiver.
#[test]
fn len_and_dict_get_agree_with_cpython() {
    Python::attach(|py| {
        let objects = py! {
            class Sized { def __len__(self) { return 3 } }
            class Negative { def __len__(self) { return -1 } }
            class Huge { def __len__(self) { return 2 ** 70 } }
            class Raises { def __len__(self) { raise KeyError("inside") } }
            [[1, 2], "héllo", {"a": 1}, (), range(10), b"xy", Sized(), Negative(), Huge(),
             Raises(), 5, None]
            as Vec<Bound<'_, PyAny>>
        }
        .unwrap();
        let cpython = py.eval(c"lambda x: len(x)", None, None).unwrap();
        for x in &objects {
            assert_eq!(
                outcome(py, py!(len(x))),
                outcome(py, cpython.call1((x,))),
                "{x}"
            );
        }
        let dicts = py! {
            class Mine(dict) { def get(self, key, default=None) { return "Mine.get" } }
            class Key {
                def __hash__(self) { return hash("k") }
                def __eq__(self, other) { raise ValueError("no comparing") }
            }
            [{"k": 1}, {}, Mine(k=1), {Key(): 1}, {"k": None}]
            as Vec<Bound<'_, PyAny>>
        }
        .unwrap();
        let keys = py!(["k", "missing", [1], 2] as Vec<Bound<'_, PyAny>>).unwrap();
        let one = py.eval(c"lambda d, k: d.get(k)", None, None).unwrap();
        let two = py
            .eval(c"lambda d, k: d.get(k, 'default')", None, None)
            .unwrap();
        let none = py.eval(c"lambda d, k: d.get()", None, None).unwrap();
        let three = py.eval(c"lambda d, k: d.get(k, 1, 2)", None, None).unwrap();
        for d in &dicts {
            for k in &keys {
                assert_eq!(
                    outcome(py, py!(d.get(k))),
                    outcome(py, one.call1((d, k))),
                    "{d} {k}"
                );
                assert_eq!(
                    outcome(py, py!(d.get(k, "default"))),
                    outcome(py, two.call1((d, k))),
                    "{d} {k}"
                );
                assert_eq!(
                    outcome(py, py!(d.get())),
                    outcome(py, none.call1((d, k))),
                    "{d}"
                );
                assert_eq!(
                    outcome(py, py!(d.get(k, 1, 2))),
                    outcome(py, three.call1((d, k))),
                    "{d}"
                );
            }
        }
    });
}

/// The outcome of `run` while `builtins.name` is `repr`, restored afterwards. The replacement
/// is a C function, and the window between replacing and restoring runs no Python code: other
/// tests' threads, which could first use their own sites of the builtin when this thread let
/// go of the interpreter, never see it. (pycall's environment is set up first: setting it up
/// calls builtins.)
fn with_builtin_as_repr<'py>(
    py: Python<'py>,
    name: &str,
    run: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
) -> String {
    py!(None).unwrap();
    let builtins = py.import("builtins").unwrap();
    let original = builtins.getattr(name).unwrap();
    builtins
        .setattr(name, builtins.getattr("repr").unwrap())
        .unwrap();
    let got = outcome(py, run());
    builtins.setattr(name, original).unwrap();
    got
}

/// A `builtins.len` replaced before a call site first uses it is the one that site calls.
#[test]
fn a_replaced_builtin_len_is_called() {
    Python::attach(|py| {
        let x = vec![1, 2, 3];
        let got = with_builtin_as_repr(py, "len", || py!(len(x)));
        assert_eq!(got, "value '[1, 2, 3]'");
        assert_eq!(py!(len(x) as usize).unwrap(), 3);
    });
}

/// `x in v` and `x not in v` with `v` a Rust collection (compared in Rust for the item types it
/// covers), against CPython's `in` on what `v` becomes (a list; `bytes` for `u8`s), for items
/// of every kind.
#[test]
fn membership_in_rust_collections_agrees_with_cpython() {
    Python::attach(|py| {
        let items = py! {
            class MyInt(int) { pass }
            class MyStr(str) { pass }
            class Everything { def __eq__(self, other) { return True } }
            [0, 1, -1, 3, 255, 256, -129, 2 ** 31, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, 2 ** 64,
             -(2 ** 63), 1.0, 3.0, -0.0, 0.0, float("nan"), 2.5, True, False, "pear", "fig",
             "", "é", chr(0xd800), None, MyInt(3), MyStr("fig"), Everything(), (1,)]
            as Vec<Bound<'_, PyAny>>
        }
        .unwrap();
        let cpython = py
            .eval(c"lambda x, v: (x in v, x not in v)", None, None)
            .unwrap();
        macro_rules! check {
            ($v:expr) => {{
                let v = $v;
                // What `v` becomes in Python (a list, or `bytes` for `u8`s).
                let as_list = py!(v).unwrap();
                for x in &items {
                    let got = outcome(py, py!((x in v, x not in v)));
                    let want = outcome(py, cpython.call1((x, &as_list)));
                    assert_eq!(got, want, "{x} in {}", stringify!($v));
                }
            }};
        }
        check!(vec![1_i64, 3, -1, i64::MIN]);
        check!([3_i32, 0, 255]);
        check!(&[u64::MAX, 0_u64, 1 << 63][..]);
        check!(vec![255_u8, 0]);
        check!(vec![1.0_f64, -0.0, f64::NAN, 2.5]);
        check!(vec![true]);
        check!(vec!["pear", "é", ""]);
        check!(vec!["fig".to_owned()]);
        check!(&vec!["fig".to_owned(), "pear".to_owned()]);
        check!(Vec::<i64>::new());
        // Not covered: converted, and CPython's `in` decides.
        check!(vec![(1_i64,)]);
        check!(std::collections::BTreeSet::from([1_i64, 3]));
    });
}

/// `value[key]` (an exact `list` or `tuple` with an exact `int`, an exact `dict`, read without
/// `PyObject_GetItem`) against CPython: every index from -7 to 6 and past 64 bits, `bool` and
/// `int`-subclass indices, subclasses of the containers, missing keys (a tuple key stays one
/// argument of the `KeyError`), a key whose `__eq__` raises, and a key hashed once on a miss.
#[test]
fn subscripts_agree_with_cpython() {
    Python::attach(|py| {
        // The exception's type and `args`, or the value: a `KeyError((1, 2))` made as
        // `KeyError(1, 2)` would print the same.
        let described = |r: PyResult<Bound<'_, PyAny>>| match r {
            Ok(v) => format!("value {}", v.repr().unwrap()),
            Err(e) => format!(
                "raises {} {}",
                e.get_type(py).name().unwrap(),
                e.value(py).getattr("args").unwrap().repr().unwrap()
            ),
        };
        let containers = py! {
            class L(list) { def __getitem__(self, i) { return ("L", i) } }
            class D(dict) { def __missing__(self, k) { return ("missing", k) } }
            [[10, 20, 30], (10, 20, 30), [], (), L([1, 2]), D(a=1),
             {1: "one", (1, 2): "pair", "k": "key", 12345: "n"}, {}, "abc", range(5)]
            as Vec<Bound<'_, PyAny>>
        }
        .unwrap();
        let mut keys: Vec<Bound<'_, PyAny>> = (-7..7).map(|i| py!(i).unwrap()).collect();
        keys.extend(
            py! {
                class I(int) { pass }
                class Eq {
                    def __hash__(self) { return 12345 }
                    def __eq__(self, other) { raise ValueError("no comparing") }
                }
                [2 ** 70, -(2 ** 70), True, False, I(1), 1.0, "k", (1, 2), (3,), [1], None, "a",
                 Eq()]
                as Vec<Bound<'_, PyAny>>
            }
            .unwrap(),
        );
        let cpython = py.eval(c"lambda c, k: c[k]", None, None).unwrap();
        let mut checked = 0;
        for c in &containers {
            for k in &keys {
                assert_eq!(
                    described(py!(c[k])),
                    described(cpython.call1((c, k))),
                    "{c}[{k}]"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 10 * 27);
        // A missing key is hashed once, as `dict.__getitem__` does.
        let hashes = py! {
            class Counted {
                count = 0;
                def __hash__(self) { Counted.count += 1; return 7 }
            }
            d = {};
            k = Counted();
            try { d[k] } except KeyError { pass }
            Counted.count as i64
        }
        .unwrap();
        assert_eq!(hashes, 1);
    });
}

/// `sorted(x, …)` sorts a list made for the call in place instead of copying it: against
/// CPython's `sorted` for Rust `Vec`s, list displays and shared lists, with every keyword
/// shape, keys that raise and wrong keywords; a shared list is left as it was.
#[test]
fn sorted_agrees_with_cpython() {
    Python::attach(|py| {
        let cpython = py
            .eval(
                c"{'plain': lambda x: sorted(x), 'key': lambda x: sorted(x, key=len), \
                  'reverse': lambda x: sorted(x, reverse=True), \
                  'both': lambda x: sorted(x, key=len, reverse=True), \
                  'raises': lambda x: sorted(x, key=lambda w: 1 / (len(w) - 3)), \
                  'wrong': lambda x: sorted(x, cmp=len), \
                  'reverse_raises': lambda x: sorted(x, reverse=[]), \
                  'display': lambda x: sorted([x[0], x[1], 'b', 'a'], key=len)}",
                None,
                None,
            )
            .unwrap();
        let way = |name: &str, x: &Bound<'_, PyAny>| {
            outcome(py, cpython.get_item(name).unwrap().call1((x,)))
        };
        // Equal keys in every order: the sort must be as stable as CPython's, reversed too.
        let lists: [Vec<&str>; 5] = [
            vec!["pear", "fig", "banana", "kiwi", "apple"],
            vec![],
            vec!["one"],
            vec!["bb", "aa", "cc", "a", "dd", "b", "abc", "xyz", "pqr"],
            vec!["é", "ü", "ab", "zz", "ß", "日本"],
        ];
        for words in &lists {
            let shared = py!(list(words)).unwrap();
            for (name, got) in [
                ("plain", py!(sorted(words))),
                ("key", py!(sorted(words, key = len))),
                ("reverse", py!(sorted(words, reverse = True))),
                ("both", py!(sorted(words, key = len, reverse = True))),
                (
                    "raises",
                    py!(sorted(words, key = lambda w: 1 / (len(w) - 3))),
                ),
                ("wrong", py!(sorted(words, cmp = len))),
                ("reverse_raises", py!(sorted(words, reverse = []))),
                (
                    "display",
                    if words.len() >= 2 {
                        py!(sorted([words[0], words[1], "b", "a"], key = len))
                    } else {
                        continue;
                    },
                ),
            ] {
                assert_eq!(outcome(py, got), way(name, &shared), "{name} {words:?}");
            }
            // A list held elsewhere is copied, as `sorted` does: the result is a new list and
            // the argument keeps its order.
            let before = outcome(py, Ok(shared.clone()));
            let result = py!(sorted(shared, reverse = True)).unwrap();
            assert!(!result.is(&shared));
            assert_eq!(outcome(py, Ok(shared.clone())), before);
            assert_eq!(
                outcome(py, Ok(result)),
                way("reverse", &shared),
                "{words:?}"
            );
        }
        // A list held by a variable of the `py!` (a borrowed operand, whose one reference is
        // the variable's) is copied too; lists made by a call or a comprehension are the
        // call's own.
        assert_eq!(
            outcome(
                py,
                py! {
                    xs = [3, 1, 2];
                    ys = sorted(xs, reverse = True);
                    (xs, ys, ys is xs)
                }
            ),
            "value ([3, 1, 2], [3, 2, 1], False)"
        );
        let v = vec![3, 1, 2];
        assert_eq!(
            outcome(
                py,
                py!((sorted(list(v)), sorted([x * 2 for x in v], reverse = True), v))
            ),
            "value ([1, 2, 3], [6, 4, 2], [3, 1, 2])"
        );
        // Other iterables and extra positional arguments go through the call.
        assert_eq!(outcome(py, py!(sorted((3, 1, 2)))), "value [1, 2, 3]");
        assert_eq!(
            outcome(py, py!(sorted(x for x in [3, 1, 2]))),
            "value [1, 2, 3]"
        );
        let v = vec![2, 1];
        let extra = py.eval(c"lambda x: sorted(x, len)", None, None).unwrap();
        let shared = py!(list(v)).unwrap();
        assert_eq!(
            outcome(py, py!(sorted(v, len))),
            outcome(py, extra.call1((shared,)))
        );
    });
}

/// A `builtins.sorted` replaced before a call site first uses it is the one that site calls,
/// even with a list made for the call.
#[test]
fn a_replaced_builtin_sorted_is_called() {
    Python::attach(|py| {
        let x = vec![3, 1, 2];
        let got = with_builtin_as_repr(py, "sorted", || py!(sorted(x)));
        assert_eq!(got, "value '[3, 1, 2]'");
        assert_eq!(py!(sorted(x) as Vec<i64>).unwrap(), [1, 2, 3]);
    });
}

/// `await f(…)` of an `async def` made in a `py!` runs the body without a coroutine object: the
/// garbage collector, which tracks every coroutine object, finds none for the awaited function
/// while its body runs, but finds one for the same function called and then awaited. Both give
/// the same value.
#[test]
fn an_awaited_call_of_an_async_def_makes_no_coroutine_object() {
    Python::attach(|py| {
        let counts = (|| {
            py! {
                import asyncio;
                import gc;
                def live(name) {
                    return len([o for o in gc.get_objects()
                                if type(o).__name__ == "coroutine" and o.__qualname__ == name])
                }
                async def inner() { await asyncio.sleep(0); return live("inner") }
                async def main() {
                    direct = await inner();
                    pending = inner();
                    through_object = await pending;
                    return [direct, through_object]
                }
                asyncio.run(main()) as Vec<usize>
            }
        })()
        .unwrap();
        assert_eq!(counts, vec![0, 1]);
    });
}
