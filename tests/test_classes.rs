//! `#[derive(Class)]` and `#[pycall::methods]`: Rust structs read and changed by Python code,
//! with PyO3's borrow-tracked cells keeping it sound.

use pycall::prelude::*;
use pycall::pyo3::exceptions::{PyAttributeError, PyRuntimeError, PyTypeError};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, pycall::Class)]
#[pycall(clone)]
struct Account {
    owner: String,
    balance: i64,
    #[pycall(readonly)]
    id: u32,
    #[pycall(name = "tags")]
    labels: Vec<String>,
    #[pycall(skip)]
    audit: Vec<i64>,
}

#[pycall::methods]
impl Account {
    #[new]
    fn new(owner: String, balance: i64) -> Self {
        Account {
            owner,
            balance,
            id: 0,
            labels: Vec::new(),
            audit: Vec::new(),
        }
    }

    fn deposit(&mut self, amount: i64) -> PyResult<i64> {
        if amount <= 0 {
            return Err(pycall::pyo3::exceptions::PyValueError::new_err(
                "deposit must be positive",
            ));
        }
        self.balance += amount;
        self.audit.push(amount);
        Ok(self.balance)
    }

    /// Calls `f` while this method holds the object mutably borrowed.
    fn while_borrowed(&mut self, f: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.balance += 1;
        Ok(f.call0()?.unbind())
    }

    #[pycall(name = "history")]
    fn audit_len(&self) -> usize {
        self.audit.len()
    }

    #[pycall(skip)]
    fn rust_only(&self) -> &[i64] {
        &self.audit
    }
}

/// A class whose field descriptor one test replaces (3.9 only), kept apart from the classes
/// other tests use at the same time.
#[derive(pycall::Class)]
struct Swappable {
    balance: i64,
}

fn account(owner: &str, balance: i64) -> Account {
    Account {
        owner: owner.into(),
        balance,
        id: 7,
        labels: vec!["a".into()],
        audit: Vec::new(),
    }
}

fn is<E: pycall::pyo3::PyTypeInfo>(py: Python<'_>, err: &PyErr, text: &str) -> bool {
    err.is_instance_of::<E>(py) && err.value(py).to_string() == text
}

#[test]
fn fields_are_attributes_with_their_options() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Bound::new(py, account("ann", 10))?;
        assert_eq!(py!(acct.owner as String)?, "ann");
        assert_eq!(py!(acct.tags as Vec<String>)?, ["a"]);
        py!(acct.owner = "bob")?;
        py!(acct.balance += 5)?;
        assert_eq!(acct.borrow().owner, "bob");
        assert_eq!(acct.borrow().balance, 15);
        // readonly: readable, not writable; skip: not there at all; renamed: only the new name.
        assert_eq!(py!(acct.id as u32)?, 7);
        let err = py!(acct.id = 8).unwrap_err();
        assert!(err.is_instance_of::<PyAttributeError>(py), "{err}");
        for missing in [py!(acct.audit), py!(acct.labels)] {
            assert!(missing.unwrap_err().is_instance_of::<PyAttributeError>(py));
        }
        // The class is immutable (3.10+): Python cannot swap a field's descriptor, so a direct
        // read in `py!` and attribute lookup always agree. On 3.9, where no class can be made
        // immutable, `py!` reads fields through lookup, so the two agree there too.
        if py.version_info() >= (3, 10) {
            let err = py!(setattr(type(acct), "balance", property(lambda s: -1))).unwrap_err();
            assert!(err.is_instance_of::<PyTypeError>(py), "{err}");
        } else {
            // On a class of its own: the other tests use `Account` in parallel threads, and
            // swapping its descriptor here would be seen there.
            let other = Bound::new(py, Swappable { balance: 1 })?;
            let original = py!(type(other).balance)?;
            py!(setattr(type(other), "balance", property(lambda s: -1)))?;
            assert_eq!(py!(other.balance as i64)?, -1);
            assert_eq!(py!(getattr(other, "balance") as i64)?, -1);
            py!(setattr(type(other), "balance", original))?;
            assert_eq!(py!(other.balance as i64)?, 1);
        }
        // A setter converts with PyO3's extraction: the wrong type is a TypeError.
        let err = py!(acct.balance = "lots").unwrap_err();
        assert!(err.is_instance_of::<PyTypeError>(py), "{err}");
        assert_eq!(acct.borrow().balance, 15);
        Ok(())
    })
    .unwrap();
}

