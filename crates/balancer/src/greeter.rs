//! The seed's sample application, as a tiny HTTP backend for demos and
//! balancer tests: `GET /sample` answers
//! `{"id":N,"content":"Hello, Stranger!","backend":"ADDR"}` (`?name=X` greets
//! X), `GET /health` answers `"ok"`; HTTP/1.1 with keep-alive. Stopped by
//! SIGTERM (in `flotta greeter`), it finishes the answers in progress first.
//!
//! ```no_run
//! # async fn demo() -> Result<(), flotta_balancer::BalancerError> {
//! flotta_balancer::greeter::run("127.0.0.1:8080".parse().unwrap()).await
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::BalancerError;

/// How long a stopping greeter lets answers in progress finish.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Listens on `listen` and answers until the task is dropped.
///
/// # Errors
/// The address cannot be bound.
pub async fn run(listen: SocketAddr) -> Result<(), BalancerError> {
    run_until(listen, std::future::pending()).await
}

/// As [`run`], until `stop` completes; then as a web server stopping
/// gracefully does: no new connections, the answer in progress on each
/// connection finished (and marked `Connection: close`), idle keep-alive
/// connections closed, at most 5 s. A balancer in front sees refused
/// connects, which it retries elsewhere, rather than answers cut off.
///
/// # Errors
/// The address cannot be bound.
pub async fn run_until(
    listen: SocketAddr,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), BalancerError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(BalancerError::io(format!("listening on {listen}")))?;
    tracing::info!("greeter listening on {listen}");
    let counter = Arc::new(AtomicU64::new(0));
    let (stopping, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    continue;
                };
                let counter = Arc::clone(&counter);
                connections.spawn(serve(stream, listen, counter, stopped.clone()));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    let _ = tokio::time::timeout(STOP_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

async fn serve(
    mut s: TcpStream,
    me: SocketAddr,
    counter: Arc<AtomicU64>,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = s.set_nodelay(true);
    let mut buf = Vec::with_capacity(1024);
    loop {
        // Read one request head; an idle connection closes when stopping.
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            if buf.len() > 64 * 1024 {
                return;
            }
            let mut chunk = [0u8; 4096];
            let read = tokio::select! {
                read = s.read(&mut chunk) => read,
                _ = stopping.wait_for(|stop| *stop), if buf.is_empty() => return,
            };
            match read {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let target = head.split_whitespace().nth(1).unwrap_or("/");
        let close = head.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("connection:") && l.contains("close")
        }) || head.starts_with("GET / HTTP/1.0")
            || head.contains(" HTTP/1.0\r\n")
            || *stopping.borrow();
        let (status, body) = respond(target, me, &counter);
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n{body}",
            body.len(),
            if close { "close" } else { "keep-alive" }
        );
        if s.write_all(response.as_bytes()).await.is_err() || close {
            return;
        }
    }
}

fn respond(target: &str, me: SocketAddr, counter: &AtomicU64) -> (&'static str, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/health" => ("200 OK", "\"ok\"".into()),
        "/sample" | "/" => {
            let name = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("name="))
                .filter(|n| !n.is_empty())
                .unwrap_or("Stranger");
            let name: String = name
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
                .collect();
            let id = counter.fetch_add(1, Ordering::Relaxed) + 1;
            (
                "200 OK",
                format!("{{\"id\":{id},\"content\":\"Hello, {name}!\",\"backend\":\"{me}\"}}"),
            )
        }
        _ => ("404 Not Found", "{\"error\":\"not found\"}".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(s: &mut TcpStream) -> String {
        s.write_all(b"GET /sample HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    /// Stopping closes idle keep-alive connections and the listener, and
    /// the greeter returns: a balancer's next connect is refused (which it
    /// retries elsewhere) instead of an answer being cut off.
    #[tokio::test]
    async fn a_stop_closes_idle_connections_and_stops_listening() {
        let addr: SocketAddr = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let greeter = tokio::spawn(run_until(addr, async {
            let _ = stopped.await;
        }));
        let mut idle = loop {
            if let Ok(s) = TcpStream::connect(addr).await {
                break s;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(get(&mut idle).await.contains("Connection: keep-alive"));
        stop.send(()).unwrap();
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut rest))
            .await
            .unwrap();
        assert!(closed.is_ok() && rest.is_empty(), "{closed:?} {rest:?}");
        tokio::time::timeout(Duration::from_secs(10), greeter)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(TcpStream::connect(addr).await.is_err(), "still listening");
    }
}
