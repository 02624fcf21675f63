//! [`Remote`]: a [`KvBackend`] that talks to a flotta API server over HTTP,
//! so `Registry<Remote>` works like a registry on the server's own backend.
//!
//! Every call is one request to the `/v1` routes (pooled keep-alive
//! connections, a timeout on each); a watch is a server-sent event stream
//! that ends when the connection does, as a backend's watch does, and the
//! caller resumes from the last revision it saw.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use flotta_registry::kv::{
    Compare, Condition, Event, EventStream, KeyValue, KvBackend, LeaseId, Page, TxnOp, TxnOutcome,
};
use flotta_registry::{RegistryError, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::http::{Method, Request, StatusCode, Uri, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use percent_encoding::utf8_percent_encode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

use crate::cluster::{DrainBody, Endpoints, Why};
use crate::wire::{
    DeletedReply, ErrorBody, GrantBody, LeaseReply, PATH, PutBody, QUERY, RevisionReply, TtlReply,
    TxnBody, WirePage,
};

/// Where and how to reach a flotta API server.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// `http://127.0.0.1:4949`, `https://host:4949` or `unix:/path/to.sock`.
    pub url: String,
    /// Sent as `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// PEM file of the CA that signed the server's certificate (`https://`
    /// needs one: there are no system roots).
    pub ca_file: Option<PathBuf>,
    /// The limit on each request (a watch: until its response starts).
    pub timeout: Duration,
}

impl RemoteOptions {
    /// Options for `url`, no token, a 10 s timeout.
    pub fn new(url: impl Into<String>) -> Self {
        RemoteOptions {
            url: url.into(),
            token: None,
            ca_file: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A registry backend served by a flotta API server.
///
/// ```no_run
/// use flotta_api::remote::{Remote, RemoteOptions};
/// use flotta_registry::Registry;
///
/// # async fn demo() -> flotta_registry::Result<()> {
/// let registry = Registry::new(Remote::new(RemoteOptions::new("http://127.0.0.1:4949"))?);
/// let machines = registry.machines().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Remote {
    inner: Arc<Inner>,
}

struct Inner {
    url: String,
    /// Scheme and authority requests are addressed to (`http://localhost`
    /// for a unix socket).
    base: String,
    /// The token sent: the given one, else the local one (read again after
    /// a 401, as an agent started after this client makes it then).
    token: std::sync::RwLock<Option<String>>,
    /// Whether a token was given (then it is never replaced).
    given: bool,
    timeout: Duration,
    client: Client<Connector, Full<Bytes>>,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("url", &self.inner.url)
            .field("token", &self.token().map(|_| "<redacted>"))
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl Remote {
    /// A client for `options.url`; connects lazily, on the first call.
    /// Given no token for a loopback `http(s)://` URL, it uses the one an
    /// agent of this user left for that address
    /// ([`crate::discover::local_token`]), read again after a 401, so a
    /// client made before its agent has started works once it has.
    ///
    /// # Errors
    /// [`RegistryError::Invalid`] for a URL that is not `http://`, `https://`
    /// or `unix:`, an `https://` URL without a readable `ca_file`, or a
    /// token that cannot be a header.
    pub fn new(options: RemoteOptions) -> Result<Remote> {
        let bad = |reason: String| RegistryError::Invalid {
            what: format!("API URL {:?}", options.url),
            reason,
        };
        let url = options.url.trim_end_matches('/').to_owned();
        let (target, base) = if let Some(path) = url.strip_prefix("unix:") {
            if path.is_empty() {
                return Err(bad("expected unix:/path/to.sock".into()));
            }
            (
                Target::Unix(PathBuf::from(path)),
                "http://localhost".to_owned(),
            )
        } else if let Some(authority) = url.strip_prefix("http://") {
            (Target::Tcp(authority_of(authority, &bad)?), url.clone())
        } else if let Some(authority) = url.strip_prefix("https://") {
            let authority = authority_of(authority, &bad)?;
            let ca = options
                .ca_file
                .as_ref()
                .ok_or_else(|| bad("https:// needs a CA file (ca_file)".into()))?;
            let tls = crate::tls::client_config(ca).map_err(|e| bad(e.to_string()))?;
            let host = authority
                .rsplit_once(':')
                .map_or(authority.as_str(), |(h, _)| h)
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned();
            let name = rustls_pki_types::ServerName::try_from(host)
                .map_err(|e| bad(format!("server name: {e}")))?;
            (
                Target::Tls {
                    authority: authority.clone(),
                    name,
                    connector: tokio_rustls::TlsConnector::from(Arc::new(tls)),
                },
                format!("http://{authority}"),
            )
        } else {
            return Err(bad(
                "expected http://HOST:PORT, https://HOST:PORT or unix:/PATH".into(),
            ));
        };
        let given = options.token.is_some();
        let token = options
            .token
            .clone()
            .or_else(|| crate::discover::local_token(&url));
        if let Some(t) = &token
            && header::HeaderValue::from_str(&format!("Bearer {t}")).is_err()
        {
            return Err(RegistryError::Invalid {
                what: "API token".into(),
                reason: "not valid in an HTTP header".into(),
            });
        }
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(Connector {
                target: Arc::new(target),
                timeout: options.timeout,
            });
        Ok(Remote {
            inner: Arc::new(Inner {
                url,
                base,
                token: std::sync::RwLock::new(token),
                given,
                timeout: options.timeout,
                client,
            }),
        })
    }

    /// The server's URL, as given.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    fn transport(&self, e: impl std::error::Error) -> RegistryError {
        let mut text = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        RegistryError::Backend(format!("{}: {text}", self.inner.url))
    }

    fn request(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Request<Full<Bytes>>> {
        let uri: Uri = format!("{}{path_and_query}", self.inner.base)
            .parse()
            .map_err(|e| self.transport(e))?;
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = self.token() {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        req.body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| self.transport(e))
    }

    fn token(&self) -> Option<String> {
        self.inner.token.read().map_or(None, |t| t.clone())
    }

    /// After a 401 without a given token: whether the local token changed
    /// (the agent made or remade it since), so the request is worth sending again.
    fn refresh_token(&self) -> bool {
        if self.inner.given {
            return false;
        }
        let fresh = crate::discover::local_token(&self.inner.url);
        match self.inner.token.write() {
            Ok(mut t) if fresh.is_some() && *t != fresh => {
                *t = fresh;
                true
            }
            _ => false,
        }
    }

    /// Sends a request; the status and the whole body, within the timeout.
    async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Bytes)> {
        let (status, bytes) = self
            .send_once(method.clone(), path_and_query, body.clone())
            .await?;
        if status == StatusCode::UNAUTHORIZED && self.refresh_token() {
            return self.send_once(method, path_and_query, body).await;
        }
        Ok((status, bytes))
    }

    async fn send_once(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Bytes)> {
        let req = self.request(method, path_and_query, body)?;
        let call = async {
            let res = self
                .inner
                .client
                .request(req)
                .await
                .map_err(|e| self.transport(e))?;
            let status = res.status();
            let bytes = res
                .into_body()
                .collect()
                .await
                .map_err(|e| self.transport(e))?
                .to_bytes();
            Ok((status, bytes))
        };
        tokio::time::timeout(self.inner.timeout, call)
            .await
            .map_err(|_| {
                RegistryError::Backend(format!(
                    "{}: no answer to {path_and_query} within {:?}",
                    self.inner.url, self.inner.timeout
                ))
            })?
    }

    fn decode<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            RegistryError::Backend(format!("{}: unexpected answer: {e}", self.inner.url))
        })
    }

    /// The registry error a non-2xx answer carries.
    fn failure(&self, status: StatusCode, bytes: &[u8]) -> RegistryError {
        match serde_json::from_slice::<ErrorBody>(bytes) {
            Ok(body) => body.error.into_registry(&self.inner.url),
            Err(_) => RegistryError::Backend(format!(
                "{}: {status}: {}",
                self.inner.url,
                String::from_utf8_lossy(bytes).trim()
            )),
        }
    }

    /// A call whose success is JSON `T`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T> {
        let body =
            body.map(serde_json::to_vec)
                .transpose()
                .map_err(|e| RegistryError::Invalid {
                    what: "request".into(),
                    reason: e.to_string(),
                })?;
        let (status, bytes) = self.send(method, path_and_query, body).await?;
        if status.is_success() {
            self.decode(&bytes)
        } else {
            Err(self.failure(status, &bytes))
        }
    }
}

