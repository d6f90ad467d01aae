//! matplotlib from Rust: plot data computed in Rust and save a PNG.
//!
//! Run with matplotlib installed in the environment pycall finds, for example after
//! `bash scripts/test.sh`: `VIRTUAL_ENV=.venv cargo run --example plot [OUT.png]`
//! (default `target/damped.png`).

use pycall::prelude::*;

/// A damped oscillator, integrated in Rust (semi-implicit Euler).
fn simulate(steps: usize, dt: f64, damping: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut v) = (1.0_f64, 0.0_f64);
    let (mut ts, mut xs, mut vs) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..steps {
        v += (-x - damping * v) * dt;
        x += v * dt;
        ts.push(i as f64 * dt);
        xs.push(x);
        vs.push(v);
    }
    (ts, xs, vs)
}

fn main() -> PyResult<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/damped.png".to_owned());
    let (t, position, velocity) = simulate(2_000, 0.01, 0.3);
    Python::attach(|py| {
        let size = py! {
            import matplotlib;
            matplotlib.use("Agg");               // no display needed
            import matplotlib.pyplot as plt;
            fig, (top, phase) = plt.subplots(1, 2, figsize=(10, 4));
            top.plot(t, position, label="position");
            top.plot(t, velocity, label="velocity", linestyle="--");
            top.set_xlabel("time (s)");
            top.set_title("damped oscillator, computed in Rust");
            top.legend();
            phase.plot(position, velocity, color="tab:purple");
            phase.set_xlabel("position");
            phase.set_ylabel("velocity");
            phase.set_title("phase portrait");
            fig.tight_layout();
            fig.savefig(out, dpi=100);
            plt.close(fig);
            import os;
            os.path.getsize(out)
            as u64
        }?;
        println!("wrote {out} ({size} bytes)");
        let header = std::fs::read(&out)
            .map_err(|e| pycall::pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
        assert_eq!(&header[..8], b"\x89PNG\r\n\x1a\n");
        Ok(())
    })
}
