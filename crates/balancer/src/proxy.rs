//! The built-in proxy: the embedded default when no external balancer runs.
//!
//! A TCP (layer 4) proxy, so it carries HTTP/1, HTTP/2 and anything else:
//! each accepted connection goes to one backend, chosen round-robin
//! (weighted) or by least connections among backends that are up. Active
//! health checks (TCP connect, or an HTTP `GET`) mark backends up and down;
//! a failed connect ejects a backend for a while and the connection tries
//! the next one, so a dead backend costs no client a failed request. When
//! checks call every backend down, all are tried anyway (panic mode): a
//! slow check on a busy machine must not turn into refused clients.
//! [`ProxyHandle::update`] swaps the backend set atomically: connections
//! already open to a removed backend run on for at most
//! [`ProxyConfig::drain_timeout`] (draining), new ones never go there.
//!
//! Every resource a client can hold is bounded ([`ProxyConfig::new`] has
//! the defaults): a connection with no bytes either way for
//! `idle_timeout` (60 s) is closed, so silent or trickling (slowloris)
//! clients give their slot back; a listener holds at most
//! `max_connections` (4096) and closes the rest as it accepts them; a
//! backend gets at most `max_per_backend` (1024), and a client no backend
//! can take is closed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use crate::backend::{Backend, Pool};
use crate::error::BalancerError;

/// How a backend is chosen for a connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Policy {
    /// In turn, in proportion to weights.
    #[default]
    RoundRobin,
    /// The backend with the fewest open connections.
    LeastConnections,
}

/// Active health checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// Time between checks of one backend.
    pub interval: Duration,
    /// Time a check may take.
    pub timeout: Duration,
    /// `GET` this path and expect a 2xx or 3xx; `None` checks the TCP connect only.
    pub http_path: Option<String>,
}

/// Proxy settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Backend choice.
    pub policy: Policy,
    /// Active checks; `None` relies on passive ejection alone.
    pub health: Option<HealthCheck>,
    /// Time a backend connect may take.
    pub connect_timeout: Duration,
    /// How long a backend that refused a connection is left out.
    pub eject_for: Duration,
    /// A connection with no bytes either way for this long is closed, so a
    /// client that connects and stays silent (slowloris) frees its slot.
    pub idle_timeout: Duration,
    /// Open client connections per listener; past it, new ones are
    /// accepted and closed at once.
    pub max_connections: usize,
    /// Open connections per backend; a backend at its cap gets no new ones,
    /// and a client no backend can take is closed.
    pub max_per_backend: usize,
    /// How long connections to a removed backend may still run before
    /// they are closed.
    pub drain_timeout: Duration,
}

/// Default [`ProxyConfig::idle_timeout`]: 60 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default [`ProxyConfig::max_connections`]: 4096.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Default [`ProxyConfig::max_per_backend`]: 1024.
pub const DEFAULT_MAX_PER_BACKEND: usize = 1024;
/// Default [`ProxyConfig::drain_timeout`]: 30 s.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

impl ProxyConfig {
    /// Defaults for `listen`: round-robin, TCP checks every second, 1 s
    /// connect timeout, 2 s ejection.
    pub fn new(listen: SocketAddr) -> Self {
        ProxyConfig {
            listen,
            policy: Policy::RoundRobin,
            health: Some(HealthCheck {
                interval: Duration::from_secs(1),
                timeout: Duration::from_millis(500),
                http_path: None,
            }),
            connect_timeout: Duration::from_secs(1),
            eject_for: Duration::from_secs(2),
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_per_backend: DEFAULT_MAX_PER_BACKEND,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
        }
    }
}

/// A backend as the proxy tracks it.
#[derive(Debug)]
struct Member {
    backend: Backend,
    addr: SocketAddr,
    active: AtomicUsize,
    served: AtomicU64,
    healthy: AtomicBool,
    ejected_until: Mutex<Option<Instant>>,
    /// Set once the backend is removed: its connections start draining.
    removed: watch::Sender<bool>,
}

