use pycall::prelude::*;

#[derive(Clone, Debug, PartialEq, pycall::Class)]
#[pycall(clone)]
struct Counter {
    count: i64,
    #[pycall(readonly)]
    label: String,
    #[pycall(skip)]
    secret: Vec<u8>,
}

#[pycall::methods]
impl Counter {
    fn bump(&mut self, by: i64) -> i64 {
        self.count += by;
        self.count
    }
}

#[test]
fn smoke() {
    Python::attach(|py| -> PyResult<()> {
        let c = Bound::new(
            py,
            Counter {
                count: 1,
                label: "a".into(),
                secret: vec![],
            },
        )?;
        let r: String = py!(repr(c) as String)?;
        assert_eq!(r, "Counter(count=1, label='a')");
        py!(c.bump(2))?;
        let n: i64 = py!(c.count as i64)?;
        assert_eq!(n, 3);
        assert_eq!(c.borrow().count, 3);
        let plain = Counter {
            count: 5,
            label: "b".into(),
            secret: vec![1],
        };
        let back: Counter = py!(plain as Counter)?;
        assert_eq!(back, plain);
        Ok(())
    })
    .unwrap();
}
