//! Finding the user's Python: the embedded interpreter takes on the environment (`sys.path`,
//! `sys.prefix`, `sys.executable`) of the Python the user runs, so that packages installed with
//! that Python's `pip` import from Rust too.
//!
//! A program linked with PyO3 runs the `libpython` the dynamic loader finds, which is often not
//! the `python3` the user installs packages with (a pyenv build, a virtual environment, a
//! framework build); its default `sys.path` then misses their packages. Before the first `py!`
//! runs, pycall chooses an interpreter ([`discovery`] has the order and the layouts it knows),
//! runs it once to ask for its version, prefixes and `sys.path` ([`probe`]), checks that its
//! `major.minor` version is the one of the running `libpython` (packages with compiled code load
//! only in the feature release they were built for), and rebuilds the running interpreter's
//! `sys.path` as the running `libpython`'s own standard library followed by everything else the
//! chosen interpreter has (site-packages, `.pth` entries, `PYTHONPATH`).

mod discovery;
mod probe;

use crate::__private::checked_str;
use discovery::{Choice, Host, Platform, Release};
use pyo3::exceptions::{PyMemoryError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

/// How the interpreter whose environment pycall uses was chosen. The order of choice is:
/// `PYCALL_PYTHON=embedded` (none), [`VirtualEnv`](Source::VirtualEnv),
/// [`Conda`](Source::Conda), [`Override`](Source::Override), [`Path`](Source::Path), then, when
/// the `python3` on `PATH` is another feature release than the running `libpython` (or there is
/// none), [`BuildPython`](Source::BuildPython) and [`Installed`](Source::Installed).
///
/// ```
/// use pycall::Source;
///
/// assert_eq!(Source::VirtualEnv.to_string(), "the activated virtual environment ($VIRTUAL_ENV)");
/// let fallback = Source::BuildPython { path_python: Some((3, 11)) };
/// assert_eq!(
///     fallback.to_string(),
///     "the Python this program was built with (python3 on PATH is 3.11)"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// `$VIRTUAL_ENV`'s interpreter (`bin/python`; `Scripts\python.exe` on Windows).
    VirtualEnv,
    /// An activated conda environment: `$CONDA_PREFIX/bin/python` (`%CONDA_PREFIX%\python.exe`
    /// on Windows), when `VIRTUAL_ENV` is not set.
    Conda,
    /// `$PYCALL_PYTHON`.
    Override,
    /// The `python3` on `PATH` (`python.exe` on Windows).
    Path,
    /// The interpreter this program was built against (the one PyO3 was configured with, see
    /// [`Environment::build_python`]), chosen because the `python3` on `PATH` is another feature
    /// release (`path_python`, its `(major, minor)`) or missing (`None`).
    BuildPython {
        /// The `python3` on `PATH`'s `(major, minor)`, or `None` when there is none.
        path_python: Option<(u8, u8)>,
    },
    /// An interpreter installed with the running `libpython` (beside it, in its prefix or
    /// framework, or in Homebrew's or python.org's locations on macOS), chosen, as
    /// [`BuildPython`](Source::BuildPython) is, because the `python3` on `PATH` does not fit and
    /// the build interpreter is missing or does not fit either.
    Installed {
        /// The `python3` on `PATH`'s `(major, minor)`, or `None` when there is none.
        path_python: Option<(u8, u8)>,
    },
    /// None: the running `libpython`'s own defaults are kept (`PYCALL_PYTHON=embedded`,
    /// [`keep_embedded_defaults`], or no Python found at all).
    Embedded,
    /// None: pycall runs inside a Python process, as part of an extension module, whose
    /// environment is already the user's.
    Hosted,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = |f: &mut fmt::Formatter<'_>, path_python: &Option<(u8, u8)>| match path_python {
            Some((major, minor)) => write!(f, " (python3 on PATH is {major}.{minor})"),
            None => f.write_str(" (no python3 on PATH)"),
        };
        match self {
            Source::VirtualEnv => f.write_str("the activated virtual environment ($VIRTUAL_ENV)"),
            Source::Conda => f.write_str("the activated conda environment ($CONDA_PREFIX)"),
            Source::Override => f.write_str("$PYCALL_PYTHON"),
            Source::Path => f.write_str("the python3 on PATH"),
            Source::BuildPython { path_python } => {
                f.write_str("the Python this program was built with")?;
                path(f, path_python)
            }
            Source::Installed { path_python } => {
                f.write_str("the Python installed with the running libpython")?;
                path(f, path_python)
            }
            Source::Embedded => f.write_str("none: libpython's own defaults"),
            Source::Hosted => f.write_str("none: pycall runs inside a Python process"),
        }
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
///     // The Python this program was built against, which pycall falls back to when the
///     // `python3` on PATH is another feature release than the running libpython.
///     assert!(env.runtime_version.starts_with(&format!("{}.", env.build_version)));
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
    /// The interpreter this program was built against (PyO3's `PYO3_PYTHON`, or the `python3`
    /// it found when building), when PyO3 knew it.
    pub build_python: Option<PathBuf>,
    /// The feature release this program was built against (`3.12`).
    pub build_version: String,
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
        writeln!(
            f,
            "  built with:      {} ({})",
            show(&self.build_python),
            self.build_version
        )?;
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

