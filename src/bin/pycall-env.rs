//! Prints the Python environment pycall sets up, for bug reports, and where modules import
//! from:
//!
//!     cargo run -q --bin pycall-env [MODULE ...]
//!
//! The report says which interpreter was chosen and why ("chosen by"), including the fallback to
//! the Python the program was built with when the `python3` on `PATH` is another feature
//! release than the running `libpython`. It exits with status 2 when the environment cannot be
//! set up (the message says why and what to do), and 1 when a named module does not import.

use pycall::prelude::*;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let modules: Vec<String> = std::env::args().skip(1).collect();
    // A closed pipe (`pycall-env | head`) ends the report quietly instead of panicking.
    let mut out = std::io::stdout().lock();
    Python::attach(|py| {
        match pycall::environment(py) {
            Ok(env) => {
                if write!(out, "{env}").is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            Err(e) => {
                let _ = writeln!(out, "error: {e}");
                return ExitCode::from(2);
            }
        }
        let mut status = ExitCode::SUCCESS;
        for name in &modules {
            let place = py! {
                import importlib;
                module = importlib.import_module(name);
                getattr(module, "__file__", None) or repr(module)
                as String
            };
            let written = match place {
                Ok(file) => writeln!(out, "module {name}: {file}"),
                Err(e) => {
                    status = ExitCode::from(1);
                    writeln!(out, "module {name}: {e}")
                }
            };
            if written.is_err() {
                break;
            }
        }
        status
    })
}
