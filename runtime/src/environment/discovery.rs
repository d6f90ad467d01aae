//! Choosing the interpreter: the candidates that the variables, `PATH` and each platform's
//! layouts name, what their files tell of their version without running them, and the order in
//! which they are tried.
//!
//! Nothing here reads the process's variables or starts a process: a [`Host`] carries the
//! variables, `PATH`, the root of the fixed install locations and what is known of the running
//! `libpython`, and [`choose`] is given the probe as a function. So the layouts of Windows, macOS
//! (framework builds, Homebrew) and conda are tested on directory trees that the tests make.

use super::Source;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

/// Which platform's layouts to look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    /// Linux and the other Unixes: `bin/python3.X`, `lib/libpython3.X.so`.
    Unix,
    /// The Unix layouts, framework builds (`Python.framework/Versions/3.X`) and Homebrew's
    /// prefixes.
    MacOs,
    /// `Scripts\python.exe` in a virtual environment, `python.exe` beside `python3X.dll`.
    Windows,
}

impl Platform {
    /// The platform this program runs on.
    pub(crate) const CURRENT: Platform = if cfg!(windows) {
        Platform::Windows
    } else if cfg!(target_os = "macos") {
        Platform::MacOs
    } else {
        Platform::Unix
    };
}

/// A feature release, `major.minor`: packages with compiled code load only in the one they were
/// built for, while patch releases are interchangeable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Release {
    pub(crate) major: u8,
    pub(crate) minor: u8,
}

impl Release {
    /// The first two numbers of `3.12`, `3.12.1`, `3.13.0rc1` or virtualenv's `3.12.1.final.0`.
    pub(crate) fn parse(text: &str) -> Option<Release> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(Release { major, minor })
    }

    pub(crate) fn pair(self) -> (u8, u8) {
        (self.major, self.minor)
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Everything the choice depends on besides the files themselves.
#[derive(Clone, Debug)]
pub(crate) struct Host {
    pub(crate) platform: Platform,
    /// Where the fixed install locations (`/Library/Frameworks`, `/opt/homebrew`) are looked
    /// for: `/`, or a test's directory.
    pub(crate) root: PathBuf,
    /// `VIRTUAL_ENV`, `CONDA_PREFIX` and `PYCALL_PYTHON`.
    pub(crate) vars: BTreeMap<&'static str, OsString>,
    /// The directories of `PATH`, in order.
    pub(crate) path: Vec<PathBuf>,
    /// The working directory, for messages about relative paths.
    pub(crate) cwd: Option<PathBuf>,
    /// The running `libpython`'s release, and its full version for messages.
    pub(crate) running: Release,
    pub(crate) running_version: String,
    /// Whether the running `libpython` is a free-threaded build (`3.13t`).
    pub(crate) free_threaded: bool,
    /// The file of the running `libpython`, where the platform can tell.
    pub(crate) libpython: Option<PathBuf>,
    /// The running interpreter's own `sys.base_prefix`, before pycall changes it: where its
    /// installation is, as the `libpython` worked it out.
    pub(crate) base_prefix: Option<PathBuf>,
    /// The interpreter this program was built against, and its release.
    pub(crate) build: Option<(PathBuf, Option<Release>)>,
}

/// The variables the choice reads.
pub(crate) const VARIABLES: [&str; 3] = ["VIRTUAL_ENV", "CONDA_PREFIX", "PYCALL_PYTHON"];

impl Host {
    /// A variable, when set and not empty.
    fn var(&self, name: &str) -> Option<&OsStr> {
        self.vars
            .get(name)
            .map(OsString::as_os_str)
            .filter(|v| !v.is_empty())
    }

    /// How the running `libpython`'s feature release is written: `3.12`, or `3.13t` for a
    /// free-threaded build.
    fn running_abi(&self) -> String {
        abi(self.running, Some(self.free_threaded))
    }

    /// The file name of an interpreter of the running release: `python3.12` (Unix, macOS),
    /// `python.exe` (Windows); with a `t` for a free-threaded build.
    fn interpreter_name(&self) -> String {
        let t = if self.free_threaded { "t" } else { "" };
        let named = format!("python{}{t}", self.running);
        match self.platform {
            Platform::Windows if self.free_threaded => format!("{named}.exe"),
            Platform::Windows => "python.exe".to_owned(),
            Platform::Unix | Platform::MacOs => named,
        }
    }
}

fn abi(release: Release, free_threaded: Option<bool>) -> String {
    let t = if free_threaded == Some(true) { "t" } else { "" };
    format!("{release}{t}")
}

/// What an interpreter answered about itself; `data` is the rest of its answer, which the
/// choice does not read.
#[derive(Clone, Debug)]
pub(crate) struct Answer<T> {
    /// `sys.executable`, as it reports it.
    pub(crate) executable: String,
    pub(crate) version: (u8, u8, u8),
    /// Whether it is a free-threaded build, when it said.
    pub(crate) free_threaded: Option<bool>,
    pub(crate) data: T,
}

impl<T> Answer<T> {
    fn release(&self) -> Release {
        Release {
            major: self.version.0,
            minor: self.version.1,
        }
    }

    /// `3.12.1`.
    pub(crate) fn version_text(&self) -> String {
        let (major, minor, patch) = self.version;
        format!("{major}.{minor}.{patch}")
    }

    /// Whether its packages load in the running `libpython`: the same feature release, and both
    /// free-threaded or neither.
    fn fits(&self, host: &Host) -> bool {
        self.release() == host.running
            && self.free_threaded.is_none_or(|ft| ft == host.free_threaded)
    }
}

/// What [`choose`] decided.
#[derive(Debug)]
pub(crate) enum Choice<T> {
    /// Keep the running `libpython`'s own defaults.
    Keep,
    /// Take on the environment of the interpreter that gave this answer.
    Use { source: Source, answer: Answer<T> },
}

/// An interpreter named by a variable or found on `PATH`, and what its files say of its release
/// (`hint`), with where that was read, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) python: PathBuf,
    pub(crate) hint: Option<(Release, String)>,
}

