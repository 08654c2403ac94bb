//! Writing files without losing any: every output is written to a temporary file in the
//! target's directory and renamed into place only once complete, so that a full disk, a
//! kill or a failing writer leaves the previous file untouched; a symbolic link is never
//! written through; [`same_file`] tells a command that its output would replace its input.
//!
//! # Examples
//!
//! ```
//! use std::io::Write;
//!
//! let dir = std::env::temp_dir().join(format!("mecenat-fsio-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("report.txt");
//! mecenat::fsio::atomic_write(&path, |w| {
//!     w.write_all(b"first").map_err(|e| mecenat::fsio::io_error(&path, &e))
//! })?;
//! // A writer that fails leaves the previous content in place.
//! let failed = mecenat::fsio::atomic_write(&path, |w| {
//!     w.write_all(b"half a rep").map_err(|e| mecenat::fsio::io_error(&path, &e))?;
//!     Err::<(), _>(mecenat::fsio::io_error(&path, &std::io::Error::other("disk full")))
//! });
//! assert!(failed.is_err());
//! assert_eq!(std::fs::read(&path).unwrap(), b"first");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), mecenat::Error>(())
//! ```

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// An [`Error::Io`] naming `path`, with the system's message.
pub fn io_error(path: &Path, e: &io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes the file at `path` atomically: `write` fills a temporary file created next to
/// it (`.NAME.tmp-PID-N`, through a buffer), which is then flushed, synced to disk and
/// renamed over `path`. When `write` fails, or panics, or the flush, sync or rename fails,
/// the temporary file is removed and the previous file at `path`, if any, is untouched.
/// A file replaced keeps its permissions.
///
/// # Errors
///
/// [`Error::Io`] when `path` is a symbolic link (never written through, wherever it
/// points), a directory or a read-only file, when the temporary file cannot be created, written, synced or
/// renamed; and whatever error `write` returns.
pub fn atomic_write<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, Error>,
) -> Result<T, Error> {
    let previous = check_target(path)?;
    let dir = parent_dir(path);
    let (tmp, file) = create_temp(&dir, path)?;
    let guard = TempFile(Some(tmp));
    let tmp = guard.path();
    if let Some(perms) = previous {
        // Best effort: a replaced report keeps who may read it.
        let _ = file.set_permissions(perms);
    }
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let value = write(&mut w)?;
    let file = w.into_inner().map_err(|e| io_error(path, e.error()))?;
    file.sync_all().map_err(|e| io_error(path, &e))?;
    drop(file);
    std::fs::rename(tmp, path).map_err(|e| io_error(path, &e))?;
    guard.keep();
    sync_dir(&dir);
    Ok(value)
}

/// How [`write_new_files`] names what it writes, and whether it replaces existing files.
#[derive(Debug, Clone, Copy)]
pub struct NewFiles<'a> {
    /// What the files are, in the plural form of its messages (`receipt file(s)`).
    pub what: &'a str,
    /// How the caller replaces existing files (`--force replaces them`).
    pub force_hint: &'a str,
    /// Appended to the message about existing files (the Python face's ` (os error 17)`).
    pub exists_suffix: &'a str,
    /// Whether existing files are replaced.
    pub force: bool,
}

/// Writes a set of files into `dir` (created if needed), each atomically ([`atomic_write`]),
/// after checking them all, so that nothing is written when one is in the way: a symbolic
/// link (never written through), an existing file unless `opts.force`, or a path `refuse`
/// turns down (the scenario's own file, say). Returns the paths written, in order.
///
/// # Examples
///
/// ```
/// use mecenat::fsio::{write_new_files, NewFiles};
/// let dir = std::env::temp_dir().join(format!("mecenat-new-files-doc-{}", std::process::id()));
/// let opts = NewFiles { what: "note file(s)", force_hint: "force replaces them", exists_suffix: "", force: false };
/// let files = [("a.txt", &b"one"[..]), ("b.txt", &b"two"[..])];
/// let paths = write_new_files(&dir, &files, &opts, |_| Ok(()))?;
/// assert_eq!(std::fs::read(&paths[1]).unwrap(), b"two");
/// // Written again without force: refused, naming the files, nothing written.
/// let e = write_new_files(&dir, &files, &opts, |_| Ok(())).unwrap_err();
/// assert!(e.to_string().contains("2 note file(s) already exist"), "{e}");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), mecenat::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Io`] for a file in the way (naming them, the first ten), a directory that cannot
/// be created, or a write that fails; `refuse`'s own error.
pub fn write_new_files(
    dir: &Path,
    files: &[(&str, &[u8])],
    opts: &NewFiles<'_>,
    refuse: impl Fn(&Path) -> Result<(), Error>,
) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let (mut links, mut existing) = (Vec::new(), Vec::new());
    for p in &paths {
        refuse(p)?;
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.file_type().is_symlink() => links.push(p),
            Ok(_) => existing.push(p),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(p, &e)),
        }
    }
    let refused = |message: String| Error::Io {
        path: dir.display().to_string(),
        message,
    };
    if !links.is_empty() {
        return Err(refused(format!(
            "{} {} are symbolic links, which mecenat never writes through; remove them: {}",
            links.len(),
            opts.what,
            file_names(&links)
        )));
    }
    if !existing.is_empty() && !opts.force {
        return Err(refused(format!(
            "{} {} already exist and would be replaced (nothing was written; {}): {}{}",
            existing.len(),
            opts.what,
            opts.force_hint,
            file_names(&existing),
            opts.exists_suffix
        )));
    }
    for (p, (_, bytes)) in paths.iter().zip(files) {
        atomic_write(p, |w| {
            io::Write::write_all(w, bytes).map_err(|e| io_error(p, &e))
        })?;
    }
    Ok(paths)
}