/// Whether the environment is set up (or kept as embedded): one atomic load, what `py!`
/// checks before each evaluation.
#[inline(always)]
pub(crate) fn is_ready() -> bool {
    matches!(STATE.load(Ordering::Acquire), READY | KEPT)
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
    crate::__private::prime_errors(py)?;
    let result = RESULT.get_or_try_init(py, || {
        // Claim the setup; if `keep_embedded_defaults` came first, only report.
        let kept = STATE
            .compare_exchange(UNSET, FAILED, Ordering::AcqRel, Ordering::Acquire)
            .is_err();
        SETTING_UP.with(|s| s.set(true));
        MEMORY_FAILED.with(|f| f.set(false));
        // A PyO3 call that panics where the C API failed is a failed setup, not a panic.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| setup(py, kept)))
            .unwrap_or_else(|_| {
                MEMORY_FAILED.with(|f| f.set(true));
                Err("pycall: the environment setup panicked".to_owned())
            });
        SETTING_UP.with(|s| s.set(false));
        // Python ran out of memory during the setup: whatever came of it is no answer about
        // the environment, so nothing is kept and the next `py!` sets up again.
        if MEMORY_FAILED.with(std::cell::Cell::get) {
            if !kept {
                STATE.store(UNSET, Ordering::Release);
            }
            return Err(crate::__private::memory_error(py));
        }
        if !kept && result.is_ok() {
            STATE.store(READY, Ordering::Release);
        }
        Ok(result)
    })?;
    match result {
        Ok(env) => Ok(env.clone()),
        Err(message) => Err(PyRuntimeError::new_err(message.clone())),
    }
}

