//! How the command line ends when told to from outside: SIGTERM stops the running work the way
//! Ctrl-C does (partial files and scratch folders removed, ffmpeg stopped), then the program
//! exits; a closed stdout or stderr pipe (`storyreel characters FILE | head`) ends it quietly, as
//! Unix tools do.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The exit code of a program ended by SIGTERM (128 + 15), as shells report it.
pub const TERMINATED_EXIT: u8 = 143;

static TERMINATING: AtomicBool = AtomicBool::new(false);
type Handler = Box<dyn Fn() + Send>;
static ON_TERMINATE: Mutex<Option<Handler>> = Mutex::new(None);

/// Call first in `main`, before any thread starts: SIGTERM is then blocked in every thread (the
/// mask is inherited; child processes get a clean one from `std::process`) and one watcher takes
/// it synchronously, so the stop runs as ordinary code rather than in a signal handler.
pub fn install() {
    quiet_broken_pipe();
    // SAFETY: plain libc signal-mask calls on a local set; sigwait only reads it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let watched = set;
        std::thread::spawn(move || loop {
            let mut signal = 0;
            if libc::sigwait(&watched, &mut signal) == 0 && signal == libc::SIGTERM {
                terminate();
            }
        });
    }
}

/// What SIGTERM does: the same stop as Ctrl-C. Without one, the program exits at once.
pub fn on_terminate(handler: impl Fn() + Send + 'static) {
    *ON_TERMINATE.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(handler));
}

/// True once SIGTERM arrived: the front-end exits as soon as the stopped work has cleaned up.
pub fn terminating() -> bool {
    TERMINATING.load(Ordering::Relaxed)
}

/// How long the stop may take before the program exits regardless: it may be stuck where no
/// flag is read (a write to a pipe no one reads, a device that never answers).
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Ends the process with `code` in [`GRACE`] unless it has ended by then.
pub fn exit_after_grace(code: u8) {
    std::thread::spawn(move || {
        std::thread::sleep(GRACE);
        // SAFETY: _exit ends the process at once; nothing is left to run (a killed run's
        // partial files are swept by the next run, see `leftovers`).
        unsafe { libc::_exit(code.into()) }
    });
}

fn terminate() {
    TERMINATING.store(true, Ordering::Relaxed);
    exit_after_grace(TERMINATED_EXIT);
    match ON_TERMINATE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
    {
        Some(handler) => handler(),
        None => std::process::exit(TERMINATED_EXIT.into()),
    }
}

/// `println!` panics when its pipe is closed; the reader has gone, so nothing is lost by ending
/// the program, and the panic report (exit code 101) would be noise. Ends as a Unix tool does:
/// by SIGPIPE.
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info.payload_as_str().unwrap_or("");
        if text.starts_with("failed printing to std") && text.contains("Broken pipe") {
            // SAFETY: restoring the default action and raising it ends the process at once.
            unsafe {
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
                libc::raise(libc::SIGPIPE);
            }
        }
        if text.starts_with("failed printing to std") {
            // The output cannot be written (`> /dev/full`, a full disk): an error, not a panic.
            use std::io::Write;
            let why = text.split_once(": ").map_or(text, |(_, why)| why);
            let _ = writeln!(std::io::stderr(), "error: cannot write the output: {why}");
            std::process::exit(1);
        }
        default(info);
    }));
}
