//! The embedded backend: an in-process store with etcd's semantics.
//!
//! One global revision counter, create and modify revisions per key, leases
//! that expire on a [`Clock`] (a [`ManualClock`] in tests), compare-and-swap,
//! and watches that replay a bounded history before following live changes —
//! so a watcher that falls too far behind gets [`RegistryError::Compacted`]
//! exactly as it would from etcd.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::broadcast;

use crate::error::{RegistryError, Result};
use crate::kv::{
    Compare, Condition, Event, EventKind, EventStream, KeyValue, KvBackend, LeaseId, Page, TxnOp,
    TxnOutcome, check_ops,
};

/// Where time comes from, so tests can make leases expire on demand.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Time since an arbitrary, fixed start.
    fn now(&self) -> Duration;
}

/// The real clock.
#[derive(Debug)]
pub struct SystemClock(Instant);

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(Instant::now())
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Default)]
pub struct ManualClock(Mutex<Duration>);

impl ManualClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.0.lock() {
            *now += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.0.lock().map(|t| *t).unwrap_or_default()
    }
}

#[derive(Debug)]
struct Lease {
    ttl: Duration,
    deadline: Duration,
    keys: BTreeSet<String>,
}

#[derive(Debug)]
struct State {
    data: BTreeMap<String, KeyValue>,
    revision: u64,
    leases: HashMap<LeaseId, Lease>,
    /// Leases by deadline, so expiry looks only at the ones due.
    deadlines: BTreeSet<(Duration, LeaseId)>,
    next_lease: LeaseId,
    history: VecDeque<Event>,
    /// Revisions at or below this are gone from `history`.
    compacted: u64,
    events: broadcast::Sender<Event>,
    log: Option<Log>,
}

impl State {
    fn add_lease(&mut self, id: LeaseId, ttl: Duration, deadline: Duration) {
        self.deadlines.insert((deadline, id));
        self.leases.insert(
            id,
            Lease {
                ttl,
                deadline,
                keys: BTreeSet::new(),
            },
        );
    }

    fn drop_lease(&mut self, id: LeaseId) -> Option<Lease> {
        let lease = self.leases.remove(&id)?;
        self.deadlines.remove(&(lease.deadline, id));
        Some(lease)
    }
}

/// The append-only log of a persisted store: one JSON record per change.
#[derive(Debug)]
struct Log {
    file: std::fs::File,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Record {
    Put {
        kv: KeyValue,
    },
    Delete {
        key: String,
        revision: u64,
    },
    Grant {
        id: LeaseId,
        ttl_ms: u64,
    },
    End {
        id: LeaseId,
    },
    /// A transaction's changes: one line, so a torn write loses all of them.
    Batch {
        records: Vec<Record>,
    },
}

impl Log {
    fn append(&mut self, record: &Record) -> std::io::Result<()> {
        use std::io::Write;
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        // A change is acknowledged only once it is on disk.
        self.file.sync_data()
    }
}

/// Options for [`MemoryBackend`].
#[derive(Debug, Clone, Copy)]
pub struct MemoryOptions {
    /// How many changes watches can replay.
    pub history: usize,
}

impl Default for MemoryOptions {
    fn default() -> Self {
        MemoryOptions { history: 100_000 }
    }
}

/// The in-memory backend.
#[derive(Debug, Clone)]
pub struct MemoryBackend {
    state: Arc<Mutex<State>>,
    clock: Arc<dyn Clock>,
    options: MemoryOptions,
}

impl Default for MemoryBackend {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock::default()), MemoryOptions::default())
    }
}

impl MemoryBackend {
    /// A backend on `clock`.
    pub fn new(clock: Arc<dyn Clock>, options: MemoryOptions) -> Self {
        let (events, _) = broadcast::channel(4096);
        MemoryBackend {
            state: Arc::new(Mutex::new(State {
                data: BTreeMap::new(),
                revision: 0,
                leases: HashMap::new(),
                deadlines: BTreeSet::new(),
                next_lease: 1,
                history: VecDeque::new(),
                compacted: 0,
                events,
                log: None,
            })),
            clock,
            options,
        }
    }

