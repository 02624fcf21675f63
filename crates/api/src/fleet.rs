//! fleet's API v1 over the registry.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::header::{CONTENT_TYPE, SERVER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{MachineMetadata, TargetState, Unit};
use flotta_registry::{Registry, RegistryError};
use flotta_scheduler::UnitSpec;
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::options::UnitOption;
use flotta_unit_spec::syntax::UnitFile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::page;
use crate::wire::ErrorBody;

/// Largest request body accepted (bytes).
pub const MAX_BODY: usize = 1 << 20;

/// fleet's unit entity.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FleetUnit {
    /// The unit's name (`web@1.service`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    /// The unit file, one option per line of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<UnitOption>,
    /// `inactive`, `loaded` or `launched`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    desired_state: String,
    /// `launched` once it runs, `loaded` while placed, `inactive` otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    current_state: String,
    /// The machine it is placed on.
    #[serde(
        default,
        rename = "machineID",
        skip_serializing_if = "String::is_empty"
    )]
    machine_id: String,
}

/// A `PUT` body: any field may be missing or `null` (fleet clients send
/// `"desiredState": null` when creating).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FleetUnitIn {
    /// Must equal the name in the path when given.
    name: Option<String>,
    /// The unit file; required to create a unit, a different one replaces it.
    options: Option<Vec<UnitOption>>,
    /// `inactive`, `loaded` or `launched`; required to change an existing
    /// unit's state.
    desired_state: Option<String>,
}

/// What a machine reports of a unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FleetState {
    /// The unit.
    name: String,
    /// The hash of the unit file the machine runs.
    hash: String,
    /// The machine.
    #[serde(rename = "machineID")]
    machine_id: String,
    /// systemd's load state (`loaded`).
    #[serde(rename = "systemdLoadState")]
    load: String,
    /// systemd's active state (`active`, `failed`).
    #[serde(rename = "systemdActiveState")]
    active: String,
    /// systemd's sub-state (`running`, `dead`).
    #[serde(rename = "systemdSubState")]
    sub: String,
}

/// A machine of the cluster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FleetMachine {
    /// The machine ID.
    id: String,
    /// Its address.
    #[serde(
        default,
        rename = "primaryIP",
        skip_serializing_if = "String::is_empty"
    )]
    primary_ip: String,
    /// Its metadata, the first value of each key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    metadata: BTreeMap<String, String>,
}

/// `GET /fleet/v1/units`: one page; each field is left out when empty.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitPage {
    /// The units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    units: Vec<FleetUnit>,
    /// Asks for the next page; absent on the last.
    #[serde(
        default,
        rename = "nextPageToken",
        skip_serializing_if = "Option::is_none"
    )]
    next_page_token: Option<String>,
}

/// `GET /fleet/v1/state`: one page; each field is left out when empty.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnitStatePage {
    /// The states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    states: Vec<FleetState>,
    /// Asks for the next page; absent on the last.
    #[serde(
        default,
        rename = "nextPageToken",
        skip_serializing_if = "Option::is_none"
    )]
    next_page_token: Option<String>,
}

/// `GET /fleet/v1/machines`: one page; each field is left out when empty.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MachinePage {
    /// The machines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    machines: Vec<FleetMachine>,
    /// Asks for the next page; absent on the last.
    #[serde(
        default,
        rename = "nextPageToken",
        skip_serializing_if = "Option::is_none"
    )]
    next_page_token: Option<String>,
}

/// fleet's error body.
fn error(code: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({"error": {"code": code.as_u16(), "message": message.into()}});
    (code, axum::Json(body)).into_response()
}

fn registry_error(e: &RegistryError) -> Response {
    tracing::warn!("api: registry: {e}");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("registry unavailable: {e}"),
    )
}

fn json<T: Serialize>(value: &T) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