/// One line of a unit's journal, as `GET .../journal` sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JournalLine {
    /// Microseconds since the Unix epoch.
    pub at_us: u64,
    /// `stdout`, `stderr` or `agent`.
    pub stream: String,
    /// The text, without its newline.
    pub text: String,
}

/// Journal lines as they arrive; ends with the connection.
pub type JournalStream = Pin<Box<dyn futures::Stream<Item = Result<JournalLine>> + Send>>;

/// The typed `/v1` routes.
impl Remote {
    /// `POST path` with no body, for a route this client has no method for
    /// (a dev cluster's `/v1/dev/...`, say): the status and the body as
    /// sent, whatever the status.
    ///
    /// # Errors
    /// The server cannot be reached or does not answer in time.
    pub async fn post(&self, path: &str) -> Result<(u16, Vec<u8>)> {
        let (status, body) = self.send(Method::POST, path, None).await?;
        Ok((status.as_u16(), body.to_vec()))
    }

    /// The endpoints registered for `service`.
    ///
    /// # Errors
    /// The server or its registry fails.
    pub async fn endpoints(&self, service: &str) -> Result<Endpoints> {
        let path = format!("/v1/services/{}/endpoints", q(service));
        self.call(Method::GET, &path, NO_BODY).await
    }

    /// The scheduler's plan for the registry as it is now.
    ///
    /// # Errors
    /// The server or its registry fails.
    pub async fn plan(&self) -> Result<flotta_scheduler::Plan> {
        self.call(Method::GET, "/v1/plan", NO_BODY).await
    }

