//! Where a client finds the cluster when it is told nothing: the one rule
//! the `flotta` CLI and the Python `flotta.Client()` share.
//!
//! In order: `FLOTTA_ETCD` (etcd URLs), `FLOTTA_ENDPOINT` (the API), then
//! fleetctl's own variables as aliases — `FLEETCTL_ENDPOINT`, which with
//! `FLEETCTL_DRIVER=etcd` names etcd URLs and otherwise the API, as
//! fleetctl reads them — then the agent's unix socket, [`DEFAULT_SOCKET`],
//! when it exists, and last the dev cluster's API, [`DEV_ENDPOINT`].
//!
//! A token comes from `FLOTTA_TOKEN`, else the file `FLOTTA_TOKEN_FILE`
//! names. A client given none for a loopback `http(s)://` endpoint uses the
//! one an agent generated for that address and left for its user in
//! [`token_dir`] ([`local_token`]), so whoever started a dev cluster needs
//! no extra step; the unix socket needs no token (only its owner can open
//! it).
//!
//! ```
//! use flotta_api::discover::{Target, discover_with};
//!
//! let env = |name: &str| match name {
//!     "FLEETCTL_DRIVER" => Some("etcd".to_owned()),
//!     "FLEETCTL_ENDPOINT" => Some("http://10.0.0.1:2379,http://10.0.0.2:2379".to_owned()),
//!     _ => None,
//! };
//! assert_eq!(
//!     discover_with(env),
//!     Target::Etcd(vec!["http://10.0.0.1:2379".into(), "http://10.0.0.2:2379".into()])
//! );
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;

/// The API of `flotta agent --dev` (and `flotta demo`).
pub const DEV_ENDPOINT: &str = "http://127.0.0.1:4949";

/// The API socket of an agent with the default state directory, as
/// fleet's `/var/run/fleet.sock` was: only root (the agent's user) can open it.
pub const DEFAULT_SOCKET: &str = "/run/flotta/flotta.sock";

/// Where to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A flotta API (`http://`, `https://` or `unix:` URL).
    Api {
        /// The URL.
        endpoint: String,
        /// The bearer token, if one is set.
        token: Option<String>,
    },
    /// etcd, directly: its client URLs.
    Etcd(Vec<String>),
}

/// What fleetctl's `--driver` chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// The HTTP API (fleetctl's default).
    Api,
    /// etcd.
    Etcd,
}

impl Driver {
    /// `api` or `etcd`, as fleetctl spells them; `None` for anything else.
    pub fn parse(text: &str) -> Option<Driver> {
        match text.trim() {
            "api" => Some(Driver::Api),
            "etcd" => Some(Driver::Etcd),
            _ => None,
        }
    }
}

fn urls(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where to connect, from the process environment.
pub fn discover() -> Target {
    discover_with(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

/// Where to connect, from `env` (a variable's value by name).
pub fn discover_with(env: impl Fn(&str) -> Option<String>) -> Target {
    let token = env("FLOTTA_TOKEN").or_else(|| {
        let path = env("FLOTTA_TOKEN_FILE")?;
        match crate::read_token_file(std::path::Path::new(&path)) {
            Ok(token) => Some(token),
            Err(e) => {
                tracing::warn!("FLOTTA_TOKEN_FILE: {e}");
                None
            }
        }
    });
    if let Some(etcd) = env("FLOTTA_ETCD") {
        return Target::Etcd(urls(&etcd));
    }
    if let Some(endpoint) = env("FLOTTA_ENDPOINT") {
        return Target::Api { endpoint, token };
    }
    if let Some(endpoint) = env("FLEETCTL_ENDPOINT") {
        let driver = env("FLEETCTL_DRIVER").and_then(|d| Driver::parse(&d));
        return match driver {
            Some(Driver::Etcd) => Target::Etcd(urls(&endpoint)),
            _ => Target::Api { endpoint, token },
        };
    }
    let endpoint = if std::path::Path::new(DEFAULT_SOCKET).exists() {
        format!("unix:{DEFAULT_SOCKET}")
    } else {
        DEV_ENDPOINT.to_owned()
    };
    Target::Api { endpoint, token }
}

/// Where agents leave the tokens they generated for their loopback API
/// addresses, one file per address (`127.0.0.1:4949`), readable by their
/// user only: `$XDG_STATE_HOME/flotta/tokens`, else
/// `~/.local/state/flotta/tokens`.
pub fn token_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    var("XDG_STATE_HOME")
        .map(|x| PathBuf::from(x).join("flotta/tokens"))
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".local/state/flotta/tokens")))
}

