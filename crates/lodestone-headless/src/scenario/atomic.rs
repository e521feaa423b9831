//! Atomic file replacement, for every file Lodestone writes: the new content goes to a
//! temporary file in the same folder, is flushed and synced to disk, and only then renamed
//! over the old file (and the folder synced where the platform allows). A crash, a full disk
//! or a failed write at any point leaves the old file byte-for-byte as it was; the temporary
//! file is removed on failure.
//!
//! Before anything is written the target is checked: a folder, a device or a named pipe is
//! refused (renaming over a device node would replace it, opening a pipe with no reader would
//! block for ever), and so is a read-only file. A symbolic link is followed, so the file it
//! points at is replaced and the link stays. The new file gets the old one's permissions.
//!
//! The writer is injectable ([`write_atomic_with`]) so tests can fail a write part-way; the
//! rest of the crate calls [`write_atomic`].

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A writer whose content can be forced to stable storage.
pub trait SyncWrite: Write {
    /// Blocks until everything written so far is on disk.
    fn sync(&mut self) -> io::Result<()>;
}

impl SyncWrite for File {
    fn sync(&mut self) -> io::Result<()> {
        self.sync_all()
    }
}

/// Writes `bytes` to `path` atomically through a new temporary file beside it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |tmp| {
        // `create_new`: never follow a link or reuse a file someone left at the name.
        OpenOptions::new().write(true).create_new(true).open(tmp)
    })
}

/// Writes `bytes` to `path` atomically, creating the temporary file with `open` (which gets
/// the temporary path). On failure the error names `path`, the step that failed and the OS
/// error, and says that the existing file is unchanged.
pub fn write_atomic_with<W: SyncWrite>(
    path: &Path,
    bytes: &[u8],
    open: impl FnOnce(&Path) -> io::Result<W>,
) -> io::Result<()> {
    let refuse = |kind: io::ErrorKind, why: &str| {
        io::Error::new(
            kind,
            format!(
                "cannot write {}: {why}; nothing was written",
                path.display()
            ),
        )
    };
    let (target, old) = check_target(path).map_err(|(kind, why)| refuse(kind, &why))?;
    let tmp = temp_path(&target);
    let fail = |step: &str, e: io::Error| {
        // Best effort: the temporary file may not exist (creation failed) or may be gone.
        let _ = std::fs::remove_file(&tmp);
        io::Error::new(
            e.kind(),
            format!(
                "cannot write {}: {step} failed: {e}; the existing file was not changed",
                path.display()
            ),
        )
    };
    let mut writer = open(&tmp).map_err(|e| fail("creating a temporary file", e))?;
    writer.write_all(bytes).map_err(|e| fail("writing", e))?;
    writer.flush().map_err(|e| fail("flushing", e))?;
    writer.sync().map_err(|e| fail("syncing to disk", e))?;
    drop(writer);
    if let Some(permissions) = old {
        std::fs::set_permissions(&tmp, permissions)
            .map_err(|e| fail("keeping the file's permissions", e))?;
    }
    std::fs::rename(&tmp, &target).map_err(|e| fail("replacing the file", e))?;
    sync_parent(&target);
    Ok(())
}

/// What is at `path`, checked before writing: the file to replace (a symbolic link resolved
/// to the file it points at) and the old file's permissions (`None` for a new file); or why
/// nothing may be written there.
fn check_target(
    path: &Path,
) -> Result<(PathBuf, Option<std::fs::Permissions>), (io::ErrorKind, String)> {
    if path.as_os_str().is_empty() {
        return Err((io::ErrorKind::InvalidInput, "the path is empty".into()));
    }
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Nothing there yet (or a link to nothing: it is replaced by the file).
            return Ok((path.to_path_buf(), None));
        }
        Err(e) => return Err((e.kind(), format!("cannot check the target: {e}"))),
    };
    if meta.is_dir() {
        return Err((io::ErrorKind::IsADirectory, "it is a folder".into()));
    }
    if !meta.is_file() {
        return Err((
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a device, named pipe or socket); write to a file, or \
             give `-` for standard output where the command allows it"
                .into(),
        ));
    }
    let read_only = || {
        (
            io::ErrorKind::PermissionDenied,
            "the file is read-only".to_string(),
        )
    };
    if meta.permissions().readonly() {
        return Err(read_only());
    }
    // Whether this user may write it (another owner's file, a read-only mount), asked the
    // way the system answers it: by opening it for writing, without truncating.
    if let Err(e) = OpenOptions::new().write(true).open(path) {
        return Err(match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => read_only(),
            kind => (kind, format!("cannot open it for writing: {e}")),
        });
    }
    let target = std::fs::canonicalize(path)
        .map_err(|e| (e.kind(), format!("cannot resolve the path: {e}")))?;
    Ok((target, Some(meta.permissions())))
}

/// A file as [`file_identity`] names it: its canonical path, and its device and inode when it
/// exists.
pub type FileId = (PathBuf, Option<(u64, u64)>);

