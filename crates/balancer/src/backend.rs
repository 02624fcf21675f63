//! What a balancer routes to: backends, grouped in a pool.

use serde::{Deserialize, Serialize};

/// One instance traffic can go to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Backend {
    /// Stable identity (the endpoint ID, or the raw key's last segment).
    pub id: String,
    /// Host name or IP.
    pub address: String,
    /// TCP port.
    pub port: u16,
    /// Relative share of traffic.
    pub weight: u32,
    /// Only used when no other backend is up.
    pub backup: bool,
}

impl Backend {
    /// `address:port`, with IPv6 addresses bracketed.
    pub fn authority(&self) -> String {
        if self.address.contains(':') {
            format!("[{}]:{}", self.address, self.port)
        } else {
            format!("{}:{}", self.address, self.port)
        }
    }

    /// The ID reduced to `[A-Za-z0-9_.-]`, for config files that name servers.
    pub fn slug(&self) -> String {
        self.id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// The backends of one service at one moment, sorted by ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    /// The service (or key prefix) the pool follows.
    pub service: String,
    /// Backends, sorted by ID.
    pub backends: Vec<Backend>,
    /// The store revision this pool reflects.
    pub revision: u64,
}

/// Parses a raw `host:port` value (as the seed's `etcdctl set` writes).
///
/// # Errors
/// A message saying what is wrong with the value.
pub fn parse_host_port(value: &str) -> Result<(String, u16), String> {
    let value = value.trim();
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (host, port) = rest
            .split_once("]:")
            .ok_or_else(|| format!("{value:?}: expected [ipv6]:port"))?;
        (host, port)
    } else {
        value
            .rsplit_once(':')
            .ok_or_else(|| format!("{value:?}: expected host:port"))?
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("{value:?}: bad host {host:?}"));
    }
    let port: u16 = port
        .parse()
        .map_err(|_| format!("{value:?}: bad port {port:?}"))?;
    if port == 0 {
        return Err(format!("{value:?}: port 0"));
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port() {
        assert_eq!(
            parse_host_port("10.0.0.1:8080"),
            Ok(("10.0.0.1".into(), 8080))
        );
        assert_eq!(parse_host_port(" [::1]:80\n"), Ok(("::1".into(), 80)));
        for bad in [
            "", "host", "host:", ":80", "h:0", "h:99999", "a b:80", "[::1]80",
        ] {
            assert!(parse_host_port(bad).is_err(), "{bad:?}");
        }
    }
}
