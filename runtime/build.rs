//! Build script: PyO3's `cfg`s for the Python being built against (`Py_3_11`, `Py_GIL_DISABLED`,
//! ...), and that Python's interpreter and version, which the environment setup falls back to
//! when the `python3` on `PATH` is another feature release than the `libpython` that runs.

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let config = pyo3_build_config::get();
    let version = config.version();
    println!(
        "cargo:rustc-env=PYCALL_BUILD_PYTHON_VERSION={}.{}",
        version.major, version.minor
    );
    println!(
        "cargo:rustc-env=PYCALL_BUILD_PYTHON={}",
        config.executable().unwrap_or("")
    );
}
