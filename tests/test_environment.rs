//! Finding the user's Python, tested on a real virtual environment with a real package from PyPI.
//!
//! The environment is set up once per process, so each case runs the `pycall-env` program (from
//! `src/bin/`) in a child process with the variables under test, and reads its report. The suite
//! runs against whichever Python it was built for (`PYO3_PYTHON=…`, with that Python's `lib/` on
//! `LD_LIBRARY_PATH`): the virtual environment is made with an interpreter of the running
//! `libpython`'s feature release, and the expected messages name that release.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A small pure-Python package that neither pyenv's nor Debian's Python has installed.
const PACKAGE: &str = "inflection";
const PACKAGE_PIN: &str = "inflection==0.5.1";

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// What the `pycall-env` under test runs and was built with.
struct Build {
    /// The running `libpython`'s feature release, `3.12`.
    release: String,
    /// The interpreter it was built against, if PyO3 knew it.
    python: Option<PathBuf>,
}

/// Read from `pycall-env`'s report with `PYCALL_PYTHON=embedded`, which runs no interpreter.
fn build() -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let (out, text) = report(&[("PYCALL_PYTHON", Some("embedded"))]);
        assert_ne!(out.status.code(), Some(2), "{text}");
        let running = line(&text, "running version:");
        let release = running.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
        let built_with = line(&text, "built with:");
        let python = built_with
            .rsplit_once(" (")
            .map(|(path, _)| path)
            .filter(|path| *path != "-")
            .map(PathBuf::from);
        Build { release, python }
    })
}

/// `python`'s feature release (`3.12`), if it runs.
fn release_of(python: &Path) -> Option<String> {
    let out = Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// An interpreter of the running feature release: the one the program was built against, else
/// `pythonX.Y` or `python3` on `PATH`.
fn matching_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let release = &build().release;
        build()
            .python
            .iter()
            .cloned()
            .chain([format!("python{release}"), "python3".to_owned()].map(PathBuf::from))
            .find(|python| release_of(python).as_ref() == Some(release))
            .unwrap_or_else(|| panic!("no Python {release} interpreter to make a venv with"))
    })
}

/// A virtual environment of the running feature release, with the package installed; made once
/// (per target directory) and reused.
fn venv() -> &'static Path {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(|| {
        let dir = tmp().join("pycall-test-venv");
        let python = dir.join("bin/python");
        let check = format!(
            "import sys, {PACKAGE}; assert '%d.%d' % sys.version_info[:2] == '{}'",
            build().release
        );
        let ready = python.is_file()
            && Command::new(&python)
                .args(["-c", &check])
                .status()
                .is_ok_and(|s| s.success());
        if !ready {
            let _ = std::fs::remove_dir_all(&dir);
            run_ok(
                Command::new(matching_python())
                    .args(["-m", "venv"])
                    .arg(&dir),
            );
            run_ok(Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                PACKAGE_PIN,
            ]));
        }
        dir
    })
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `pycall-env PACKAGE` with the given variables set (`Some`) or removed (`None`), and none
/// of the ones that choose an interpreter unless given.
fn report(vars: &[(&str, Option<&str>)]) -> (Output, String) {
    report_os(
        &vars
            .iter()
            .map(|(name, value)| (*name, value.map(OsString::from)))
            .collect::<Vec<_>>(),
    )
}

fn report_os(vars: &[(&str, Option<OsString>)]) -> (Output, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pycall-env"));
    cmd.arg(PACKAGE);
    for name in ["VIRTUAL_ENV", "CONDA_PREFIX", "PYCALL_PYTHON"] {
        cmd.env_remove(name);
    }
    for (name, value) in vars {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let out = cmd.output().expect("pycall-env starts");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, text)
}

fn line<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(key))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
}