/// Every route, under `/fleet/v1` and `/v1-alpha`.
pub(crate) fn routes<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
) -> Router {
    let mut router = Router::new();
    for base in ["/fleet/v1", "/v1-alpha"] {
        router = router
            .route(&format!("{base}/discovery"), any(discovery))
            .route(&format!("{base}/units"), any(units::<B>))
            .route(&format!("{base}/units/{{name}}"), any(unit::<B>))
            .route(&format!("{base}/state"), any(states::<B>))
            .route(&format!("{base}/state/{{name}}"), any(state::<B>))
            .route(&format!("{base}/machines"), any(machines::<B>))
            .route(
                base,
                any(|| async { error(StatusCode::METHOD_NOT_ALLOWED, "") }),
            );
    }
    router
        .fallback(|| async { error(StatusCode::NOT_FOUND, "") })
        .layer(axum::middleware::map_response(
            |mut res: Response| async move {
                res.headers_mut().insert(
                    SERVER,
                    HeaderValue::from_static(concat!("flotta/", env!("CARGO_PKG_VERSION"))),
                );
                res
            },
        ))
        .with_state(registry)
}

#[utoipa::path(
    get,
    path = "/fleet/v1/discovery",
    tag = "fleet",
    responses(
        (status = 200, description = "A Google API discovery document of these routes, which fleet's clients bind through", body = Object),
    )
)]
pub(crate) async fn discovery(method: Method) -> Response {
    if method != Method::GET {
        return error(
            StatusCode::BAD_REQUEST,
            "only HTTP GET supported against this resource",
        );
    }
    json(&discovery_document())
}

/// A Google API discovery document for the routes above, which is how
/// fleet's clients (Go's and Python's `fleet` package) bind to the API.
/// `$ENDPOINT` is left for the client to fill in, as fleet did.
fn discovery_document() -> serde_json::Value {
    use serde_json::json;
    let string = json!({"type": "string"});
    let states = json!({"type": "string", "enum": ["inactive", "loaded", "launched"]});
    let page_of = |item: &str, key: &str| {
        json!({
            "id": format!("{item}Page"),
            "type": "object",
            "properties": {
                key: {"type": "array", "items": {"$ref": item}},
                "nextPageToken": string,
            }
        })
    };
    let unit_name = json!({"unitName": {"type": "string", "location": "path", "required": true}});
    let page_token = json!({"type": "string", "location": "query"});
    json!({
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "fleet:v1",
        "name": "fleet",
        "version": "v1",
        "title": "fleet API v1, served by flotta",
        "protocol": "rest",
        "baseUrl": "$ENDPOINT/fleet/v1/",
        "basePath": "/fleet/v1/",
        "rootUrl": "$ENDPOINT/",
        "servicePath": "fleet/v1/",
        "batchPath": "batch",
        "parameters": {},
        "schemas": {
            "Machine": {
                "id": "Machine",
                "type": "object",
                "properties": {
                    "id": string,
                    "primaryIP": string,
                    "metadata": {"type": "object", "additionalProperties": string},
                }
            },
            "MachinePage": page_of("Machine", "machines"),
            "UnitOption": {
                "id": "UnitOption",
                "type": "object",
                "properties": {"section": string, "name": string, "value": string}
            },
            "Unit": {
                "id": "Unit",
                "type": "object",
                "properties": {
                    "name": string,
                    "options": {"type": "array", "items": {"$ref": "UnitOption"}},
                    "desiredState": states,
                    "currentState": states,
                    "machineID": string,
                }
            },
            "UnitPage": page_of("Unit", "units"),
            "UnitState": {
                "id": "UnitState",
                "type": "object",
                "properties": {
                    "name": string,
                    "hash": string,
                    "machineID": string,
                    "systemdLoadState": string,
                    "systemdActiveState": string,
                    "systemdSubState": string,
                }
            },
            "UnitStatePage": page_of("UnitState", "states"),
        },
        "resources": {
            "Machines": {"methods": {
                "List": {
                    "id": "fleet.Machine.List",
                    "httpMethod": "GET",
                    "path": "machines",
                    "parameters": {"nextPageToken": page_token},
                    "response": {"$ref": "MachinePage"}
                }
            }},
            "Units": {"methods": {
                "List": {
                    "id": "fleet.Unit.List",
                    "httpMethod": "GET",
                    "path": "units",
                    "parameters": {"nextPageToken": page_token},
                    "response": {"$ref": "UnitPage"}
                },
                "Get": {
                    "id": "fleet.Unit.Get",
                    "httpMethod": "GET",
                    "path": "units/{unitName}",
                    "parameters": unit_name,
                    "parameterOrder": ["unitName"],
                    "response": {"$ref": "Unit"}
                },
                "Delete": {
                    "id": "fleet.Unit.Delete",
                    "httpMethod": "DELETE",
                    "path": "units/{unitName}",
                    "parameters": unit_name,
                    "parameterOrder": ["unitName"]
                },
                "Set": {
                    "id": "fleet.Unit.Set",
                    "httpMethod": "PUT",
                    "path": "units/{unitName}",
                    "parameters": unit_name,
                    "parameterOrder": ["unitName"],
                    "request": {"$ref": "Unit"}
                }
            }},
            "UnitState": {"methods": {
                "List": {
                    "id": "fleet.UnitState.List",
                    "httpMethod": "GET",
                    "path": "state",
                    "parameters": {
                        "nextPageToken": page_token,
                        "unitName": page_token,
                        "machineID": page_token,
                    },
                    "response": {"$ref": "UnitStatePage"}
                }
            }}
        }
    })
}

