//! Finding the user's Python: the embedded interpreter takes on the environment (`sys.path`,
//! `sys.prefix`, `sys.executable`) of the Python the user runs, so that packages installed with
//! that Python's `pip` import from Rust too.
//!
//! A program linked with PyO3 runs the `libpython` the dynamic loader finds, which is often not
//! the `python3` the user installs packages with (a pyenv build, a virtual environment, a
//! framework build); its default `sys.path` then misses their packages. Before the first `py!`
//! runs, pycall chooses an interpreter, in this order:
//!
//! 1. an activated virtual environment: `$VIRTUAL_ENV/bin/python`;
//! 2. `PYCALL_PYTHON=/path/to/python` (or `PYCALL_PYTHON=embedded` to keep `libpython`'s own
//!    defaults);
//! 3. the `python3` found on `PATH` (shims such as pyenv's are followed).
//!
//! It runs that interpreter once to ask for its version, prefixes and `sys.path`, checks that
//! its `major.minor` version is the one of the running `libpython` (packages with compiled code
//! load only in the feature release they were built for), and rebuilds the running
//! interpreter's `sys.path` as the running `libpython`'s own standard library followed by
//! everything else the chosen interpreter has (site-packages, `.pth` entries, `PYTHONPATH`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

/// How the interpreter whose environment pycall uses was chosen.
///
/// ```
/// use pycall::Source;
/// assert_eq!(Source::VirtualEnv.to_string(), "the activated virtual environment ($VIRTUAL_ENV)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `$VIRTUAL_ENV/bin/python`.
    VirtualEnv,
    /// `$PYCALL_PYTHON`.
    Override,
    /// The `python3` on `PATH`.
    Path,
    /// None: the running `libpython`'s own defaults are kept (`PYCALL_PYTHON=embedded`,
    /// [`keep_embedded_defaults`], no `python3` on `PATH`, or pycall runs inside a Python
    /// process, as part of an extension module, whose environment is already the user's).
    Embedded,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::VirtualEnv => "the activated virtual environment ($VIRTUAL_ENV)",
            Source::Override => "$PYCALL_PYTHON",
            Source::Path => "the python3 on PATH",
            Source::Embedded => "none: libpython's own defaults",
        })
    }
}

/// What pycall found and did: print it (it implements `Display`) in bug reports.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let env = pycall::environment(py)?;
///     let prefix: String = py!{ import sys; sys.prefix as String }?;
///     assert_eq!(prefix, env.prefix);
///     println!("{env}");
///     Ok(())
/// }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Environment {
    /// How the interpreter was chosen.
    pub source: Source,
    /// The chosen interpreter (`sys.executable` as it reports it), if any.
    pub interpreter: Option<PathBuf>,
    /// The chosen interpreter's version (`3.11.7`), if any.
    pub interpreter_version: Option<String>,
    /// The version of the `libpython` this process runs.
    pub runtime_version: String,
    /// The file of that `libpython`, where the platform can tell.
    pub libpython: Option<PathBuf>,
    /// `$VIRTUAL_ENV`, when set.
    pub virtual_env: Option<PathBuf>,
    /// `sys.prefix` after setup.
    pub prefix: String,
    /// `sys.base_prefix` after setup.
    pub base_prefix: String,
    /// `sys.executable` after setup.
    pub executable: String,
    /// `sys.path` after setup.
    pub sys_path: Vec<String>,
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |p: &Option<PathBuf>| match p {
            Some(p) => p.display().to_string(),
            None => "-".to_owned(),
        };
        writeln!(f, "pycall environment")?;
        writeln!(f, "  chosen by:       {}", self.source)?;
        writeln!(f, "  interpreter:     {}", show(&self.interpreter))?;
        writeln!(
            f,
            "  its version:     {}",
            self.interpreter_version.as_deref().unwrap_or("-")
        )?;
        writeln!(f, "  libpython:       {}", show(&self.libpython))?;
        writeln!(f, "  running version: {}", self.runtime_version)?;
        writeln!(f, "  VIRTUAL_ENV:     {}", show(&self.virtual_env))?;
        writeln!(f, "  sys.executable:  {}", self.executable)?;
        writeln!(f, "  sys.prefix:      {}", self.prefix)?;
        writeln!(f, "  sys.base_prefix: {}", self.base_prefix)?;
        writeln!(f, "  sys.path:")?;
        for p in &self.sys_path {
            writeln!(f, "    {p}")?;
        }
        Ok(())
    }
}

const UNSET: u8 = 0;
const READY: u8 = 1;
const FAILED: u8 = 2;
const KEPT: u8 = 3;

static STATE: AtomicU8 = AtomicU8::new(UNSET);
/// Set up once; `PyOnceLock` detaches from the interpreter while another thread sets up, so a
/// thread that waits does not hold the GIL the setting-up thread needs.
static RESULT: PyOnceLock<Result<Environment, String>> = PyOnceLock::new();

