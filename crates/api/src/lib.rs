//! flotta's HTTP API, starting with fleet's API v1 so that existing fleet
//! clients work against a flotta cluster.
//!
//! Routes, JSON shapes, status codes, pagination tokens and the error body
//! follow fleet (coreos/fleet's `api` package and `Documentation/api-v1.md`), under
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
//! [`MAX_BODY`].
//!
//! flotta's own `/v1` adds raw keys, leases and a server-sent-event watch
//! (the wire protocol of [`remote::Remote`], a `KvBackend` over HTTP, so a
//! `Registry<Remote>` behaves like a registry on the server's backend),
//! and typed routes: endpoints, the scheduler's plan, why a unit is where
//! it is, drains and unit journals. See the crate's README for the table.
//!
//! [`openapi`] describes every route in an OpenAPI 3 document, made from
//! the handlers' annotations and types; the server answers it at
//! `GET /v1/openapi.json`, and `docs/openapi.json` is a copy a test keeps
//! equal.
//!
//! An agent serves the API on a unix socket only its user can open
//! ([`discover::DEFAULT_SOCKET`]); [`router_with`] puts bearer tokens on
//! every route — a write token, and a read token that can only list, get and
//! watch — compared in constant time; [`token_file`] keeps a generated one;
//! [`serve_on`] serves TCP or a unix socket, optionally over TLS; and
//! [`check_exposure`] refuses TCP without a token (and off loopback, without
//! TLS). Raw-key writes through `/v1/kv` and `/v1/txn` stay in the user's
//! keyspace: the cluster's own records change only through the registry's
//! typed operations.
//!
//! ```no_run
//! use flotta_api::{ApiOptions, Listen, TlsFiles, check_exposure, router_with, serve_on};
//! use flotta_registry::{MemoryBackend, Registry};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let listen: Listen = "0.0.0.0:4949".parse()?;
//! check_exposure(&listen, true, true)?;
//! let tls = TlsFiles { cert: "api.pem".into(), key: "api.key".into() };
//! let options = ApiOptions { token: Some("s3cret".into()), ..ApiOptions::default() };
//! let router = router_with(Registry::new(MemoryBackend::default()), options);
//! serve_on(&listen, router, Some(&tls)).await?;
//! # Ok(()) }
//! ```
//!
//! The plain form, as before:
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

mod access;
pub mod backend;
mod cluster;
pub mod discover;
mod fleet;
mod keyspace;
mod openapi;
mod page;
pub mod remote;
mod serve;
mod tls;
mod v1;
mod wire;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use flotta_registry::Registry;
use flotta_registry::kv::KvBackend;

pub use access::{Tokens, read_token_file, token_file};
pub use backend::ClusterBackend;
pub use cluster::{Endpoints, Why};
pub use fleet::MAX_BODY;
pub use openapi::openapi;
pub use serve::{
    ApiListener, DEFAULT_ADDR, Listen, TlsFiles, check_exposure, serve_listener, serve_on,
};

/// What a server adds to the routes over its registry.
#[derive(Default)]
pub struct ApiOptions {
    /// Required as `Authorization: Bearer <token>` on every route when set
    /// (with [`ApiOptions::read_token`], the one that may also write).
    pub token: Option<String>,
    /// A token that may list, get and watch (`GET`, `HEAD`), not change
    /// anything.
    pub read_token: Option<String>,
    /// Agent state directories by machine ID, for the machines whose unit
    /// journals this server can read.
    pub journals: BTreeMap<String, PathBuf>,
    /// More routes, merged in behind the same token check (must not have a
    /// fallback of its own).
    pub extra: Option<Router>,
    /// Lets raw writes (`/v1/kv`, `/v1/txn`) reach the cluster's own keys,
    /// for a server that is itself the control plane's store (the registry
    /// conformance suite runs over one). Off by default, and `flotta agent`
    /// never sets it: a client changes the cluster through its typed routes.
    pub raw_cluster_writes: bool,
}

/// The API's routes over `registry`, with no token.
pub fn router<B: KvBackend + Clone + Send + Sync + 'static>(registry: Registry<B>) -> Router {
    router_with(registry, ApiOptions::default())
}

/// The API's routes over `registry`: fleet's API v1, flotta's `/v1`, and
/// `options.extra`, all behind `options.token` and `options.read_token`
/// when either is set.
pub fn router_with<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    options: ApiOptions,
) -> Router {
    let mut router = fleet::routes(registry.clone())
        .merge(v1::routes(registry.clone(), !options.raw_cluster_writes))
        .merge(cluster::routes(registry, options.journals))
        .route("/v1/openapi.json", axum::routing::get(openapi::document));
    if let Some(extra) = options.extra {
        router = router.merge(extra);
    }
    let tokens = Tokens {
        write: options.token,
        read: options.read_token,
    };
    if tokens.any() {
        router.layer(axum::middleware::from_fn_with_state(
            Arc::new(tokens),
            access::require_token,
        ))
    } else {
        router
    }
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
