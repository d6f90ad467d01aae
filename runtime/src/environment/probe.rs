//! Asking an interpreter about itself: one run of it as a subprocess, with a time limit, and its
//! answer read into an [`Answer`] whose data is the whole answer as a Python `dict`.

use super::discovery::Answer;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::Path;

/// What the interpreter is asked; it prints one JSON object on a line of its own after a marker
/// (a `sitecustomize` may print other lines). It runs on every CPython from 3.9 on.
const PROBE: &str = r#"
import json, site, sys, sysconfig
print("PYCALL-PROBE " + json.dumps({
    "executable": sys.executable,
    "version": list(sys.version_info[:3]),
    "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "prefix": sys.prefix,
    "exec_prefix": sys.exec_prefix,
    "base_prefix": sys.base_prefix,
    "base_exec_prefix": sys.base_exec_prefix,
    "path": sys.path[1:] if sys.path and sys.path[0] == "" else sys.path,
    "stdlib": [sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")],
    "sitedirs": site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else []),
}))
"#;

/// How long an interpreter may take to answer before pycall gives up on it.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs `python` once and reads its answer. The error completes a sentence that starts with the
/// interpreter's path: "could not be run (…)", "failed to report its environment (…)".
pub(crate) fn ask(py: Python<'_>, python: &Path) -> Result<Answer<Py<PyDict>>, String> {
    // Detached: other threads keep running Python while the probe runs.
    let output = py
        .detach(|| run(python))
        .map_err(|e| format!("could not be run ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "failed to report its environment ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let text = stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("PYCALL-PROBE "))
        .unwrap_or("")
        .trim();
    let unreadable = |e: PyErr| {
        super::note_python_failure(py, &e);
        format!(
            "gave an answer pycall cannot read ({}): {text}",
            super::error_text(py, &e)
        )
    };
    let name = |text| crate::__private::checked_str(py, text);
    let dict = name("json")
        .and_then(|json| py.import(json))
        .and_then(|json| json.call_method1(name("loads")?, (name(text)?,)))
        .and_then(|p| p.cast_into::<PyDict>().map_err(Into::into))
        .map_err(unreadable)?;
    let version: Vec<u8> = name("version")
        .and_then(|key| dict.get_item(key))
        .and_then(|v| v.ok_or_else(|| pyo3::exceptions::PyKeyError::new_err("version")))
        .and_then(|v| v.extract())
        .map_err(unreadable)?;
    let version = match version[..] {
        [major, minor, patch] => (major, minor, patch),
        _ => return Err(format!("gave an unreadable version: {text}")),
    };
    let executable = name("executable")
        .and_then(|key| dict.get_item(key))
        .inspect_err(|e| super::note_python_failure(py, e))
        .ok()
        .flatten()
        .and_then(|e| e.extract::<String>().ok())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| python.display().to_string());
    let free_threaded = name("free_threaded")
        .and_then(|key| dict.get_item(key))
        .inspect_err(|e| super::note_python_failure(py, e))
        .ok()
        .flatten()
        .and_then(|f| f.extract().ok());
    Ok(Answer {
        executable,
        version,
        free_threaded,
        data: dict.unbind(),
    })
}

/// Runs the probe in `python`, killing it if it does not answer in [`PROBE_TIMEOUT`] (a hung
/// shim or `sitecustomize` must not hang the program).
fn run(python: &Path) -> std::io::Result<std::process::Output> {
    // Kept per interpreter: a setup that failed for want of memory runs again on the next
    // `py!`, and asks again without starting the interpreter again.
    static ANSWERS: std::sync::Mutex<Vec<(std::path::PathBuf, std::process::Output)>> =
        std::sync::Mutex::new(Vec::new());
    let answers = ANSWERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, output)) = answers.iter().find(|(p, _)| p == python) {
        return Ok(output.clone());
    }
    drop(answers);
    let output = run_uncached(python)?;
    if output.status.success() {
        ANSWERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((python.to_path_buf(), output.clone()));
    }
    Ok(output)
}

fn run_uncached(python: &Path) -> std::io::Result<std::process::Output> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(python)
        .args(["-c", PROBE])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(std::io::Error::other("its output could not be read"));
    };
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
