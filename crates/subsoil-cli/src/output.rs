//! Every byte the tool prints goes through here, so that a closed pipe (`subsoil … | head -1`) ends the
//! program quietly with exit status 0 and a full disk (`> /dev/full`) is a clear error with exit status 1,
//! never a panic.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// Writes `text` to standard output and flushes it. A reader that went away is not an error
/// ([`ExitCode::SUCCESS`]); any other failure is reported on standard error ([`ExitCode::FAILURE`]).
pub fn stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            stderr(&format!("error: cannot write the output: {e}\n"));
            ExitCode::FAILURE
        }
    }
}

/// Writes `text` to standard error, ignoring failure: there is nowhere left to report it.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// The exit status of a command that printed with status `printed` and found its input bad or not:
/// a failed write wins, then bad input.
pub fn status(printed: ExitCode, bad_input: bool) -> ExitCode {
    if printed != ExitCode::SUCCESS {
        printed
    } else if bad_input {
        ExitCode::from(crate::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
