//! Where and how the API is served: TCP or a unix socket, optional TLS,
//! and a refusal to serve TCP without a token.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::serve::Listener;
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::mpsc;

/// Where the API listens unless told otherwise: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:4949";

/// How long a client has to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where to listen: `127.0.0.1:4949` or `unix:/path/to.sock`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// A TCP address.
    Tcp(SocketAddr),
    /// A unix socket path (replaced if a stale socket is there).
    Unix(PathBuf),
}

impl FromStr for Listen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(path) = s.strip_prefix("unix:") {
            if path.is_empty() {
                return Err(format!("{s:?}: expected unix:/path/to.sock"));
            }
            return Ok(Listen::Unix(PathBuf::from(path)));
        }
        s.parse().map(Listen::Tcp).map_err(|e| {
            format!("{s:?}: {e}; expected IP:PORT (e.g. {DEFAULT_ADDR}) or unix:/path/to.sock")
        })
    }
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Listen::Tcp(a) => write!(f, "{a}"),
            Listen::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

/// A PEM certificate chain and its private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain (PEM).
    pub cert: PathBuf,
    /// The private key (PEM; PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// Refuses to serve TCP without a token, and a non-loopback address
/// without TLS as well: whoever writes a unit runs code as root, and every
/// local user and unit can reach a loopback port. A unix socket is guarded
/// by its file mode (0600) and needs neither.
///
/// ```
/// use flotta_api::{Listen, check_exposure};
///
/// let open: Listen = "0.0.0.0:4949".parse().unwrap();
/// assert!(check_exposure(&open, true, false).is_err());
/// assert!(check_exposure(&open, true, true).is_ok());
/// let local: Listen = "127.0.0.1:4949".parse().unwrap();
/// assert!(check_exposure(&local, false, false).is_err());
/// assert!(check_exposure(&local, true, false).is_ok());
/// assert!(check_exposure(&"unix:/run/flotta/flotta.sock".parse().unwrap(), false, false).is_ok());
/// ```
///
/// # Errors
/// The reason, naming the address and what is missing.
pub fn check_exposure(listen: &Listen, token: bool, tls: bool) -> Result<(), String> {
    let Listen::Tcp(addr) = listen else {
        return Ok(());
    };
    let loopback = addr.ip().is_loopback();
    let missing = match (token, tls || loopback) {
        (true, true) => return Ok(()),
        (false, true) => "a token",
        (true, false) => "TLS",
        (false, false) => "a token and TLS",
    };
    let who = if loopback {
        "every local user and unit can reach it"
    } else {
        "anyone who reaches it"
    };
    Err(format!(
        "refusing to serve the API on {addr} without {missing}: {who}, and whoever writes a unit \
         runs code as root; give a token{}, or listen on a unix socket",
        if loopback {
            ""
        } else {
            " and a TLS certificate and key"
        }
    ))
}

/// A bound listener (so a caller can bind port 0 and learn the address
/// before serving).
#[derive(Debug)]
pub enum ApiListener {
    /// TCP.
    Tcp(TcpListener),
    /// A unix socket.
    Unix(UnixListener),
}

impl ApiListener {
    /// Binds `listen`. A unix socket replaces a stale socket at the path and
    /// is made accessible to its owner only.
    ///
    /// # Errors
    /// The address cannot be bound, or the path exists and is not a socket.
    pub async fn bind(listen: &Listen) -> io::Result<ApiListener> {
        match listen {
            Listen::Tcp(addr) => TcpListener::bind(addr)
                .await
                .map(ApiListener::Tcp)
                .map_err(|e| io::Error::new(e.kind(), format!("{addr}: {e}"))),
            Listen::Unix(path) => bind_unix(path).map(ApiListener::Unix),
        }
    }

    /// Where it listens (the real port after binding port 0).
    ///
    /// # Errors
    /// The socket cannot say.
    pub fn local_addr(&self) -> io::Result<Listen> {
        match self {
            ApiListener::Tcp(l) => l.local_addr().map(Listen::Tcp),
            ApiListener::Unix(l) => l
                .local_addr()?
                .as_pathname()
                .map(|p| Listen::Unix(p.to_owned()))
                .ok_or_else(|| io::Error::other("unnamed unix socket")),
        }
    }
}

