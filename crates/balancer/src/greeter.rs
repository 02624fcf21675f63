//! The seed's sample application, as a tiny HTTP backend for demos and
//! balancer tests: `GET /sample` answers
//! `{"id":N,"content":"Hello, Stranger!","backend":"ADDR"}` (`?name=X` greets
//! X), `GET /health` answers `"ok"`; HTTP/1.1 with keep-alive.
//!
//! ```no_run
//! # async fn demo() -> Result<(), flotta_balancer::BalancerError> {
//! flotta_balancer::greeter::run("127.0.0.1:8080".parse().unwrap()).await
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::BalancerError;

/// Listens on `listen` and answers until the task is dropped.
///
/// # Errors
/// The address cannot be bound.
pub async fn run(listen: SocketAddr) -> Result<(), BalancerError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(BalancerError::io(format!("listening on {listen}")))?;
    tracing::info!("greeter listening on {listen}");
    let counter = Arc::new(AtomicU64::new(0));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let counter = Arc::clone(&counter);
        tokio::spawn(serve(stream, listen, counter));
    }
}

async fn serve(mut s: TcpStream, me: SocketAddr, counter: Arc<AtomicU64>) {
    let _ = s.set_nodelay(true);
    let mut buf = Vec::with_capacity(1024);
    loop {
        // Read one request head.
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            if buf.len() > 64 * 1024 {
                return;
            }
            let mut chunk = [0u8; 4096];
            match s.read(&mut chunk).await {
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
            || head.contains(" HTTP/1.0\r\n");
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