    /// A store persisted to an append-only log at `path` (created if missing):
    /// every change is on disk before it is acknowledged, and reopening
    /// replays the log, revisions included. Leases that were alive come back
    /// with their full TTL from the moment of reopening, so agents have one
    /// TTL to renew them before their keys go.
    ///
    /// # Errors
    /// The file cannot be read or created. A torn last line (a crash during a
    /// write) is skipped with a warning; any other bad line is an error naming
    /// the line.
    pub fn open(
        path: &std::path::Path,
        clock: Arc<dyn Clock>,
        options: MemoryOptions,
    ) -> Result<Self> {
        let io = |e: std::io::Error| RegistryError::Backend(format!("{}: {e}", path.display()));
        let backend = Self::new(clock, options);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io(e)),
        };
        {
            let mut state = backend
                .state
                .lock()
                .map_err(|_| RegistryError::Backend("memory store poisoned".into()))?;
            let lines: Vec<&str> = text.lines().collect();
            let now = backend.clock.now();
            for (n, line) in lines.iter().enumerate() {
                let record: Record = match serde_json::from_str(line) {
                    Ok(r) => r,
                    Err(e) if n + 1 == lines.len() && !text.ends_with('\n') => {
                        tracing::warn!(line = n + 1, error = %e, "skipping torn last record");
                        break;
                    }
                    Err(e) => {
                        return Err(RegistryError::BadData {
                            key: format!("{}:{}", path.display(), n + 1),
                            reason: e.to_string(),
                        });
                    }
                };
                Self::replay(&mut state, record, now);
            }
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(io)?;
            state.log = Some(Log { file });
        }
        Ok(backend)
    }

    fn replay(state: &mut State, record: Record, now: Duration) {
        match record {
            Record::Put { kv } => {
                state.revision = state.revision.max(kv.mod_revision);
                if let Some(l) = kv.lease.and_then(|id| state.leases.get_mut(&id)) {
                    l.keys.insert(kv.key.clone());
                }
                state.data.insert(kv.key.clone(), kv);
            }
            Record::Delete { key, revision } => {
                state.revision = state.revision.max(revision);
                if let Some(old) = state.data.remove(&key)
                    && let Some(l) = old.lease.and_then(|id| state.leases.get_mut(&id))
                {
                    l.keys.remove(&key);
                }
            }
            Record::Grant { id, ttl_ms } => {
                let ttl = Duration::from_millis(ttl_ms);
                state.next_lease = state.next_lease.max(id + 1);
                state.add_lease(id, ttl, now + ttl);
            }
            Record::End { id } => {
                state.drop_lease(id);
            }
            Record::Batch { records } => {
                for record in records {
                    Self::replay(state, record, now);
                }
            }
        }
        // History before a restart is not replayable: watchers re-list.
        state.compacted = state.revision;
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| RegistryError::Backend("memory store poisoned".into()))?;
        self.expire(&mut state);
        Ok(state)
    }

    /// Ends every lease whose deadline passed (also done on every call).
    pub fn tick(&self) {
        drop(self.lock());
    }

    /// Ends every open watch, as a dropped connection would; watchers resume
    /// from their last revision.
    pub fn disconnect_watchers(&self) {
        if let Ok(mut state) = self.state.lock() {
            let (events, _) = broadcast::channel(4096);
            state.events = events;
        }
    }

    /// Forgets history up to and including `revision`, as etcd's compaction does.
    pub fn compact(&self, revision: u64) {
        if let Ok(mut state) = self.state.lock() {
            while state
                .history
                .front()
                .is_some_and(|e| e.kv.mod_revision <= revision)
            {
                state.history.pop_front();
            }
            state.compacted = state.compacted.max(revision);
        }
    }

    fn expire(&self, state: &mut State) {
        let now = self.clock.now();
        while let Some(&(deadline, id)) = state.deadlines.first()
            && deadline <= now
        {
            self.end_lease(state, id);
        }
    }

    fn end_lease(&self, state: &mut State, id: LeaseId) {
        if let Some(lease) = state.drop_lease(id) {
            Self::persist(state, &Record::End { id });
            for key in lease.keys {
                self.remove(state, &key);
            }
        }
    }

    fn persist(state: &mut State, record: &Record) {
        if let Some(log) = &mut state.log
            && let Err(e) = log.append(record)
        {
            // The change is applied in memory; a failing disk is reported loudly.
            tracing::error!(error = %e, "cannot append to the registry log");
        }
    }

    fn record(&self, state: &mut State, event: Event) {
        self.publish(state, vec![event]);
    }

    /// Persists changes made at one revision (in one log line), keeps them
    /// for replay and tells watchers.
    fn publish(&self, state: &mut State, events: Vec<Event>) {
        let as_record = |event: &Event| match event.kind {
            EventKind::Put => Record::Put {
                kv: event.kv.clone(),
            },
            EventKind::Delete => Record::Delete {
                key: event.kv.key.clone(),
                revision: event.kv.mod_revision,
            },
        };
        let record = match events.as_slice() {
            [] => return,
            [one] => as_record(one),
            many => Record::Batch {
                records: many.iter().map(as_record).collect(),
            },
        };
        Self::persist(state, &record);
        for event in events {
            state.history.push_back(event.clone());
            // Nobody listening is fine.
            let _ = state.events.send(event);
        }
        while state.history.len() > self.options.history {
            if let Some(old) = state.history.pop_front() {
                state.compacted = old.kv.mod_revision;
            }
        }
    }

    fn remove(&self, state: &mut State, key: &str) -> bool {
        let revision = state.revision + 1;
        let Some(event) = Self::unset(state, key, revision) else {
            return false;
        };
        state.revision = revision;
        self.record(state, event);
        true
    }

    /// Deletes a key at `revision`; the caller moves the store's revision
    /// and publishes the event.
    fn unset(state: &mut State, key: &str, revision: u64) -> Option<Event> {
        let old = state.data.remove(key)?;
        if let Some(lease) = old.lease.and_then(|l| state.leases.get_mut(&l)) {
            lease.keys.remove(key);
        }
        Some(Event {
            kind: EventKind::Delete,
            kv: KeyValue {
                key: key.to_owned(),
                value: String::new(),
                create_revision: old.create_revision,
                mod_revision: revision,
                lease: None,
            },
        })
    }

    /// Writes a key at `revision` (its lease, if any, checked by the
    /// caller); the caller moves the store's revision and publishes the event.
    fn set(
        state: &mut State,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        revision: u64,
    ) -> Event {
        let old = state.data.get(key).cloned();
        if let Some(old_lease) = old.as_ref().and_then(|o| o.lease)
            && Some(old_lease) != lease
            && let Some(l) = state.leases.get_mut(&old_lease)
        {
            l.keys.remove(key);
        }
        if let Some(l) = lease.and_then(|id| state.leases.get_mut(&id)) {
            l.keys.insert(key.to_owned());
        }
        let kv = KeyValue {
            key: key.to_owned(),
            value: value.to_owned(),
            create_revision: old.map_or(revision, |o| o.create_revision),
            mod_revision: revision,
            lease,
        };
        state.data.insert(key.to_owned(), kv.clone());
        Event {
            kind: EventKind::Put,
            kv,
        }
    }
}