/// Query parameters: each name's values, percent-decoded.
pub(crate) fn query(req_query: Option<&str>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in req_query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.entry(percent_decode(k))
            .or_default()
            .push(percent_decode(v));
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => match std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                None => out.push(b'%'),
            },
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page a request asks for, or fleet's 400 message.
fn requested_page(q: &BTreeMap<String, Vec<String>>) -> Result<u16, String> {
    match q.get("nextPageToken").map(Vec::as_slice) {
        None | Some([]) => Ok(1),
        Some([token]) => page::decode(token),
        Some(_) => Err("too many values for page token".into()),
    }
}

/// A `GET` of a paged list: the page asked for, or the status and message
/// fleet answers.
fn get_page(req: &Request) -> Result<u16, (StatusCode, String)> {
    if req.method() != Method::GET {
        return Err((
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET supported against this resource".into(),
        ));
    }
    requested_page(&query(req.uri().query())).map_err(|e| (StatusCode::BAD_REQUEST, e))
}

/// Page `page` of `items`, in the shape `page_of` makes of it and the
/// next page's token.
fn paged<T: Clone, P: Serialize>(
    items: &[T],
    page: u16,
    page_of: impl FnOnce(Vec<T>, Option<String>) -> P,
) -> Response {
    let (items, next) = page::slice(items, page);
    json(&page_of(items, next))
}

/// Units in fleet's shape, with machine and current state from the
/// assignments and the states the machines report.
async fn fleet_units<B: KvBackend>(
    registry: &Registry<B>,
    only: Option<&str>,
) -> Result<Vec<FleetUnit>, RegistryError> {
    let units = match only {
        Some(name) => registry.unit(name).await?.into_iter().collect(),
        None => registry.all_units().await?.items,
    };
    let assigned = registry.placements().await?;
    let states = registry.unit_states().await?.items;
    Ok(units
        .into_iter()
        .map(|u: Unit| {
            let machine = assigned.get(&u.name).cloned().unwrap_or_default();
            let reported = states
                .iter()
                .filter(|s| s.unit == u.name && s.machine == machine);
            let current = if machine.is_empty() {
                "inactive"
            } else if reported.clone().any(|s| s.active_state == "active") {
                "launched"
            } else {
                "loaded"
            };
            FleetUnit {
                options: u.unit_file().map(|f| f.to_options()).unwrap_or_default(),
                desired_state: u.target_state.as_str().into(),
                current_state: current.into(),
                machine_id: machine,
                name: u.name,
            }
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/fleet/v1/units",
    tag = "fleet",
    params(("nextPageToken" = Option<String>, Query, description = "The page to read: the previous page's `nextPageToken`")),
    responses(
        (status = 200, description = "One page of units (100 at most)", body = UnitPage),
        (status = 400, description = "A malformed page token", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn units<B: KvBackend + Clone + Send + Sync + 'static>(
    State(registry): State<Registry<B>>,
    req: Request,
) -> Response {
    let page = match get_page(&req) {
        Ok(p) => p,
        Err((code, message)) => return error(code, message),
    };
    match fleet_units(&registry, None).await {
        Ok(all) => paged(&all, page, |units, next_page_token| UnitPage {
            units,
            next_page_token,
        }),
        Err(e) => registry_error(&e),
    }
}

async fn unit<B: KvBackend + Clone + Send + Sync + 'static>(
    State(registry): State<Registry<B>>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    match *req.method() {
        Method::GET => get_unit(&registry, &name).await,
        Method::DELETE => delete_unit(&registry, &name).await,
        Method::PUT => put_unit(&registry, &name, req).await,
        _ => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET, PUT and DELETE supported against this resource",
        ),
    }
}

#[utoipa::path(
    get,
    path = "/fleet/v1/units/{name}",
    tag = "fleet",
    params(("name" = String, Path, description = "The unit's name")),
    responses(
        (status = 200, description = "The unit", body = FleetUnit),
        (status = 404, description = "unit does not exist", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn get_unit<B: KvBackend>(registry: &Registry<B>, name: &str) -> Response {
    match fleet_units(registry, Some(name)).await {
        Ok(found) => match found.first() {
            Some(u) => json(u),
            None => error(StatusCode::NOT_FOUND, "unit does not exist"),
        },
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    delete,
    path = "/fleet/v1/units/{name}",
    tag = "fleet",
    params(("name" = String, Path, description = "The unit's name")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "unit does not exist", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn delete_unit<B: KvBackend>(registry: &Registry<B>, name: &str) -> Response {
    match registry.delete_unit(name).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => error(StatusCode::NOT_FOUND, "unit does not exist"),
        Err(e) => registry_error(&e),
    }
}

/// A request's JSON body (fleet's content-type rule, at most [`MAX_BODY`]),
/// or the error response.
async fn json_body(req: Request) -> Result<axum::body::Bytes, Response> {
    let types: Vec<&HeaderValue> = req.headers().get_all(CONTENT_TYPE).iter().collect();
    if types.len() != 1 {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("expected 1 Content-Type, got {}", types.len()),
        ));
    }
    let media = types[0]
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "only acceptable Content-Type is application/json",
        ));
    }
    axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| {
            error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body larger than {MAX_BODY} bytes"),
            )
        })
}