impl Member {
    fn new(backend: Backend, addr: SocketAddr) -> Self {
        Member {
            backend,
            addr,
            active: AtomicUsize::new(0),
            served: AtomicU64::new(0),
            // Up until a check says otherwise: a new backend gets traffic at once.
            healthy: AtomicBool::new(true),
            ejected_until: Mutex::new(None),
            removed: watch::channel(false).0,
        }
    }

    /// Counts a connection against the cap, if there is room.
    fn reserve(&self, cap: usize) -> bool {
        self.active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < cap).then_some(n + 1)
            })
            .is_ok()
    }

    fn release(&self) {
        self.active.fetch_sub(1, Ordering::AcqRel);
    }

    /// Resolves once the backend has been removed for `grace`.
    async fn drained(&self, grace: Duration) {
        let mut removed = self.removed.subscribe();
        // The sender lives as long as `self`, so this only ends on removal.
        if removed.wait_for(|r| *r).await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    }

    fn usable(&self, now: Instant) -> bool {
        self.healthy.load(Ordering::Relaxed)
            && self
                .ejected_until
                .lock()
                .map_or(true, |u| u.is_none_or(|t| t <= now))
    }

    fn eject(&self, until: Instant) {
        if let Ok(mut u) = self.ejected_until.lock() {
            *u = Some(until);
        }
    }
}

/// One backend's counters, for status output and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberStats {
    /// Backend ID.
    pub id: String,
    /// `address:port`.
    pub authority: String,
    /// Connections open now.
    pub active: usize,
    /// Connections handed to it so far.
    pub served: u64,
    /// Passing health checks.
    pub healthy: bool,
}

#[derive(Debug)]
struct Shared {
    config: ProxyConfig,
    members: RwLock<Arc<Vec<Arc<Member>>>>,
    /// Removed backends that may still carry connections.
    draining: Mutex<Vec<Arc<Member>>>,
    turn: AtomicUsize,
}

impl Shared {
    fn snapshot(&self) -> Arc<Vec<Arc<Member>>> {
        self.members
            .read()
            .map_or_else(|p| Arc::clone(&p.into_inner()), |m| Arc::clone(&m))
    }

    /// A usable backend not yet tried: non-backups first.
    fn pick(&self, tried: &[usize]) -> Option<(usize, Arc<Member>)> {
        let members = self.snapshot();
        let now = Instant::now();
        // Non-backups, then backups; when checks call everything down (a
        // slow check is not a dead backend), every untried one (panic mode).
        for pass in 0..3 {
            let usable: Vec<(usize, &Arc<Member>)> = members
                .iter()
                .enumerate()
                .filter(|(i, m)| {
                    !tried.contains(i)
                        && m.active.load(Ordering::Relaxed) < self.config.max_per_backend.max(1)
                        && match pass {
                            0 => !m.backend.backup && m.usable(now),
                            1 => m.backend.backup && m.usable(now),
                            _ => true,
                        }
                })
                .collect();
            if usable.is_empty() {
                continue;
            }
            let turn = self.turn.fetch_add(1, Ordering::Relaxed);
            let chosen = match self.config.policy {
                Policy::RoundRobin => {
                    let total: u64 = usable
                        .iter()
                        .map(|(_, m)| u64::from(m.backend.weight.max(1)))
                        .sum();
                    let mut at = (turn as u64) % total.max(1);
                    let mut pick = usable[0];
                    for &(i, m) in &usable {
                        let w = u64::from(m.backend.weight.max(1));
                        if at < w {
                            pick = (i, m);
                            break;
                        }
                        at -= w;
                    }
                    pick
                }
                Policy::LeastConnections => {
                    let n = usable.len();
                    let start = turn % n;
                    (0..n)
                        .map(|k| usable[(start + k) % n])
                        .min_by_key(|(_, m)| m.active.load(Ordering::Relaxed))
                        .unwrap_or(usable[0])
                }
            };
            return Some((chosen.0, Arc::clone(chosen.1)));
        }
        None
    }
}

/// Changes the backends of a running proxy and reads its counters.
#[derive(Debug, Clone)]
pub struct ProxyHandle {
    shared: Arc<Shared>,
}

