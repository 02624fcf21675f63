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
//! ```no_run
//! use flotta_registry::{MemoryBackend, Registry};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let registry = Registry::new(MemoryBackend::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! flotta_api::serve(listener, registry).await
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod fleet;
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

pub use fleet::MAX_BODY;
pub use serve::{
    ApiListener, DEFAULT_ADDR, Listen, TlsFiles, check_exposure, serve_listener, serve_on,
};

/// What a server adds to the routes over its registry.
#[derive(Default)]
pub struct ApiOptions {
    /// Required as `Authorization: Bearer <token>` on every route when set.
    pub token: Option<String>,
    /// Agent state directories by machine ID, for the machines whose unit
    /// journals this server can read.
    pub journals: BTreeMap<String, PathBuf>,
    /// More routes, merged in behind the same token check (must not have a
    /// fallback of its own).
    pub extra: Option<Router>,
}

/// The API's routes over `registry`, with no token.
pub fn router<B: KvBackend + Clone + Send + Sync + 'static>(registry: Registry<B>) -> Router {
    router_with(registry, ApiOptions::default())
}

/// The API's routes over `registry`: fleet's API v1, flotta's `/v1`, and
/// `options.extra`, all behind `options.token` when set.
pub fn router_with<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    options: ApiOptions,
) -> Router {
    let mut router = fleet::routes(registry.clone()).merge(v1::routes(registry));
    if let Some(extra) = options.extra {
        router = router.merge(extra);
    }
    match options.token {
        Some(token) => router.layer(axum::middleware::from_fn_with_state(
            Arc::<str>::from(token),
            serve::require_token,
        )),
        None => router,
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