/// Chooses the interpreter, in this order, asking an interpreter about itself with `probe` (at
/// most once each, and only when its files do not already show it is another feature release):
///
/// 1. `PYCALL_PYTHON=embedded`: none;
/// 2. `$VIRTUAL_ENV`'s interpreter (an error if it has none);
/// 3. `$PYCALL_PYTHON` (an error if it is not a file);
/// 4. `$CONDA_PREFIX`'s interpreter, when it has one of the running feature release (one of
///    another release, or a broken one, is passed over for the steps below);
/// 5. the `python3` on `PATH` (`python.exe` on Windows), if it is the running feature release
///    (not run when it links to a `python3.X` of another release);
/// 6. otherwise, or when there is none, an interpreter of the running feature release: the one
///    this program was built against, then the one installed with the running `libpython` (the
///    same prefix, the same framework, Homebrew's and python.org's locations on macOS);
/// 7. none when there is no `python3` on `PATH` and no fallback; an error naming what was tried
///    when there is one of another release.
///
/// An interpreter chosen by `VIRTUAL_ENV` or `PYCALL_PYTHON` is the user's decision: when it is
/// another feature release, that is an error, not a reason to look further.
pub(crate) fn choose<T>(
    host: &Host,
    mut probe: impl FnMut(&Path) -> Result<Answer<T>, String>,
) -> Result<Choice<T>, String> {
    if host.var("PYCALL_PYTHON").is_some_and(|v| v == "embedded") {
        return Ok(Choice::Keep);
    }
    if let Some(venv) = host.var("VIRTUAL_ENV") {
        let candidate = virtual_env(host, Path::new(venv))?;
        return ask_chosen(host, Source::VirtualEnv, &candidate, &mut probe);
    }
    if let Some(value) = host.var("PYCALL_PYTHON") {
        let candidate = Candidate {
            python: named_interpreter(host, value)?,
            hint: None,
        };
        return ask_chosen(host, Source::Override, &candidate, &mut probe);
    }
    // Conda activates its `base` environment in every shell, so an active conda environment is
    // as much an accident of the shell as the `python3` on `PATH`: one of another feature
    // release (or a broken one) is passed over for the fallbacks, not an error of its own.
    if let Some(candidate) = host
        .var("CONDA_PREFIX")
        .and_then(|p| conda(host, Path::new(p)))
    {
        return match ask_chosen(host, Source::Conda, &candidate, &mut probe) {
            Ok(choice) => Ok(choice),
            Err(passed_over) => path_or_fallback(host, &mut probe).map_err(|e| {
                format!("{e} (The activated conda environment was passed over: {passed_over})")
            }),
        };
    }
    path_or_fallback(host, &mut probe)
}