/// The loopback address of an `http(s)://` URL, if it has one.
fn loopback(url: &str) -> Option<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let authority = rest.split('/').next()?;
    let addr: SocketAddr = authority.parse().ok()?;
    addr.ip().is_loopback().then_some(addr)
}

/// The token an agent of this user left for `url`'s loopback address, if
/// any (see [`token_dir`]).
pub fn local_token(url: &str) -> Option<String> {
    let path = token_dir()?.join(loopback(url)?.to_string());
    crate::read_token_file(&path).ok()
}

/// Leaves `token` for clients of this user reaching `addr` (a loopback
/// address); returns the file, to remove when the server stops.
///
/// # Errors
/// The directory or file cannot be written.
pub fn leave_token(addr: SocketAddr, token: &str) -> std::io::Result<PathBuf> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = token_dir().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "neither XDG_STATE_HOME nor HOME is set",
        )
    })?;
    let named = |p: &std::path::Path, e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| named(&dir, e))?;
    let path = dir.join(addr.to_string());
    // A fresh file each time, so the mode is ours even if one was there.
    let _ = std::fs::remove_file(&path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| named(&path, e))?;
    file.write_all(format!("{token}\n").as_bytes())
        .map_err(|e| named(&path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn flotta_settings_win_over_fleetctl_ones() {
        let vars = [
            ("FLOTTA_ENDPOINT", "unix:/run/flotta/flotta.sock"),
            ("FLEETCTL_ENDPOINT", "http://10.0.0.1:4949"),
            ("FLOTTA_TOKEN", "t"),
        ];
        assert_eq!(
            discover_with(env(&vars)),
            Target::Api {
                endpoint: "unix:/run/flotta/flotta.sock".into(),
                token: Some("t".into())
            }
        );
        let vars = [
            ("FLOTTA_ETCD", "http://127.0.0.1:2379"),
            ("FLOTTA_ENDPOINT", "x"),
        ];
        assert_eq!(
            discover_with(env(&vars)),
            Target::Etcd(vec!["http://127.0.0.1:2379".into()])
        );
    }

    #[test]
    fn fleetctl_endpoint_follows_its_driver() {
        let api = [("FLEETCTL_ENDPOINT", "unix:///var/run/fleet.sock")];
        assert_eq!(
            discover_with(env(&api)),
            Target::Api {
                endpoint: "unix:///var/run/fleet.sock".into(),
                token: None
            }
        );
        let etcd = [
            ("FLEETCTL_ENDPOINT", "http://127.0.0.1:2379"),
            ("FLEETCTL_DRIVER", "etcd"),
        ];
        assert_eq!(
            discover_with(env(&etcd)),
            Target::Etcd(vec!["http://127.0.0.1:2379".into()])
        );
    }

    #[test]
    fn a_token_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, "s3cret\n").unwrap();
        let path = path.to_string_lossy().into_owned();
        let vars = [
            ("FLOTTA_ENDPOINT", "http://127.0.0.1:1"),
            ("FLOTTA_TOKEN_FILE", path.as_str()),
        ];
        assert_eq!(
            discover_with(env(&vars)),
            Target::Api {
                endpoint: "http://127.0.0.1:1".into(),
                token: Some("s3cret".into())
            }
        );
    }

    #[test]
    fn only_loopback_urls_get_a_local_token() {
        assert_eq!(
            loopback("http://127.0.0.1:4949/"),
            Some("127.0.0.1:4949".parse().unwrap())
        );
        assert_eq!(
            loopback("https://[::1]:1"),
            Some("[::1]:1".parse().unwrap())
        );
        assert_eq!(loopback("http://10.0.0.1:4949"), None);
        assert_eq!(loopback("http://localhost:4949"), None);
        assert_eq!(loopback("unix:/run/flotta/flotta.sock"), None);
    }

    #[test]
    fn nothing_set_is_the_dev_cluster() {
        assert_eq!(
            discover_with(|_| None),
            Target::Api {
                endpoint: DEV_ENDPOINT.into(),
                token: None
            }
        );
    }
}
