//! Standard output that may be closed early (`pathways publish 2 | head -1`):
//! writes after the reader has gone are dropped, so the command finishes what it
//! was doing and exits with its normal status, instead of panicking as `println!`
//! does. Every print of the command goes through `out!` and `outln!`
//! (`clippy.toml` refuses `print!` and `println!` in this crate).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output, unless the reader has gone.
pub fn write(text: std::fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_fmt(text)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // A closed pipe, or a full disk behind a redirection: nothing more will
        // get through, and the exit status still says how the command went.
        CLOSED.store(true, Ordering::Relaxed);
    }
}

/// `print!` that survives a closed standard output.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

/// `println!` that survives a closed standard output.
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}
