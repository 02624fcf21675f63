//! Per-unit logs: every line a unit's commands print, timestamped, in a
//! bounded file per unit (rotated once when it passes its cap).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::error::AgentError;

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    /// The command's standard output.
    Stdout,
    /// Its standard error.
    Stderr,
    /// The agent itself (state changes, exit statuses).
    Agent,
}

impl Stream {
    fn tag(self) -> &'static str {
        match self {
            Stream::Stdout => "out",
            Stream::Stderr => "err",
            Stream::Agent => "agent",
        }
    }

    fn from_tag(t: &str) -> Option<Stream> {
        match t {
            "out" => Some(Stream::Stdout),
            "err" => Some(Stream::Stderr),
            "agent" => Some(Stream::Agent),
            _ => None,
        }
    }
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Microseconds since the Unix epoch.
    pub at_us: u64,
    /// Where it came from.
    pub stream: Stream,
    /// The text (lossy UTF-8, without the newline).
    pub text: String,
}

/// The journal directory: one file per unit.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    cap: u64,
    lock: Arc<Mutex<()>>,
}

/// Longest line kept; longer ones are cut (and say so).
pub const MAX_LINE: usize = 2 << 20;

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

impl Journal {
    /// A journal in `dir`, each unit's file capped at `cap` bytes (plus one
    /// rotated file of the same size).
    ///
    /// # Errors
    /// The directory cannot be created.
    pub fn open(dir: impl Into<PathBuf>, cap: u64) -> Result<Journal, AgentError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(AgentError::io(format!("creating {}", dir.display())))?;
        Ok(Journal {
            dir,
            cap: cap.max(4096),
            lock: Arc::new(Mutex::new(())),
        })
    }

    fn path(&self, unit: &str) -> PathBuf {
        self.dir.join(format!("{unit}.log"))
    }

    /// Appends one line. Newlines inside `text` are kept as `\n` escapes so
    /// one entry stays one line.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn append(&self, unit: &str, stream: Stream, text: &str) -> Result<(), AgentError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let path = self.path(unit);
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > self.cap) {
            let rotated = self.dir.join(format!("{unit}.log.1"));
            std::fs::rename(&path, &rotated)
                .map_err(AgentError::io(format!("rotating {}", path.display())))?;
        }
        let mut text = text.replace('\\', "\\\\").replace('\n', "\\n");
        if text.len() > MAX_LINE {
            let mut cut = MAX_LINE;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str(" [line cut]");
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(AgentError::io(format!("opening {}", path.display())))?;
        writeln!(f, "{} {} {text}", now_us(), stream.tag())
            .map_err(AgentError::io(format!("writing {}", path.display())))
    }

    /// The last `n` entries (all with `None`) at or after `since_us`, oldest first.
    ///
    /// # Errors
    /// The files cannot be read.
    pub fn read(
        &self,
        unit: &str,
        n: Option<usize>,
        since_us: Option<u64>,
    ) -> Result<Vec<Entry>, AgentError> {
        let mut out = Vec::new();
        for path in [self.dir.join(format!("{unit}.log.1")), self.path(unit)] {
            read_file(&path, since_us, &mut out)?;
        }
        if let Some(n) = n {
            let skip = out.len().saturating_sub(n);
            out.drain(..skip);
        }
        Ok(out)
    }
}

fn read_file(path: &Path, since_us: Option<u64>, out: &mut Vec<Entry>) -> Result<(), AgentError> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(AgentError::io(format!("reading {}", path.display()))(e)),
    };
    for line in std::io::BufReader::new(f).split(b'\n') {
        let line = line.map_err(AgentError::io(format!("reading {}", path.display())))?;
        let line = String::from_utf8_lossy(&line);
        let mut parts = line.splitn(3, ' ');
        let (Some(at), Some(tag), text) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(at_us), Some(stream)) = (at.parse::<u64>(), Stream::from_tag(tag)) else {
            continue;
        };
        if since_us.is_some_and(|s| at_us < s) {
            continue;
        }
        let text = text
            .unwrap_or("")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
        out.push(Entry {
            at_us,
            stream,
            text,
        });
    }
    Ok(())
}