/// A stand-in interpreter that answers pycall's question (a marker, then JSON) as a Python
/// `version` installed in `/opt/python{version}` would; made at `path`.
fn fake_python(path: &Path, version: [u8; 3]) -> PathBuf {
    let [major, minor, patch] = version;
    let prefix = format!("/opt/python{major}.{minor}");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!(
            "#!/bin/sh\necho 'PYCALL-PROBE {{\"executable\": \"{prefix}/bin/python3\", \
             \"version\": [{major}, {minor}, {patch}], \"prefix\": \"{prefix}\", \
             \"exec_prefix\": \"{prefix}\", \"base_prefix\": \"{prefix}\", \
             \"base_exec_prefix\": \"{prefix}\", \"path\": [], \"stdlib\": [], \
             \"sitedirs\": []}}'\n"
        ),
    )
    .unwrap();
    run_ok(Command::new("chmod").arg("755").arg(path));
    path.to_path_buf()
}

/// `PATH` with `dir` in front.
fn path_with(dir: &Path) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

fn same_file(a: &str, b: &Path) -> bool {
    Path::new(a).canonicalize().ok() == b.canonicalize().ok()
}

#[test]
fn a_virtual_environment_decides_sys_path_and_prefix() {
    let venv = venv().canonicalize().unwrap();
    let venv_text = venv.to_str().unwrap();
    let (out, text) = report(&[("VIRTUAL_ENV", Some(venv_text))]);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        line(&text, "chosen by:"),
        "the activated virtual environment ($VIRTUAL_ENV)"
    );
    assert_eq!(line(&text, "sys.prefix:"), venv_text);
    let module = line(&text, &format!("module {PACKAGE}:"));
    assert!(
        Path::new(module).starts_with(&venv),
        "{PACKAGE} should come from the venv: {text}"
    );
}

#[test]
fn the_override_variable_chooses_the_interpreter() {
    let python = venv().join("bin/python");
    let (out, text) = report(&[("PYCALL_PYTHON", Some(python.to_str().unwrap()))]);
    assert!(out.status.success(), "{text}");
    assert_eq!(line(&text, "chosen by:"), "$PYCALL_PYTHON");
    let module = line(&text, &format!("module {PACKAGE}:"));
    assert!(
        Path::new(module).starts_with(venv().canonicalize().unwrap()),
        "{PACKAGE} should come from the venv: {text}"
    );
}

#[test]
fn an_activated_conda_environment_comes_after_a_virtual_environment() {
    // A conda environment's layout (bin/python, conda-meta/), its interpreter a link to one of
    // the running release.
    let conda = tmp().join("pycall-test-conda");
    let _ = std::fs::remove_dir_all(&conda);
    std::fs::create_dir_all(conda.join("bin")).unwrap();
    std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
    let real = matching_python().canonicalize().unwrap();
    std::os::unix::fs::symlink(&real, conda.join("bin/python")).unwrap();
    std::fs::write(
        conda
            .join("conda-meta")
            .join(format!("python-{}.0-h0_cpython.json", build().release)),
        "{}",
    )
    .unwrap();
    let conda_text = conda.to_str().unwrap();
    let (out, text) = report(&[("CONDA_PREFIX", Some(conda_text))]);
    assert_eq!(out.status.code(), Some(1), "{text}"); // the package is not installed there
    assert_eq!(
        line(&text, "chosen by:"),
        "the activated conda environment ($CONDA_PREFIX)"
    );
    assert_eq!(
        line(&text, "interpreter:"),
        format!("{conda_text}/bin/python")
    );

    let venv = venv().to_str().unwrap();
    let (out, text) = report(&[
        ("CONDA_PREFIX", Some(conda_text)),
        ("VIRTUAL_ENV", Some(venv)),
    ]);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        line(&text, "chosen by:"),
        "the activated virtual environment ($VIRTUAL_ENV)"
    );

    // A conda environment of another release, as conda-meta tells, is passed over without
    // being run (its stand-in would answer 3.98): conda activates `base` in every shell, so it
    // is not an explicit choice, and the usual choice follows (the `python3` on `PATH`, or the
    // Python the program was built with).
    let other = tmp().join("pycall-test-conda-other");
    let _ = std::fs::remove_dir_all(&other);
    fake_python(&other.join("bin/python"), [3, 98, 0]);
    std::fs::create_dir_all(other.join("conda-meta")).unwrap();
    std::fs::write(other.join("conda-meta/python-3.98.0-h0.json"), "{}").unwrap();
    let (out, text) = report(&[("CONDA_PREFIX", Some(other.to_str().unwrap()))]);
    assert_eq!(out.status.code(), Some(1), "{text}"); // set up; the package is not there
    let chosen = line(&text, "chosen by:");
    assert!(!chosen.contains("conda"), "{text}");
    assert!(
        !line(&text, "interpreter:").contains("pycall-test-conda-other"),
        "{text}"
    );
}

