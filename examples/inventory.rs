//! Rust structs read and changed by Python code.
//!
//! The inventory is Rust data (`Item`s behind `Py<Item>` handles). A pricing rule written in
//! Python reads the items, marks down the slow sellers and restocks what runs low through a Rust
//! method; Rust then prints what changed. A borrow conflict at the end shows what happens when
//! both sides want the same item at once: a Python exception, not undefined behaviour.
//!
//! Run with `cargo run --example inventory`.

use pycall::prelude::*;

#[derive(Class)]
struct Item {
    #[pycall(readonly)]
    sku: String,
    price: f64,
    stock: u32,
    sold_last_week: u32,
    #[pycall(skip)]
    log: Vec<String>,
}

#[pycall::methods]
impl Item {
    /// Called from Python: adds stock and records why.
    fn restock(&mut self, amount: u32, reason: String) {
        self.stock += amount;
        self.log.push(format!("+{amount} ({reason})"));
    }
}

fn item(sku: &str, price: f64, stock: u32, sold: u32) -> Item {
    Item {
        sku: sku.into(),
        price,
        stock,
        sold_last_week: sold,
        log: Vec::new(),
    }
}

fn print_table(py: Python<'_>, title: &str, items: &[Py<Item>]) {
    println!("{title}");
    for handle in items {
        let it = handle.borrow(py);
        println!(
            "  {:<8} {:>7.2} {:>4} in stock  {}",
            it.sku,
            it.price,
            it.stock,
            it.log.join(", ")
        );
    }
}

fn main() -> PyResult<()> {
    Python::attach(|py| {
        let items: Vec<Py<Item>> = [
            item("lamp", 40.0, 3, 12),
            item("chair", 120.0, 25, 1),
            item("mug", 8.5, 2, 30),
            item("rug", 210.0, 9, 0),
        ]
        .into_iter()
        .map(|i| Py::new(py, i))
        .collect::<PyResult<_>>()?;
        print_table(py, "before:", &items);

        let markdown = 0.15;
        let summary: String = py! {
            def reprice(item, markdown) {
                if item.sold_last_week == 0 {
                    item.price = round(item.price * (1 - markdown), 2);
                    return 1
                }
                return 0
            }
            marked = sum(reprice(i, markdown) for i in items);
            low = [i for i in items if i.stock < i.sold_last_week];
            for i in low { i.restock(i.sold_last_week - i.stock, "weekly demand") }
            by_value = sorted(items, key=lambda i: i.price * i.stock, reverse=True);
            f "{marked} marked down, {len(low)} restocked, most stock value: {by_value[0].sku}"
            as String
        }?;
        println!("\npython: {summary}\n");
        print_table(py, "after:", &items);
        assert_eq!(items[0].borrow(py).stock, 12);
        assert_eq!(items[3].borrow(py).price, 178.5);

        // Rust holds one item mutably; Python code touching it gets RuntimeError, and the
        // item is unchanged.
        let lamp = items[0].bind(py);
        let guard = lamp.borrow_mut();
        let err = py!(lamp.price).unwrap_err();
        println!("\nwhile Rust holds the lamp: {err}");
        assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyRuntimeError>(py));
        drop(guard);
        Ok(())
    })
}