thread_local! {
    /// A Python call in this thread's setup failed for want of memory.
    static MEMORY_FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `TypeName: message` of an error, without panicking when Python cannot make the text (out
/// of memory): then the type's name alone, or `MemoryError`.
pub(crate) fn error_text(py: Python<'_>, err: &PyErr) -> String {
    let type_name = crate::__private::class_name(&err.get_type(py));
    match err.value(py).str() {
        Ok(text) => match text.to_str() {
            Ok(text) if !text.is_empty() => format!("{type_name}: {text}"),
            _ => type_name,
        },
        Err(_) => type_name,
    }
}

/// Records that a Python error seen during the setup was a `MemoryError`.
fn note_python_failure(py: Python<'_>, err: &PyErr) {
    if err.is_instance_of::<PyMemoryError>(py) {
        MEMORY_FAILED.with(|f| f.set(true));
    }
}

/// The file of the running `libpython`, from the process's memory map (Linux); `None` elsewhere,
/// where the running interpreter's own `sys.base_prefix` tells where its installation is.
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

/// Whether `path` belongs to a standard library: one of `roots` (`stdlib`, `platstdlib`), a
/// `lib-dynload` under one, or the `pythonXY.zip` entry.
fn is_stdlib(path: &Path, roots: &[PathBuf], version: Release) -> bool {
    let zip = format!("python{}{}.zip", version.major, version.minor);
    roots
        .iter()
        .any(|root| path == root || path.starts_with(root.join("lib-dynload")))
        || path.file_name().is_some_and(|n| n.to_string_lossy() == zip)
}

/// A path as Python's `str` (through the file system encoding, as PyO3 converts an `OsStr`),
/// made with a checked call.
fn os_str<'py>(py: Python<'py>, path: &std::ffi::OsStr) -> PyResult<Bound<'py, PyAny>> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_bytes();
    // SAFETY: attached; the bytes and their length are valid; a new reference or NULL.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            pyo3::ffi::PyUnicode_DecodeFSDefaultAndSize(bytes.as_ptr().cast(), bytes.len() as _),
        )
    }
}

/// Rebuilds the running interpreter's `sys.path` and prefixes from the chosen interpreter's
/// answer: the running standard library first (it must match the running `libpython`), then
/// every other entry of the chosen interpreter, then its site directories through
/// `site.addsitedir` (which runs their `.pth` files). Paths go through `os.fsencode`, so entries
/// that are not UTF-8 keep their bytes.
fn apply(py: Python<'_>, probe: &Bound<'_, PyDict>, version: Release) -> PyResult<()> {
    let sys = py.import(checked_str(py, "sys")?)?;
    let sysconfig = py.import(checked_str(py, "sysconfig")?)?;
    let item = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        probe
            .get_item(checked_str(py, key)?)?
            .ok_or_else(|| PyRuntimeError::new_err(format!("no `{key}` in the answer")))
    };
    let own_roots: Vec<PathBuf> = ["stdlib", "platstdlib"]
        .iter()
        .map(|k| {
            sysconfig
                .call_method1(checked_str(py, "get_path")?, (checked_str(py, k)?,))?
                .extract()
        })
        .collect::<PyResult<_>>()?;
    let their_roots: Vec<PathBuf> = item("stdlib")?.extract()?;
    let current: Vec<PathBuf> = sys.getattr(checked_str(py, "path")?)?.extract()?;
    let theirs: Vec<PathBuf> = item("path")?.extract()?;
    // The chosen interpreter's order (so `PYTHONPATH` still comes before the standard library),
    // with its standard library replaced by the running one's where it first appears.
    let own: Vec<PathBuf> = current
        .into_iter()
        .filter(|p| is_stdlib(p, &own_roots, version))
        .collect();
    let mut path: Vec<PathBuf> = Vec::new();
    let mut placed = false;
    for entry in theirs {
        if is_stdlib(&entry, &their_roots, version) {
            if !placed {
                path.extend(own.iter().cloned());
                placed = true;
            }
        } else if !entry.as_os_str().is_empty() && !path.contains(&entry) {
            path.push(entry);
        }
    }
    if !placed {
        path.splice(0..0, own);
    }
    // In place, as `sys.path[:] = …`: code may hold the list itself. One slice assignment, so
    // that another thread never sees a half-built path: it is atomic under the GIL, and takes
    // the list's own lock on free-threaded builds.
    let sys_path = sys
        .getattr(checked_str(py, "path")?)?
        .cast_into::<PyList>()?;
    // As `str` (`OsStr` converts through the file system encoding), not `pathlib.Path`.
    let entries = path
        .iter()
        .map(|p| os_str(py, p.as_os_str()))
        .collect::<PyResult<Vec<_>>>()?;
    let entries = crate::__private::checked_list(py, entries)?;
    sys_path.set_slice(0, sys_path.len(), &entries)?;
    let site = py.import(checked_str(py, "site")?)?;
    let sitedirs: Vec<PathBuf> = item("sitedirs")?.extract()?;
    for dir in sitedirs.iter().filter(|d| d.is_dir()) {
        site.call_method1(
            checked_str(py, "addsitedir")?,
            (os_str(py, dir.as_os_str())?,),
        )?;
    }
    for (attr, key) in [
        ("prefix", "prefix"),
        ("exec_prefix", "exec_prefix"),
        ("base_prefix", "base_prefix"),
        ("base_exec_prefix", "base_exec_prefix"),
        ("executable", "executable"),
        ("_base_executable", "executable"),
    ] {
        sys.setattr(checked_str(py, attr)?, item(key)?)?;
    }
    py.import(checked_str(py, "importlib")?)?
        .call_method0(checked_str(py, "invalidate_caches")?)?;
    Ok(())
}

