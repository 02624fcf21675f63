//! Typed `/v1` routes over the registry: endpoints, the plan, why a unit
//! is where it is, drains and unit journals.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use flotta_agent::journal::Journal;
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Decision, Drain, Endpoint};
use flotta_registry::{Registry, RegistryError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::fleet::query;
use crate::v1::{body, error, invalid, json, registry_error};
use crate::wire::{DeletedReply, ErrorBody, RevisionReply};

/// How often a followed journal is checked for new lines.
const JOURNAL_POLL: Duration = Duration::from_millis(200);

/// `GET /v1/services/{service}/endpoints`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Endpoints {
    /// The service's endpoints, in key order.
    pub items: Vec<Endpoint>,
    /// Stored endpoints that did not decode, with why.
    #[serde(default)]
    pub skipped: Vec<String>,
}

/// `GET /v1/units/{name}/why`: where a unit is and the engine's last word
/// on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Why {
    /// The unit.
    pub unit: String,
    /// The machine it is assigned to, if any.
    pub machine: Option<String>,
    /// Why the engine could not place it (absent once placed).
    pub decision: Option<Decision>,
}

/// `PUT /v1/machines/{id}/drain` body.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DrainBody {
    /// Why, in the operator's words.
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone)]
pub(crate) struct Ctx<B> {
    registry: Registry<B>,
    journals: Arc<BTreeMap<String, PathBuf>>,
}

/// The typed routes; `journals` maps machine IDs to agent state dirs.
pub(crate) fn routes<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    journals: BTreeMap<String, PathBuf>,
) -> Router {
    Router::new()
        .route("/v1/services/{service}/endpoints", get(endpoints::<B>))
        .route("/v1/plan", get(plan::<B>))
        .route("/v1/units/{name}/why", get(why::<B>))
        .route(
            "/v1/machines/{id}/drain",
            put(drain::<B>).delete(undrain::<B>),
        )
        .route("/v1/machines/{id}/units/{unit}/journal", get(journal::<B>))
        .with_state(Ctx {
            registry,
            journals: Arc::new(journals),
        })
}

