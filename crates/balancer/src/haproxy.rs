//! HAProxy's runtime API: membership changes over the stats socket, with no
//! reload. The config declares `server-template slot 1-N` (the `haproxy`
//! template does when `params.slots` is set, with the backends known at
//! render time already in the first slots); each new backend gets a free
//! slot (`maint`, new address, `ready`), and a leaving backend's slot goes to
//! `drain`: open connections finish, new ones go elsewhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

use crate::backend::Pool;
use crate::error::BalancerError;

/// A connection to one HAProxy backend's slots.
#[derive(Debug, Clone)]
pub struct RuntimeApi {
    socket: PathBuf,
    backend: String,
    slots: usize,
    /// Backend ID -> slot number (1-based).
    assigned: BTreeMap<String, usize>,
}

/// What a sync changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synced {
    /// Backends given a slot.
    pub added: Vec<String>,
    /// Backends whose slot went to drain.
    pub removed: Vec<String>,
}

impl RuntimeApi {
    /// The stats socket, the HAProxy backend's name and its slot count.
    pub fn new(socket: impl Into<PathBuf>, backend: impl Into<String>, slots: usize) -> Self {
        RuntimeApi {
            socket: socket.into(),
            backend: backend.into(),
            slots,
            assigned: BTreeMap::new(),
        }
    }

    /// After a reload: the config put `pool`'s backends, in order, in the
    /// first slots (the `haproxy` template does) and left the rest disabled.
    pub fn reset(&mut self, slots: usize, pool: &Pool) {
        self.slots = slots;
        self.assigned = pool
            .backends
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i + 1))
            .collect();
    }

    /// Sends one command and returns HAProxy's answer.
    ///
    /// # Errors
    /// Socket errors, or an answer that reports a failure.
    pub async fn command(&self, command: &str) -> Result<String, BalancerError> {
        let what = || format!("haproxy stats socket {}", self.socket.display());
        let mut s = UnixStream::connect(&self.socket)
            .await
            .map_err(BalancerError::io(what()))?;
        s.write_all(format!("{command}\n").as_bytes())
            .await
            .map_err(BalancerError::io(what()))?;
        let mut out = String::new();
        s.read_to_string(&mut out)
            .await
            .map_err(BalancerError::io(what()))?;
        let answer = out.trim();
        let failed = [
            "No such",
            "Unknown",
            "Require",
            "invalid",
            "not found",
            "cannot",
        ]
        .iter()
        .any(|w| answer.contains(w));
        if failed {
            return Err(BalancerError::Runtime(format!("`{command}`: {answer}")));
        }
        Ok(answer.to_owned())
    }

    /// Makes the slots match `pool`.
    ///
    /// # Errors
    /// [`BalancerError::Runtime`] when there are more backends than slots
    /// (the caller re-renders with more and reloads), or a refused command.
    pub async fn sync(&mut self, pool: &Pool) -> Result<Synced, BalancerError> {
        let wanted: BTreeMap<&str, &crate::backend::Backend> =
            pool.backends.iter().map(|b| (b.id.as_str(), b)).collect();
        if wanted.len() > self.slots {
            return Err(BalancerError::Runtime(format!(
                "{} backends but only {} slots",
                wanted.len(),
                self.slots
            )));
        }
        let mut synced = Synced::default();
        let leaving: Vec<String> = self
            .assigned
            .keys()
            .filter(|id| !wanted.contains_key(id.as_str()))
            .cloned()
            .collect();
        for id in leaving {
            if let Some(slot) = self.assigned.remove(&id) {
                let be = &self.backend;
                self.command(&format!("set server {be}/slot{slot} state drain"))
                    .await?;
                synced.removed.push(id);
            }
        }
        for (id, b) in wanted {
            if self.assigned.contains_key(id) {
                continue;
            }
            let used: std::collections::BTreeSet<usize> = self.assigned.values().copied().collect();
            let Some(slot) = (1..=self.slots).find(|s| !used.contains(s)) else {
                return Err(BalancerError::Runtime("no free slot".into()));
            };
            let be = &self.backend;
            // A reused slot may be draining: out of rotation before it moves.
            self.command(&format!("set server {be}/slot{slot} state maint"))
                .await?;
            self.command(&format!(
                "set server {be}/slot{slot} addr {} port {}",
                b.address, b.port
            ))
            .await?;
            self.command(&format!("set server {be}/slot{slot} weight {}", b.weight))
                .await?;
            self.command(&format!("set server {be}/slot{slot} state ready"))
                .await?;
            self.assigned.insert(id.to_owned(), slot);
            synced.added.push(id.to_owned());
        }
        Ok(synced)
    }
}