#[test]
fn without_the_venv_the_package_is_not_found() {
    venv();
    for vars in [
        vec![],                                    // the python3 on PATH
        vec![("PYCALL_PYTHON", Some("embedded"))], // libpython's own defaults
    ] {
        let (out, text) = report(&vars);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert_eq!(
            line(&text, &format!("module {PACKAGE}:")),
            format!("ModuleNotFoundError: No module named '{PACKAGE}'")
        );
    }
    let (_, text) = report(&[("PYCALL_PYTHON", Some("embedded"))]);
    assert_eq!(line(&text, "chosen by:"), "none: libpython's own defaults");
    assert_eq!(line(&text, "interpreter:"), "-");
    // `embedded` is an opt-out: it wins over an activated environment too.
    let venv = venv().to_str().unwrap();
    let (_, text) = report(&[
        ("PYCALL_PYTHON", Some("embedded")),
        ("VIRTUAL_ENV", Some(venv)),
    ]);
    assert_eq!(line(&text, "chosen by:"), "none: libpython's own defaults");
}

#[test]
fn a_version_mismatch_is_a_clear_error() {
    let fake = fake_python(&tmp().join("python3.99"), [3, 99, 0]);
    let (out, text) = report(&[("PYCALL_PYTHON", Some(fake.to_str().unwrap()))]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let error = line(&text, "error:");
    let release = &build().release;
    for part in [
        "RuntimeError: pycall: the Python chosen for this program's packages is /opt/python3.99/bin/python3 (Python 3.99.0, chosen as $PYCALL_PYTHON)".to_owned(),
        format!("packages installed for 3.99 do not load in {release}"),
        format!("set PYCALL_PYTHON to a Python {release} interpreter"),
        "PYCALL_PYTHON=embedded".to_owned(),
    ] {
        assert!(error.contains(&part), "missing {part:?} in {error}");
    }
}

#[test]
fn a_python3_of_another_release_falls_back_to_the_build_python() {
    // pycall's build script records the interpreter whenever PyO3 knows it, which it does for
    // every build against a real interpreter: its absence is a failure, not a reason to skip.
    let build_python = build()
        .python
        .as_ref()
        .expect("PyO3 did not say which interpreter it built against");
    let dir = tmp().join("pycall-test-python3.98");
    fake_python(&dir.join("python3"), [3, 98, 1]);
    let (out, text) = report_os(&[("PATH", Some(path_with(&dir)))]);
    assert_eq!(out.status.code(), Some(1), "{text}"); // the package is not installed there
    assert_eq!(
        line(&text, "chosen by:"),
        "the Python this program was built with (python3 on PATH is 3.98)"
    );
    let interpreter = line(&text, "interpreter:");
    assert!(same_file(interpreter, build_python), "{text}");
    assert!(
        line(&text, "its version:").starts_with(&format!("{}.", build().release)),
        "{text}"
    );
}

/// The case the fallback is for: a program built with `PYO3_PYTHON` pointing at another Python
/// than the `python3` on `PATH`. When the suite runs against the `python3` on `PATH`, a real
/// interpreter of another release (from pyenv) is put in front of `PATH` instead.
#[test]
fn a_real_python3_of_another_release_falls_back_to_the_build_python() {
    // pycall's build script records the interpreter whenever PyO3 knows it, which it does for
    // every build against a real interpreter: its absence is a failure, not a reason to skip.
    let build_python = build()
        .python
        .as_ref()
        .expect("PyO3 did not say which interpreter it built against");
    let release = &build().release;
    let on_path = release_of(Path::new("python3"));
    let (vars, other) = if on_path.as_ref().is_some_and(|r| r != release) {
        (Vec::new(), on_path.unwrap())
    } else {
        let Some((dir, other)) = pyenv_python_of_another_release(release) else {
            // Only on a machine with a single Python; CI's machines have pyenv's five.
            assert!(
                std::env::var_os("CI").is_none(),
                "no Python of another release than {release} to put on PATH"
            );
            eprintln!("skipped: no Python of another release than {release} to put on PATH");
            return;
        };
        (vec![("PATH", Some(path_with(&dir)))], other)
    };
    let (out, text) = report_os(&vars);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        line(&text, "chosen by:"),
        format!("the Python this program was built with (python3 on PATH is {other})")
    );
    assert!(
        same_file(line(&text, "interpreter:"), build_python),
        "{text}"
    );
}