/// Makes pycall keep the running `libpython`'s own `sys.path` and prefixes: for a program that
/// configures or starts the interpreter itself. Call it before the first `py!`; it returns
/// `false` (and changes nothing) when pycall has already set the environment up.
///
/// The same can be had without code: `PYCALL_PYTHON=embedded`.
///
/// ```rust,standalone_crate
/// use pycall::prelude::*;
///
/// // First thing in a program that wants libpython's defaults.
/// assert!(pycall::keep_embedded_defaults());
/// Python::attach(|py| {
///     let env = pycall::environment(py).unwrap();
///     assert_eq!(env.source, pycall::Source::Embedded);
///     assert_eq!(env.interpreter, None);
/// });
/// ```
pub fn keep_embedded_defaults() -> bool {
    match STATE.compare_exchange(UNSET, KEPT, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => true,
        Err(state) => state == KEPT,
    }
}

/// Sets the environment up if that has not happened yet; what `py!` calls before its first
/// evaluation. Cheap after the first call (one atomic load).
#[inline(always)]
pub(crate) fn ensure(py: Python<'_>) -> PyResult<()> {
    match STATE.load(Ordering::Acquire) {
        READY | KEPT => Ok(()),
        _ => ensure_slow(py),
    }
}

thread_local! {
    /// This thread is setting the environment up: a `py!` reached from inside the setup (an
    /// import hook written in Rust, say) runs as it is instead of waiting for itself.
    static SETTING_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cold]
fn ensure_slow(py: Python<'_>) -> PyResult<()> {
    if SETTING_UP.with(|s| s.get()) {
        return Ok(());
    }
    environment(py).map(|_| ())
}

/// The environment pycall set up for this process (setting it up now if needed), or the error
/// that prevented it, such as a version mismatch between the chosen interpreter and the running
/// `libpython`, which says what to do.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| {
///     let env = pycall::environment(py).unwrap();
///     assert!(env.runtime_version.starts_with("3."));
///     assert!(!env.sys_path.is_empty());
/// });
/// ```
pub fn environment(py: Python<'_>) -> PyResult<Environment> {
    let result = RESULT.get_or_init(py, || {
        // Claim the setup; if `keep_embedded_defaults` came first, only report.
        let kept = STATE
            .compare_exchange(UNSET, FAILED, Ordering::AcqRel, Ordering::Acquire)
            .is_err();
        SETTING_UP.with(|s| s.set(true));
        let result = setup(py, kept);
        SETTING_UP.with(|s| s.set(false));
        if !kept && result.is_ok() {
            STATE.store(READY, Ordering::Release);
        }
        result
    });
    match result {
        Ok(env) => Ok(env.clone()),
        Err(message) => Err(PyRuntimeError::new_err(message.clone())),
    }
}

/// The interpreter chosen by the rules above, or `None` to keep the defaults.
fn choose() -> Result<Option<(Source, PathBuf)>, String> {
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        let venv = PathBuf::from(venv);
        let python = ["bin/python", "bin/python3", "Scripts/python.exe"]
            .iter()
            .map(|p| venv.join(p))
            .find(|p| p.is_file());
        return match python {
            Some(p) => Ok(Some((Source::VirtualEnv, p))),
            None => Err(format!(
                "pycall: VIRTUAL_ENV is set to {} (from the working directory {}), but there is \
                 no Python in it (no bin/python). Activate an existing virtual environment \
                 (`source ENV/bin/activate`, which sets an absolute path), make one \
                 (`python3 -m venv ENV`), or unset VIRTUAL_ENV.",
                venv.display(),
                std::env::current_dir()
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|_| "?".to_owned())
            )),
        };
    }
    if let Some(value) = std::env::var_os("PYCALL_PYTHON").filter(|v| !v.is_empty()) {
        if value == "embedded" {
            return Ok(None);
        }
        let path = PathBuf::from(&value);
        let found = if path.components().count() > 1 {
            path.is_file().then_some(path.clone())
        } else {
            find_on_path(&value)
        };
        return match found {
            Some(p) => Ok(Some((Source::Override, p))),
            None => Err(format!(
                "pycall: PYCALL_PYTHON is set to {}, which is not a Python interpreter file. \
                 Set it to the path of a python executable (for example the output of \
                 `python3 -c 'import sys; print(sys.executable)'`), to `embedded` for \
                 libpython's own defaults, or unset it.",
                path.display()
            )),
        };
    }
    Ok(find_on_path("python3".as_ref()).map(|p| (Source::Path, p)))
}

