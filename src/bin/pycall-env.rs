//! Prints the Python environment pycall sets up, for bug reports, and where modules import
//! from:
//!
//!     cargo run -q --bin pycall-env [MODULE ...]
//!
//! It exits with status 2 when the environment cannot be set up (the message says why and what
//! to do), and 1 when a named module does not import.

use pycall::prelude::*;
use std::process::ExitCode;

fn main() -> ExitCode {
    let modules: Vec<String> = std::env::args().skip(1).collect();
    Python::attach(|py| {
        match pycall::environment(py) {
            Ok(env) => print!("{env}"),
            Err(e) => {
                println!("error: {e}");
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
            match place {
                Ok(file) => println!("module {name}: {file}"),
                Err(e) => {
                    println!("module {name}: {e}");
                    status = ExitCode::from(1);
                }
            }
        }
        status
    })
}