fn bind_unix(path: &Path) -> io::Result<UnixListener> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => std::fs::remove_file(path).map_err(named)?,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{}: exists and is not a socket", path.display()),
            ));
        }
        Err(_) => {}
    }
    let listener = UnixListener::bind(path).map_err(named)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(named)?;
    Ok(listener)
}

/// Serves `router` on `listen`, over TLS if `tls` is given, until the future
/// is dropped.
///
/// # Errors
/// Binding fails, or the TLS files cannot be read.
pub async fn serve_on(listen: &Listen, router: Router, tls: Option<&TlsFiles>) -> io::Result<()> {
    serve_listener(ApiListener::bind(listen).await?, router, tls).await
}

/// Serves `router` on a bound listener, over TLS if `tls` is given.
///
/// TLS handshakes run in their own tasks (with a timeout), so a slow or
/// silent client never holds up the accept loop.
///
/// # Errors
/// The TLS files cannot be read.
pub async fn serve_listener(
    listener: ApiListener,
    router: Router,
    tls: Option<&TlsFiles>,
) -> io::Result<()> {
    let acceptor = match tls {
        Some(files) => Some(tokio_rustls::TlsAcceptor::from(Arc::new(
            crate::tls::server_config(&files.cert, &files.key)?,
        ))),
        None => None,
    };
    match (listener, acceptor) {
        (ApiListener::Tcp(l), None) => axum::serve(l, router).await,
        (ApiListener::Unix(l), None) => axum::serve(l, router).await,
        (ApiListener::Tcp(l), Some(a)) => axum::serve(TlsListener::new(l, a)?, router).await,
        (ApiListener::Unix(l), Some(a)) => axum::serve(TlsListener::new(l, a)?, router).await,
    }
}

/// A listener whose connections have finished their TLS handshake.
struct TlsListener<L: Listener> {
    ready: mpsc::Receiver<(tokio_rustls::server::TlsStream<L::Io>, L::Addr)>,
    local: L::Addr,
    accepting: tokio::task::JoinHandle<()>,
}

impl<L: Listener> TlsListener<L>
where
    L::Addr: Clone + Sync,
{
    fn new(mut inner: L, acceptor: tokio_rustls::TlsAcceptor) -> io::Result<Self> {
        let local = inner.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let (io, addr) = inner.accept().await;
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(io)).await {
                        Ok(Ok(stream)) => {
                            let _ = tx.send((stream, addr)).await;
                        }
                        Ok(Err(e)) => tracing::debug!("api: TLS handshake failed: {e}"),
                        Err(_) => tracing::debug!("api: TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener {
            ready,
            local,
            accepting,
        })
    }
}

impl<L: Listener> Drop for TlsListener<L> {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl<L: Listener> Listener for TlsListener<L>
where
    L::Addr: Clone + Sync,
{
    type Io = tokio_rustls::server::TlsStream<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept loop is gone (only when dropped): accept nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_parses_both_forms() {
        assert_eq!(
            "unix:/run/flotta.sock".parse::<Listen>().unwrap(),
            Listen::Unix("/run/flotta.sock".into())
        );
        assert_eq!(
            DEFAULT_ADDR.parse::<Listen>().unwrap().to_string(),
            DEFAULT_ADDR
        );
        assert!(
            "localhost"
                .parse::<Listen>()
                .unwrap_err()
                .contains("IP:PORT")
        );
    }

    #[test]
    fn exposure_needs_a_token_on_tcp_and_tls_off_loopback() {
        let open: Listen = "0.0.0.0:4949".parse().unwrap();
        assert!(
            check_exposure(&open, false, true)
                .unwrap_err()
                .contains("a token")
        );
        assert!(
            check_exposure(&open, true, false)
                .unwrap_err()
                .contains("TLS")
        );
        assert!(
            check_exposure(&"[::1]:1".parse().unwrap(), false, false)
                .unwrap_err()
                .contains("every local user")
        );
        assert!(check_exposure(&"[::1]:1".parse().unwrap(), true, false).is_ok());
        assert!(check_exposure(&"unix:/x".parse().unwrap(), false, false).is_ok());
    }
}
