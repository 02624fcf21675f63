//! Where a client finds the cluster when it is told nothing: the one rule
//! the `flotta` CLI and the Python `flotta.Client()` share.
//!
//! In order: `FLOTTA_ETCD` (etcd URLs), `FLOTTA_ENDPOINT` (the API), then
//! fleetctl's own variables as aliases — `FLEETCTL_ENDPOINT`, which with
//! `FLEETCTL_DRIVER=etcd` names etcd URLs and otherwise the API, as
//! fleetctl reads them — and last the dev cluster's API, [`DEV_ENDPOINT`].
//! A token comes from `FLOTTA_TOKEN`.
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

/// The API of `flotta agent --dev` (and `flotta demo`).
pub const DEV_ENDPOINT: &str = "http://127.0.0.1:4949";

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
    let token = env("FLOTTA_TOKEN");
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
    Target::Api {
        endpoint: DEV_ENDPOINT.to_owned(),
        token,
    }
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