/// Asks an interpreter chosen by a variable or `PATH`; another feature release is an error.
fn ask_chosen<T>(
    host: &Host,
    source: Source,
    candidate: &Candidate,
    probe: &mut impl FnMut(&Path) -> Result<Answer<T>, String>,
) -> Result<Choice<T>, String> {
    let python = candidate.python.display().to_string();
    if let Some((release, whence)) = candidate.hint.as_ref().filter(|(r, _)| *r != host.running) {
        return Err(mismatch(
            host,
            &Mismatch {
                executable: &python,
                version: format!("{release} according to {whence}"),
                abi: abi(*release, None),
                source,
                tried: None,
            },
        ));
    }
    let answer = probe(&candidate.python).map_err(|e| {
        format!(
            "pycall: {python} (chosen as {source}) {e}. {}",
            repair(source)
        )
    })?;
    if !answer.fits(host) {
        return Err(mismatch(
            host,
            &Mismatch {
                executable: &answer.executable,
                version: answer.version_text(),
                abi: abi(answer.release(), answer.free_threaded),
                source,
                tried: None,
            },
        ));
    }
    Ok(Choice::Use { source, answer })
}

/// What to do about an interpreter that would not answer.
fn repair(source: Source) -> &'static str {
    match source {
        Source::VirtualEnv => "Make the virtual environment again, or unset VIRTUAL_ENV",
        Source::Conda => {
            "Repair the conda environment (`conda install python`), or deactivate it \
             (`conda deactivate`)"
        }
        _ => {
            "Point PYCALL_PYTHON at a working Python interpreter, or set \
             PYCALL_PYTHON=embedded"
        }
    }
}

/// Step 5 on: the `python3` on `PATH`, then the fallbacks of the running feature release.
fn path_or_fallback<T>(
    host: &Host,
    probe: &mut impl FnMut(&Path) -> Result<Answer<T>, String>,
) -> Result<Choice<T>, String> {
    let names: &[&str] = match host.platform {
        Platform::Windows => &["python.exe", "python3.exe"],
        Platform::Unix | Platform::MacOs => &["python3"],
    };
    let mut seen = Vec::new();
    let on_path = match find_program(&host.path, names) {
        Some(python) => {
            let real = canonical(&python);
            seen.push(real.clone());
            // `/usr/bin/python3 -> python3.11` shows its release without being run.
            let named = match host.platform {
                Platform::Windows => None,
                Platform::Unix | Platform::MacOs => real
                    .file_name()
                    .and_then(OsStr::to_str)
                    .and_then(program_release),
            };
            match named.filter(|r| *r != host.running) {
                Some(release) => Some(Other {
                    executable: real.display().to_string(),
                    version: release.to_string(),
                    release,
                    free_threaded: None,
                }),
                None => {
                    let answer = probe(&python).map_err(|e| {
                        format!(
                            "pycall: {} (chosen as {}) {e}. {}",
                            python.display(),
                            Source::Path,
                            repair(Source::Path)
                        )
                    })?;
                    if answer.fits(host) {
                        return Ok(Choice::Use {
                            source: Source::Path,
                            answer,
                        });
                    }
                    seen.push(canonical(Path::new(&answer.executable)));
                    Some(Other {
                        version: answer.version_text(),
                        release: answer.release(),
                        free_threaded: answer.free_threaded,
                        executable: answer.executable,
                    })
                }
            }
        }
        None => None,
    };
    let path_python = on_path.as_ref().map(|other| other.release.pair());
    let mut tried = Vec::new();
    for fallback in fallbacks(host) {
        let key = canonical(&fallback.python);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let python = fallback.python.display();
        let what = match fallback.kind {
            Fallback::Build => "the Python this program was built with",
            Fallback::Installed => "the Python installed with the running libpython",
        };
        if !fallback.python.is_file() {
            if fallback.kind == Fallback::Build {
                tried.push(format!("{what}, {python}, is not there any more"));
            }
            continue;
        }
        if let Some(release) = fallback.hint.filter(|r| *r != host.running) {
            tried.push(format!("{what}, {python}, is {release}"));
            continue;
        }
        match probe(&fallback.python) {
            Ok(answer) if answer.fits(host) => {
                let source = match fallback.kind {
                    Fallback::Build => Source::BuildPython { path_python },
                    Fallback::Installed => Source::Installed { path_python },
                };
                return Ok(Choice::Use { source, answer });
            }
            Ok(answer) => tried.push(format!(
                "{what}, {python}, is {}",
                abi(answer.release(), answer.free_threaded)
            )),
            Err(e) => tried.push(format!("{what}, {python}, {e}")),
        }
    }
    match on_path {
        Some(other) => Err(mismatch(
            host,
            &Mismatch {
                executable: &other.executable,
                version: other.version,
                abi: abi(other.release, other.free_threaded),
                source: Source::Path,
                tried: Some(&tried),
            },
        )),
        None => Ok(Choice::Keep),
    }
}

