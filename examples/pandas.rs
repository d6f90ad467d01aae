//! pandas from Rust: a DataFrame from Rust columns, a group-by, typed results back.
//!
//! Run with pandas installed in the environment pycall finds, for example after
//! `bash scripts/test.sh`: `VIRTUAL_ENV=.venv cargo run --example pandas`.

use pycall::prelude::*;
use std::collections::HashMap;

/// One row of the summary, filled from the DataFrame's records by PyO3's derive.
#[derive(FromPyObject, Debug)]
#[pyo3(from_item_all)]
struct CitySummary {
    city: String,
    orders: i64,
    revenue: f64,
    best_product: String,
}

fn main() -> PyResult<()> {
    // Orders as Rust keeps them: parallel columns.
    let city = vec![
        "Oslo", "Lima", "Oslo", "Pune", "Lima", "Oslo", "Pune", "Lima",
    ];
    let product = vec!["tea", "tea", "cake", "tea", "cake", "cake", "cake", "tea"];
    let quantity = vec![3, 1, 2, 5, 4, 1, 2, 6];
    let unit_price = vec![2.5, 2.0, 4.0, 1.5, 3.5, 4.0, 3.0, 2.0];

    Python::attach(|py| {
        let summary: Vec<CitySummary> = py! {
            import pandas as pd;
            df = pd.DataFrame({"city": city, "product": product, "quantity": quantity, "unit_price": unit_price});
            df["revenue"] = df.quantity * df.unit_price;
            by_city = df.groupby("city").agg(orders=("quantity", "size"), revenue=("revenue", "sum"));
            best = df.groupby(["city", "product"]).revenue.sum().groupby(level=0).idxmax().str[1];
            by_city["best_product"] = best;
            by_city.sort_values("revenue", ascending=False).reset_index().to_dict("records")
            as Vec<CitySummary>
        }?;
        for row in &summary {
            println!(
                "{:<5} {} orders, revenue {:>6.2}, best seller {}",
                row.city, row.orders, row.revenue, row.best_product
            );
        }
        let revenue: HashMap<&str, f64> = summary
            .iter()
            .map(|r| (r.city.as_str(), r.revenue))
            .collect();
        assert_eq!(summary[0].city, "Lima");
        assert_eq!(revenue["Lima"], 2.0 + 14.0 + 12.0);
        assert_eq!(revenue["Oslo"], 7.5 + 8.0 + 4.0);
        assert_eq!(summary.iter().map(|r| r.orders).sum::<i64>(), 8);
        Ok(())
    })
}