fn find_on_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The file of the running `libpython`, from the process's memory map (Linux); `None` elsewhere.
fn libpython_file() -> Option<PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| {
            Path::new(path)
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libpython"))
        })
        .map(PathBuf::from)
}

/// What the chosen interpreter is asked; it prints one JSON object on a line of its own after a
/// marker (a `sitecustomize` may print other lines).
const PROBE: &str = r#"
import json, site, sys, sysconfig
print("PYCALL-PROBE " + json.dumps({
    "executable": sys.executable,
    "version": list(sys.version_info[:3]),
    "prefix": sys.prefix,
    "exec_prefix": sys.exec_prefix,
    "base_prefix": sys.base_prefix,
    "base_exec_prefix": sys.base_exec_prefix,
    "path": sys.path[1:] if sys.path and sys.path[0] == "" else sys.path,
    "stdlib": [sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")],
    "sitedirs": site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else []),
}))
"#;

/// Whether `path` belongs to a standard library: one of `roots` (`stdlib`, `platstdlib`), a
/// `lib-dynload` under one, or the `pythonXY.zip` entry.
fn is_stdlib(path: &str, roots: &[String], version: (u8, u8)) -> bool {
    let path = Path::new(path);
    let zip = format!("python{}{}.zip", version.0, version.1);
    roots.iter().any(|root| {
        let root = Path::new(root);
        path == root || path.starts_with(root.join("lib-dynload"))
    }) || path.file_name().is_some_and(|n| n.to_string_lossy() == zip)
}

/// Rebuilds the running interpreter's `sys.path` and prefixes from the chosen interpreter's
/// answer: the running standard library first (it must match the running `libpython`), then
/// every other entry of the chosen interpreter, then its site directories through
/// `site.addsitedir` (which runs their `.pth` files).
fn apply(py: Python<'_>, probe: &Bound<'_, PyDict>, version: (u8, u8)) -> PyResult<()> {
    let sys = py.import("sys")?;
    let sysconfig = py.import("sysconfig")?;
    let item = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        probe
            .get_item(key)?
            .ok_or_else(|| PyRuntimeError::new_err(format!("no `{key}` in the answer")))
    };
    let own_roots: Vec<String> = ["stdlib", "platstdlib"]
        .iter()
        .map(|k| sysconfig.call_method1("get_path", (*k,))?.extract())
        .collect::<PyResult<_>>()?;
    let their_roots: Vec<String> = item("stdlib")?.extract()?;
    let current: Vec<String> = sys.getattr("path")?.extract()?;
    let theirs: Vec<String> = item("path")?.extract()?;
    // The chosen interpreter's order (so `PYTHONPATH` still comes before the standard library),
    // with its standard library replaced by the running one's where it first appears.
    let own: Vec<String> = current
        .into_iter()
        .filter(|p| is_stdlib(p, &own_roots, version))
        .collect();
    let mut path: Vec<String> = Vec::new();
    let mut placed = false;
    for entry in theirs {
        if is_stdlib(&entry, &their_roots, version) {
            if !placed {
                path.extend(own.iter().cloned());
                placed = true;
            }
        } else if !entry.is_empty() && !path.contains(&entry) {
            path.push(entry);
        }
    }
    if !placed {
        path.splice(0..0, own);
    }
    // In place, as `sys.path[:] = …`: code may hold the list itself.
    let sys_path = sys.getattr("path")?;
    sys_path.call_method0("clear")?;
    sys_path.call_method1("extend", (PyList::new(py, &path)?,))?;
    let site = py.import("site")?;
    let sitedirs: Vec<String> = item("sitedirs")?.extract()?;
    for dir in sitedirs.iter().filter(|d| Path::new(d).is_dir()) {
        site.call_method1("addsitedir", (dir,))?;
    }
    for (attr, key) in [
        ("prefix", "prefix"),
        ("exec_prefix", "exec_prefix"),
        ("base_prefix", "base_prefix"),
        ("base_exec_prefix", "base_exec_prefix"),
        ("executable", "executable"),
        ("_base_executable", "executable"),
    ] {
        sys.setattr(attr, item(key)?)?;
    }
    py.import("importlib")?.call_method0("invalidate_caches")?;
    Ok(())
}

/// How long the chosen interpreter may take to answer before pycall gives up on it.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs the probe in the chosen interpreter, killing it if it does not answer in
/// [`PROBE_TIMEOUT`] (a hung shim or `sitecustomize` must not hang the program).
fn run_probe(python: &Path) -> std::io::Result<std::process::Output> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(python)
        .args(["-c", PROBE])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stderr.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = std::time::Instant::now() + PROBE_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("it did not answer within {} s", PROBE_TIMEOUT.as_secs()),
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let join = |h: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
        h.join()
            .unwrap_or_else(|_| Err(std::io::Error::other("reader thread failed")))
    };
    Ok(std::process::Output {
        status,
        stdout: join(out_reader)?,
        stderr: join(err_reader)?,
    })
}