#[test]
fn repr_eq_and_hash_are_generated() {
    Python::attach(|py| -> PyResult<()> {
        let a = Bound::new(py, account("ann", 10))?;
        let b = Bound::new(py, account("ann", 10))?;
        let c = Bound::new(py, account("cy", 10))?;
        assert_eq!(
            py!(repr(a) as String)?,
            "Account(owner='ann', balance=10, id=7, tags=['a'])"
        );
        assert!(py!(a == b and a != c and not (a == c) as bool)?);
        // Another type compares unequal (NotImplemented on both sides), without an error.
        assert!(py!(a != 1 and not (a == "ann") as bool)?);
        // Mutable, so unhashable, like a dataclass with eq=True.
        let err = py!(hash(a)).unwrap_err();
        assert!(
            is::<PyTypeError>(py, &err, "unhashable type: 'builtins.Account'"),
            "{err}"
        );

        let p = Bound::new(py, Point { x: 1, y: 2 })?;
        let q = Bound::new(py, Point { x: 1, y: 2 })?;
        assert!(py!(hash(p) == hash(q) == hash((1, 2)) and len({p, q}) == 1 as bool)?);
        assert_eq!(py!(repr(p) as String)?, "Point(x=1, y=2)");
        assert_eq!(py!((p.x, p.y) as (i64, i64))?, (1, 2)); // direct reads of a frozen class
        let err = py!(p.x = 5).unwrap_err();
        assert!(err.is_instance_of::<PyAttributeError>(py), "{err}");

        // repr = false and eq = false keep Python's defaults (identity equality, hashable).
        let o = Bound::new(py, Opaque { n: 1 })?;
        let o2 = Bound::new(py, Opaque { n: 1 })?;
        assert!(py!(
            repr(o).startswith("<builtins.Opaque object at ") as bool
        )?);
        assert!(py!(o != o2 and o == o and hash(o) == hash(o) as bool)?);
        Ok(())
    })
    .unwrap();
}

#[derive(pycall::Class)]
#[pycall(frozen, name = "Point", module = "geo")]
struct Point {
    x: i64,
    y: i64,
}

#[derive(pycall::Class)]
#[pycall(repr = false, eq = false)]
struct Opaque {
    n: i64,
}

#[test]
fn python_changes_to_a_shared_value_are_seen_by_rust() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Py::new(py, account("ann", 0))?;
        // A Python function that mutates its argument, and a method call.
        py! {
            def pay(a, n) { a.balance += n; return a.balance }
            pay(acct, 3);
            acct.deposit(4);
            acct.tags.append("ignored");   // a getter returns a copy of a Vec, as in PyO3
            acct.tags = acct.tags + ["vip"]
        }?;
        let a = acct.borrow(py);
        assert_eq!(a.balance, 7);
        assert_eq!(a.labels, ["a", "vip"]);
        assert_eq!(a.audit, [4]);
        assert_eq!(a.rust_only(), [4]);
        drop(a);
        assert_eq!(py!(acct.history() as usize)?, 1);
        let err = py!(acct.rust_only()).unwrap_err();
        assert!(err.is_instance_of::<PyAttributeError>(py));
        let err = py!(acct.deposit(-1)).unwrap_err();
        assert_eq!(err.value(py).to_string(), "deposit must be positive");
        Ok(())
    })
    .unwrap();
}