/// The `python3` on `PATH` when it is another feature release.
struct Other {
    executable: String,
    /// `3.11.7` as it answered, or `3.11` from its file name.
    version: String,
    release: Release,
    free_threaded: Option<bool>,
}

/// An interpreter of another feature release than the running `libpython`'s.
struct Mismatch<'a> {
    executable: &'a str,
    /// `3.12.1`, or `3.12 according to …/pyvenv.cfg`.
    version: String,
    /// `3.12`, `3.13t`.
    abi: String,
    source: Source,
    /// For the `python3` on `PATH`: why each fallback could not be used.
    tried: Option<&'a [String]>,
}

fn mismatch(host: &Host, m: &Mismatch<'_>) -> String {
    let running = host.running_abi();
    let lib = host
        .libpython
        .as_ref()
        .map(|p| format!(" ({})", p.display()))
        .unwrap_or_default();
    let tried = match m.tried {
        None => String::new(),
        Some([]) => format!(
            "pycall found no Python {running} to use instead (it looks for the Python this \
             program was built with and for the one installed with the running libpython). "
        ),
        Some(tried) => format!(
            "No Python {running} could be used instead: {}. ",
            tried.join("; ")
        ),
    };
    let first = match m.source {
        Source::VirtualEnv => format!(
            "deactivate the virtual environment, or activate one made with Python {running}"
        ),
        Source::Conda => format!(
            "deactivate the conda environment, or activate one with Python {running} \
             (`conda install python={}`)",
            host.running
        ),
        _ => format!(
            "activate a virtual environment made with Python {running}; set PYCALL_PYTHON to \
             a Python {running} interpreter"
        ),
    };
    format!(
        "pycall: the Python chosen for this program's packages is {} (Python {}, chosen as {}), \
         but this program runs libpython {}{lib}: packages installed for {} do not load in \
         {running}. {tried}Do one of: {first}; rebuild with PYO3_PYTHON={} so that the program \
         links Python {} (and make sure that libpython is the one loaded at run time, e.g. with \
         LD_LIBRARY_PATH); or set PYCALL_PYTHON=embedded to use libpython's own packages.",
        m.executable, m.version, m.source, host.running_version, m.abi, m.executable, m.abi,
    )
}