#[utoipa::path(
    get,
    path = "/v1/services/{service}/endpoints",
    tag = "cluster",
    params(("service" = String, Path, description = "The service")),
    responses(
        (status = 200, description = "The service's endpoints", body = Endpoints),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn endpoints<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(service): Path<String>,
) -> Response {
    match c.registry.endpoints(&service).await {
        Ok(l) => json(&Endpoints {
            items: l.items,
            skipped: l.skipped.iter().map(ToString::to_string).collect(),
        }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    get,
    path = "/v1/plan",
    tag = "cluster",
    responses(
        (status = 200, description = "The scheduler's plan for the registry now: `actions`, `unplaced` (with explanations), `assignments`, `global` (flotta-scheduler's `Plan`)", body = Object),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn plan<B: KvBackend>(State(c): State<Ctx<B>>) -> Response {
    match flotta_engine::scheduler_input(&c.registry).await {
        Ok((desired, observed)) => json(&flotta_scheduler::plan(&desired, &observed)),
        Err(flotta_engine::EngineError::Registry { source, .. }) => registry_error(&source),
    }
}

#[utoipa::path(
    get,
    path = "/v1/units/{name}/why",
    tag = "cluster",
    params(("name" = String, Path, description = "The unit's name")),
    responses(
        (status = 200, description = "Where the unit is, and why not when unplaced", body = Why),
        (status = 404, description = "No such unit, assignment or decision", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn why<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(name): Path<String>,
) -> Response {
    let found = async {
        let unit = c.registry.unit(&name).await?;
        let machine = c.registry.placements().await?.remove(&name);
        let decision = c.registry.decision(&name).await?;
        Ok::<_, RegistryError>((unit, machine, decision))
    };
    match found.await {
        Ok((None, None, None)) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("unit {name:?} does not exist"),
        ),
        Ok((_, machine, decision)) => json(&Why {
            unit: name,
            machine,
            decision,
        }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    put,
    path = "/v1/machines/{id}/drain",
    tag = "cluster",
    params(("id" = String, Path, description = "The machine ID")),
    request_body(content = DrainBody, description = "Optional"),
    responses(
        (status = 200, description = "Drained: the engine moves its units elsewhere", body = RevisionReply),
        (status = 400, description = "A malformed body", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn drain<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let reason = match body::<DrainBody>(req).await {
        Ok(b) => b.unwrap_or_default().reason,
        Err(res) => return res,
    };
    if id.is_empty() {
        return invalid("machine", "empty ID");
    }
    let drain = Drain {
        machine: id,
        reason,
    };
    match c.registry.put_drain(&drain).await {
        Ok(revision) => json(&RevisionReply { revision }),
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    delete,
    path = "/v1/machines/{id}/drain",
    tag = "cluster",
    params(("id" = String, Path, description = "The machine ID")),
    responses(
        (status = 200, description = "Whether it was drained", body = DeletedReply),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn undrain<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path(id): Path<String>,
) -> Response {
    match c.registry.delete_drain(&id).await {
        Ok(deleted) => json(&DeletedReply { deleted }),
        Err(e) => registry_error(&e),
    }
}

/// The unit's journal as JSON lines (`at_us`, `stream`, `text`): the last
/// `lines` entries (default 10), then, with `follow=true`, new ones as they
/// are written until the client goes away.
#[utoipa::path(
    get,
    path = "/v1/machines/{id}/units/{unit}/journal",
    tag = "cluster",
    params(
        ("id" = String, Path, description = "The machine ID"),
        ("unit" = String, Path, description = "The unit's name"),
        ("lines" = Option<u64>, Query, description = "The last this many entries (default 10)"),
        ("follow" = Option<bool>, Query, description = "Then new entries as they are written, until the client goes away"),
    ),
    responses(
        (status = 200, description = "JSON lines: `{\"at_us\", \"stream\", \"text\"}`", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "A malformed `lines` or `follow`", body = ErrorBody),
        (status = 404, description = "This server does not hold that machine's journals, or it has none yet", body = ErrorBody),
        (status = 503, description = "The journal could not be read", body = ErrorBody),
    )
)]
pub(crate) async fn journal<B: KvBackend>(
    State(c): State<Ctx<B>>,
    Path((machine, unit)): Path<(String, String)>,
    req: Request,
) -> Response {
    // The name becomes a file name under the agent's state dir.
    if let Err(e) = flotta_unit_spec::UnitName::parse(&unit) {
        return invalid("unit name", e.to_string());
    }
    let Some(state_dir) = c.journals.get(&machine) else {
        let known: Vec<&str> = c.journals.keys().map(String::as_str).collect();
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "this server does not hold the journals of machine {machine}; ask the API of \
                 that machine's agent (this one serves: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        );
    };
    let q = query(req.uri().query());
    let lines = match q.get("lines").and_then(|v| v.last()) {
        None => 10,
        Some(n) => match n.parse::<usize>() {
            Ok(n) => n,
            Err(e) => return invalid("query parameter lines", format!("{n:?}: {e}")),
        },
    };
    let follow = match q.get("follow").and_then(|v| v.last()).map(String::as_str) {
        None | Some("false" | "0") => false,
        Some("true" | "1" | "") => true,
        Some(other) => {
            return invalid(
                "query parameter follow",
                format!("{other:?}: expected true or false"),
            );
        }
    };
    let dir = state_dir.join("journal");
    if !dir.is_dir() {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("machine {machine} has no journal yet"),
        );
    }
    let read = || -> Result<_, flotta_agent::AgentError> {
        let journal = Journal::open(&dir, u64::MAX)?;
        // Follow from the end before reading, so nothing falls between.
        let tail = journal.follow(&unit)?;
        let entries = journal.read(&unit, Some(lines), None)?;
        Ok((tail, entries))
    };
    let (tail, entries) = match read() {
        Ok(r) => r,
        Err(e) => {
            return registry_error(&RegistryError::Backend(format!(
                "journal of {unit} on {machine}: {e}"
            )));
        }
    };
    let head = futures::stream::once(futures::future::ready(Ok::<_, std::io::Error>(json_lines(
        &entries,
    ))));
    let body = if follow {
        // Ends after an error; the client's going away drops it.
        let more = futures::stream::unfold(Some(tail), |tail| async move {
            let mut tail = tail?;
            match tail.next(JOURNAL_POLL).await {
                Ok(got) => Some((Ok(json_lines(&got)), Some(tail))),
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        });
        Body::from_stream(futures::StreamExt::chain(head, more))
    } else {
        Body::from_stream(head)
    };
    ([(CONTENT_TYPE, "application/x-ndjson")], body).into_response()
}

fn json_lines(entries: &[flotta_agent::journal::Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
        out.push('\n');
    }
    out
}
