//! Finding the user's Python, tested on a real virtual environment with a real package from PyPI.
//!
//! The environment is set up once per process, so each case runs the `pycall-env` program (from
//! `src/bin/`) in a child process with the variables under test, and reads its report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A small pure-Python package that neither pyenv's nor Debian's Python has installed.
const PACKAGE: &str = "inflection";
const PACKAGE_PIN: &str = "inflection==0.5.1";

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// `python3 -m venv`, then `pip install` of the package into it; made once and reused.
fn venv() -> &'static Path {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(|| {
        let dir = tmp().join("pycall-test-venv");
        let python = dir.join("bin/python");
        let has_package = python.is_file()
            && Command::new(&python)
                .args(["-c", &format!("import {PACKAGE}")])
                .status()
                .is_ok_and(|s| s.success());
        if !has_package {
            let _ = std::fs::remove_dir_all(&dir);
            run_ok(Command::new("python3").args(["-m", "venv"]).arg(&dir));
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

/// Runs `pycall-env PACKAGE` with the given variables set (`Some`) or removed (`None`).
fn report(vars: &[(&str, Option<&str>)]) -> (Output, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pycall-env"));
    cmd.arg(PACKAGE);
    for name in ["VIRTUAL_ENV", "PYCALL_PYTHON"] {
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
}

#[test]
fn a_version_mismatch_is_a_clear_error() {
    // A stand-in interpreter that answers pycall's question (a marker, then JSON) as a Python
    // 3.99 would.
    let fake = tmp().join("python3.99");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'PYCALL-PROBE {\"executable\": \"/opt/python3.99/bin/python3\", \"version\": [3, 99, 0], \"prefix\": \"/opt/python3.99\", \"exec_prefix\": \"/opt/python3.99\", \"base_prefix\": \"/opt/python3.99\", \"base_exec_prefix\": \"/opt/python3.99\", \"path\": [], \"stdlib\": [], \"sitedirs\": []}'\n",
    )
    .unwrap();
    run_ok(Command::new("chmod").arg("755").arg(&fake));
    let (out, text) = report(&[("PYCALL_PYTHON", Some(fake.to_str().unwrap()))]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let error = line(&text, "error:");
    for part in [
        "RuntimeError: pycall: the Python chosen for this program's packages is /opt/python3.99/bin/python3 (Python 3.99.0, chosen as $PYCALL_PYTHON)",
        "packages installed for 3.99 do not load in 3.11",
        "set PYCALL_PYTHON to a Python 3.11 interpreter",
        "PYCALL_PYTHON=embedded",
    ] {
        assert!(error.contains(part), "missing {part:?} in {error}");
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
