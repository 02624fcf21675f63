//! What a plugin may use: time, fuel, memory, tables, instances, log volume.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wasmtime::ResourceLimiter;

/// Per-plugin limits. The defaults suit plugins that look at a few thousand
/// machines per call; raise them for heavy guests (an interpreter embedded in
/// the component, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Limits {
    /// Wall-clock budget per call, enforced with epoch interruption.
    #[serde(with = "millis")]
    pub timeout: Duration,
    /// Instruction budget per call (wasmtime fuel); `None` for no fuel
    /// metering. Fuel makes the cut-off deterministic at some cost in speed.
    pub fuel: Option<u64>,
    /// Linear memory, in bytes, across the plugin's memories.
    pub memory_bytes: usize,
    /// Elements per table.
    pub table_elements: usize,
    /// Core instances in the component.
    pub instances: usize,
    /// Tables in the component.
    pub tables: usize,
    /// Memories in the component.
    pub memories: usize,
    /// Bytes the plugin may log per call; more stops the call.
    pub log_bytes_per_call: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(1),
            fuel: None,
            memory_bytes: 256 << 20,
            table_elements: 100_000,
            instances: 64,
            tables: 64,
            memories: 16,
            log_bytes_per_call: 64 << 10,
        }
    }
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// Which limit a call ran into, kept so the error can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exceeded {
    Memory,
    Table,
    Log,
}

/// The store's resource limiter: refuses growth past the limits and
/// remembers what it refused.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) limits: Limits,
    pub(crate) exceeded: Option<Exceeded>,
    /// Linear memory in use across the instance's memories.
    pub(crate) memory_used: usize,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = self
            .memory_used
            .saturating_sub(current)
            .saturating_add(desired);
        if total > self.limits.memory_bytes || maximum.is_some_and(|m| desired > m) {
            self.exceeded = Some(Exceeded::Memory);
            // Growth past the cap traps instead of returning -1: a guest
            // that ignores the failure would otherwise corrupt itself.
            return Err(wasmtime::Error::msg("memory limit reached"));
        }
        self.memory_used = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.limits.table_elements || maximum.is_some_and(|m| desired > m) {
            self.exceeded = Some(Exceeded::Table);
            return Err(wasmtime::Error::msg("table limit reached"));
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        self.limits.instances
    }

    fn tables(&self) -> usize {
        self.limits.tables
    }

    fn memories(&self) -> usize {
        self.limits.memories
    }
}
