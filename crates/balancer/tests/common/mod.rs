//! Real processes for the balancer tests: greeter backends on 127.0.0.N,
//! an HTTP client, a bounded load loop, and waiting with timeouts.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flotta_registry::kv::KvBackend;
use flotta_registry::model::Endpoint;
use flotta_registry::{LeaseId, MemoryBackend, Registry};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The service every test balances.
pub const SERVICE: &str = "sample";

/// The endpoint instance `n` of the seed's app registers for `addr`.
pub fn endpoint(n: usize, addr: SocketAddr) -> Endpoint {
    Endpoint {
        service: SERVICE.into(),
        id: format!("sample.application.{n}@{}.service", addr.port()),
        address: addr.ip().to_string(),
        port: addr.port(),
        unit: format!("sample.application.{n}@{}.service", addr.port()),
        machine: format!("machine-{n}"),
        tags: Vec::new(),
        weight: None,
        backup: false,
    }
}

/// A lease that outlives the test, for registrations.
pub async fn lease<B: KvBackend>(registry: &Registry<B>) -> LeaseId {
    registry
        .backend()
        .grant(Duration::from_secs(600))
        .await
        .expect("lease")
}

/// An in-memory registry and a lease on it.
pub async fn memory_registry() -> (Registry<MemoryBackend>, LeaseId) {
    let registry = Registry::new(MemoryBackend::default());
    let lease = lease(&registry).await;
    (registry, lease)
}

/// `n` greeters on 127.0.0.1..=n.
pub async fn greeters(n: usize) -> Vec<Greeter> {
    let mut out = Vec::with_capacity(n);
    for i in 1..=n {
        out.push(Greeter::start(&format!("127.0.0.{i}")).await);
    }
    out
}

/// A free loopback address for a balancer to listen on.
pub fn listen_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], free_port("127.0.0.1")))
}

/// A free port on `ip`.
pub fn free_port(ip: &str) -> u16 {
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Polls `f` every 20 ms until it returns `Some`, for at most `limit`.
pub async fn wait_for<T, F, Fut>(what: &str, limit: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A `flotta-greeter` process.
pub struct Greeter {
    pub addr: SocketAddr,
    child: Child,
}

impl Greeter {
    pub async fn start(ip: &str) -> Greeter {
        let port = free_port(ip);
        let addr: SocketAddr = format!("{ip}:{port}").parse().expect("addr");
        let child = Command::new(env!("CARGO_BIN_EXE_flotta-greeter"))
            .args(["--listen", &addr.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("start flotta-greeter");
        wait_for(
            "greeter to listen",
            Duration::from_secs(10),
            || async move { TcpStream::connect(addr).await.ok().map(|_| ()) },
        )
        .await;
        Greeter { addr, child }
    }

    /// SIGKILL.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Greeter {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One `GET` on a new connection; the backend that answered.
pub async fn get(addr: SocketAddr, path: &str) -> Result<String, String> {
    let io = async {
        let mut s = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf)
            .await
            .map_err(|e| format!("read: {e}"))?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        if !text.starts_with("HTTP/1.1 200") {
            return Err(format!(
                "status: {}",
                text.lines().next().unwrap_or("<nothing>")
            ));
        }
        let backend = text
            .split("\"backend\":\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .ok_or_else(|| format!("no backend in {text:?}"))?;
        if !text.contains("\"content\":\"Hello, Stranger!\"") {
            return Err(format!("unexpected body {text:?}"));
        }
        Ok(backend.to_owned())
    };
    tokio::time::timeout(Duration::from_secs(5), io)
        .await
        .unwrap_or_else(|_| Err("timed out".into()))
}

/// A result of the load loop.
#[derive(Debug, Clone)]
pub struct Sample {
    pub started: Instant,
    pub at: Instant,
    pub result: Result<String, String>,
}

/// Sequential requests against a balancer until stopped, bounded in count
/// and time.
pub struct Load {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Sample>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Load {
    pub const MAX_REQUESTS: usize = 50_000;
    pub const MAX_TIME: Duration = Duration::from_secs(120);

    pub fn start(addr: SocketAddr) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (s, out) = (Arc::clone(&stop), Arc::clone(&samples));
        let task = tokio::spawn(async move {
            let begin = Instant::now();
            for _ in 0..Self::MAX_REQUESTS {
                if s.load(Ordering::Relaxed) || begin.elapsed() > Self::MAX_TIME {
                    break;
                }
                let started = Instant::now();
                let result = get(addr, "/sample").await;
                out.lock().expect("samples").push(Sample {
                    started,
                    at: Instant::now(),
                    result,
                });
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        });
        Load {
            stop,
            samples,
            task,
        }
    }

    pub fn samples(&self) -> Vec<Sample> {
        self.samples.lock().expect("samples").clone()
    }

    /// Waits until `backend` answered a request sent after `since`.
    pub async fn wait_served_by(
        &self,
        backend: SocketAddr,
        since: Instant,
        limit: Duration,
    ) -> Instant {
        let want = backend.to_string();
        wait_for(&format!("{want} to get traffic"), limit, || {
            let found = self
                .samples()
                .into_iter()
                .find(|s| s.at >= since && s.result.as_deref() == Ok(want.as_str()))
                .map(|s| s.at);
            async move { found }
        })
        .await
    }

    /// Waits until `n` more requests completed.
    pub async fn wait_requests(&self, n: usize) {
        let target = self.samples().len() + n;
        wait_for("requests", Duration::from_secs(30), || {
            let done = self.samples().len() >= target;
            async move { done.then_some(()) }
        })
        .await;
    }

    pub async fn stop(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        self.samples.lock().expect("samples").clone()
    }
}

/// Requests per backend among `samples`.
pub fn per_backend(samples: &[Sample]) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for s in samples {
        if let Ok(b) = &s.result {
            *out.entry(b.clone()).or_default() += 1;
        }
    }
    out
}

/// A balancer process that is stopped (and waited for) on drop.
pub struct Daemon {
    child: Child,
    pub name: &'static str,
}

impl Daemon {
    pub fn start(name: &'static str, cmd: &mut Command) -> Daemon {
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        Daemon { child, name }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // SIGTERM first, so the balancer removes its pid file and workers.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
