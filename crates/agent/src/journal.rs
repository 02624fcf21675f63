//! Per-unit logs: every line a unit's commands print, timestamped, in a
//! bounded file per unit (rotated once when it passes its cap).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::error::{AgentError, check_unit_name};

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

impl std::fmt::Display for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Agent => "agent",
        })
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

impl Entry {
    /// The time as RFC 3339 UTC with microseconds
    /// (`2026-11-25T19:04:05.123456Z`).
    pub fn timestamp(&self) -> String {
        let secs = self.at_us / 1_000_000;
        let (days, rem) = (secs / 86_400, secs % 86_400);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z % 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + u64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60,
            self.at_us % 1_000_000
        )
    }
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

/// Microseconds since the Unix epoch.
pub(crate) fn now_us() -> u64 {
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

    /// The unit's file, and the rotated one; only for valid unit names.
    fn paths(&self, unit: &str) -> Result<(PathBuf, PathBuf), AgentError> {
        let unit = check_unit_name(unit)?;
        Ok((
            self.dir.join(format!("{unit}.log")),
            self.dir.join(format!("{unit}.log.1")),
        ))
    }

    /// Appends one line. Newlines inside `text` are kept as `\n` escapes so
    /// one entry stays one line.
    ///
    /// # Errors
    /// [`AgentError::UnitName`] for a name that is not a unit name (nothing
    /// is written), or the file cannot be written.
    pub fn append(&self, unit: &str, stream: Stream, text: &str) -> Result<(), AgentError> {
        let (path, rotated) = self.paths(unit)?;
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > self.cap) {
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
    /// [`AgentError::UnitName`] for a name that is not a unit name, or the
    /// files cannot be read.
    pub fn read(
        &self,
        unit: &str,
        n: Option<usize>,
        since_us: Option<u64>,
    ) -> Result<Vec<Entry>, AgentError> {
        let (path, rotated) = self.paths(unit)?;
        let mut out = Vec::new();
        for path in [rotated, path] {
            read_file(&path, since_us, &mut out)?;
        }
        if let Some(n) = n {
            let skip = out.len().saturating_sub(n);
            out.drain(..skip);
        }
        Ok(out)
    }
}

/// Reads a unit's journal as it grows (`journal -f`), across rotations.
#[derive(Debug)]
pub struct Follow {
    journal: Journal,
    unit: String,
    /// Inode and byte offset of the file read so far.
    at: Option<(u64, u64)>,
    /// A line not yet ended by its newline.
    partial: Vec<u8>,
}

impl Journal {
    /// Follows `unit` from the current end of its journal; pair it with
    /// [`Journal::read`] for the lines before.
    ///
    /// # Errors
    /// [`AgentError::UnitName`] for a name that is not a unit name, or the
    /// file exists but cannot be read.
    pub fn follow(&self, unit: &str) -> Result<Follow, AgentError> {
        use std::os::unix::fs::MetadataExt;
        let (path, _) = self.paths(unit)?;
        let at = match std::fs::metadata(path) {
            Ok(m) => Some((m.ino(), m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(AgentError::io(format!("reading the journal of {unit}"))(e)),
        };
        Ok(Follow {
            journal: self.clone(),
            unit: unit.to_owned(),
            at,
            partial: Vec::new(),
        })
    }
}

impl Follow {
    /// Entries appended since the last call (possibly none).
    ///
    /// # Errors
    /// The files cannot be read.
    pub fn poll(&mut self) -> Result<Vec<Entry>, AgentError> {
        use std::io::{Read, Seek, SeekFrom};
        use std::os::unix::fs::MetadataExt;
        // The name was checked when the follow began.
        let (path, rotated) = self.journal.paths(&self.unit)?;
        let current = match std::fs::metadata(&path) {
            Ok(m) => Some(m.ino()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(AgentError::io(format!("reading {}", path.display()))(e)),
        };
        let mut bytes = Vec::new();
        let mut read_from = |p: &Path, offset: u64| -> Result<u64, AgentError> {
            let mut f = match std::fs::File::open(p) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(offset),
                Err(e) => return Err(AgentError::io(format!("reading {}", p.display()))(e)),
            };
            f.seek(SeekFrom::Start(offset))
                .and_then(|_| f.read_to_end(&mut bytes))
                .map(|n| offset + n as u64)
                .map_err(AgentError::io(format!("reading {}", p.display())))
        };
        self.at = match (self.at, current) {
            // Rotated since: finish the old file (now `.log.1`), then the new one.
            (Some((ino, offset)), Some(now)) if ino != now => {
                read_from(&rotated, offset)?;
                Some((now, read_from(&path, 0)?))
            }
            (Some((ino, offset)), Some(_)) => Some((ino, read_from(&path, offset)?)),
            (None, Some(now)) => Some((now, read_from(&path, 0)?)),
            (at, None) => at,
        };
        self.partial.extend_from_slice(&bytes);
        let Some(end) = self.partial.iter().rposition(|b| *b == b'\n') else {
            return Ok(Vec::new());
        };
        let complete: Vec<u8> = self.partial.drain(..=end).collect();
        let mut out = Vec::new();
        parse_lines(&complete[..], None, &mut out, Path::new(&self.unit))?;
        Ok(out)
    }

    /// Waits for the next entries, checking every `every`.
    ///
    /// # Errors
    /// The files cannot be read.
    pub async fn next(&mut self, every: std::time::Duration) -> Result<Vec<Entry>, AgentError> {
        loop {
            let got = self.poll()?;
            if !got.is_empty() {
                return Ok(got);
            }
            tokio::time::sleep(every).await;
        }
    }
}

fn read_file(path: &Path, since_us: Option<u64>, out: &mut Vec<Entry>) -> Result<(), AgentError> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(AgentError::io(format!("reading {}", path.display()))(e)),
    };
    parse_lines(std::io::BufReader::new(f), since_us, out, path)
}

fn parse_lines(
    input: impl BufRead,
    since_us: Option<u64>,
    out: &mut Vec<Entry>,
    path: &Path,
) -> Result<(), AgentError> {
    for line in input.split(b'\n') {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc() {
        let at = |at_us| Entry {
            at_us,
            stream: Stream::Agent,
            text: String::new(),
        };
        assert_eq!(at(0).timestamp(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            at(1_795_633_445_000_042).timestamp(),
            "2026-11-25T19:04:05.000042Z"
        );
        assert_eq!(
            at(951_782_400_000_000).timestamp(),
            "2000-02-29T00:00:00.000000Z"
        );
    }

    #[test]
    fn names_that_are_not_unit_names_touch_no_file() -> Result<(), AgentError> {
        let dir = tempfile::tempdir().map_err(AgentError::io("tempdir"))?;
        let journal = Journal::open(dir.path().join("journal"), 4096)?;
        std::fs::write(dir.path().join("registry.log"), "1 out secret\n")
            .map_err(AgentError::io("bait"))?;
        for bad in [
            "../escaped",
            "../registry",
            "a/b.service",
            "..",
            "a\0.service",
            "",
        ] {
            assert!(
                journal.append(bad, Stream::Stdout, "x").is_err(),
                "append {bad:?}"
            );
            assert!(journal.read(bad, None, None).is_err(), "read {bad:?}");
            assert!(journal.follow(bad).is_err(), "follow {bad:?}");
        }
        assert!(!dir.path().join("escaped.log").exists());
        journal.append("ok@1.service", Stream::Stdout, "fine")?;
        assert_eq!(journal.read("ok@1.service", None, None)?.len(), 1);
        Ok(())
    }

    #[test]
    fn follow_reads_what_is_appended_across_a_rotation() -> Result<(), AgentError> {
        let dir = tempfile::tempdir().map_err(AgentError::io("tempdir"))?;
        let journal = Journal::open(dir.path(), 4096)?;
        journal.append("u.service", Stream::Stdout, "before")?;
        let mut follow = journal.follow("u.service")?;
        assert!(follow.poll()?.is_empty(), "starts at the end");
        // Past the 4 KiB cap: the file rotates while being followed.
        let line = "x".repeat(1000);
        let mut sent = Vec::new();
        for i in 0..12 {
            let text = format!("{i} {line}");
            journal.append("u.service", Stream::Stderr, &text)?;
            sent.push(text);
            if i % 5 == 0 {
                let got: Vec<String> = follow.poll()?.into_iter().map(|e| e.text).collect();
                assert_eq!(got.last(), sent.last());
            }
        }
        journal.append("u.service", Stream::Agent, "multi\nline")?;
        let got: Vec<String> = follow.poll()?.into_iter().map(|e| e.text).collect();
        assert_eq!(got, ["11 ".to_owned() + &line, "multi\nline".into()]);
        Ok(())
    }
}
