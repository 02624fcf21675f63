//! The dev cluster's own API routes (`/v1/dev/...`), served next to the
//! registry's API by `flotta agent --dev`, and the small client
//! `flotta machine crash` uses to reach them.
//!
//! | path | method | does |
//! |---|---|---|
//! | `/v1/dev/machines` | GET | the machines, whether they run, which one's engine leads |
//! | `/v1/dev/machines/{id}/crash` | POST | power loss: agent aborted, units SIGKILLed, lease left to lapse |
//! | `/v1/dev/machines/{id}/restart` | POST | boots a crashed machine again |

// TODO(api-v1): mount through flotta_api::ApiOptions.extra and use
// flotta_api::remote for the client once they exist.

use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use flotta_agent::dev::{DevCluster, DevError};
use flotta_registry::kv::KvBackend;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

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

/// `POST path` on the API at `endpoint` (`http://HOST:PORT` or
/// `unix:/path`); returns the status and the JSON body.
pub async fn call(endpoint: &str, path: &str) -> anyhow::Result<(u16, Value)> {
    let unreachable = || {
        format!(
            "no flotta API at {endpoint}: start one with `flotta agent --dev --machines 3` \
             or pass --endpoint"
        )
    };
    let request = |host: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
    };
    let raw = if let Some(sock) = endpoint.strip_prefix("unix:") {
        let stream = tokio::net::UnixStream::connect(sock)
            .await
            .with_context(unreachable)?;
        exchange(stream, &request("localhost")).await?
    } else if let Some(rest) = endpoint.strip_prefix("http://") {
        let authority = rest.trim_end_matches('/');
        let stream = tokio::net::TcpStream::connect(authority)
            .await
            .with_context(unreachable)?;
        exchange(stream, &request(authority)).await?
    } else {
        // TODO(api-v1): https:// through flotta_api::remote.
        bail!("--endpoint {endpoint:?}: expected http://HOST:PORT or unix:/path");
    };
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw.as_str(), ""));
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{endpoint} did not answer HTTP"))?;
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    Ok((status, body))
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &str,
) -> anyhow::Result<String> {
    let io = async {
        stream.write_all(request.as_bytes()).await?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await?;
        std::io::Result::Ok(out)
    };
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), io)
        .await
        .context("the API did not answer within 30 s")?
        .context("talking to the API")?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