    /// Where `unit` is and why.
    ///
    /// # Errors
    /// The unit does not exist, or the server fails.
    pub async fn why(&self, unit: &str) -> Result<Why> {
        let path = format!("/v1/units/{}/why", q(unit));
        self.call(Method::GET, &path, NO_BODY).await
    }

    /// Drains `machine` (its units move, it takes no new ones); returns the
    /// revision written.
    ///
    /// # Errors
    /// The server or its registry fails.
    pub async fn drain(&self, machine: &str, reason: &str) -> Result<u64> {
        let path = format!("/v1/machines/{}/drain", q(machine));
        let body = DrainBody {
            reason: reason.to_owned(),
        };
        let r: RevisionReply = self.call(Method::PUT, &path, Some(&body)).await?;
        Ok(r.revision)
    }

    /// Ends a drain; whether there was one.
    ///
    /// # Errors
    /// The server or its registry fails.
    pub async fn undrain(&self, machine: &str) -> Result<bool> {
        let path = format!("/v1/machines/{}/drain", q(machine));
        let r: DeletedReply = self.call(Method::DELETE, &path, NO_BODY).await?;
        Ok(r.deleted)
    }

    /// The last `lines` journal lines of `unit` on `machine`, then, with
    /// `follow`, new ones as they are written.
    ///
    /// # Errors
    /// The server does not hold that machine's journal, or fails.
    pub async fn journal(
        &self,
        machine: &str,
        unit: &str,
        lines: usize,
        follow: bool,
    ) -> Result<JournalStream> {
        let path = format!(
            "/v1/machines/{}/units/{}/journal?lines={lines}&follow={follow}",
            q(machine),
            q(unit)
        );
        let body = self.open(&path).await?;
        let url = self.inner.url.clone();
        let lines = futures::stream::unfold(
            (body, BytesMut::new(), false),
            move |(mut body, mut buf, done)| {
                let url = url.clone();
                async move {
                    loop {
                        if done {
                            return None;
                        }
                        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
                            let line = buf.split_to(i + 1);
                            let item = serde_json::from_slice::<JournalLine>(&line).map_err(|e| {
                                RegistryError::Backend(format!("{url}: journal: bad line: {e}"))
                            });
                            return Some((item, (body, buf, false)));
                        }
                        match body.frame().await {
                            Some(Ok(frame)) => {
                                if let Ok(data) = frame.into_data() {
                                    buf.extend_from_slice(&data);
                                }
                            }
                            Some(Err(e)) => {
                                let e = RegistryError::Backend(format!("{url}: journal: {e}"));
                                return Some((Err(e), (body, buf, true)));
                            }
                            None => return None,
                        }
                    }
                }
            },
        );
        Ok(Box::pin(lines))
    }

    /// Starts a streaming `GET`: the body once the answer is a success.
    async fn open(&self, path: &str) -> Result<Incoming> {
        let req = self.request(Method::GET, path, None)?;
        let res = tokio::time::timeout(self.inner.timeout, self.inner.client.request(req))
            .await
            .map_err(|_| {
                RegistryError::Backend(format!(
                    "{}: no answer to {path} within {:?}",
                    self.inner.url, self.inner.timeout
                ))
            })?
            .map_err(|e| self.transport(e))?;
        if res.status().is_success() {
            return Ok(res.into_body());
        }
        let status = res.status();
        let bytes = tokio::time::timeout(self.inner.timeout, res.into_body().collect())
            .await
            .ok()
            .and_then(|r| r.ok())
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        Err(self.failure(status, &bytes))
    }
}

