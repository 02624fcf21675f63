//! flotta's HTTP API, starting with fleet's API v1 so that existing fleet
//! clients work against a flotta cluster.
//!
//! Routes, JSON shapes, status codes, pagination tokens and the error body
//! follow fleet (`../shared/reference/fleet-semantics.md`, section 2), under
//! both `/fleet/v1` and `/v1-alpha`:
//!
//! | path | methods |
//! |---|---|
//! | `/fleet/v1/discovery` | GET |
//! | `/fleet/v1/units` | GET (paged) |
//! | `/fleet/v1/units/{name}` | GET, PUT, DELETE |
//! | `/fleet/v1/state` | GET (`machineID`, `unitName` filters; paged) |
//! | `/fleet/v1/state/{name}` | GET |
//! | `/fleet/v1/machines` | GET (paged) |
//!
//! Errors are `{"error":{"code":N,"message":"…"}}`. Bodies are capped at
//! [`MAX_BODY`]. The server binds where it is told; `flotta agent` defaults
//! to loopback.
//!
//! # Example: serve the API, create a unit with fleet's JSON
//!
//! ```
//! use flotta_registry::{MemoryBackend, Registry};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! /// One HTTP/1.1 exchange; the answer as text.
//! async fn http(addr: std::net::SocketAddr, request: &str) -> std::io::Result<String> {
//!     let mut conn = tokio::net::TcpStream::connect(addr).await?;
//!     conn.write_all(request.as_bytes()).await?;
//!     let mut answer = String::new();
//!     conn.read_to_string(&mut answer).await?;
//!     Ok(answer)
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let registry = Registry::new(MemoryBackend::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! tokio::spawn(flotta_api::serve(listener, registry.clone()));
//!
//! let body = r#"{"desiredState":"inactive","options":[{"section":"Service","name":"ExecStart","value":"/bin/true"}]}"#;
//! let put = format!(
//!     "PUT /fleet/v1/units/hello.service HTTP/1.1\r\nHost: flotta\r\nConnection: close\r\n\
//!      Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
//!     body.len()
//! );
//! assert!(http(addr, &put).await?.starts_with("HTTP/1.1 201"));
//! assert!(registry.unit("hello.service").await?.is_some());
//!
//! let get = "GET /fleet/v1/units/nope.service HTTP/1.1\r\nHost: flotta\r\nConnection: close\r\n\r\n";
//! assert!(http(addr, get).await?.ends_with(r#"{"error":{"code":404,"message":"unit does not exist"}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod fleet;
mod page;

use axum::Router;
use flotta_registry::Registry;
use flotta_registry::kv::KvBackend;

pub use fleet::MAX_BODY;

/// The API's routes over `registry`.
pub fn router<B: KvBackend + Clone + Send + Sync + 'static>(registry: Registry<B>) -> Router {
    fleet::routes(registry)
}

/// Serves the API on `listener` until the task is dropped.
///
/// # Errors
/// The listener fails.
pub async fn serve<B: KvBackend + Clone + Send + Sync + 'static>(
    listener: tokio::net::TcpListener,
    registry: Registry<B>,
) -> std::io::Result<()> {
    axum::serve(listener, router(registry)).await
}
