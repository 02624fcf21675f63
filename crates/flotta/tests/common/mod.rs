//! What several of the binary's test suites share.
#![allow(dead_code, reason = "each suite uses its own part")]

use std::process::Child;
use std::time::{Duration, Instant};

/// A long-running `flotta` process (an agent, a dev cluster, confd), stopped
/// on drop with SIGTERM, so it stops its units first, and SIGKILL if it has
/// not exited within 20 s.
pub struct Daemon(pub Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.0.id()) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `Authorization` header line (with its CRLF) a client of this user
/// sends to a loopback API, with the token its agent left; empty if none.
pub fn auth_header(authority: &str) -> String {
    flotta_api::discover::local_token(&format!("http://{authority}"))
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default()
}