/// The file names of `paths`, the first ten then how many more.
fn file_names(paths: &[&PathBuf]) -> String {
    let mut out: Vec<String> = (paths.iter().take(10))
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if paths.len() > 10 {
        out.push(format!("and {} more", paths.len() - 10));
    }
    out.join(", ")
}

/// Whether `a` and `b` are the same existing file, however named: the same path, a
/// symbolic link to the other, or (on Unix) a hard link to it (same device and inode).
/// `false` when either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (&ma, &mb);
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuses a symbolic link, a directory or a read-only file at `path`; returns the permissions of the
/// regular file there, if any.
fn check_target(path: &Path) -> Result<Option<std::fs::Permissions>, Error> {
    let refuse = |message: &str| Error::Io {
        path: path.display().to_string(),
        message: message.to_string(),
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(refuse(
            "is a symbolic link, which mecenat never writes through: give the path of a \
             regular file, or remove the link",
        )),
        Ok(m) if m.is_dir() => Err(refuse("is a directory, not a file")),
        Ok(m) if m.permissions().readonly() => Err(refuse(
            "is read-only: mecenat does not replace a file protected from writing; make it \
             writable or choose another output file",
        )),
        Ok(m) => Ok(Some(m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, &e)),
    }
}

/// The directory a file is in (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a new temporary file in `dir` for `target`, with a name no other process or
/// call uses.
fn create_temp(dir: &Path, target: &Path) -> Result<(PathBuf, File), Error> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // The target's name, shortened so that the temporary name stays within the usual
    // 255-byte limit of a file name.
    let name: String = target
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(64).collect())
        .unwrap_or_default();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(Error::Io {
                    path: target.display().to_string(),
                    message: format!("cannot create a temporary file next to it: {e}"),
                })
            }
        }
    }
}

/// Syncs a directory so that a rename in it survives a crash (Unix; best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A temporary file removed when dropped (on an error or a panic) unless kept.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("mecenat-fsio-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn put(path: &Path, bytes: &[u8]) -> Result<(), Error> {
        atomic_write(path, |w| w.write_all(bytes).map_err(|e| io_error(path, &e)))
    }

    #[test]
    fn writes_replaces_and_leaves_no_temporary_file() {
        let d = dir("replace");
        let p = d.join("out.json");
        put(&p, b"one").unwrap();
        put(&p, b"two, longer").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two, longer");
        assert_eq!(names(&d), ["out.json"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_failing_or_panicking_writer_leaves_the_previous_file() {
        let d = dir("fail");
        let p = d.join("out.json");
        put(&p, b"previous").unwrap();
        let r = atomic_write(&p, |w| {
            w.write_all(&[b'x'; 3 << 20])
                .map_err(|e| io_error(&p, &e))?;
            Err::<(), _>(io_error(&p, &io::Error::other("disk full")))
        });
        assert!(matches!(r, Err(Error::Io { .. })));
        let panicked = std::panic::catch_unwind(|| {
            let _ = atomic_write(&p, |w| -> Result<(), Error> {
                w.write_all(&[b'y'; 3 << 20]).unwrap();
                panic!("a defect in the writer");
            });
        });
        assert!(panicked.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"previous");
        assert_eq!(names(&d), ["out.json"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_target() {
        let d = dir("missing");
        let p = d.join("no/such/dir/out.json");
        let e = put(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("no/such/dir/out.json"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symbolic_link() {
        let d = dir("link");
        let target = d.join("elsewhere.txt");
        std::fs::write(&target, b"keep me").unwrap();
        let link = d.join("out.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = put(&link, b"x").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("perms");
        let p = d.join("out.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        put(&p, b"new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let d = dir("readonly");
        let p = d.join("out.json");
        std::fs::write(&p, b"protected").unwrap();
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&p, perms).unwrap();
        let e = put(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("read-only"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"protected");
        assert_eq!(names(&d), ["out.json"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn same_file_sees_through_links() {
        let d = dir("same");
        let a = d.join("a.json");
        std::fs::write(&a, b"{}").unwrap();
        assert!(same_file(&a, &a));
        assert!(same_file(&a, &d.join(".").join("a.json")));
        assert!(!same_file(&a, &d.join("b.json")));
        std::fs::write(d.join("c.json"), b"{}").unwrap();
        assert!(!same_file(&a, &d.join("c.json")));
        std::fs::hard_link(&a, d.join("hard.json")).unwrap();
        assert!(same_file(&a, &d.join("hard.json")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&a, d.join("soft.json")).unwrap();
            assert!(same_file(&d.join("soft.json"), &a));
        }
        std::fs::remove_dir_all(&d).unwrap();
    }
}
