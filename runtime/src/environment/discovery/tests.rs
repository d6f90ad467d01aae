//! The choice of interpreter on directory trees made by each test: the layouts of Linux,
//! Windows, macOS and conda, `pyvenv.cfg` files, and the order of choice with a stand-in probe.

use super::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory tree made for one test, removed when dropped.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pycall-discovery-{}-{}-{name}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Tree(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        rel.split('/').fold(self.0.clone(), |p, part| p.join(part))
    }

    /// Makes the file `rel` (and its folders) with `text` in it; returns its path.
    fn file(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn dir(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(&path).unwrap();
        path
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn r(major: u8, minor: u8) -> Release {
    Release { major, minor }
}

/// A host running libpython 3.12.1, with nothing set and nothing on `PATH`.
fn host(platform: Platform, tree: &Tree) -> Host {
    Host {
        platform,
        root: tree.0.clone(),
        vars: BTreeMap::new(),
        path: Vec::new(),
        cwd: Some(tree.0.clone()),
        running: r(3, 12),
        running_version: "3.12.1".to_owned(),
        free_threaded: false,
        libpython: None,
        base_prefix: None,
        build: None,
    }
}

fn set(host: &mut Host, name: &'static str, value: impl Into<OsString>) {
    host.vars.insert(name, value.into());
}

fn answer(executable: &Path, version: (u8, u8, u8)) -> Answer<()> {
    Answer {
        executable: executable.display().to_string(),
        version,
        free_threaded: Some(false),
        data: (),
    }
}

/// A probe that answers from a table (interpreter → version, or an error) and records what
/// it was asked.
/// What a stand-in interpreter answers: its version, or why it failed.
type Reply<E> = Result<(u8, u8, u8), E>;

struct Probes {
    table: Vec<(PathBuf, Reply<String>)>,
    asked: RefCell<Vec<PathBuf>>,
}

impl Probes {
    fn new(table: &[(&Path, Reply<&str>)]) -> Probes {
        Probes {
            table: table
                .iter()
                .map(|(p, v)| (p.to_path_buf(), v.map_err(str::to_owned)))
                .collect(),
            asked: RefCell::new(Vec::new()),
        }
    }

    fn choose(&self, host: &Host) -> Result<Choice<()>, String> {
        choose(host, |python| {
            self.asked.borrow_mut().push(python.to_path_buf());
            let (_, found) = self
                .table
                .iter()
                .find(|(p, _)| p == python)
                .unwrap_or_else(|| panic!("{} was not to be asked", python.display()));
            found.clone().map(|version| answer(python, version))
        })
    }

    fn asked(&self) -> Vec<PathBuf> {
        self.asked.borrow().clone()
    }
}

fn used(choice: Result<Choice<()>, String>) -> (Source, String) {
    match choice {
        Ok(Choice::Use { source, answer }) => (source, answer.executable),
        Ok(Choice::Keep) => panic!("kept the defaults"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn releases_are_read_from_version_texts() {
    assert_eq!(Release::parse("3.12"), Some(r(3, 12)));
    assert_eq!(Release::parse(" 3.9.18 "), Some(r(3, 9)));
    assert_eq!(Release::parse("3.12.1.final.0"), Some(r(3, 12)));
    assert_eq!(Release::parse("3.13.0rc1"), Some(r(3, 13)));
    for bad in ["", "3", "3.", "x.y", "3.x", "300.1", "3.1000", "-3.1"] {
        assert_eq!(Release::parse(bad), None, "{bad:?}");
    }
    assert_eq!(program_release("python3.12"), Some(r(3, 12)));
    assert_eq!(program_release("python3.13t"), Some(r(3, 13)));
    for other in [
        "python3",
        "python3.12-config",
        "python3.12-gdb.py",
        "pythonw",
        "py",
    ] {
        assert_eq!(program_release(other), None, "{other:?}");
    }
    assert_eq!(dll_release("python312.dll"), Some(r(3, 12)));
    assert_eq!(dll_release("PYTHON39.DLL"), Some(r(3, 9)));
    assert_eq!(dll_release("python313t.dll"), Some(r(3, 13)));
    for other in [
        "python3.dll",
        "python.dll",
        "python3x.dll",
        "vcruntime140.dll",
    ] {
        assert_eq!(dll_release(other), None, "{other:?}");
    }
}

#[test]
fn pyvenv_cfg_of_venv_virtualenv_and_uv() {
    let venv = b"home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n\
                 executable = /usr/bin/python3.11\ncommand = /usr/bin/python3 -m venv /v\n";
    assert_eq!(
        parse_pyvenv_cfg(venv),
        VenvConfig {
            home: Some(PathBuf::from("/usr/bin")),
            version: Some(r(3, 11)),
        }
    );
    let virtualenv = b"home = C:\\Python312\r\nimplementation = CPython\r\n\
                       version_info = 3.12.1.final.0\r\nvirtualenv = 20.25.0\r\n";
    assert_eq!(
        parse_pyvenv_cfg(virtualenv),
        VenvConfig {
            home: Some(PathBuf::from("C:\\Python312")),
            version: Some(r(3, 12)),
        }
    );
    let uv = b"Home=/opt/py\nVersion_Info =3.13.0\n";
    assert_eq!(parse_pyvenv_cfg(uv).version, Some(r(3, 13)));
    // Odd files give what can be read, never a panic.
    for odd in [
        &b""[..],
        b"no equals sign here",
        b"=\n=\n",
        b"home =\nversion = three\n",
        b"\xff\xfe\x00garbage = \xff\nversion = \xff3.12\n",
    ] {
        let config = parse_pyvenv_cfg(odd);
        assert_eq!(config.version, None, "{odd:?}");
        assert_eq!(config.home, None, "{odd:?}");
    }
}

#[cfg(unix)]
#[test]
fn pyvenv_cfg_home_keeps_bytes_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let config = parse_pyvenv_cfg(b"home = /opt/caf\xe9/bin\n");
    assert_eq!(
        config.home.unwrap().as_os_str().as_bytes(),
        b"/opt/caf\xe9/bin"
    );
}

#[test]
fn a_unix_virtual_environment_is_read_from_its_pyvenv_cfg() {
    let tree = Tree::new("venv-unix");
    let python = tree.file("venv/bin/python", "");
    tree.file("venv/pyvenv.cfg", "home = /nowhere\nversion = 3.12.1\n");
    let mut host = host(Platform::Unix, &tree);
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    let candidate = virtual_env(&host, &tree.path("venv")).unwrap();
    assert_eq!(candidate.python, python);
    assert_eq!(candidate.hint.unwrap().0, r(3, 12));

    let probes = Probes::new(&[(&python, Ok((3, 12, 1)))]);
    assert_eq!(used(probes.choose(&host)).0, Source::VirtualEnv);
    assert_eq!(probes.asked(), [python]);
}

#[test]
fn a_windows_virtual_environment_takes_its_release_from_home() {
    let tree = Tree::new("venv-windows");
    let python = tree.file("venv/Scripts/python.exe", "");
    tree.file("venv/Scripts/pythonw.exe", "");
    let home = tree.dir("Python312");
    tree.file("Python312/python.exe", "");
    tree.file("Python312/python312.dll", "");
    tree.file("Python312/python3.dll", "");
    // No `version` key: an old virtualenv, or a hand-written file.
    tree.file(
        "venv/pyvenv.cfg",
        &format!(
            "home = {}\r\ninclude-system-site-packages = false\r\n",
            home.display()
        ),
    );
    let host = host(Platform::Windows, &tree);
    let candidate = virtual_env(&host, &tree.path("venv")).unwrap();
    assert_eq!(candidate.python, python);
    let (release, whence) = candidate.hint.unwrap();
    assert_eq!(release, r(3, 12));
    assert!(whence.contains("Python312"), "{whence}");

    // The same tree read as a Unix one has no interpreter.
    let err = virtual_env(&self::host(Platform::Unix, &tree), &tree.path("venv")).unwrap_err();
    assert!(err.contains("no bin/python"), "{err}");
}

#[test]
fn a_virtual_environment_without_python_is_an_error_naming_its_home() {
    let tree = Tree::new("venv-broken");
    tree.file(
        "venv/pyvenv.cfg",
        "home = /opt/gone/bin\nversion = 3.12.1\n",
    );
    tree.dir("venv/Scripts");
    let mut host = host(Platform::Windows, &tree);
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    let err = Probes::new(&[]).choose(&host).unwrap_err();
    assert!(
        err.contains("there is no Python in it (no Scripts\\python.exe)"),
        "{err}"
    );
    assert!(
        err.contains("made from the Python in /opt/gone/bin"),
        "{err}"
    );
    assert!(err.contains("unset VIRTUAL_ENV"), "{err}");
}

#[test]
fn a_virtual_environment_of_another_release_is_refused_without_running_it() {
    let tree = Tree::new("venv-other");
    tree.file("venv/bin/python", "");
    tree.file("venv/pyvenv.cfg", "version = 3.11.7\n");
    let mut host = host(Platform::Unix, &tree);
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    // A matching build interpreter is no reason to ignore the user's choice.
    host.build = Some((tree.file("build/python3", ""), Some(r(3, 12))));
    let probes = Probes::new(&[]);
    let err = probes.choose(&host).unwrap_err();
    assert!(probes.asked().is_empty());
    assert!(err.contains("(Python 3.11 according to"), "{err}");
    assert!(
        err.contains("packages installed for 3.11 do not load in 3.12"),
        "{err}"
    );
    assert!(err.contains("deactivate the virtual environment"), "{err}");
}

#[test]
fn a_virtual_environment_that_answers_another_release_is_an_error() {
    let tree = Tree::new("venv-liar");
    let python = tree.file("venv/bin/python", "");
    let mut host = host(Platform::Unix, &tree);
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    let err = Probes::new(&[(&python, Ok((3, 10, 4)))])
        .choose(&host)
        .unwrap_err();
    assert!(
        err.contains("(Python 3.10.4, chosen as the activated virtual"),
        "{err}"
    );
}

#[test]
fn conda_environments_on_unix_and_windows() {
    let tree = Tree::new("conda");
    let unix = tree.file("envs/sci/bin/python", "");
    tree.file("envs/sci/bin/python3.12", "");
    tree.file(
        "envs/sci/conda-meta/python-dateutil-2.9.0-pyhd8ed1ab_0.json",
        "{}",
    );
    tree.file("envs/sci/conda-meta/python_abi-3.12-4_cp312.json", "{}");
    tree.file(
        "envs/sci/conda-meta/python-3.12.1-hab00c5b_1_cpython.json",
        "{}",
    );
    let candidate = conda(&host(Platform::Unix, &tree), &tree.path("envs/sci")).unwrap();
    assert_eq!(candidate.python, unix);
    let (release, whence) = candidate.hint.unwrap();
    assert_eq!(release, r(3, 12));
    assert!(whence.ends_with("conda-meta"), "{whence}");

    let windows = tree.file("win/python.exe", "");
    tree.file("win/python311.dll", "");
    let candidate = conda(&host(Platform::Windows, &tree), &tree.path("win")).unwrap();
    assert_eq!(candidate.python, windows);
    assert_eq!(candidate.hint.unwrap().0, r(3, 11));

    // An environment without Python (say, one for R) names no interpreter.
    tree.dir("envs/r/conda-meta");
    assert_eq!(
        conda(&host(Platform::Unix, &tree), &tree.path("envs/r")),
        None
    );
}

#[test]
fn the_order_of_choice() {
    let tree = Tree::new("order");
    let venv = tree.file("venv/bin/python", "");
    let conda = tree.file("conda/bin/python", "");
    let chosen = tree.file("chosen/python", "");
    let on_path = tree.file("bin/python3", "");
    let table = [
        (venv.as_path(), Ok((3, 12, 0))),
        (conda.as_path(), Ok((3, 12, 1))),
        (chosen.as_path(), Ok((3, 12, 2))),
        (on_path.as_path(), Ok((3, 12, 3))),
    ];
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("empty"), tree.path("bin")];
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    set(&mut host, "CONDA_PREFIX", tree.path("conda"));
    set(&mut host, "PYCALL_PYTHON", &chosen);
    let mut expected = vec![
        (Source::VirtualEnv, &venv),
        (Source::Override, &chosen),
        (Source::Conda, &conda),
        (Source::Path, &on_path),
    ];
    for name in ["", "VIRTUAL_ENV", "PYCALL_PYTHON", "CONDA_PREFIX"] {
        if !name.is_empty() {
            // Set but empty counts as unset.
            set(&mut host, name, "");
        }
        let probes = Probes::new(&table);
        let (source, python) = expected.remove(0);
        assert_eq!(
            used(probes.choose(&host)),
            (source, python.display().to_string())
        );
        assert_eq!(probes.asked(), [python.as_path()], "one probe only");
    }
    // `embedded` wins over everything, and runs nothing.
    set(&mut host, "VIRTUAL_ENV", tree.path("venv"));
    set(&mut host, "PYCALL_PYTHON", "embedded");
    let probes = Probes::new(&[]);
    assert!(matches!(probes.choose(&host), Ok(Choice::Keep)));
    // A conda environment without Python is passed over.
    host.vars.clear();
    set(&mut host, "CONDA_PREFIX", tree.dir("r-env"));
    let probes = Probes::new(&table);
    assert_eq!(used(probes.choose(&host)).0, Source::Path);
    // So is one of another feature release: its interpreter answers 3.11, and the `python3` on
    // `PATH` (3.12, as the running libpython) is used instead.
    set(&mut host, "CONDA_PREFIX", tree.path("conda"));
    let other = [
        (conda.as_path(), Ok((3, 11, 9))),
        (on_path.as_path(), Ok((3, 12, 3))),
    ];
    let probes = Probes::new(&other);
    assert_eq!(
        used(probes.choose(&host)),
        (Source::Path, on_path.display().to_string())
    );
    assert_eq!(probes.asked(), [conda.as_path(), on_path.as_path()]);
}

#[test]
fn pycall_python_is_a_path_or_a_name_on_path() {
    let tree = Tree::new("override");
    let python = tree.file("bin/python3.12", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("bin")];
    set(&mut host, "PYCALL_PYTHON", "python3.12");
    let probes = Probes::new(&[(&python, Ok((3, 12, 1)))]);
    assert_eq!(used(probes.choose(&host)).0, Source::Override);

    let exe = tree.file("win/py312.exe", "");
    let mut host = self::host(Platform::Windows, &tree);
    host.path = vec![tree.path("win")];
    set(&mut host, "PYCALL_PYTHON", "py312");
    let probes = Probes::new(&[(&exe, Ok((3, 12, 1)))]);
    assert_eq!(used(probes.choose(&host)).0, Source::Override);

    set(&mut host, "PYCALL_PYTHON", tree.path("no/such/python"));
    let err = Probes::new(&[]).choose(&host).unwrap_err();
    assert!(
        err.contains("which is not a Python interpreter file"),
        "{err}"
    );
    set(&mut host, "PYCALL_PYTHON", tree.path("win"));
    let err = Probes::new(&[]).choose(&host).unwrap_err();
    assert!(
        err.contains("which is not a Python interpreter file"),
        "{err}"
    );
}

#[test]
fn a_python3_of_another_release_falls_back_to_the_build_interpreter() {
    let tree = Tree::new("fallback-build");
    let on_path = tree.file("shims/python3", "");
    let build = tree.file("pyenv/3.12.1/bin/python3", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("shims")];
    host.build = Some((build.clone(), Some(r(3, 12))));
    let probes = Probes::new(&[(&on_path, Ok((3, 11, 7))), (&build, Ok((3, 12, 1)))]);
    let (source, python) = used(probes.choose(&host));
    assert_eq!(
        source,
        Source::BuildPython {
            path_python: Some((3, 11))
        }
    );
    assert_eq!(
        source.to_string(),
        "the Python this program was built with (python3 on PATH is 3.11)"
    );
    assert_eq!(python, build.display().to_string());
    assert_eq!(probes.asked(), [on_path, build.clone()]);

    // With no python3 on PATH at all, the build interpreter is used too.
    host.path.clear();
    let probes = Probes::new(&[(&build, Ok((3, 12, 1)))]);
    let (source, _) = used(probes.choose(&host));
    assert_eq!(source, Source::BuildPython { path_python: None });
    assert_eq!(
        source.to_string(),
        "the Python this program was built with (no python3 on PATH)"
    );
}

#[test]
fn a_build_interpreter_of_another_release_is_not_run() {
    let tree = Tree::new("fallback-installed");
    let on_path = tree.file("usr/bin/python3", "");
    let build = tree.file("opt/py311/bin/python3", "");
    // Debian's multiarch layout: /usr/lib/x86_64-linux-gnu/libpython3.12.so.1.0.
    let lib = tree.file("usr/lib/x86_64-linux-gnu/libpython3.12.so.1.0", "");
    let beside = tree.file("usr/bin/python3.12", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("usr/bin")];
    host.build = Some((build, Some(r(3, 11))));
    host.libpython = Some(lib);
    let probes = Probes::new(&[(&on_path, Ok((3, 11, 2))), (&beside, Ok((3, 12, 1)))]);
    let (source, python) = used(probes.choose(&host));
    assert_eq!(
        source,
        Source::Installed {
            path_python: Some((3, 11))
        }
    );
    assert_eq!(python, beside.display().to_string());
    assert_eq!(probes.asked(), [on_path, beside]);
}

#[cfg(unix)]
#[test]
fn a_python3_linked_to_another_release_is_not_run() {
    let tree = Tree::new("path-link");
    let real = tree.file("usr/bin/python3.11", "");
    std::os::unix::fs::symlink("python3.11", tree.path("usr/bin/python3")).unwrap();
    let build = tree.file("opt/py312/bin/python3", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("usr/bin")];
    host.build = Some((build.clone(), Some(r(3, 12))));
    let probes = Probes::new(&[(&build, Ok((3, 12, 1)))]);
    let (source, _) = used(probes.choose(&host));
    assert_eq!(
        source,
        Source::BuildPython {
            path_python: Some((3, 11))
        }
    );
    assert_eq!(probes.asked(), [build]);

    host.build = None;
    let err = Probes::new(&[]).choose(&host).unwrap_err();
    let real = real.canonicalize().unwrap();
    assert!(
        err.contains(&format!(
            "is {} (Python 3.11, chosen as the python3 on PATH)",
            real.display()
        )),
        "{err}"
    );
    // A link to the running release is run: only its answer has the paths.
    std::fs::write(tree.path("usr/bin/python3.12"), "").unwrap();
    std::fs::remove_file(tree.path("usr/bin/python3")).unwrap();
    std::os::unix::fs::symlink("python3.12", tree.path("usr/bin/python3")).unwrap();
    let probes = Probes::new(&[(&tree.path("usr/bin/python3"), Ok((3, 12, 1)))]);
    assert_eq!(used(probes.choose(&host)).0, Source::Path);
}

#[test]
fn a_fallback_that_answers_another_release_is_passed_over() {
    let tree = Tree::new("fallback-liar");
    let on_path = tree.file("bin/python3", "");
    let build = tree.file("build/python3", "");
    let prefix = tree.dir("prefix");
    let beside = tree.file("prefix/bin/python3.12", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("bin")];
    host.build = Some((build.clone(), Some(r(3, 12))));
    host.base_prefix = Some(prefix);
    let probes = Probes::new(&[
        (&on_path, Ok((3, 11, 7))),
        (&build, Ok((3, 13, 0))),
        (&beside, Ok((3, 12, 1))),
    ]);
    let (source, _) = used(probes.choose(&host));
    assert!(matches!(source, Source::Installed { .. }), "{source:?}");
    assert_eq!(probes.asked(), [on_path, build, beside]);
}

#[test]
fn when_nothing_matches_the_error_says_what_was_tried() {
    let tree = Tree::new("nothing");
    let on_path = tree.file("bin/python3", "");
    let build = tree.file("build/python3", "");
    let broken = tree.file("prefix/bin/python3.12", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("bin")];
    host.build = Some((build.clone(), Some(r(3, 11))));
    host.base_prefix = Some(tree.path("prefix"));
    host.libpython = Some(tree.path("prefix/lib/libpython3.12.so.1.0"));
    let probes = Probes::new(&[
        (&on_path, Ok((3, 11, 7))),
        (&broken, Err("could not be run (permission denied)")),
    ]);
    let err = probes.choose(&host).unwrap_err();
    // The build interpreter's release is known without running it.
    assert_eq!(probes.asked(), [on_path.clone(), broken.clone()]);
    for part in [
        format!(
            "the Python chosen for this program's packages is {} (Python 3.11.7, chosen as \
             the python3 on PATH), but this program runs libpython 3.12.1",
            on_path.display()
        ),
        "packages installed for 3.11 do not load in 3.12".to_owned(),
        format!(
            "No Python 3.12 could be used instead: the Python this program was built with, \
             {}, is 3.11; the Python installed with the running libpython, {}, could not be \
             run (permission denied).",
            build.display(),
            broken.display()
        ),
        "set PYCALL_PYTHON to a Python 3.12 interpreter".to_owned(),
        "PYCALL_PYTHON=embedded".to_owned(),
    ] {
        assert!(err.contains(&part), "missing {part:?} in {err}");
    }

    // Nothing there at all: the error says where pycall looked.
    host.build = Some((tree.path("gone/python3"), Some(r(3, 12))));
    host.base_prefix = None;
    host.libpython = None;
    let err = Probes::new(&[(&on_path, Ok((3, 11, 7)))])
        .choose(&host)
        .unwrap_err();
    assert!(
        err.contains(&format!(
            "No Python 3.12 could be used instead: the Python this program was built with, \
             {}, is not there any more.",
            tree.path("gone/python3").display()
        )),
        "{err}"
    );
    host.build = None;
    let err = Probes::new(&[(&on_path, Ok((3, 11, 7)))])
        .choose(&host)
        .unwrap_err();
    assert!(
        err.contains("pycall found no Python 3.12 to use instead"),
        "{err}"
    );

    // And with no python3 on PATH either, libpython's defaults are kept.
    host.path.clear();
    assert!(matches!(Probes::new(&[]).choose(&host), Ok(Choice::Keep)));
}

#[test]
fn a_python3_that_fails_is_an_error_not_a_fallback() {
    let tree = Tree::new("path-broken");
    let on_path = tree.file("bin/python3", "");
    let build = tree.file("build/python3", "");
    let mut host = host(Platform::Unix, &tree);
    host.path = vec![tree.path("bin")];
    host.build = Some((build, Some(r(3, 12))));
    let probes = Probes::new(&[(&on_path, Err("failed to report its environment"))]);
    let err = probes.choose(&host).unwrap_err();
    assert!(
        err.contains("(chosen as the python3 on PATH) failed to report its environment"),
        "{err}"
    );
    assert_eq!(probes.asked(), [on_path]);
}

#[test]
fn free_threaded_builds_are_another_abi() {
    let tree = Tree::new("free-threaded");
    let on_path = tree.file("bin/python3", "");
    let beside = tree.file("prefix/bin/python3.13t", "");
    let mut host = host(Platform::Unix, &tree);
    host.running = r(3, 13);
    host.running_version = "3.13.0".to_owned();
    host.free_threaded = true;
    host.path = vec![tree.path("bin")];
    host.libpython = Some(tree.path("prefix/lib/libpython3.13t.so.1.0"));
    let probes = Probes::new(&[(&on_path, Ok((3, 13, 0))), (&beside, Ok((3, 13, 0)))]);
    // `answer` says "not free-threaded": the python3 on PATH is 3.13, but not 3.13t...
    let err = probes.choose(&host).unwrap_err();
    assert!(
        err.contains("packages installed for 3.13 do not load in 3.13t"),
        "{err}"
    );
    // ...and so is the python3.13t this test's probe stands in for.
    assert_eq!(probes.asked(), [on_path, beside]);
}

#[test]
fn macos_framework_and_homebrew_layouts() {
    let tree = Tree::new("macos");
    let on_path = tree.file("usr/bin/python3", "");
    let mut host = host(Platform::MacOs, &tree);
    host.path = vec![tree.path("usr/bin")];

    // A python.org framework build: libpython is the framework's `Python` file.
    let framework = "Library/Frameworks/Python.framework/Versions/3.12";
    let lib = tree.file(&format!("{framework}/Python"), "");
    let python = tree.file(&format!("{framework}/bin/python3.12"), "");
    host.libpython = Some(lib);
    assert_eq!(installed(&host)[0], python);
    let probes = Probes::new(&[(&on_path, Ok((3, 9, 6))), (&python, Ok((3, 12, 1)))]);
    let (source, found) = used(probes.choose(&host));
    assert!(matches!(
        source,
        Source::Installed {
            path_python: Some((3, 9))
        }
    ));
    assert_eq!(found, python.display().to_string());

    // Not knowing the libpython file, the standard places are looked at, in order.
    host.libpython = None;
    std::fs::remove_file(&python).unwrap();
    let places = installed(&host);
    let expected: Vec<PathBuf> = [
        "Library/Frameworks/Python.framework/Versions/3.12/bin/python3.12",
        "opt/homebrew/opt/python@3.12/bin/python3.12",
        "opt/homebrew/bin/python3.12",
        "usr/local/opt/python@3.12/bin/python3.12",
        "usr/local/bin/python3.12",
    ]
    .iter()
    .map(|p| tree.path(p))
    .collect();
    assert_eq!(places, expected);
    for place in &expected[1..] {
        let python = tree.file(place.strip_prefix(&tree.0).unwrap().to_str().unwrap(), "");
        let probes = Probes::new(&[(&on_path, Ok((3, 9, 6))), (&python, Ok((3, 12, 1)))]);
        assert_eq!(used(probes.choose(&host)).1, python.display().to_string());
        std::fs::remove_file(&python).unwrap();
    }

    // Homebrew's framework inside its Cellar, found through the libpython file.
    let cellar = "opt/homebrew/Cellar/python@3.12/3.12.1/Frameworks/Python.framework";
    let lib = tree.path(&format!("{cellar}/Versions/3.12/Python"));
    assert_eq!(
        beside_libpython(Platform::MacOs, &lib, "python3.12"),
        [tree.path(&format!("{cellar}/Versions/3.12/bin/python3.12"))]
    );
    // A dylib in a prefix's lib folder.
    let lib = tree.path("usr/local/opt/python@3.12/lib/libpython3.12.dylib");
    assert_eq!(
        beside_libpython(Platform::MacOs, &lib, "python3.12")[0],
        tree.path("usr/local/opt/python@3.12/bin/python3.12")
    );
}

#[test]
fn windows_layouts() {
    let tree = Tree::new("windows");
    let mut host = host(Platform::Windows, &tree);
    // The python.exe on PATH is 3.11; python312.dll is the running libpython.
    let on_path = tree.file("Python311/python.exe", "");
    let lib = tree.file("Python312/python312.dll", "");
    let beside = tree.file("Python312/python.exe", "");
    host.path = vec![tree.path("WindowsApps"), tree.path("Python311")];
    host.libpython = Some(lib);
    host.base_prefix = Some(tree.path("Python312"));
    assert_eq!(installed(&host), [beside.clone(), beside.clone()]);
    let probes = Probes::new(&[(&on_path, Ok((3, 11, 7))), (&beside, Ok((3, 12, 1)))]);
    let (source, found) = used(probes.choose(&host));
    assert!(matches!(
        source,
        Source::Installed {
            path_python: Some((3, 11))
        }
    ));
    assert_eq!(found, beside.display().to_string());
    assert_eq!(probes.asked(), [on_path, beside], "asked once each");

    // A free-threaded build's interpreter is python3.13t.exe.
    host.running = r(3, 13);
    host.free_threaded = true;
    host.libpython = Some(tree.path("Python313/python313t.dll"));
    host.base_prefix = None;
    assert_eq!(installed(&host), [tree.path("Python313/python3.13t.exe")]);
    // Not a Python DLL: nothing implied.
    assert!(
        beside_libpython(
            Platform::Windows,
            &tree.path("x/kernel32.dll"),
            "python.exe"
        )
        .is_empty()
    );
}

#[test]
fn odd_directories_tell_nothing() {
    let tree = Tree::new("odd");
    // Missing directories.
    assert_eq!(release_in_dir(Platform::Unix, &tree.path("missing")), None);
    assert_eq!(conda_meta_release(&tree.path("missing")), None);
    assert_eq!(
        read_pyvenv_cfg(&tree.path("missing")),
        VenvConfig::default()
    );
    // A directory where a file is expected.
    tree.dir("venv/pyvenv.cfg");
    assert_eq!(read_pyvenv_cfg(&tree.path("venv")), VenvConfig::default());
    // Interpreters of two releases side by side: no single answer.
    tree.file("usr/bin/python3.11", "");
    tree.file("usr/bin/python3.12", "");
    tree.file("usr/bin/python3.12-config", "");
    assert_eq!(release_in_dir(Platform::Unix, &tree.path("usr/bin")), None);
    // A conda record with an odd name.
    tree.file("conda-meta/python-.json", "");
    tree.file("conda-meta/python-x.y-0.json", "");
    assert_eq!(conda_meta_release(&tree.path("conda-meta")), None);
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let tree = Tree::new("bytes");
    let odd = tree.path("bin").join(OsStr::from_bytes(b"python3.\xff"));
    std::fs::create_dir_all(tree.path("bin")).unwrap();
    std::fs::write(&odd, "").unwrap();
    tree.file("bin/python3.12", "");
    assert_eq!(
        release_in_dir(Platform::Unix, &tree.path("bin")),
        Some(r(3, 12))
    );
    // A PATH directory and a libpython with such names.
    let dir = tree.0.join(OsStr::from_bytes(b"caf\xe9"));
    let python = dir.join("python3");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&python, "").unwrap();
    assert_eq!(
        find_program(std::slice::from_ref(&dir), &["python3"]),
        Some(python)
    );
    let lib = dir.join(OsStr::from_bytes(b"libpython3.12\xff.so"));
    assert!(beside_libpython(Platform::Unix, &lib, "python3.12").is_empty());
}

#[cfg(unix)]
#[test]
fn inside_python_or_embedded() {
    let tree = Tree::new("hosted");
    // 3.10+: `sys.orig_argv` decides.
    assert!(runs_inside_python(Platform::Unix, Some(2), None, &[], None));
    assert!(!runs_inside_python(
        Platform::Unix,
        Some(0),
        None,
        &[],
        None
    ));

    // 3.9, hosted: the process is the interpreter `sys.executable` links to.
    let real = tree.file("pyenv/3.9.18/bin/python3.9", "");
    let link = tree.path("venv/bin/python");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert!(runs_inside_python(
        Platform::Unix,
        None,
        Some(&real),
        std::slice::from_ref(&link),
        None
    ));
    // Windows' venv launcher: the base interpreter runs, `sys._base_executable` names it.
    let base = tree.file("Python39/python.exe", "");
    let launcher = tree.file("venv/Scripts/python.exe", "");
    assert!(runs_inside_python(
        Platform::Windows,
        None,
        Some(&base),
        &[launcher.clone(), base.clone()],
        None
    ));

    // 3.9, embedded: a Rust program, whatever `sys.executable` says: the `python3` found
    // on PATH (Linux)...
    let program = tree.file("target/debug/my-tool", "");
    let shim = tree.file("shims/python3", "");
    assert!(!runs_inside_python(
        Platform::Unix,
        None,
        Some(&program),
        &[shim],
        None
    ));
    // ...or the program itself (Windows, macOS).
    let exe = tree.file("target/debug/my-tool.exe", "");
    assert!(!runs_inside_python(
        Platform::Windows,
        None,
        Some(&exe),
        std::slice::from_ref(&exe),
        None
    ));
    assert!(!runs_inside_python(
        Platform::MacOs,
        None,
        Some(&program),
        std::slice::from_ref(&program),
        None
    ));
    assert!(!runs_inside_python(Platform::Unix, None, None, &[], None));
    assert!(!runs_inside_python(
        Platform::Unix,
        None,
        Some(&real),
        &[PathBuf::new()],
        None
    ));

    // 3.9 on macOS: a framework's bin/python3.9 starts Python.app with `sys.executable`
    // naming bin/python3.9.
    let versions = "Library/Frameworks/Python.framework/Versions/3.9";
    let app = tree.file(
        &format!("{versions}/Resources/Python.app/Contents/MacOS/Python"),
        "",
    );
    let stub = tree.file(&format!("{versions}/bin/python3.9"), "");
    let prefix = tree.path(versions);
    assert!(runs_inside_python(
        Platform::MacOs,
        None,
        Some(&app),
        std::slice::from_ref(&stub),
        Some(&prefix)
    ));
    assert!(!runs_inside_python(
        Platform::MacOs,
        None,
        Some(&app),
        &[stub],
        Some(&tree.path("elsewhere"))
    ));
}