/// The interpreter of the virtual environment `venv`, with its release as `pyvenv.cfg` (or the
/// interpreter it names as `home`) tells it.
pub(crate) fn virtual_env(host: &Host, venv: &Path) -> Result<Candidate, String> {
    let layouts: &[&[&str]] = match host.platform {
        Platform::Windows => &[
            &["Scripts", "python.exe"],
            &["bin", "python.exe"],
            &["bin", "python"],
        ],
        Platform::Unix | Platform::MacOs => &[&["bin", "python"], &["bin", "python3"]],
    };
    let config = read_pyvenv_cfg(venv);
    let Some(python) = first_file(venv, layouts) else {
        let (missing, activate) = match host.platform {
            Platform::Windows => ("Scripts\\python.exe", "ENV\\Scripts\\activate"),
            Platform::Unix | Platform::MacOs => ("bin/python", "source ENV/bin/activate"),
        };
        let home = match &config.home {
            Some(home) => format!(
                " Its pyvenv.cfg says it was made from the Python in {}; if that Python was \
                 moved or removed, make the environment again.",
                home.display()
            ),
            None => String::new(),
        };
        return Err(format!(
            "pycall: VIRTUAL_ENV is set to {} (from the working directory {}), but there is no \
             Python in it (no {missing}).{home} Activate an existing virtual environment \
             (`{activate}`, which sets an absolute path), make one (`python3 -m venv ENV`), \
             or unset VIRTUAL_ENV.",
            venv.display(),
            host.cwd
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "?".to_owned())
        ));
    };
    let cfg = venv.join("pyvenv.cfg");
    let hint = config
        .version
        .map(|r| (r, cfg.display().to_string()))
        .or_else(|| {
            let home = config.home.as_ref()?;
            let release = release_in_dir(host.platform, home)?;
            Some((release, format!("the Python in {}", home.display())))
        })
        .or_else(|| {
            let bin = venv.join("bin");
            let release = release_in_dir(Platform::Unix, &bin)?;
            Some((release, format!("the files in {}", bin.display())))
        });
    Ok(Candidate { python, hint })
}

/// The interpreter of the conda environment `prefix`, if it has one, with its release as
/// `conda-meta` (or the files beside the interpreter) tells it.
pub(crate) fn conda(host: &Host, prefix: &Path) -> Option<Candidate> {
    let (layouts, beside): (&[&[&str]], PathBuf) = match host.platform {
        Platform::Windows => (&[&["python.exe"]], prefix.to_path_buf()),
        Platform::Unix | Platform::MacOs => (
            &[&["bin", "python"], &["bin", "python3"]],
            prefix.join("bin"),
        ),
    };
    let python = first_file(prefix, layouts)?;
    let meta = prefix.join("conda-meta");
    let hint = conda_meta_release(&meta)
        .map(|r| (r, meta.display().to_string()))
        .or_else(|| {
            let release = release_in_dir(host.platform, &beside)?;
            Some((release, format!("the files in {}", beside.display())))
        });
    Some(Candidate { python, hint })
}

/// `$PYCALL_PYTHON`: a path (with a directory in it) or a program name looked up on `PATH`.
fn named_interpreter(host: &Host, value: &OsStr) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    let found = if path.components().count() > 1 {
        path.is_file().then(|| path.clone())
    } else {
        let mut names = vec![value.to_os_string()];
        if host.platform == Platform::Windows && path.extension().is_none() {
            let mut exe = value.to_os_string();
            exe.push(".exe");
            names.push(exe);
        }
        find_program(&host.path, &names)
    };
    found.ok_or_else(|| {
        format!(
            "pycall: PYCALL_PYTHON is set to {}, which is not a Python interpreter file. Set it \
             to the path of a python executable (for example the output of `python3 -c 'import \
             sys; print(sys.executable)'`), to `embedded` for libpython's own defaults, or \
             unset it.",
            path.display()
        )
    })
}

/// The first of `names` found in the directories `dirs`, searched in order.
pub(crate) fn find_program(dirs: &[PathBuf], names: &[impl AsRef<OsStr>]) -> Option<PathBuf> {
    dirs.iter()
        .flat_map(|dir| names.iter().map(move |name| dir.join(name.as_ref())))
        .find(|candidate| candidate.is_file())
}