fn setup(py: Python<'_>, kept: bool) -> Result<Environment, String> {
    let runtime_version = py.version_info();
    let runtime = format!(
        "{}.{}.{}",
        runtime_version.major, runtime_version.minor, runtime_version.patch
    );
    let virtual_env = std::env::var_os("VIRTUAL_ENV")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let mut env = Environment {
        source: Source::Embedded,
        interpreter: None,
        interpreter_version: None,
        runtime_version: runtime.clone(),
        libpython: libpython_file(),
        virtual_env,
        prefix: String::new(),
        base_prefix: String::new(),
        executable: String::new(),
        sys_path: Vec::new(),
    };
    let sys = py.import("sys").map_err(|e| e.to_string())?;
    // Inside a Python process (pycall in an extension module), the environment is already the
    // user's; `sys.orig_argv` is empty only when Python is embedded.
    let hosted = sys
        .getattr("orig_argv")
        .and_then(|a| a.len())
        .is_ok_and(|n| n > 0);
    let chosen = if kept || hosted { None } else { choose()? };
    if let Some((source, python)) = chosen {
        // Detached: other threads keep running Python while the probe runs.
        let output = py.detach(|| run_probe(&python)).map_err(|e| {
            format!(
                "pycall: could not run {} (chosen as {source}): {e}. Point PYCALL_PYTHON at a \
                     working Python interpreter, or set PYCALL_PYTHON=embedded.",
                python.display()
            )
        })?;
        if !output.status.success() {
            return Err(format!(
                "pycall: {} (chosen as {source}) failed to report its environment ({}): {}",
                python.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let text = stdout
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("PYCALL-PROBE "))
            .unwrap_or("");
        let probe = py
            .import("json")
            .and_then(|json| json.call_method1("loads", (text.trim(),)))
            .and_then(|p| p.cast_into::<PyDict>().map_err(Into::into))
            .map_err(|e| {
                format!(
                    "pycall: {} (chosen as {source}) gave an answer pycall cannot read ({e}): {}",
                    python.display(),
                    text.trim()
                )
            })?;
        let version: Vec<u8> = probe
            .get_item("version")
            .and_then(|v| v.ok_or_else(|| PyRuntimeError::new_err("no version")))
            .and_then(|v| v.extract())
            .map_err(|e| format!("pycall: unreadable version from {}: {e}", python.display()))?;
        let version = match version[..] {
            [major, minor, patch] => (major, minor, patch),
            _ => {
                return Err(format!(
                    "pycall: unreadable version from {}",
                    python.display()
                ));
            }
        };
        let executable: String = probe
            .get_item("executable")
            .ok()
            .flatten()
            .and_then(|e| e.extract().ok())
            .unwrap_or_else(|| python.display().to_string());
        let found = format!("{}.{}.{}", version.0, version.1, version.2);
        if (version.0, version.1) != (runtime_version.major, runtime_version.minor) {
            let lib = env
                .libpython
                .as_ref()
                .map(|p| format!(" ({})", p.display()))
                .unwrap_or_default();
            return Err(format!(
                "pycall: the Python chosen for this program's packages is {executable} (Python \
                 {found}, chosen as {source}), but this program runs libpython {runtime}{lib}: \
                 packages installed for {}.{} do not load in {}.{}. Do one of: activate a \
                 virtual environment made with Python {}.{}; set PYCALL_PYTHON to a Python {}.{} \
                 interpreter; rebuild with PYO3_PYTHON={executable} so that the program links \
                 Python {}.{} (and make sure that libpython is the one loaded at run time, e.g. \
                 with LD_LIBRARY_PATH); or set PYCALL_PYTHON=embedded to use libpython's own \
                 packages.",
                version.0,
                version.1,
                runtime_version.major,
                runtime_version.minor,
                runtime_version.major,
                runtime_version.minor,
                runtime_version.major,
                runtime_version.minor,
                version.0,
                version.1,
            ));
        }
        apply(py, &probe, (version.0, version.1))
            .map_err(|e| format!("pycall: setting up sys.path from {executable} failed: {e}"))?;
        env.source = source;
        env.interpreter = Some(PathBuf::from(executable));
        env.interpreter_version = Some(found);
    }
    let read = |name: &str| -> String {
        sys.getattr(name)
            .and_then(|v| v.extract())
            .unwrap_or_default()
    };
    env.prefix = read("prefix");
    env.base_prefix = read("base_prefix");
    env.executable = read("executable");
    env.sys_path = sys
        .getattr("path")
        .and_then(|p| p.cast_into::<PyList>().map_err(Into::into))
        .and_then(|p| p.extract())
        .unwrap_or_default();
    Ok(env)
}