/// What a path names, to tell whether two paths are the same file: its canonical form (links
/// followed; for a file not there yet, its folder's canonical form and its name) and, for a
/// file that exists, its device and inode (a hard link has another name, the same inode).
pub fn file_identity(path: &Path) -> Option<FileId> {
    let canonical = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => {
            let name = path.file_name()?;
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            dir.canonicalize().ok()?.join(name)
        }
    };
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    };
    #[cfg(not(unix))]
    let inode = None;
    Some((canonical, inode))
}

/// Whether two identities name the same file.
pub fn same_file(a: &FileId, b: &FileId) -> bool {
    a.0 == b.0 || (a.1.is_some() && a.1 == b.1)
}

/// The first of `inputs` that `output` would overwrite (the same file, through a link too).
pub fn overwrites<'a>(output: &Path, inputs: &'a [PathBuf]) -> Option<&'a Path> {
    let out = file_identity(output)?;
    inputs
        .iter()
        .find(|p| file_identity(p).is_some_and(|id| same_file(&id, &out)))
        .map(PathBuf::as_path)
}

/// A temporary name beside `path`, unique within this process and across processes, hidden
/// and not ending in `.ron` so a library scan never lists it.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string());
    let tmp_name = format!(".{name}.{}.{n}.tmp", std::process::id());
    match path.parent() {
        Some(dir) => dir.join(tmp_name),
        None => PathBuf::from(tmp_name),
    }
}

/// Syncs the folder so the rename itself survives a power cut. Only Unix can open a folder
/// for this; elsewhere (and if it fails) the rename is still atomic, just not yet durable.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file writer that fails with "no space left" after `limit` bytes, like a full disk.
    struct FailAfter {
        file: File,
        left: usize,
    }

    impl Write for FailAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            let n = buf.len().min(self.left);
            self.file.write_all(&buf[..n])?;
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.file.flush()
        }
    }

    impl SyncWrite for FailAfter {
        fn sync(&mut self) -> io::Result<()> {
            self.file.sync_all()
        }
    }

    /// A writer whose sync fails (an IO error surfacing only at fsync, as on NFS).
    struct FailSync(File);

    impl Write for FailSync {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }

    impl SyncWrite for FailSync {
        fn sync(&mut self) -> io::Result<()> {
            Err(io::Error::other("input/output error"))
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "s.ron")
            .collect()
    }

    #[test]
    fn partial_write_keeps_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.ron");
        let old = b"(version: 2, meta: (name: \"old\"))\n".repeat(20);
        std::fs::write(&path, &old).expect("write old");
        let new = vec![b'x'; 4096];
        for limit in [0, 1, 17, 4095] {
            let err = write_atomic_with(&path, &new, |tmp| {
                Ok(FailAfter {
                    file: File::create(tmp)?,
                    left: limit,
                })
            })
            .expect_err("the write fails part-way");
            let text = err.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains("disk full"), "{text}");
            assert!(text.contains("not changed"), "{text}");
            assert_eq!(err.kind(), io::ErrorKind::StorageFull);
            assert_eq!(std::fs::read(&path).expect("read"), old, "limit {limit}");
            assert!(
                leftovers(dir.path()).is_empty(),
                "{:?}",
                leftovers(dir.path())
            );
        }
    }

    #[test]
    fn failed_sync_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.ron");
        std::fs::write(&path, b"old").expect("write old");
        let err = write_atomic_with(&path, b"new content", |tmp| {
            Ok(FailSync(File::create(tmp)?))
        })
        .expect_err("sync fails");
        assert!(err.to_string().contains("syncing"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn failed_create_names_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("missing-folder").join("s.ron");
        let err = write_atomic(&path, b"x").expect_err("no folder");
        assert!(err.to_string().contains("missing-folder"), "{err}");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn success_replaces_the_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.ron");
        std::fs::write(&path, b"old").expect("write old");
        write_atomic(&path, b"new").expect("save");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert!(leftovers(dir.path()).is_empty());
        // A new file (nothing to replace) works too.
        let fresh = dir.path().join("fresh.ron");
        write_atomic(&fresh, b"fresh").expect("save new");
        assert_eq!(std::fs::read(&fresh).expect("read"), b"fresh");
    }

    #[cfg(unix)]
    #[test]
    fn folders_devices_and_read_only_files_are_refused_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_atomic(dir.path(), b"x").expect_err("a folder");
        assert!(err.to_string().contains("folder"), "{err}");
        let err = write_atomic(Path::new("/dev/null"), b"x").expect_err("a device");
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let ro = dir.path().join("ro.csv");
        std::fs::write(&ro, b"old").expect("write");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let err = write_atomic(&ro, b"new").expect_err("read-only");
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(std::fs::read(&ro).expect("read"), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_a_link_is_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.csv");
        std::fs::write(&real, b"old").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_atomic(&link, b"new").expect("writes");
        assert_eq!(std::fs::read(&real).expect("read"), b"new");
        assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}
