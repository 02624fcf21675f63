//! The dev cluster's own API routes (`/v1/dev/...`), served next to the
//! registry's API by `flotta agent --dev` (behind its token and TLS, like
//! the rest); `flotta machine crash|restart` calls them.
//!
//! | path | method | does |
//! |---|---|---|
//! | `/v1/dev/machines` | GET | the machines, whether they run, which one's engine leads |
//! | `/v1/dev/machines/{id}/crash` | POST | power loss: agent aborted, units SIGKILLed, lease left to lapse |
//! | `/v1/dev/machines/{id}/restart` | POST | boots a crashed machine again |

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use flotta_agent::dev::{DevCluster, DevError};
use flotta_registry::kv::KvBackend;
use serde_json::{Value, json};

type Cluster<B> = Arc<DevCluster<B>>;

/// The `/v1/dev` routes over `cluster`.
pub fn routes<B: KvBackend + Clone + Send + Sync + 'static>(cluster: Cluster<B>) -> axum::Router {
    axum::Router::new()
        .route("/v1/dev/machines", get(machines::<B>))
        .route("/v1/dev/machines/{id}/crash", post(crash::<B>))
        .route("/v1/dev/machines/{id}/restart", post(restart::<B>))
        .with_state(cluster)
}

fn error(code: StatusCode, message: String) -> Response {
    (
        code,
        Json(json!({"error": {"code": code.as_u16(), "message": message}})),
    )
        .into_response()
}

fn dev_error(e: &DevError) -> Response {
    let code = match e {
        DevError::NoSuchMachine(_) => StatusCode::NOT_FOUND,
        DevError::Ambiguous { .. } | DevError::NotRunning(_) => StatusCode::CONFLICT,
        DevError::MachineCount(_) | DevError::Agent(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(code, e.to_string())
}

async fn machines<B: KvBackend + Clone + Send + Sync + 'static>(
    State(cluster): State<Cluster<B>>,
) -> Response {
    let leader = match cluster.registry().leader(flotta_engine::ELECTION).await {
        Ok(l) => l.map(|(id, _)| id),
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    let machines: Vec<Value> = cluster
        .machines()
        .into_iter()
        .map(|m| {
            let leads = leader.as_deref() == Some(m.id.as_str()) && m.running;
            let mut v = serde_json::to_value(&m).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("leader".into(), json!(leads));
            }
            v
        })
        .collect();
    Json(json!({ "machines": machines })).into_response()
}

async fn crash<B: KvBackend + Clone + Send + Sync + 'static>(
    State(cluster): State<Cluster<B>>,
    Path(id): Path<String>,
) -> Response {
    let id = match cluster.resolve(&id) {
        Ok(id) => id,
        Err(e) => return dev_error(&e),
    };
    match cluster.crash(&id).await {
        Ok(killed) => Json(json!({"machine": id, "killed": killed})).into_response(),
        Err(e) => dev_error(&e),
    }
}

async fn restart<B: KvBackend + Clone + Send + Sync + 'static>(
    State(cluster): State<Cluster<B>>,
    Path(id): Path<String>,
) -> Response {
    let id = match cluster.resolve(&id) {
        Ok(id) => id,
        Err(e) => return dev_error(&e),
    };
    match cluster.restart(&id) {
        Ok(()) => Json(json!({"machine": id})).into_response(),
        Err(e) => dev_error(&e),
    }
}