/// `host:port` from the rest of a URL (a trailing path is refused).
fn authority_of(rest: &str, bad: &impl Fn(String) -> RegistryError) -> Result<String> {
    if rest.is_empty() || rest.contains('/') {
        return Err(bad("expected SCHEME://HOST:PORT with no path".into()));
    }
    Ok(rest.to_owned())
}

fn key_path(key: &str) -> String {
    format!("/v1/kv/{}", utf8_percent_encode(key, PATH))
}

fn q(value: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(value, QUERY)
}

/// Nothing to send.
const NO_BODY: Option<&()> = None;

#[async_trait]
impl KvBackend for Remote {
    async fn get(&self, key: &str) -> Result<Option<KeyValue>> {
        let (status, bytes) = self.send(Method::GET, &key_path(key), None).await?;
        match status {
            s if s.is_success() => self.decode(&bytes).map(Some),
            // "No such key", as opposed to a lease or a route that is missing.
            StatusCode::NOT_FOUND
                if serde_json::from_slice::<ErrorBody>(&bytes)
                    .is_ok_and(|b| b.error.kind == "not_found") =>
            {
                Ok(None)
            }
            _ => Err(self.failure(status, &bytes)),
        }
    }

    async fn range(&self, prefix: &str, after: Option<&str>, limit: usize) -> Result<Page> {
        let mut path = format!("/v1/kv?prefix={}&limit={limit}", q(prefix));
        if let Some(a) = after {
            path.push_str(&format!("&after={}", q(a)));
        }
        let page: WirePage = self.call(Method::GET, &path, NO_BODY).await?;
        Ok(page.into())
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> Result<u64> {
        let body = PutBody {
            value: value.to_owned(),
            lease,
            condition: condition.into(),
        };
        let r: RevisionReply = self.call(Method::PUT, &key_path(key), Some(&body)).await?;
        Ok(r.revision)
    }

    async fn delete(&self, key: &str, condition: Condition) -> Result<bool> {
        let path = match condition {
            Condition::Always => key_path(key),
            Condition::Absent => format!("{}?condition=absent", key_path(key)),
            Condition::ModRevision(r) => format!("{}?mod_revision={r}", key_path(key)),
        };
        let r: DeletedReply = self.call(Method::DELETE, &path, NO_BODY).await?;
        Ok(r.deleted)
    }

    async fn txn(&self, compares: &[Compare], ops: &[TxnOp]) -> Result<TxnOutcome> {
        let body = TxnBody {
            compares: compares.to_vec(),
            ops: ops.to_vec(),
        };
        self.call(Method::POST, "/v1/txn", Some(&body)).await
    }

    async fn grant(&self, ttl: Duration) -> Result<LeaseId> {
        let body = GrantBody {
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
        };
        let r: LeaseReply = self.call(Method::POST, "/v1/leases", Some(&body)).await?;
        Ok(r.id)
    }

    async fn keep_alive(&self, lease: LeaseId) -> Result<Duration> {
        let r: TtlReply = self
            .call(
                Method::POST,
                &format!("/v1/leases/{lease}/keepalive"),
                NO_BODY,
            )
            .await?;
        Ok(Duration::from_millis(r.ttl_ms))
    }

    async fn revoke(&self, lease: LeaseId) -> Result<()> {
        let (status, bytes) = self
            .send(Method::DELETE, &format!("/v1/leases/{lease}"), None)
            .await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(self.failure(status, &bytes))
        }
    }

    async fn watch(&self, prefix: &str, from_revision: u64) -> Result<EventStream> {
        let path = format!("/v1/watch?prefix={}&from={from_revision}", q(prefix));
        let body = self.open(&path).await?;
        Ok(Box::pin(sse_events(self.clone(), body)))
    }