#[test]
fn values_move_in_by_conversion_and_copy_in_by_name() {
    Python::attach(|py| -> PyResult<()> {
        // Moved: the Python object owns the value from then on.
        let moved = account("ann", 1).into_pyobject(py)?;
        py!(moved.balance = 2)?;
        assert_eq!(moved.borrow().balance, 2);
        // By name (with `#[pycall(clone)]`): Python gets a copy, the Rust value is untouched.
        let local = account("ann", 1);
        let seen: i64 = py! {
            a = local;
            a.balance = 99;
            a.balance as i64
        }?;
        assert_eq!((seen, local.balance), (99, 1));
        // The constructor exposed with PyO3's `#[new]`.
        let made: Account = py!(type(moved)("zed", 5) as Account)?;
        assert_eq!((made.owner.as_str(), made.balance, made.id), ("zed", 5, 0));
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_struct_round_trips_unchanged() {
    #[derive(Clone, Debug, PartialEq, pycall::Class)]
    #[pycall(clone)]
    struct Record {
        id: u64,
        score: f64,
        name: String,
        tags: Vec<String>,
        note: Option<String>,
        counts: HashMap<String, i32>,
        flag: bool,
    }
    Python::attach(|py| -> PyResult<()> {
        let original = Record {
            id: u64::MAX,
            score: -0.1,
            name: "naïve ✓".into(),
            tags: vec!["x".into(), String::new()],
            note: None,
            counts: HashMap::from([("k".into(), -3)]),
            flag: true,
        };
        let back: Record = py! {
            def identity(r) { copy = r; return copy }
            identity(original) as Record
        }?;
        assert_eq!(back, original);
        // Through a real Python container and back.
        let listed: Vec<Record> = py!([original, original][1:] as Vec<Record>)?;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0], original);
        Ok(())
    })
    .unwrap();
}

#[test]
fn rust_holding_a_mutable_borrow_makes_python_access_an_error() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Bound::new(py, account("ann", 1))?;
        let handle: Py<Account> = acct.clone().unbind();
        {
            let mut guard = acct.borrow_mut();
            guard.balance = 50;
            // Direct field reads (Bound, &Bound, Py), attribute lookup, methods and repr all fail
            // cleanly while Rust holds `&mut`.
            let by_ref = &acct;
            let attempts = [
                py!(acct.balance),
                py!(by_ref.balance),
                py!(handle.balance),
                py!(getattr(acct, "balance")),
                py!(acct.deposit(1)),
                py!(repr(acct)),
                py!(acct.owner = "x"),
            ];
            for attempt in attempts {
                let err = attempt.unwrap_err();
                assert!(err.is_instance_of::<PyRuntimeError>(py), "{err}");
                assert!(err.value(py).to_string().starts_with("Already"), "{err}");
            }
            assert_eq!(guard.balance, 50);
        }
        assert_eq!(py!(acct.balance as i64)?, 50);
        Ok(())
    })
    .unwrap();
}

#[test]
fn rust_holding_a_shared_borrow_allows_reads_and_refuses_writes() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Bound::new(py, account("ann", 1))?;
        let guard = acct.borrow();
        assert_eq!(py!(acct.balance as i64)?, 1);
        let err = py!(acct.balance = 2).unwrap_err();
        assert!(is::<PyRuntimeError>(py, &err, "Already borrowed"), "{err}");
        let err = py!(acct.deposit(1)).unwrap_err();
        assert!(is::<PyRuntimeError>(py, &err, "Already borrowed"), "{err}");
        assert_eq!(guard.balance, 1);
        Ok(())
    })
    .unwrap();
}

#[test]
fn python_holding_a_borrow_makes_rust_and_python_access_an_error() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Bound::new(py, account("ann", 1))?;
        // Inside `while_borrowed` PyO3 holds `&mut self`; a Python read of the same object
        // raises, and the method's caller gets that exception.
        let err = py!(acct.while_borrowed(lambda: acct.balance)).unwrap_err();
        assert!(
            is::<PyRuntimeError>(py, &err, "Already mutably borrowed"),
            "{err}"
        );
        // A Rust callback that tries to borrow meets the same state, as a `Result`.
        let shared = acct.clone().unbind();
        let probe = pycall::callback(py, move |(_,): (i64,)| -> bool {
            Python::attach(|py| {
                let a = shared.bind(py);
                a.try_borrow_mut().is_err() && a.try_borrow().is_err()
            })
        })?;
        assert!(py!(acct.while_borrowed(lambda: probe(0)) as bool)?);
        // Afterwards everything is released, and the method's own change stuck.
        assert_eq!(acct.try_borrow_mut()?.balance, 3);
        Ok(())
    })
    .unwrap();
}

#[test]
fn direct_field_reads_agree_with_attribute_lookup() {
    Python::attach(|py| -> PyResult<()> {
        let acct = Bound::new(py, account("ann", 42))?;
        let by_ref = &acct;
        let handle = acct.clone().unbind();
        let handle_ref = &handle;
        let direct = [
            py!(acct.balance)?,
            py!(by_ref.balance)?,
            py!(handle.balance)?,
            py!(handle_ref.balance)?,
            py!($acct.balance)?,
            py!($(acct.clone()).balance)?,
        ];
        let looked_up = py!(getattr(acct, "balance"))?;
        for value in direct {
            assert!(value.eq(&looked_up)?);
        }
        // Renamed fields go by their Python name; methods and class attributes still resolve.
        assert_eq!(py!(acct.tags as Vec<String>)?, ["a"]);
        assert_eq!(py!(acct.deposit(1) as i64)?, 43);
        assert_eq!(py!(acct.__class__.__name__ as String)?, "Account");
        Ok(())
    })
    .unwrap();
}