fn first_file(dir: &Path, layouts: &[&[&str]]) -> Option<PathBuf> {
    layouts
        .iter()
        .map(|parts| parts.iter().fold(dir.to_path_buf(), |p, part| p.join(part)))
        .find(|p| p.is_file())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fallback {
    Build,
    Installed,
}

struct FallbackCandidate {
    python: PathBuf,
    kind: Fallback,
    hint: Option<Release>,
}

/// The interpreters of the running feature release to fall back to, in order: the one this
/// program was built against, then those installed with the running `libpython`.
fn fallbacks(host: &Host) -> Vec<FallbackCandidate> {
    let mut out = Vec::new();
    if let Some((python, release)) = &host.build {
        out.push(FallbackCandidate {
            python: python.clone(),
            kind: Fallback::Build,
            hint: *release,
        });
    }
    out.extend(installed(host).into_iter().map(|python| FallbackCandidate {
        python,
        kind: Fallback::Installed,
        hint: Some(host.running),
    }));
    out
}

/// Where an interpreter of the running `libpython`'s installation would be: beside the
/// `libpython` file, in the running interpreter's own base prefix, and (macOS) in python.org's
/// and Homebrew's locations for the running release. Only paths are made; none is checked.
pub(crate) fn installed(host: &Host) -> Vec<PathBuf> {
    let name = host.interpreter_name();
    let mut out = Vec::new();
    if let Some(lib) = &host.libpython {
        out.extend(beside_libpython(host.platform, lib, &name));
    }
    if let Some(prefix) = &host.base_prefix {
        out.push(match host.platform {
            Platform::Windows => prefix.join(&name),
            Platform::Unix | Platform::MacOs => prefix.join("bin").join(&name),
        });
    }
    if host.platform == Platform::MacOs {
        let release = host.running;
        let framework = format!("Library/Frameworks/Python.framework/Versions/{release}/bin");
        let brew = format!("python@{release}");
        for dir in [
            framework.as_str(),
            &format!("opt/homebrew/opt/{brew}/bin"),
            "opt/homebrew/bin",
            &format!("usr/local/opt/{brew}/bin"),
            "usr/local/bin",
        ] {
            out.push(host.root.join(dir).join(&name));
        }
    }
    out
}

/// The interpreters a `libpython` file's location implies: `PREFIX/lib/libpython3.X.so` (also
/// under a multiarch folder such as `lib/x86_64-linux-gnu`) → `PREFIX/bin/python3.X`;
/// `…/Python.framework/Versions/3.X/Python` → `…/Versions/3.X/bin/python3.X`;
/// `PREFIX\python3X.dll` → `PREFIX\python.exe`.
fn beside_libpython(platform: Platform, lib: &Path, name: &str) -> Vec<PathBuf> {
    let (Some(file), Some(dir)) = (lib.file_name().and_then(OsStr::to_str), lib.parent()) else {
        return Vec::new();
    };
    match platform {
        Platform::Windows => {
            let file = file.to_ascii_lowercase();
            if file.starts_with("python") && file.ends_with(".dll") {
                vec![dir.join(name)]
            } else {
                Vec::new()
            }
        }
        Platform::Unix | Platform::MacOs => {
            let in_framework = dir
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "Versions");
            if file == "Python" && in_framework {
                vec![dir.join("bin").join(name)]
            } else if file.starts_with("libpython") {
                dir.ancestors()
                    .skip(1)
                    .take(2)
                    .map(|prefix| prefix.join("bin").join(name))
                    .collect()
            } else {
                Vec::new()
            }
        }
    }
}

/// What pycall reads of a `pyvenv.cfg`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VenvConfig {
    /// `home`: the directory of the interpreter the environment was made from.
    pub(crate) home: Option<PathBuf>,
    /// `version` (`venv`) or `version_info` (virtualenv, uv).
    pub(crate) version: Option<Release>,
}

/// Reads `dir/pyvenv.cfg`; a missing, unreadable or odd file gives what could be read.
pub(crate) fn read_pyvenv_cfg(dir: &Path) -> VenvConfig {
    std::fs::read(dir.join("pyvenv.cfg"))
        .map(|bytes| parse_pyvenv_cfg(&bytes))
        .unwrap_or_default()
}

