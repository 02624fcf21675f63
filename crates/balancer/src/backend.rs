//! What a balancer routes to: backends, grouped in a pool.

use serde::{Deserialize, Serialize};

use crate::error::BalancerError;

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

/// Parses a raw `host:port` value (as the seed's `etcdctl set` writes):
/// an IP or DNS host name (IPv6 in brackets) and a port from 1 to 65535.
pub use flotta_unit_spec::host::parse_host_port;

/// Longest backend ID, as long as a unit name may be.
pub const ID_MAX: usize = 255;

/// Checks a backend ID: 1 to [`ID_MAX`] bytes of the unit-name charset
/// (`[A-Za-z0-9:_.@\-]`), so it cannot end a directive in a config file.
///
/// # Errors
/// A message saying which character is not allowed.
pub fn validate_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > ID_MAX {
        return Err(format!("{id:?} must be 1 to {ID_MAX} bytes long"));
    }
    match id
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || ":_.@\\-".contains(c)))
    {
        Some((i, c)) => Err(format!(
            "{id:?}: character {c:?} at column {} is not allowed (only A-Z a-z 0-9 : _ . @ \\ -, as in unit names)",
            id[..i].chars().count() + 1
        )),
        None => Ok(()),
    }
}

impl Backend {
    /// Checks every field that reaches a config file: the ID, the address
    /// (an IP or DNS host name) and the port.
    ///
    /// # Errors
    /// [`BalancerError::InvalidBackend`] naming the field.
    pub fn validate(&self) -> Result<(), BalancerError> {
        let invalid = |field: &'static str, message: String| BalancerError::InvalidBackend {
            id: self.id.clone(),
            field,
            message,
        };
        validate_id(&self.id).map_err(|m| invalid("id", m))?;
        flotta_unit_spec::host::validate_host(&self.address)
            .map_err(|e| invalid("address", e.to_string()))?;
        if self.port == 0 {
            return Err(invalid("port", "port 0".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(id: &str, address: &str, port: u16) -> Backend {
        Backend {
            id: id.into(),
            address: address.into(),
            port,
            weight: 1,
            backup: false,
        }
    }

    #[test]
    fn validate_names_the_field() {
        assert!(
            backend("web@8080.service", "10.0.0.1", 8080)
                .validate()
                .is_ok()
        );
        assert!(backend("web\\x2d1.service", "::1", 1).validate().is_ok());
        for (b, field) in [
            (backend("a;b", "10.0.0.1", 80), "id"),
            (backend("a b", "10.0.0.1", 80), "id"),
            (backend("", "10.0.0.1", 80), "id"),
            (backend("a", "10.0.0.1;}", 80), "address"),
            (backend("a", "10.0.0.1:80", 80), "address"),
            (backend("a", "10.0.0.1", 0), "port"),
        ] {
            match b.validate() {
                Err(BalancerError::InvalidBackend { field: f, .. }) => {
                    assert_eq!(f, field, "{b:?}")
                }
                other => panic!("{b:?}: {other:?}"),
            }
        }
    }
}