/// fleet's `PUT /units/{name}`: create (or replace, when the options
/// differ), else change the desired state.
#[utoipa::path(
    put,
    path = "/fleet/v1/units/{name}",
    tag = "fleet",
    params(("name" = String, Path, description = "The unit's name")),
    request_body = FleetUnitIn,
    responses(
        (status = 201, description = "Created, or replaced by different options"),
        (status = 204, description = "The desired state changed"),
        (status = 400, description = "A bad body, name, state or unit file", body = ErrorBody),
        (status = 409, description = "A new unit without options, a change without `desiredState`, or a concurrent change", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 415, description = "Not one `Content-Type: application/json`", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn put_unit<B: KvBackend>(
    registry: &Registry<B>,
    url_name: &str,
    req: Request,
) -> Response {
    let bytes = match json_body(req).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let body: FleetUnitIn = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("unable to decode body: {e}"),
            );
        }
    };
    let name = body
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| url_name.to_owned());
    if name != url_name {
        return error(
            StatusCode::BAD_REQUEST,
            format!("name in URL {url_name:?} differs from unit name in request body {name:?}"),
        );
    }
    let parsed = match UnitName::parse(&name)
        .map_err(|e| e.to_string())
        .and_then(|n| {
            n.validate_fleet().map_err(|e| e.to_string())?;
            Ok(n)
        }) {
        Ok(n) => n,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let target = match body.desired_state.as_deref().unwrap_or("") {
        "" => None,
        "inactive" => Some(TargetState::Inactive),
        "loaded" => Some(TargetState::Loaded),
        "launched" => Some(TargetState::Launched),
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("desiredState {other:?}: expected inactive, loaded or launched"),
            );
        }
    };
    let existing = match registry.unit(&name).await {
        Ok(u) => u,
        Err(e) => return registry_error(&e),
    };
    let options = body.options.unwrap_or_default();
    let file = if options.is_empty() {
        None
    } else {
        match UnitFile::from_options(&options) {
            Ok(f) => Some(f),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("options: {e}")),
        }
    };
    if let Some(file) = &file {
        if parsed.kind() != UnitKind::Template
            && let Err(e) = UnitSpec::from_unit(file, &parsed)
        {
            return error(StatusCode::BAD_REQUEST, e.to_string());
        }
        let unit = Unit::new(&name, file, target.unwrap_or(TargetState::Inactive));
        let expected = match &existing {
            None => Some(0),
            Some(old) if old.hash != unit.hash => Some(old.modified_revision),
            Some(_) => None, // same contents: a desired-state update below
        };
        if let Some(expected) = expected {
            if parsed.kind() == UnitKind::Template && unit.target_state != TargetState::Inactive {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("cannot activate template {name:?}"),
                );
            }
            return match registry.put_unit(&unit, Some(expected)).await {
                Ok(_) => StatusCode::CREATED.into_response(),
                Err(RegistryError::Conflict { .. }) => {
                    error(StatusCode::CONFLICT, "unit changed concurrently; retry")
                }
                Err(e) => registry_error(&e),
            };
        }
    } else if existing.is_none() {
        return error(
            StatusCode::CONFLICT,
            "unit does not exist and options field empty",
        );
    }
    let Some(target) = target else {
        return error(
            StatusCode::CONFLICT,
            "must provide DesiredState to update existing unit",
        );
    };
    if parsed.kind() == UnitKind::Template && target != TargetState::Inactive {
        return error(
            StatusCode::BAD_REQUEST,
            format!("cannot activate template {name:?}"),
        );
    }
    match registry.set_target_state(&name, target).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(RegistryError::Conflict { .. }) => {
            error(StatusCode::CONFLICT, "unit changed concurrently; retry")
        }
        Err(e) => registry_error(&e),
    }
}

