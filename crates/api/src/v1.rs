//! flotta's own API: raw keys, leases and watches (the wire protocol of
//! [`crate::remote::Remote`]), plus typed routes over the registry.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use flotta_registry::kv::{Condition, KvBackend};
use flotta_registry::{Registry, RegistryError};
use futures::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fleet::{MAX_BODY, query};
use crate::keyspace::{self, Refused, Write};
use flotta_registry::kv::{KeyValue, TxnOutcome};

use crate::wire::{
    DeleteBody, DeletedReply, ErrorBody, ErrorDetail, GrantBody, LeaseReply, PutBody,
    RevisionReply, TtlReply, TxnBody, WireCondition, WirePage,
};

/// How often an idle watch sends an SSE comment, so proxies and clients see
/// a live connection.
pub(crate) const WATCH_KEEPALIVE: Duration = Duration::from_secs(15);

/// Largest page a `GET /v1/kv?prefix=` returns.
const MAX_LIMIT: usize = 10_000;

/// An error body with `code`, `kind` and `message`.
pub(crate) fn error(code: StatusCode, kind: &str, message: impl Into<String>) -> Response {
    detail(ErrorDetail {
        code: code.as_u16(),
        kind: kind.into(),
        message: message.into(),
        ..ErrorDetail::default()
    })
}

fn detail(error: ErrorDetail) -> Response {
    let code = StatusCode::from_u16(error.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, axum::Json(ErrorBody { error })).into_response()
}

/// A registry error with its variant, so the client rebuilds it.
pub(crate) fn registry_error(e: &RegistryError) -> Response {
    if matches!(e, RegistryError::Backend(_)) {
        tracing::warn!("api: registry: {e}");
    }
    detail(ErrorDetail::from_registry(e))
}

/// A 400 naming what was wrong, as an `invalid` registry error.
pub(crate) fn invalid(what: &str, reason: impl Into<String>) -> Response {
    registry_error(&RegistryError::Invalid {
        what: what.into(),
        reason: reason.into(),
    })
}

pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

/// A write the keyspace rules refused, as its status.
fn refusal(refused: Refused) -> Response {
    match refused {
        Refused::Invalid { what, reason } => invalid(&what, reason),
        Refused::Forbidden(message) => error(StatusCode::FORBIDDEN, "forbidden", message),
        Refused::Registry(e) => registry_error(&e),
    }
}

/// The routes' state: the registry, and whether raw writes are kept out of
/// its keys.
#[derive(Clone)]
pub(crate) struct Ctx<B> {
    registry: Registry<B>,
    confined: bool,
}

impl<B: Clone> axum::extract::FromRef<Ctx<B>> for Registry<B> {
    fn from_ref(c: &Ctx<B>) -> Registry<B> {
        c.registry.clone()
    }
}

impl<B: KvBackend> Ctx<B> {
    async fn check(&self, write: &Write<'_>) -> Result<(), Response> {
        if !self.confined {
            return Ok(());
        }
        keyspace::check(&self.registry, write)
            .await
            .map_err(refusal)
    }
}

/// The raw-key, lease and watch routes; with `confined`, raw writes keep
/// to the user's keyspace.
pub(crate) fn routes<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    confined: bool,
) -> Router {
    Router::new()
        .route("/v1/kv", get(list::<B>))
        .route(
            "/v1/kv/{*key}",
            get(get_key::<B>).put(put_key::<B>).delete(delete_key::<B>),
        )
        .route("/v1/leases", post(grant::<B>))
        .route("/v1/leases/{id}/keepalive", post(keep_alive::<B>))
        .route("/v1/leases/{id}", axum::routing::delete(revoke::<B>))
        .route("/v1/txn", post(txn::<B>))
        .route("/v1/revision", get(revision::<B>))
        .route("/v1/watch", get(watch::<B>))
        .with_state(Ctx { registry, confined })
}

/// Reads a JSON body (at most [`MAX_BODY`]); an empty body is `None`.
/// Errors name the field: `ttl_ms: invalid type: string "x", expected u64`.
pub(crate) async fn body<T: DeserializeOwned>(req: Request) -> Result<Option<T>, Response> {
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| {
            error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("request body larger than {MAX_BODY} bytes"),
            )
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de).map(Some).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            invalid("request body", e.inner().to_string())
        } else {
            invalid("request body", format!("{path}: {}", e.inner()))
        }
    })
}