/// A `sys` attribute that is a path, as text (bytes that are not UTF-8 shown as `\u{fffd}`);
/// empty when it is missing or not a path.
fn sys_text(sys: &Bound<'_, PyModule>, name: &str) -> String {
    checked_str(sys.py(), name)
        .and_then(|name| sys.getattr(name))
        .and_then(|v| v.extract::<PathBuf>())
        .inspect_err(|e| note_python_failure(sys.py(), e))
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A `sys` attribute that is a non-empty path.
fn sys_path_opt(sys: &Bound<'_, PyModule>, name: &str) -> Option<PathBuf> {
    checked_str(sys.py(), name)
        .and_then(|name| sys.getattr(name))
        .and_then(|v| v.extract::<PathBuf>())
        .inspect_err(|e| note_python_failure(sys.py(), e))
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
}

/// The interpreter PyO3 was configured with when this crate was built, and its release.
fn build_python() -> (Option<PathBuf>, &'static str) {
    let python = env!("PYCALL_BUILD_PYTHON");
    let python = (!python.is_empty()).then(|| PathBuf::from(python));
    (python, env!("PYCALL_BUILD_PYTHON_VERSION"))
}

/// Whether this process is a Python interpreter that loaded pycall with an extension module.
fn hosted(sys: &Bound<'_, PyModule>) -> bool {
    if code_in_shared_library() == Some(true) {
        return true;
    }
    // `sys.orig_argv` (3.10+) is filled by Python's own `main` only.
    let orig_argv = checked_str(sys.py(), "orig_argv")
        .and_then(|name| sys.getattr(name))
        .inspect_err(|e| note_python_failure(sys.py(), e))
        .ok()
        .and_then(|a| a.len().ok());
    let current_exe = std::env::current_exe().ok();
    let executables: Vec<PathBuf> = ["executable", "_base_executable"]
        .iter()
        .filter_map(|name| sys_path_opt(sys, name))
        .collect();
    discovery::runs_inside_python(
        Platform::CURRENT,
        orig_argv,
        current_exe.as_deref(),
        &executables,
        sys_path_opt(sys, "base_prefix").as_deref(),
    )
}

fn setup(py: Python<'_>, kept: bool) -> Result<Environment, String> {
    let info = py.version_info();
    let running = Release {
        major: info.major,
        minor: info.minor,
    };
    let runtime = format!("{}.{}.{}", info.major, info.minor, info.patch);
    let (build, build_version) = build_python();
    let virtual_env = std::env::var_os("VIRTUAL_ENV")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let sys = checked_str(py, "sys")
        .and_then(|name| py.import(name))
        .map_err(|e| {
            note_python_failure(py, &e);
            error_text(py, &e)
        })?;
    let hosted = !kept && hosted(&sys);
    let mut env = Environment {
        source: if hosted {
            Source::Hosted
        } else {
            Source::Embedded
        },
        interpreter: None,
        interpreter_version: None,
        runtime_version: runtime.clone(),
        libpython: libpython_file(),
        build_python: build.clone(),
        build_version: build_version.to_owned(),
        virtual_env,
        prefix: String::new(),
        base_prefix: String::new(),
        executable: String::new(),
        sys_path: Vec::new(),
    };
    if !kept && !hosted {
        let host = Host {
            platform: Platform::CURRENT,
            root: PathBuf::from("/"),
            vars: discovery::VARIABLES
                .iter()
                .filter_map(|name| Some((*name, std::env::var_os(name)?)))
                .collect(),
            path: std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect())
                .unwrap_or_default(),
            cwd: std::env::current_dir().ok(),
            running,
            running_version: runtime,
            free_threaded: cfg!(Py_GIL_DISABLED),
            libpython: env.libpython.clone(),
            base_prefix: sys_path_opt(&sys, "base_prefix"),
            build: build.map(|python| (python, Release::parse(build_version))),
        };
        if let Choice::Use { source, answer } =
            discovery::choose(&host, |python| probe::ask(py, python))?
        {
            apply(py, answer.data.bind(py), running).map_err(|e| {
                note_python_failure(py, &e);
                format!(
                    "pycall: setting up sys.path from {} failed: {}",
                    answer.executable,
                    error_text(py, &e)
                )
            })?;
            env.source = source;
            env.interpreter_version = Some(answer.version_text());
            env.interpreter = Some(PathBuf::from(answer.executable));
        }
    }
    env.prefix = sys_text(&sys, "prefix");
    env.base_prefix = sys_text(&sys, "base_prefix");
    env.executable = sys_text(&sys, "executable");
    env.sys_path = checked_str(py, "path")
        .and_then(|name| sys.getattr(name))
        .and_then(|p| p.extract::<Vec<Bound<'_, PyAny>>>())
        .inspect_err(|e| note_python_failure(py, e))
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e.extract::<PathBuf>().ok())
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    Ok(env)
}