/// The `key = value` lines of a `pyvenv.cfg`; other lines are skipped.
pub(crate) fn parse_pyvenv_cfg(bytes: &[u8]) -> VenvConfig {
    let mut config = VenvConfig::default();
    for line in bytes.split(|b| *b == b'\n') {
        let Some(eq) = line.iter().position(|b| *b == b'=') else {
            continue;
        };
        let key = String::from_utf8_lossy(&line[..eq])
            .trim()
            .to_ascii_lowercase();
        let value = line[eq + 1..].trim_ascii();
        match key.as_str() {
            "home" if !value.is_empty() => config.home = Some(path_from_bytes(value)),
            "version" | "version_info" if config.version.is_none() => {
                config.version = std::str::from_utf8(value).ok().and_then(Release::parse);
            }
            _ => {}
        }
    }
    config
}

/// A path written in a file: the bytes themselves on Unix, UTF-8 elsewhere.
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The release of the interpreters in `dir`, from their file names (`python3.12`, `python3.13t`;
/// Windows: `python312.dll`), when they all agree; unreadable directories and names that are not
/// UTF-8 tell nothing.
pub(crate) fn release_in_dir(platform: Platform, dir: &Path) -> Option<Release> {
    let mut found = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let release = match platform {
            Platform::Windows => dll_release(name),
            Platform::Unix | Platform::MacOs => program_release(name),
        };
        if let Some(release) = release {
            if found.is_some_and(|f| f != release) {
                return None;
            }
            found = Some(release);
        }
    }
    found
}

/// `python3.12` or `python3.13t` → 3.12, 3.13; `python3.12-config` and `python3` → nothing.
fn program_release(name: &str) -> Option<Release> {
    let rest = name.strip_prefix("python")?;
    let rest = rest.strip_suffix('t').unwrap_or(rest);
    let (major, minor) = rest.split_once('.')?;
    Some(Release {
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
    })
}

/// `python312.dll` or `python313t.dll` → 3.12, 3.13; `python3.dll` (the stable ABI) → nothing.
fn dll_release(name: &str) -> Option<Release> {
    let name = name.to_ascii_lowercase();
    let digits = name.strip_prefix("python")?.strip_suffix(".dll")?;
    let digits = digits.strip_suffix('t').unwrap_or(digits);
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Release {
        major: digits[..1].parse().ok()?,
        minor: digits[1..].parse().ok()?,
    })
}

/// The release of the `python` package conda installed in an environment, from its record
/// `conda-meta/python-3.12.1-<build>.json`.
pub(crate) fn conda_meta_release(meta: &Path) -> Option<Release> {
    std::fs::read_dir(meta).ok()?.flatten().find_map(|entry| {
        let name = entry.file_name();
        let rest = name
            .to_str()?
            .strip_prefix("python-")?
            .strip_suffix(".json")?;
        let version = rest.split('-').next()?;
        version
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| Release::parse(version))?
    })
}

/// The path with its links resolved, or as it is when that fails.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether this process is a Python interpreter that loaded pycall as part of an extension
/// module, rather than a program that embeds Python.
///
/// On 3.10 and later `sys.orig_argv` (`orig_argv`, its length) says it: only Python's own `main`
/// fills it. On 3.9, the process is Python when its executable is a `python…` file that
/// `sys.executable` or `sys._base_executable` (`executables`) names, following links; or, on
/// macOS, the `Python.app` inside the base prefix that a framework build's `bin/python3.X`
/// starts. The name matters because an embedded interpreter on Windows and macOS takes the host
/// program itself as `sys.executable`.
pub(crate) fn runs_inside_python(
    platform: Platform,
    orig_argv: Option<usize>,
    current_exe: Option<&Path>,
    executables: &[PathBuf],
    base_prefix: Option<&Path>,
) -> bool {
    if let Some(len) = orig_argv {
        return len > 0;
    }
    let Some(exe) = current_exe else {
        return false;
    };
    let named_python = exe
        .file_name()
        .and_then(OsStr::to_str)
        .is_some_and(|n| n.to_ascii_lowercase().starts_with("python"));
    if !named_python {
        return false;
    }
    let exe = canonical(exe);
    let named = executables
        .iter()
        .filter(|e| !e.as_os_str().is_empty())
        .any(|e| canonical(e) == exe);
    let app = platform == Platform::MacOs
        && exe.ends_with("Resources/Python.app/Contents/MacOS/Python")
        && base_prefix.is_some_and(|b| exe.starts_with(canonical(b)));
    named || app
}

#[cfg(test)]
mod tests;