    async fn revision(&self) -> Result<u64> {
        let r: RevisionReply = self.call(Method::GET, "/v1/revision", NO_BODY).await?;
        Ok(r.revision)
    }
}

/// Three missed keep-alives end a watch.
const WATCH_IDLE: Duration = Duration::from_secs(crate::v1::WATCH_KEEPALIVE.as_secs() * 3);

/// Parses a server-sent event stream into events; ends with the body.
fn sse_events(remote: Remote, body: Incoming) -> impl futures::Stream<Item = Result<Event>> + Send {
    struct Reader {
        remote: Remote,
        body: Incoming,
        buf: BytesMut,
        done: bool,
    }
    let reader = Reader {
        remote,
        body,
        buf: BytesMut::new(),
        done: false,
    };
    futures::stream::unfold(reader, |mut r| async move {
        if r.done {
            return None;
        }
        loop {
            // One event: lines up to a blank line.
            if let Some(end) = find_blank_line(&r.buf) {
                let block = r.buf.split_to(end);
                let text = String::from_utf8_lossy(&block);
                let (mut kind, mut data) = ("message", String::new());
                for line in text.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        kind = if v.trim() == "error" {
                            "error"
                        } else {
                            "message"
                        };
                    } else if let Some(v) = line.strip_prefix("data:") {
                        if !data.is_empty() {
                            data.push('\n');
                        }
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                if data.is_empty() {
                    continue; // keep-alive comment
                }
                let item = if kind == "error" {
                    r.done = true;
                    Err(match serde_json::from_str::<ErrorBody>(&data) {
                        Ok(b) => b.error.into_registry(&r.remote.inner.url),
                        Err(_) => {
                            RegistryError::Backend(format!("{}: watch: {data}", r.remote.inner.url))
                        }
                    })
                } else {
                    serde_json::from_str::<Event>(&data).map_err(|e| {
                        RegistryError::Backend(format!(
                            "{}: watch: bad event: {e}",
                            r.remote.inner.url
                        ))
                    })
                };
                return Some((item, r));
            }
            // The server sends a comment at least every WATCH_KEEPALIVE: a
            // longer silence is a dead connection, however quiet the prefix.
            match tokio::time::timeout(WATCH_IDLE, r.body.frame()).await {
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        r.buf.extend_from_slice(&data);
                    }
                }
                // The connection ended: so does the watch, as a backend's would.
                Ok(Some(Err(e))) => {
                    tracing::debug!("watch on {}: {e}", r.remote.inner.url);
                    return None;
                }
                Ok(None) => return None,
                Err(_) => {
                    tracing::debug!("watch on {}: silent for {WATCH_IDLE:?}", r.remote.inner.url);
                    return None;
                }
            }
        }
    })
}

/// The end of the first event (after its blank line) in `buf`.
fn find_blank_line(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2)
}

/// What a connection goes to.
enum Target {
    Tcp(String),
    Unix(PathBuf),
    Tls {
        authority: String,
        name: rustls_pki_types::ServerName<'static>,
        connector: tokio_rustls::TlsConnector,
    },
}

/// Opens connections to the configured target whatever the request's URI.
#[derive(Clone)]
struct Connector {
    target: Arc<Target>,
    timeout: Duration,
}

impl tower_service::Service<Uri> for Connector {
    type Response = TokioIo<Stream>;
    type Error = std::io::Error;
    type Future =
        Pin<Box<dyn std::future::Future<Output = std::io::Result<TokioIo<Stream>>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Uri) -> Self::Future {
        let target = self.target.clone();
        let timeout = self.timeout;
        Box::pin(async move {
            let connect = async {
                Ok(TokioIo::new(match &*target {
                    Target::Tcp(a) => {
                        let s = TcpStream::connect(a.as_str()).await?;
                        s.set_nodelay(true)?;
                        Stream::Tcp(s)
                    }
                    Target::Unix(p) => Stream::Unix(UnixStream::connect(p).await.map_err(|e| {
                        std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
                    })?),
                    Target::Tls {
                        authority,
                        name,
                        connector,
                    } => {
                        let s = TcpStream::connect(authority.as_str()).await?;
                        s.set_nodelay(true)?;
                        Stream::Tls(Box::new(connector.connect(name.clone(), s).await?))
                    }
                }))
            };
            tokio::time::timeout(timeout, connect).await.map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out")
            })?
        })
    }
}

/// A connection of any kind.
enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Unix(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Unix(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Unix(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Unix(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