/// A `u64` query parameter, or a 400 naming it.
fn number(
    q: &std::collections::BTreeMap<String, Vec<String>>,
    name: &str,
) -> Result<Option<u64>, RegistryError> {
    match q.get(name).and_then(|v| v.last()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|e| RegistryError::Invalid {
            what: format!("query parameter {name}"),
            reason: format!("{v:?}: {e}"),
        }),
    }
}

#[utoipa::path(
    get,
    path = "/v1/kv/{key}",
    tag = "kv",
    params(("key" = String, Path, description = "The key, `/` included (its last segments may hold more `/`)")),
    responses(
        (status = 200, description = "The key", body = KeyValue),
        (status = 404, description = "No such key", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn get_key<B: KvBackend>(
    State(r): State<Registry<B>>,
    Path(key): Path<String>,
) -> Response {
    match r.backend().get(&key).await {
        Ok(Some(kv)) => json(&kv),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{key}: not found"),
        ),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    get,
    path = "/v1/kv",
    tag = "kv",
    operation_id = "list_keys",
    params(
        ("prefix" = Option<String>, Query, description = "Only keys that start with this (default: all)"),
        ("after" = Option<String>, Query, description = "Only keys after this one: the last key of the previous page"),
        ("limit" = Option<u64>, Query, description = "At most this many keys (1 to 10000, the default)"),
    ),
    responses(
        (status = 200, description = "One page of keys, in order", body = WirePage),
        (status = 400, description = "A malformed `limit`", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn list<B: KvBackend>(State(r): State<Registry<B>>, req: Request) -> Response {
    let q = query(req.uri().query());
    let prefix = q
        .get("prefix")
        .and_then(|v| v.last())
        .cloned()
        .unwrap_or_default();
    let after = q.get("after").and_then(|v| v.last()).cloned();
    let limit = match number(&q, "limit") {
        Ok(l) => l.map_or(MAX_LIMIT, |l| (l as usize).clamp(1, MAX_LIMIT)),
        Err(e) => return registry_error(&e),
    };
    match r.backend().range(&prefix, after.as_deref(), limit).await {
        Ok(page) => json(&WirePage::from(page)),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    put,
    path = "/v1/kv/{key}",
    tag = "kv",
    params(("key" = String, Path, description = "The key, `/` included (its last segments may hold more `/`)")),
    request_body = PutBody,
    responses(
        (status = 200, description = "Written", body = RevisionReply),
        (status = 400, description = "A missing or malformed body, or an invalid record for a key of the cluster's", body = ErrorBody),
        (status = 403, description = "A key of the cluster's own that clients may not write, or a read token", body = ErrorBody),
        (status = 404, description = "No such lease", body = ErrorBody),
        (status = 409, description = "The condition did not hold", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn put_key<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(key): Path<String>,
    req: Request,
) -> Response {
    let put: PutBody = match body(req).await {
        Ok(Some(b)) => b,
        Ok(None) => return invalid("request body", "missing; expected {\"value\": ...}"),
        Err(res) => return res,
    };
    let write = Write::Put {
        key: &key,
        value: &put.value,
        lease: put.lease,
    };
    if let Err(res) = c.check(&write).await {
        return res;
    }
    match c
        .registry
        .backend()
        .put(&key, &put.value, put.lease, put.condition.into())
        .await
    {
        Ok(revision) => json(&RevisionReply { revision }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    delete,
    path = "/v1/kv/{key}",
    tag = "kv",
    params(
        ("key" = String, Path, description = "The key, `/` included (its last segments may hold more `/`)"),
        ("mod_revision" = Option<u64>, Query, description = "Only if the key's last change was at this revision"),
        ("condition" = Option<String>, Query, description = "`always` or `absent`; the query wins over a body"),
    ),
    request_body(content = DeleteBody, description = "Optional: the condition, when not in the query"),
    responses(
        (status = 200, description = "Whether there was a key to delete", body = DeletedReply),
        (status = 400, description = "A malformed condition or body", body = ErrorBody),
        (status = 403, description = "A key of the cluster's own that clients may not delete, or a read token", body = ErrorBody),
        (status = 409, description = "The condition did not hold", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn delete_key<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(key): Path<String>,
    req: Request,
) -> Response {
    let q = query(req.uri().query());
    let from_query = match (
        number(&q, "mod_revision"),
        q.get("condition").and_then(|v| v.last()),
    ) {
        (Err(e), _) => return registry_error(&e),
        (Ok(Some(rev)), _) => Some(Condition::ModRevision(rev)),
        (Ok(None), Some(c)) if c == "absent" => Some(Condition::Absent),
        (Ok(None), Some(c)) if c == "always" => Some(Condition::Always),
        (Ok(None), Some(c)) => {
            return invalid(
                "query parameter condition",
                format!("{c:?}: expected \"always\" or \"absent\" (or mod_revision=N)"),
            );
        }
        (Ok(None), None) => None,
    };
    let from_body = match body::<DeleteBody>(req).await {
        Ok(b) => b.map(|b| Condition::from(b.condition)),
        Err(res) => return res,
    };
    let condition = from_query
        .or(from_body)
        .unwrap_or(WireCondition::Always.into());
    if let Err(res) = c.check(&Write::Delete { key: &key }).await {
        return res;
    }
    match c.registry.backend().delete(&key, condition).await {
        Ok(deleted) => json(&DeletedReply { deleted }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    post,
    path = "/v1/txn",
    tag = "kv",
    request_body = TxnBody,
    responses(
        (status = 200, description = "Whether the comparisons held (and the writes were made)", body = TxnOutcome),
        (status = 400, description = "A missing or malformed body, a key written twice, or an invalid record", body = ErrorBody),
        (status = 403, description = "A write to a key of the cluster's own that clients may not write, or a read token", body = ErrorBody),
        (status = 404, description = "No such lease", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn txn<B: KvBackend>(State(c): State<Ctx<B>>, req: Request) -> Response {
    let t: TxnBody = match body(req).await {
        Ok(Some(b)) => b,
        Ok(None) => {
            return invalid(
                "request body",
                "missing; expected {\"compares\": [...], \"ops\": [...]}",
            );
        }
        Err(res) => return res,
    };
    for op in &t.ops {
        if let Err(res) = c.check(&Write::from(op)).await {
            return res;
        }
    }
    match c.registry.backend().txn(&t.compares, &t.ops).await {
        Ok(outcome) => json(&outcome),
        Err(e) => registry_error(&e),
    }
}

fn lease_id(id: &str) -> Result<u64, RegistryError> {
    id.parse().map_err(|e| RegistryError::Invalid {
        what: "lease id".into(),
        reason: format!("{id:?}: {e}"),
    })
}

#[utoipa::path(
    post,
    path = "/v1/leases",
    tag = "leases",
    request_body = GrantBody,
    responses(
        (status = 200, description = "The new lease", body = LeaseReply),
        (status = 400, description = "A missing or malformed body, or a zero TTL", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn grant<B: KvBackend>(State(r): State<Registry<B>>, req: Request) -> Response {
    let g: GrantBody = match body(req).await {
        Ok(Some(b)) => b,
        Ok(None) => return invalid("request body", "missing; expected {\"ttl_ms\": N}"),
        Err(res) => return res,
    };
    if g.ttl_ms == 0 {
        return invalid("ttl_ms", "must be at least 1");
    }
    match r.backend().grant(Duration::from_millis(g.ttl_ms)).await {
        Ok(id) => json(&LeaseReply { id }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    post,
    path = "/v1/leases/{id}/keepalive",
    tag = "leases",
    params(("id" = u64, Path, description = "The lease")),
    responses(
        (status = 200, description = "Renewed", body = TtlReply),
        (status = 400, description = "A malformed lease ID", body = ErrorBody),
        (status = 404, description = "No such lease (it expired)", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn keep_alive<B: KvBackend>(
    State(r): State<Registry<B>>,
    Path(id): Path<String>,
) -> Response {
    let id = match lease_id(&id) {
        Ok(id) => id,
        Err(e) => return registry_error(&e),
    };
    match r.backend().keep_alive(id).await {
        Ok(ttl) => json(&TtlReply {
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
        }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    delete,
    path = "/v1/leases/{id}",
    tag = "leases",
    params(("id" = u64, Path, description = "The lease")),
    responses(
        (status = 204, description = "Revoked, and its keys deleted"),
        (status = 400, description = "A malformed lease ID", body = ErrorBody),
        (status = 404, description = "No such lease", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn revoke<B: KvBackend>(
    State(r): State<Registry<B>>,
    Path(id): Path<String>,
) -> Response {
    let id = match lease_id(&id) {
        Ok(id) => id,
        Err(e) => return registry_error(&e),
    };
    match r.backend().revoke(id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    get,
    path = "/v1/revision",
    tag = "kv",
    responses(
        (status = 200, description = "The store's current revision", body = RevisionReply),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn revision<B: KvBackend>(State(r): State<Registry<B>>) -> Response {
    match r.backend().revision().await {
        Ok(revision) => json(&RevisionReply { revision }),
        Err(e) => registry_error(&e),
    }
}

/// Server-sent events: one [`flotta_registry::kv::Event`] per `data:` line,
/// `id:` its revision; an error ends the stream with `event: error`.
/// Resuming from `Last-Event-ID` + 1 assumes the last revision was seen
/// whole; a backend that writes several keys in one revision (an etcd lease
/// expiry) can lose the rest of it if the connection drops in between, so
/// a careful client resumes from the last revision and skips what it saw.
#[utoipa::path(
    get,
    path = "/v1/watch",
    tag = "kv",
    params(
        ("prefix" = Option<String>, Query, description = "Only keys that start with this (default: all)"),
        ("from" = Option<u64>, Query, description = "Start at this revision (default: changes from now on)"),
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this revision (wins over `from`)"),
    ),
    responses(
        (status = 200, description = "Server-sent events: `id:` a revision, `data:` an `Event` (see its schema); an error ends the stream with `event: error` and an `ErrorBody`", content_type = "text/event-stream", body = crate::wire::WatchFrame),
        (status = 400, description = "A malformed `from` or `Last-Event-ID`", body = ErrorBody),
        (status = 410, description = "`from` was compacted away", body = ErrorBody),
        (status = 503, description = "The backend is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn watch<B: KvBackend>(State(r): State<Registry<B>>, req: Request) -> Response {
    let q = query(req.uri().query());
    let prefix = q
        .get("prefix")
        .and_then(|v| v.last())
        .cloned()
        .unwrap_or_default();
    let mut from = match number(&q, "from") {
        Ok(f) => f.unwrap_or(0),
        Err(e) => return registry_error(&e),
    };
    // A browser-style reconnect: resume after the last event seen.
    if let Some(last) = req.headers().get("last-event-id") {
        match last
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            Some(id) => from = id + 1,
            None => return invalid("Last-Event-ID", "expected a revision number"),
        }
    }
    let events = match r.backend().watch(&prefix, from).await {
        Ok(s) => s,
        Err(e) => return registry_error(&e),
    };
    let stream = events
        .scan(false, |failed, item| {
            let out = if *failed {
                None
            } else {
                Some(match item {
                    Ok(ev) => match serde_json::to_string(&ev) {
                        Ok(data) => SseEvent::default()
                            .id(ev.kv.mod_revision.to_string())
                            .data(data),
                        Err(e) => error_event(&RegistryError::Backend(e.to_string())),
                    },
                    Err(e) => {
                        *failed = true;
                        error_event(&e)
                    }
                })
            };
            futures::future::ready(out)
        })
        .map(Ok::<_, Infallible>);
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(WATCH_KEEPALIVE))
        .into_response();
    res.headers_mut().insert(
        CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/event-stream"),
    );
    res
}

fn error_event(e: &RegistryError) -> SseEvent {
    let body = ErrorBody {
        error: ErrorDetail::from_registry(e),
    };
    SseEvent::default()
        .event("error")
        .data(serde_json::to_string(&body).unwrap_or_default())
}