/// The `bin` folder of a pyenv Python (3.9 or later) of another release than `release`, and
/// that Python's release.
fn pyenv_python_of_another_release(release: &str) -> Option<(PathBuf, String)> {
    let out = Command::new("pyenv")
        .args(["versions", "--bare"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|version| {
            let prefix = Command::new("pyenv")
                .args(["prefix", version.trim()])
                .output()
                .ok()?;
            let bin = PathBuf::from(String::from_utf8_lossy(&prefix.stdout).trim()).join("bin");
            let found = release_of(&bin.join("python3"))?;
            let minor: u32 = found.strip_prefix("3.")?.parse().ok()?;
            (minor >= 9 && found != release).then_some((bin, found))
        })
        .next()
}

#[test]
fn when_no_python_of_the_running_release_works_the_error_is_clear() {
    // A python3 of another release on PATH, and every real interpreter made to fail when asked
    // (a sitecustomize that exits from `python -c`, as pycall runs them), so the build
    // interpreter and the one beside libpython cannot be used either. The embedded interpreter
    // reads the same sitecustomize, but its `sys.argv` is `['']`.
    let dir = tmp().join("pycall-test-nothing-fits");
    fake_python(&dir.join("bin/python3"), [3, 98, 1]);
    std::fs::create_dir_all(dir.join("site")).unwrap();
    std::fs::write(
        dir.join("site/sitecustomize.py"),
        "import os, sys\nif sys.argv[:1] == ['-c']:\n    os._exit(3)\n",
    )
    .unwrap();
    let (out, text) = report_os(&[
        ("PATH", Some(path_with(&dir.join("bin")))),
        ("PYTHONPATH", Some(dir.join("site").into_os_string())),
    ]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let error = line(&text, "error:");
    let release = &build().release;
    let mut parts = vec![
        "RuntimeError: pycall: the Python chosen for this program's packages is /opt/python3.98/bin/python3 (Python 3.98.1, chosen as the python3 on PATH)".to_owned(),
        format!("packages installed for 3.98 do not load in {release}"),
        format!("No Python {release} could be used instead: "),
        format!("set PYCALL_PYTHON to a Python {release} interpreter"),
    ];
    if let Some(python) = &build().python {
        parts.push(format!(
            "the Python this program was built with, {}, failed to report its environment \
             (exit status: 3)",
            python.display()
        ));
    }
    for part in parts {
        assert!(error.contains(&part), "missing {part:?} in {error}");
    }
}

#[test]
fn bad_settings_are_clear_errors() {
    let (out, text) = report(&[("PYCALL_PYTHON", Some("/no/such/python"))]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        line(&text, "error:").contains(
            "PYCALL_PYTHON is set to /no/such/python, which is not a Python interpreter file"
        ),
        "{text}"
    );
    let empty = tmp().join("not-a-venv");
    std::fs::create_dir_all(&empty).unwrap();
    let (out, text) = report(&[("VIRTUAL_ENV", Some(empty.to_str().unwrap()))]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        line(&text, "error:").contains("there is no Python in it (no bin/python)"),
        "{text}"
    );
}
