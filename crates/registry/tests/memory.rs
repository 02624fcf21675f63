//! The conformance suite on the embedded memory backend, with a manual clock.

mod conformance;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::{ManualClock, MemoryBackend, MemoryOptions};

/// A harness per test: its own clock.
struct Memory {
    clock: Arc<ManualClock>,
}

impl Memory {
    fn new() -> Self {
        Memory {
            clock: Arc::new(ManualClock::default()),
        }
    }
}

#[async_trait]
impl conformance::Harness for Memory {
    type Backend = MemoryBackend;

    async fn backend(&self) -> MemoryBackend {
        MemoryBackend::new(self.clock.clone(), MemoryOptions::default())
    }

    async fn lapse(&self, backend: &MemoryBackend, ttl: Duration) {
        self.clock.advance(ttl + Duration::from_millis(1));
        backend.tick();
    }

    async fn disconnect(&self, backend: &MemoryBackend) {
        backend.disconnect_watchers();
    }

    async fn compact(&self, backend: &MemoryBackend, revision: u64) {
        backend.compact(revision);
    }
}

conformance!(Memory::new());
