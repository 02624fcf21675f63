//! The built-in proxy's limits, on real sockets on 127.0.0.1: an idle
//! (slowloris) client is closed after the idle timeout, connections past the
//! per-listener and per-backend caps are closed at once, and a removed
//! backend's connections are cut after the drain timeout.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use flotta_balancer::backend::{Backend, Pool};
use flotta_balancer::proxy::{Proxy, ProxyConfig, ProxyHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Longest any wait in these tests may take.
const DEADLINE: Duration = Duration::from_secs(10);

/// A backend that echoes what it reads, on 127.0.0.1.
async fn echo() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind echo");
    let addr = listener.local_addr().expect("echo addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

fn pool(backends: &[(&str, SocketAddr)]) -> Pool {
    Pool {
        service: "limits".into(),
        backends: backends
            .iter()
            .map(|(id, addr)| Backend {
                id: (*id).into(),
                address: addr.ip().to_string(),
                port: addr.port(),
                weight: 1,
                backup: false,
            })
            .collect(),
        revision: 1,
    }
}

async fn start(config: ProxyConfig, backends: &[(&str, SocketAddr)]) -> (SocketAddr, ProxyHandle) {
    let proxy = Proxy::bind(config).await.expect("bind proxy");
    let addr = proxy.local_addr().expect("proxy addr");
    let handle = proxy.handle();
    handle.update(&pool(backends)).await;
    tokio::spawn(proxy.serve());
    (addr, handle)
}

fn config() -> ProxyConfig {
    let mut c = ProxyConfig::new("127.0.0.1:0".parse().expect("addr"));
    c.health = None;
    c
}

/// A connection through the proxy that has echoed `hello` back.
async fn relayed(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    assert!(
        echoes(&mut s).await,
        "a connection under the caps is relayed"
    );
    s
}

/// Whether `s` still carries bytes both ways.
async fn echoes(s: &mut TcpStream) -> bool {
    if s.write_all(b"hello").await.is_err() {
        return false;
    }
    let mut buf = [0u8; 5];
    matches!(
        tokio::time::timeout(DEADLINE, s.read_exact(&mut buf)).await,
        Ok(Ok(_)) if &buf == b"hello"
    )
}

/// Waits (bounded) for the proxy to close `s`: EOF or a reset.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 64];
    loop {
        match tokio::time::timeout(limit, s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("still open after {limit:?}"),
        }
    }
}

#[tokio::test]
async fn an_idle_client_is_closed_after_the_idle_timeout() {
    let backend = echo().await;
    let mut c = config();
    // Wide margins: a loaded machine may run a 200 ms sleep late.
    c.idle_timeout = Duration::from_secs(2);
    let (addr, _) = start(c, &[("a", backend)]).await;
    // Talking now and then (more often than the timeout) keeps it open.
    let mut busy = relayed(addr).await;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(echoes(&mut busy).await, "an active connection stays open");
    }
    // A client that connects and says nothing (or stops talking) is closed.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    let took = closed_within(&mut idle, DEADLINE).await;
    assert!(
        took >= Duration::from_millis(1500),
        "closed too early: {took:?}"
    );
    let took = closed_within(&mut busy, DEADLINE).await;
    assert!(took < DEADLINE, "{took:?}");
}

#[tokio::test]
async fn connections_past_the_listener_cap_are_closed() {
    let a = echo().await;
    let b = echo().await;
    let mut c = config();
    c.max_connections = 2;
    let (addr, _) = start(c, &[("a", a), ("b", b)]).await;
    let first = relayed(addr).await;
    let _second = relayed(addr).await;
    for _ in 0..3 {
        let mut over = TcpStream::connect(addr).await.expect("connect");
        closed_within(&mut over, DEADLINE).await;
    }
    // A slot comes back once a connection ends.
    drop(first);
    let start = Instant::now();
    loop {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        if echoes(&mut s).await {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "the freed slot never came back");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn connections_past_the_backend_cap_are_closed() {
    let backend = echo().await;
    let mut c = config();
    c.max_per_backend = 1;
    let (addr, handle) = start(c, &[("a", backend)]).await;
    let _held = relayed(addr).await;
    let mut over = TcpStream::connect(addr).await.expect("connect");
    closed_within(&mut over, DEADLINE).await;
    assert_eq!(handle.stats()[0].active, 1, "{:?}", handle.stats());
}

#[tokio::test]
async fn a_removed_backend_drains_for_a_bounded_time() {
    let a = echo().await;
    let b = echo().await;
    let mut c = config();
    c.drain_timeout = Duration::from_secs(2);
    let (addr, handle) = start(c, &[("a", a)]).await;
    let mut held = relayed(addr).await;
    handle.update(&pool(&[("b", b)])).await;
    assert!(echoes(&mut held).await, "a draining connection still works");
    let took = closed_within(&mut held, DEADLINE).await;
    assert!(took < DEADLINE, "{took:?}");
    let start = Instant::now();
    while handle.draining() > 0 {
        assert!(start.elapsed() < DEADLINE, "still draining");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
