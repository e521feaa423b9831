//! One window per user: the first window listens on a local socket (in the runtime folder,
//! `$XDG_RUNTIME_DIR/lodestone.sock`, readable by this user only); a second start with a file
//! (a double-click in a file manager, `xdg-open`, a mail attachment) hands the file's path to
//! it and exits, and the running window opens it as if it were dropped on it (asking first
//! when there is unsaved work). A start without a file raises the running window.
//!
//! Nothing here may stop Lodestone from starting: a socket left by a window that crashed is
//! found dead (the connection is refused) and replaced; a window that does not answer within
//! a second is left alone and this start opens its own window; any other failure (no runtime
//! folder, a socket that cannot be created) runs without the hand-over. Unix only; elsewhere
//! every start opens its own window.

#![cfg_attr(not(unix), allow(dead_code))]

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

/// Set to any value to always open a window of its own (the hand-over is skipped).
pub const NEW_WINDOW_ENV: &str = "LODESTONE_NEW_WINDOW";

/// Set to use another socket path (tests, several sessions of one user).
pub const SOCKET_ENV: &str = "LODESTONE_SOCKET";

/// How long a second start waits for the running window to take its file.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(1);

/// Longest request read from the socket (a path and a word).
const MAX_REQUEST: usize = 64 * 1024;

/// What a second start asks of the running window.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Open this file (an absolute path).
    Open(PathBuf),
    /// Come to the front.
    Raise,
}

/// The outcome of trying to be the one window.
pub enum Claim {
    /// This process is the window; requests from later starts arrive here.
    First(Listener),
    /// A running window took the request: this process should exit.
    HandedOver,
    /// No hand-over is possible (or it was refused): open a window without one.
    Alone,
}

/// The running window's end: requests from later starts, and a way to be woken for them.
pub struct Listener {
    requests: Receiver<Request>,
    wake: Wake,
    path: PathBuf,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("path", &self.path)
            .finish()
    }
}

impl Listener {
    /// Requests that arrived since the last call.
    pub fn take(&self) -> Vec<Request> {
        self.requests.try_iter().collect()
    }

    /// Called when a request arrives (the window asks for a repaint, so it is seen at once).
    pub fn set_wake(&self, wake: impl Fn() + Send + 'static) {
        if let Ok(mut slot) = self.wake.lock() {
            *slot = Some(Box::new(wake));
        }
    }

    /// The socket listened on.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // A clean exit leaves no socket; a crash leaves one that the next start replaces.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The socket path of this user's window, if there is a place for one.
pub fn socket_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(SOCKET_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute() && d.is_dir())?;
    Some(dir.join("lodestone.sock"))
}

/// Hands `file` (or a raise) to a running window, or becomes the window that later starts
/// hand theirs to.
pub fn claim(file: Option<&Path>) -> Claim {
    if std::env::var_os(NEW_WINDOW_ENV).is_some_and(|v| !v.is_empty()) {
        return Claim::Alone;
    }
    match socket_path() {
        Some(path) => claim_at(&path, file),
        None => Claim::Alone,
    }
}

/// [`claim`] on a given socket path.
pub fn claim_at(path: &Path, file: Option<&Path>) -> Claim {
    let request = match file {
        Some(f) => Request::Open(std::path::absolute(f).unwrap_or_else(|_| f.to_path_buf())),
        None => Request::Raise,
    };
    imp::claim_at(path, &request)
}

fn encode(request: &Request) -> Vec<u8> {
    let mut out = Vec::new();
    match request {
        Request::Open(path) => {
            out.extend_from_slice(b"open ");
            out.extend_from_slice(&path_bytes(path));
        }
        Request::Raise => out.extend_from_slice(b"raise"),
    }
    out.push(b'\n');
    out
}

fn decode(line: &[u8]) -> Option<Request> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    if line == b"raise" {
        return Some(Request::Raise);
    }
    let path = line.strip_prefix(b"open ")?;
    let path = bytes_path(path);
    path.is_absolute().then_some(Request::Open(path))
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

type Wake = std::sync::Arc<std::sync::Mutex<Option<Box<dyn Fn() + Send>>>>;

#[cfg(unix)]
mod imp {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::sync::mpsc::{Sender, channel};

    pub(super) fn claim_at(path: &Path, request: &Request) -> Claim {
        match UnixStream::connect(path) {
            Ok(stream) => {
                if hand_over(stream, request) {
                    return Claim::HandedOver;
                }
                // A window that does not answer: leave its socket alone, open our own window.
                return Claim::Alone;
            }
            Err(_) => {
                // No socket, or one whose window is gone (connection refused): replace it.
                let _ = std::fs::remove_file(path);
            }
        }
        let listener = match UnixListener::bind(path) {
            Ok(l) => l,
            Err(_) => {
                // Another start won the race to bind: it is the window now.
                let handed = UnixStream::connect(path).is_ok_and(|s| hand_over(s, request));
                return if handed {
                    Claim::HandedOver
                } else {
                    Claim::Alone
                };
            }
        };
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        let (tx, rx) = channel();
        let wake: Wake = Default::default();
        let thread_wake = wake.clone();
        let spawned = std::thread::Builder::new()
            .name("lodestone-instance".into())
            .spawn(move || serve(&listener, &tx, &thread_wake));
        if spawned.is_err() {
            let _ = std::fs::remove_file(path);
            return Claim::Alone;
        }
        Claim::First(Listener {
            requests: rx,
            wake,
            path: path.to_path_buf(),
        })
    }

    /// Sends the request and waits for the window's `ok`.
    fn hand_over(mut stream: UnixStream, request: &Request) -> bool {
        let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
        let _ = stream.set_write_timeout(Some(ANSWER_TIMEOUT));
        if stream.write_all(&encode(request)).is_err() {
            return false;
        }
        let mut answer = [0u8; 3];
        stream.read_exact(&mut answer).is_ok() && &answer == b"ok\n"
    }

    fn serve(listener: &UnixListener, tx: &Sender<Request>, wake: &Wake) {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
            let _ = stream.set_write_timeout(Some(ANSWER_TIMEOUT));
            let mut line = Vec::new();
            let mut reader = BufReader::new((&stream).take(MAX_REQUEST as u64));
            if reader.read_until(b'\n', &mut line).is_err() {
                continue;
            }
            let Some(request) = decode(&line) else {
                continue;
            };
            if tx.send(request).is_err() {
                // The window is gone.
                return;
            }
            if let Ok(slot) = wake.lock()
                && let Some(wake) = slot.as_ref()
            {
                wake();
            }
            let _ = (&stream).write_all(b"ok\n");
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::*;

    pub(super) fn claim_at(_path: &Path, _request: &Request) -> Claim {
        Claim::Alone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_encode_and_decode() {
        let open = Request::Open(PathBuf::from("/tmp/a b/c.ron"));
        assert_eq!(decode(&encode(&open)), Some(open));
        assert_eq!(decode(&encode(&Request::Raise)), Some(Request::Raise));
        assert_eq!(decode(b"open relative.ron\n"), None, "only absolute paths");
        assert_eq!(decode(b"rm -rf\n"), None);
    }
}
