//! The published OpenAPI document: the committed copy is a fresh
//! generation, the server answers the same one, every operation it lists is
//! a route a real server on loopback serves (answering a status it lists),
//! and every route the sources register is in it.
//!
//! Regenerate `docs/openapi.json` with
//! `FLOTTA_WRITE_OPENAPI=1 cargo test -p flotta-api --test openapi`.

use std::path::PathBuf;
use std::time::Duration;

use flotta_api::{ApiListener, ApiOptions, Listen, router_with, serve_listener};
use flotta_registry::{MemoryBackend, Registry};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

const REGENERATE: &str = "FLOTTA_WRITE_OPENAPI=1 cargo test -p flotta-api --test openapi";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

fn fresh() -> String {
    let mut text = serde_json::to_string_pretty(&flotta_api::openapi()).expect("serialize");
    text.push('\n');
    text
}

#[test]
fn the_committed_document_is_a_fresh_generation() {
    let path = committed_path();
    let text = fresh();
    if std::env::var_os("FLOTTA_WRITE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("write docs/openapi.json");
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/openapi.json differs from the handlers' document; regenerate it with\n    {REGENERATE}"
    );
}

/// Aborts the server task when the test ends.
struct Server {
    addr: std::net::SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const WRITE: &str = "Authorization: Bearer w";
const READ: &str = "Authorization: Bearer r";

async fn start() -> Server {
    let options = ApiOptions {
        token: Some("w".into()),
        read_token: Some("r".into()),
        ..ApiOptions::default()
    };
    let app = router_with(Registry::new(MemoryBackend::default()), options);
    let listen: Listen = "127.0.0.1:0".parse().expect("listen");
    let listener = ApiListener::bind(&listen).await.expect("bind");
    let Listen::Tcp(addr) = listener.local_addr().expect("local addr") else {
        panic!("tcp listener expected")
    };
    let task = tokio::spawn(async move {
        if let Err(e) = serve_listener(listener, app, None).await {
            eprintln!("server: {e}");
        }
    });
    Server { addr, task }
}

/// One exchange: the status and the body as far as `Content-Length` says
/// (nothing of a streamed body, so a watch does not hold the test up).
async fn exchange(
    server: &Server,
    method: &str,
    path: &str,
    header: &str,
    body: &str,
) -> (u16, String) {
    let mut conn = TcpStream::connect(server.addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{header}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.expect("write");
    let read = async {
        let mut got = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let text = String::from_utf8_lossy(&got).into_owned();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                });
                match length {
                    Some(n) if rest.len() < n => {}
                    _ => return text,
                }
            }
            let n = conn.read(&mut chunk).await.expect("read");
            if n == 0 {
                return String::from_utf8_lossy(&got).into_owned();
            }
            got.extend_from_slice(&chunk[..n]);
        }
    };
    let text = tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("an answer in time");
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_the_same_document_to_a_read_token() {
    let server = start().await;
    let (status, body) = exchange(&server, "GET", "/v1/openapi.json", READ, "").await;
    assert_eq!(status, 200, "{body}");
    let served: serde_json::Value = serde_json::from_str(&body).expect("json");
    let made = serde_json::to_value(flotta_api::openapi()).expect("json");
    assert_eq!(served, made);
    let (status, _) = exchange(&server, "GET", "/v1/openapi.json", "X-None: 1", "").await;
    assert_eq!(status, 401, "the document is behind the token too");
}

/// A value for each path parameter the document names.
fn fill(path: &str) -> String {
    path.replace("{name}", "hello.service")
        .replace("{unit}", "hello.service")
        .replace("{key}", "user/a/b")
        .replace("{id}", "1")
        .replace("{service}", "web")
}

/// A body each writing operation accepts far enough to reach its handler.
fn body_for(method: &str, path: &str) -> &'static str {
    match (method, path) {
        ("PATCH", _) => "[]",
        ("PUT", "/v1/kv/{key}") => r#"{"value":"v"}"#,
        ("POST", "/v1/leases") => r#"{"ttl_ms":60000}"#,
        ("PUT" | "POST", _) => "{}",
        _ => "",
    }
}