/// Whether pycall's own code was loaded from a shared library rather than the program's
/// executable: then a host loaded it (an extension module imported by `python`, uWSGI,
/// mod_wsgi, a plugin host), whatever that host is called and whatever `sys.orig_argv` says.
/// `None` when the platform cannot tell. (A Rust program that links pycall as a Rust `dylib`
/// would count as hosted; cargo builds `rlib`s unless asked otherwise.)
#[cfg(unix)]
fn code_in_shared_library() -> Option<bool> {
    use std::ffi::{CStr, OsStr, c_char, c_int, c_void};
    use std::os::unix::ffi::OsStrExt;
    #[repr(C)]
    struct DlInfo {
        fname: *const c_char,
        fbase: *mut c_void,
        sname: *const c_char,
        saddr: *mut c_void,
    }
    unsafe extern "C" {
        fn dladdr(address: *const c_void, info: *mut DlInfo) -> c_int;
    }
    let mut info = DlInfo {
        fname: std::ptr::null(),
        fbase: std::ptr::null_mut(),
        sname: std::ptr::null(),
        saddr: std::ptr::null_mut(),
    };
    let address = code_in_shared_library as fn() -> Option<bool> as *const c_void;
    // SAFETY: `dladdr` only reads the address and fills `info`; it returns 0 when the address
    // is in no loaded object.
    if unsafe { dladdr(address, &mut info) } == 0 || info.fname.is_null() {
        return None;
    }
    // SAFETY: a non-null `dli_fname` is a NUL-terminated string owned by the loader, alive as
    // long as the object stays loaded (which it is: this code runs from it).
    let name = unsafe { CStr::from_ptr(info.fname) };
    let object = Path::new(OsStr::from_bytes(name.to_bytes()));
    // The loader names the main program by an empty string or by `argv[0]`, which may be
    // relative to a working directory since left: only a file that exists and is not the
    // program counts.
    if !object.is_file() {
        return None;
    }
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    Some(object.canonicalize().ok()? != exe)
}

#[cfg(not(unix))]
fn code_in_shared_library() -> Option<bool> {
    None
}