async fn fleet_states<B: KvBackend>(
    registry: &Registry<B>,
) -> Result<Vec<FleetState>, RegistryError> {
    let mut states: Vec<FleetState> = registry
        .unit_states()
        .await?
        .items
        .into_iter()
        .map(|s| FleetState {
            name: s.unit,
            hash: s.hash,
            machine_id: s.machine,
            load: s.load_state,
            active: s.active_state,
            sub: s.sub_state,
        })
        .collect();
    states.sort_by(|a, b| (&a.name, &a.machine_id).cmp(&(&b.name, &b.machine_id)));
    Ok(states)
}

#[utoipa::path(
    get,
    path = "/fleet/v1/state",
    tag = "fleet",
    params(
        ("nextPageToken" = Option<String>, Query, description = "The page to read: the previous page's `nextPageToken`"),
        ("machineID" = Option<String>, Query, description = "Only this machine's states"),
        ("unitName" = Option<String>, Query, description = "Only this unit's states"),
    ),
    responses(
        (status = 200, description = "One page of unit states (100 at most)", body = UnitStatePage),
        (status = 400, description = "A malformed page token", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn states<B: KvBackend + Clone + Send + Sync + 'static>(
    State(registry): State<Registry<B>>,
    req: Request,
) -> Response {
    let page = match get_page(&req) {
        Ok(p) => p,
        Err((code, message)) => return error(code, message),
    };
    let q = query(req.uri().query());
    let first = |k: &str| q.get(k).and_then(|v| v.first()).cloned();
    let (machine, unit) = (first("machineID"), first("unitName"));
    match fleet_states(&registry).await {
        Ok(all) => {
            let kept: Vec<FleetState> = all
                .into_iter()
                .filter(|s| machine.as_ref().is_none_or(|m| &s.machine_id == m))
                .filter(|s| unit.as_ref().is_none_or(|u| &s.name == u))
                .collect();
            paged(&kept, page, |states, next_page_token| UnitStatePage {
                states,
                next_page_token,
            })
        }
        Err(e) => registry_error(&e),
    }
}

#[utoipa::path(
    get,
    path = "/fleet/v1/state/{name}",
    tag = "fleet",
    params(("name" = String, Path, description = "The unit's name")),
    responses(
        (status = 200, description = "The unit's state", body = FleetState),
        (status = 404, description = "unit state does not exist", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn state<B: KvBackend + Clone + Send + Sync + 'static>(
    State(registry): State<Registry<B>>,
    Path(name): Path<String>,
    method: Method,
) -> Response {
    if method != Method::GET {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET supported against this resource",
        );
    }
    match fleet_states(&registry).await {
        Ok(all) => match all.into_iter().find(|s| s.name == name) {
            Some(s) => json(&s),
            None => error(StatusCode::NOT_FOUND, "unit state does not exist"),
        },
        Err(e) => registry_error(&e),
    }
}

async fn machines<B: KvBackend + Clone + Send + Sync + 'static>(
    State(registry): State<Registry<B>>,
    req: Request,
) -> Response {
    match *req.method() {
        Method::GET => list_machines(&registry, req).await,
        Method::PATCH => patch_machines(&registry, req).await,
        _ => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and PATCH supported against this resource",
        ),
    }
}