/// The router's own "no such route" answers: fleet's fallback (a 404 with
/// an empty message) and axum's bare 405 for a method a route lacks.
fn unrouted(status: u16, body: &str) -> bool {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned));
    status == 405 || (status == 404 && message.as_deref() == Some(""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_a_served_route_answering_a_documented_status() {
    let server = start().await;
    let doc = serde_json::to_value(flotta_api::openapi()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    // The check tells a missing route from a handler's own 404.
    for (method, path) in [("GET", "/v1/no-such-route"), ("POST", "/v1/revision")] {
        let (status, body) = exchange(&server, method, path, WRITE, "").await;
        assert!(unrouted(status, &body), "{method} {path}: {status} {body}");
    }
    let (status, body) = exchange(&server, "GET", "/v1/kv/user/none", WRITE, "").await;
    assert!(!unrouted(status, &body), "{status} {body}");
    let mut checked = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let method = method.to_ascii_uppercase();
            let (status, body) = exchange(
                &server,
                &method,
                &fill(path),
                WRITE,
                body_for(&method, path),
            )
            .await;
            assert!(
                !unrouted(status, &body),
                "{method} {path}: not served ({status} {body})"
            );
            let documented = operation["responses"]
                .as_object()
                .expect("responses")
                .contains_key(&status.to_string());
            assert!(
                documented,
                "{method} {path}: answered {status}, which the document does not list ({body})"
            );
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} operations");
}

/// fleet's routes take any method and refuse the ones they do not serve
/// themselves, so the sources cannot say which they serve: ask each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_routes_refuse_every_method_the_document_does_not_list() {
    let server = start().await;
    let doc = serde_json::to_value(flotta_api::openapi()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths.iter().filter(|(p, _)| p.starts_with("/fleet/v1/")) {
        for method in ["GET", "PUT", "POST", "DELETE", "PATCH"] {
            if item.get(method.to_ascii_lowercase()).is_some() {
                continue;
            }
            let (status, body) =
                exchange(&server, method, &fill(path), WRITE, body_for(method, path)).await;
            // fleet answered discovery's other methods with a 400.
            let refused =
                status == 405 || (status == 400 && body.contains("only HTTP GET supported"));
            assert!(
                refused,
                "{method} {path} is served ({status} {body}) but not in the document"
            );
        }
    }
}

/// The routes the sources register, as `(path, methods)`; `methods` is
/// empty for an `any(…)` route, whose handler picks the methods itself.
/// Read from the sources because axum cannot list a router's routes.
fn registered_routes() -> Vec<(String, Vec<String>)> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut routes = Vec::new();
    for file in ["lib.rs", "fleet.rs", "v1.rs", "cluster.rs"] {
        let text = std::fs::read_to_string(src.join(file)).expect("read source");
        for (_, rest) in text
            .match_indices(".route(")
            .map(|(i, _)| text.split_at(i + 7))
        {
            // The call's arguments: up to the parenthesis that closes it.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let args = rest[..end].trim_start();
            let args = args.strip_prefix("&format!(").unwrap_or(args);
            // `.route(base, …)`: fleet's bare prefix, which only answers 405.
            let Some(literal) = args.strip_prefix('"') else {
                continue;
            };
            let Some((path, handlers)) = literal.split_once('"') else {
                continue;
            };
            let path = path
                .replace("{base}", "/fleet/v1")
                .replace("{{", "{")
                .replace("}}", "}")
                .replace("{*", "{");
            let methods = ["get", "put", "post", "delete", "patch"]
                .into_iter()
                .filter(|m| {
                    handlers.match_indices(&format!("{m}(")).any(|(i, _)| {
                        !handlers[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                })
                .map(str::to_owned)
                .collect();
            routes.push((path, methods));
        }
    }
    routes
}

#[test]
fn every_registered_route_is_documented_and_every_documented_path_registered() {
    let doc = serde_json::to_value(flotta_api::openapi()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    let routes = registered_routes();
    assert!(routes.len() >= 20, "found only {routes:?}");
    for (path, methods) in &routes {
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is served but not in the document"));
        for method in methods {
            assert!(
                item.get(method).is_some(),
                "{} {path} is served but not in the document",
                method.to_uppercase()
            );
        }
    }
    for (path, item) in paths {
        let Some((_, methods)) = routes.iter().find(|(p, _)| p == path) else {
            panic!("{path} is in the document but no route registers it");
        };
        for method in item.as_object().expect("path item").keys() {
            assert!(
                methods.is_empty() || methods.contains(method),
                "{} {path} is in the document but not routed",
                method.to_uppercase()
            );
        }
    }
}