impl ProxyHandle {
    /// Replaces the backend set. Backends that stay keep their counters and
    /// health; removed ones drain (open connections finish, no new ones).
    pub async fn update(&self, pool: &Pool) {
        let old: HashMap<String, Arc<Member>> = self
            .shared
            .snapshot()
            .iter()
            .map(|m| (m.backend.id.clone(), Arc::clone(m)))
            .collect();
        let mut next = Vec::with_capacity(pool.backends.len());
        for b in &pool.backends {
            if let Some(m) = old.get(&b.id).filter(|m| m.backend == *b) {
                next.push(Arc::clone(m));
                continue;
            }
            let addr = match tokio::net::lookup_host(b.authority()).await {
                Ok(mut addrs) => addrs.next(),
                Err(e) => {
                    tracing::warn!(backend = %b.id, "cannot resolve {}: {e}", b.authority());
                    None
                }
            };
            let Some(addr) = addr else { continue };
            next.push(Arc::new(Member::new(b.clone(), addr)));
        }
        let gone: Vec<Arc<Member>> = old
            .into_values()
            .filter(|m| !next.iter().any(|n| Arc::ptr_eq(n, m)))
            .collect();
        let next = Arc::new(next);
        match self.shared.members.write() {
            Ok(mut m) => *m = next,
            Err(p) => *p.into_inner() = next,
        }
        for m in &gone {
            m.removed.send_replace(true);
        }
        if let Ok(mut d) = self.shared.draining.lock() {
            d.extend(gone);
        }
    }

    /// Removed backends that still carry connections: a planned stop waits
    /// for zero (drain) before stopping the backend.
    pub fn draining(&self) -> usize {
        let Ok(mut d) = self.shared.draining.lock() else {
            return 0;
        };
        // Connections hold their backend from the pick to the close; a
        // member nothing else holds is drained.
        d.retain(|m| Arc::strong_count(m) > 1 || m.active.load(Ordering::Relaxed) > 0);
        d.len()
    }

    /// Counters per backend, in backend order.
    pub fn stats(&self) -> Vec<MemberStats> {
        self.shared
            .snapshot()
            .iter()
            .map(|m| MemberStats {
                id: m.backend.id.clone(),
                authority: m.backend.authority(),
                active: m.active.load(Ordering::Relaxed),
                served: m.served.load(Ordering::Relaxed),
                healthy: m.healthy.load(Ordering::Relaxed),
            })
            .collect()
    }
}

/// A bound proxy; [`Proxy::serve`] runs it.
#[derive(Debug)]
pub struct Proxy {
    listener: TcpListener,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Binds the listening socket.
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn bind(config: ProxyConfig) -> Result<Proxy, BalancerError> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(BalancerError::io(format!("listening on {}", config.listen)))?;
        Ok(Proxy {
            listener,
            shared: Arc::new(Shared {
                config,
                members: RwLock::new(Arc::new(Vec::new())),
                draining: Mutex::new(Vec::new()),
                turn: AtomicUsize::new(0),
            }),
        })
    }

    /// The bound address (useful with port 0).
    ///
    /// # Errors
    /// The socket is gone.
    pub fn local_addr(&self) -> Result<SocketAddr, BalancerError> {
        self.listener
            .local_addr()
            .map_err(BalancerError::io("reading the listen address"))
    }

    /// A handle for updates and counters.
    pub fn handle(&self) -> ProxyHandle {
        ProxyHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Accepts and proxies connections, and runs health checks, until the
    /// task is dropped.
    ///
    /// # Errors
    /// Accepting failed for good.
    pub async fn serve(self) -> Result<(), BalancerError> {
        let checks = self
            .shared
            .config
            .health
            .clone()
            .map(|h| tokio::spawn(health_loop(Arc::clone(&self.shared), h)));
        let _stop_checks = AbortOnDrop(checks);
        let slots = Arc::new(Semaphore::new(self.shared.config.max_connections.max(1)));
        loop {
            let (client, peer) = match self.listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: back off, go on.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            // Over the cap: closed at once, so a flood (or slowloris
            // clients) costs a descriptor for a moment, not a task each.
            let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                tracing::debug!(%peer, "closing a connection over the listener's cap");
                drop(client);
                continue;
            };
            let shared = Arc::clone(&self.shared);
            tokio::spawn(async move {
                relay(shared, client).await;
                drop(slot);
            });
        }
    }
}

struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(h) = &self.0 {
            h.abort();
        }
    }
}

/// Connects `client` to a backend, trying the next one when a connect fails.
async fn relay(shared: Arc<Shared>, client: TcpStream) {
    let _ = client.set_nodelay(true);
    let mut tried = Vec::new();
    while let Some((i, member)) = shared.pick(&tried) {
        tried.push(i);
        // Picked under the cap, but another connection may have got there
        // first.
        if !member.reserve(shared.config.max_per_backend.max(1)) {
            continue;
        }
        let connect = tokio::time::timeout(
            shared.config.connect_timeout,
            TcpStream::connect(member.addr),
        );
        match connect.await {
            Ok(Ok(upstream)) => {
                let _ = upstream.set_nodelay(true);
                member.served.fetch_add(1, Ordering::Relaxed);
                pipe(&shared.config, &member, client, upstream).await;
                member.release();
                return;
            }
            Ok(Err(e)) => tracing::debug!(backend = %member.backend.id, "connect failed: {e}"),
            Err(_) => tracing::debug!(backend = %member.backend.id, "connect timed out"),
        }
        member.release();
        member.eject(Instant::now() + shared.config.eject_for);
    }
    tracing::warn!("no backend could take a connection");
}

/// Copies both ways until both sides are done, the connection has been
/// idle for `idle_timeout`, or its backend was removed `drain_timeout` ago.
async fn pipe(config: &ProxyConfig, member: &Member, client: TcpStream, upstream: TcpStream) {
    let started = Instant::now();
    let last = Arc::new(AtomicU64::new(0));
    let mut client = Tracked::new(client, started, Arc::clone(&last));
    let mut upstream = Tracked::new(upstream, started, Arc::clone(&last));
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {}
        () = idle(config.idle_timeout, started, &last) => {
            tracing::debug!(backend = %member.backend.id, "closing an idle connection");
        }
        () = member.drained(config.drain_timeout) => {
            tracing::debug!(backend = %member.backend.id, "closing a connection past its drain time");
        }
    }
}

/// Resolves once nothing was read on either side for `limit`.
async fn idle(limit: Duration, started: Instant, last: &AtomicU64) {
    loop {
        let at = started + Duration::from_millis(last.load(Ordering::Relaxed));
        let deadline = at + limit;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline).await;
    }
}

/// A stream that notes when it last read anything (milliseconds after
/// `started`), for the idle timeout.
struct Tracked {
    inner: TcpStream,
    started: Instant,
    last: Arc<AtomicU64>,
}

impl Tracked {
    fn new(inner: TcpStream, started: Instant, last: Arc<AtomicU64>) -> Self {
        Tracked {
            inner,
            started,
            last,
        }
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.last.store(ms, Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

async fn health_loop(shared: Arc<Shared>, check: HealthCheck) {
    let mut tick = tokio::time::interval(check.interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let members = shared.snapshot();
        let probes = members.iter().map(|m| {
            let check = check.clone();
            let m = Arc::clone(m);
            async move {
                let ok = tokio::time::timeout(check.timeout, probe(m.addr, check.http_path.as_deref()))
                    .await
                    .unwrap_or(false);
                let was = m.healthy.swap(ok, Ordering::Relaxed);
                if was != ok {
                    tracing::info!(backend = %m.backend.id, "health check: {}", if ok { "up" } else { "down" });
                }
            }
        });
        futures::future::join_all(probes).await;
    }
}

async fn probe(addr: SocketAddr, path: Option<&str>) -> bool {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return false;
    };
    let Some(path) = path else {
        return true;
    };
    let request =
        format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nUser-Agent: flotta-health\r\n\r\n");
    if s.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    if s.read_exact(&mut head).await.is_err() {
        return false;
    }
    // "HTTP/1.1 200"
    head.starts_with(b"HTTP/1.") && matches!(head[9], b'2' | b'3')
}