#[utoipa::path(
    get,
    path = "/fleet/v1/machines",
    tag = "fleet",
    params(("nextPageToken" = Option<String>, Query, description = "The page to read: the previous page's `nextPageToken`")),
    responses(
        (status = 200, description = "One page of machines (100 at most)", body = MachinePage),
        (status = 400, description = "A malformed page token", body = ErrorBody),
        (status = 503, description = "The registry is unavailable", body = ErrorBody),
    )
)]
pub(crate) async fn list_machines<B: KvBackend>(registry: &Registry<B>, req: Request) -> Response {
    let page = match get_page(&req) {
        Ok(p) => p,
        Err((code, message)) => return error(code, message),
    };
    match registry.machines().await {
        Ok(list) => {
            let all: Vec<FleetMachine> = list
                .items
                .into_iter()
                .map(|m| FleetMachine {
                    id: m.id,
                    primary_ip: m.public_ip,
                    metadata: m
                        .metadata
                        .into_iter()
                        .filter_map(|(k, v)| v.into_iter().next().map(|v| (k, v)))
                        .collect(),
                })
                .collect();
            paged(&all, page, |machines, next_page_token| MachinePage {
                machines,
                next_page_token,
            })
        }
        Err(e) => registry_error(&e),
    }
}

/// One operation of `PATCH /machines`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct MetadataOp {
    /// `add`, `replace` or `remove`.
    op: String,
    /// `/<machine ID>/metadata/<key>`.
    path: String,
    /// The value for `add` and `replace`: a string, or `{"value": "…"}`.
    #[serde(default)]
    value: Option<serde_json::Value>,
}

/// fleet's `PATCH /machines`: sets or removes machines' dynamic metadata.
/// Every operation is checked before any is applied, so a bad one changes
/// nothing.
#[utoipa::path(
    patch,
    path = "/fleet/v1/machines",
    tag = "fleet",
    request_body = Vec<MetadataOp>,
    responses(
        (status = 204, description = "Every operation applied"),
        (status = 400, description = "A bad operation; nothing applied", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 415, description = "Not one `Content-Type: application/json`", body = ErrorBody),
        (status = 500, description = "The registry failed part way", body = ErrorBody),
    )
)]
pub(crate) async fn patch_machines<B: KvBackend>(registry: &Registry<B>, req: Request) -> Response {
    let bytes = match json_body(req).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let ops: Vec<MetadataOp> = match serde_json::from_slice(&bytes) {
        Ok(ops) => ops,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("unable to decode body: {e}"),
            );
        }
    };
    let checked = ops.iter().enumerate().map(|(i, op)| {
        metadata_set(op).map_err(|message| format!("{message} (operation {})", i + 1))
    });
    let sets = match checked.collect::<Result<Vec<_>, _>>() {
        Ok(sets) => sets,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    for set in &sets {
        if let Err(e) = registry.set_machine_metadata(set).await {
            return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// What an operation writes (removing writes an empty value, which hides
/// the agent's own), with fleet's messages for bad ones.
fn metadata_set(op: &MetadataOp) -> Result<MachineMetadata, String> {
    let (machine, key) = op
        .path
        .strip_prefix('/')
        .and_then(|p| p.split_once("/metadata/"))
        .filter(|(machine, key)| {
            !machine.is_empty()
                && !machine.contains('/')
                && !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        })
        .ok_or_else(|| format!("machine metadata path invalid: {:?}", op.path))?;
    let value = match op.op.as_str() {
        "remove" => String::new(),
        "add" | "replace" => {
            // fleet's server reads `{"value": "v"}`; its docs show a bare "v".
            let value = match &op.value {
                Some(serde_json::Value::String(v)) => v.as_str(),
                Some(serde_json::Value::Object(o)) => {
                    o.get("value").and_then(|v| v.as_str()).unwrap_or("")
                }
                _ => "",
            };
            if value.is_empty() {
                return Err("invalid value: add and replace require a value".into());
            }
            value.to_owned()
        }
        _ => return Err("invalid op: expect add, remove, or replace".into()),
    };
    Ok(MachineMetadata {
        machine: machine.to_owned(),
        key: key.to_owned(),
        value,
    })
}