/// Whether a transaction's comparison holds (a missing key is at revision 0).
fn holds(state: &State, compare: &Compare) -> bool {
    let kv = state.data.get(compare.key());
    match compare {
        Compare::Absent { .. } => kv.is_none(),
        Compare::ModRevision { revision, .. } => kv.map_or(0, |kv| kv.mod_revision) == *revision,
        Compare::CreateRevision { revision, .. } => {
            kv.map_or(0, |kv| kv.create_revision) == *revision
        }
    }
}

fn check(state: &State, key: &str, condition: Condition) -> Result<()> {
    let actual = state.data.get(key).map_or(0, |kv| kv.mod_revision);
    let ok = match condition {
        Condition::Always => true,
        Condition::Absent => actual == 0,
        Condition::ModRevision(r) => actual == r,
    };
    if ok {
        Ok(())
    } else {
        Err(RegistryError::Conflict {
            key: key.to_owned(),
            expected: match condition {
                Condition::ModRevision(r) => r,
                _ => 0,
            },
            actual,
        })
    }
}

#[async_trait]
impl KvBackend for MemoryBackend {
    async fn get(&self, key: &str) -> Result<Option<KeyValue>> {
        Ok(self.lock()?.data.get(key).cloned())
    }

    async fn range(&self, prefix: &str, after: Option<&str>, limit: usize) -> Result<Page> {
        let state = self.lock()?;
        let start = match after {
            Some(a) => std::ops::Bound::Excluded(a.to_owned()),
            None => std::ops::Bound::Included(prefix.to_owned()),
        };
        let mut iter = state
            .data
            .range((start, std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v);
        let items: Vec<KeyValue> = iter.by_ref().take(limit.max(1)).cloned().collect();
        let more = iter.next().is_some();
        Ok(Page {
            items,
            more,
            revision: state.revision,
        })
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> Result<u64> {
        let mut state = self.lock()?;
        check(&state, key, condition)?;
        if let Some(id) = lease
            && !state.leases.contains_key(&id)
        {
            return Err(RegistryError::LeaseNotFound(id));
        }
        let revision = state.revision + 1;
        let event = Self::set(&mut state, key, value, lease, revision);
        state.revision = revision;
        self.record(&mut state, event);
        Ok(revision)
    }

    async fn delete(&self, key: &str, condition: Condition) -> Result<bool> {
        let mut state = self.lock()?;
        check(&state, key, condition)?;
        Ok(self.remove(&mut state, key))
    }

    async fn txn(&self, compares: &[Compare], ops: &[TxnOp]) -> Result<TxnOutcome> {
        check_ops(ops)?;
        let mut state = self.lock()?;
        if !compares.iter().all(|c| holds(&state, c)) {
            return Ok(TxnOutcome {
                succeeded: false,
                revision: state.revision,
            });
        }
        for op in ops {
            if let TxnOp::Put {
                lease: Some(id), ..
            } = op
                && !state.leases.contains_key(id)
            {
                return Err(RegistryError::LeaseNotFound(*id));
            }
        }
        // Every change of one transaction has the same revision, as in etcd.
        let revision = state.revision + 1;
        let mut events = Vec::with_capacity(ops.len());
        for op in ops {
            match op {
                TxnOp::Put { key, value, lease } => {
                    events.push(Self::set(&mut state, key, value, *lease, revision));
                }
                TxnOp::Delete { key } => events.extend(Self::unset(&mut state, key, revision)),
            }
        }
        if !events.is_empty() {
            state.revision = revision;
            self.publish(&mut state, events);
        }
        Ok(TxnOutcome {
            succeeded: true,
            revision: state.revision,
        })
    }

    async fn grant(&self, ttl: Duration) -> Result<LeaseId> {
        let mut state = self.lock()?;
        let id = state.next_lease;
        state.next_lease += 1;
        let deadline = self.clock.now() + ttl;
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        Self::persist(&mut state, &Record::Grant { id, ttl_ms });
        state.add_lease(id, ttl, deadline);
        Ok(id)
    }

    async fn keep_alive(&self, lease: LeaseId) -> Result<Duration> {
        let mut state = self.lock()?;
        let now = self.clock.now();
        let l = state
            .leases
            .get_mut(&lease)
            .ok_or(RegistryError::LeaseNotFound(lease))?;
        let (old, ttl) = (l.deadline, l.ttl);
        l.deadline = now + ttl;
        state.deadlines.remove(&(old, lease));
        state.deadlines.insert((now + ttl, lease));
        Ok(ttl)
    }

    async fn revoke(&self, lease: LeaseId) -> Result<()> {
        let mut state = self.lock()?;
        if !state.leases.contains_key(&lease) {
            return Err(RegistryError::LeaseNotFound(lease));
        }
        self.end_lease(&mut state, lease);
        Ok(())
    }

    async fn watch(&self, prefix: &str, from_revision: u64) -> Result<EventStream> {
        let state = self.lock()?;
        let from = if from_revision == 0 {
            state.revision + 1
        } else {
            from_revision
        };
        if from <= state.compacted {
            return Err(RegistryError::Compacted {
                requested: from,
                oldest: state.compacted + 1,
            });
        }
        // Subscribe before copying history, under the lock: no gap, no repeat.
        let live = state.events.subscribe();
        let prefix = prefix.to_owned();
        let replay: Vec<Result<Event>> = state
            .history
            .iter()
            .filter(|e| e.kv.mod_revision >= from && e.kv.key.starts_with(&prefix))
            .cloned()
            .map(Ok)
            .collect();
        drop(state);
        let live = futures::stream::unfold(live, |mut rx| async move {
            match rx.recv().await {
                Ok(e) => Some((Ok(e), rx)),
                Err(broadcast::error::RecvError::Closed) => None,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let err = RegistryError::Backend(format!(
                        "watch fell {n} events behind; resume from the last revision seen"
                    ));
                    Some((Err(err), rx))
                }
            }
        })
        .filter(move |e| {
            let keep = match e {
                Ok(e) => e.kv.key.starts_with(&prefix) && e.kv.mod_revision >= from,
                Err(_) => true,
            };
            futures::future::ready(keep)
        });
        Ok(Box::pin(futures::stream::iter(replay).chain(live)))
    }

    async fn revision(&self) -> Result<u64> {
        Ok(self.lock()?.revision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    /// A leader key's lease lapsing on the clock fails the create-revision
    /// comparison of the very next transaction: no write slips in between.
    #[test]
    fn an_expired_lease_fails_the_fence_of_the_next_transaction() {
        block_on(async {
            let clock = Arc::new(ManualClock::default());
            let store = MemoryBackend::new(clock.clone(), MemoryOptions::default());
            let lease = store.grant(Duration::from_secs(2)).await.expect("grant");
            let term = store
                .put("/leader", "a", Some(lease), Condition::Absent)
                .await
                .expect("elected");
            let fence = Compare::CreateRevision {
                key: "/leader".into(),
                revision: term,
            };
            let write = |v: &str| TxnOp::Put {
                key: "/assignment".into(),
                value: v.into(),
                lease: None,
            };
            let landed = store
                .txn(std::slice::from_ref(&fence), &[write("1")])
                .await
                .expect("txn");
            assert!(landed.succeeded);
            clock.advance(Duration::from_secs(3));
            let refused = store
                .txn(std::slice::from_ref(&fence), &[write("2")])
                .await
                .expect("txn");
            assert!(!refused.succeeded, "{refused:?}");
            let kv = store.get("/assignment").await.expect("get").expect("kept");
            assert_eq!((kv.value.as_str(), kv.mod_revision), ("1", landed.revision));
            assert!(store.get("/leader").await.expect("get").is_none());
        });
    }

    /// The writes of one transaction are one event each, at one revision,
    /// and the store's revision moves by one.
    #[test]
    fn a_transaction_is_one_revision() {
        block_on(async {
            let store = MemoryBackend::default();
            store
                .put("/k/a", "1", None, Condition::Always)
                .await
                .expect("put");
            let before = store.revision().await.expect("revision");
            let ops = [
                TxnOp::Delete { key: "/k/a".into() },
                TxnOp::Put {
                    key: "/k/b".into(),
                    value: "2".into(),
                    lease: None,
                },
                // Deleting a missing key changes nothing.
                TxnOp::Delete { key: "/k/z".into() },
            ];
            let done = store.txn(&[], &ops).await.expect("txn");
            assert_eq!(done.revision, before + 1);
            let history: Vec<(EventKind, String, u64)> = store
                .state
                .lock()
                .expect("lock")
                .history
                .iter()
                .filter(|e| e.kv.mod_revision > before)
                .map(|e| (e.kind, e.kv.key.clone(), e.kv.mod_revision))
                .collect();
            assert_eq!(
                history,
                [
                    (EventKind::Delete, "/k/a".to_owned(), before + 1),
                    (EventKind::Put, "/k/b".to_owned(), before + 1),
                ]
            );
            // Nothing to write: the revision stays.
            let nothing = store
                .txn(&[], &[TxnOp::Delete { key: "/k/z".into() }])
                .await
                .expect("txn");
            assert_eq!(nothing.revision, before + 1);
        });
    }
}
