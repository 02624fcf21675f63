//! The JSON of the `/v1` routes, shared by the server and [`crate::remote`]:
//! one definition, so both sides agree by construction.

use flotta_registry::RegistryError;
use flotta_registry::kv::{Compare, Condition, KeyValue, LeaseId, Page, TxnOp};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// Bytes escaped in a key placed in a path: all but unreserved and `/`.
pub(crate) const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Bytes escaped in a query value: all but unreserved.
pub(crate) const QUERY: &AsciiSet = &PATH.add(b'/');

/// A write's condition: `"always"`, `"absent"` or `{"mod_revision": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub(crate) enum WireCondition {
    #[default]
    Always,
    Absent,
    ModRevision(u64),
}

impl From<Condition> for WireCondition {
    fn from(c: Condition) -> Self {
        match c {
            Condition::Always => WireCondition::Always,
            Condition::Absent => WireCondition::Absent,
            Condition::ModRevision(r) => WireCondition::ModRevision(r),
        }
    }
}

impl From<WireCondition> for Condition {
    fn from(c: WireCondition) -> Self {
        match c {
            WireCondition::Always => Condition::Always,
            WireCondition::Absent => Condition::Absent,
            WireCondition::ModRevision(r) => Condition::ModRevision(r),
        }
    }
}

/// `PUT /v1/kv/{key}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PutBody {
    pub value: String,
    #[serde(default)]
    pub lease: Option<LeaseId>,
    #[serde(default)]
    pub condition: WireCondition,
}

/// `DELETE /v1/kv/{key}` (optional body).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeleteBody {
    #[serde(default)]
    pub condition: WireCondition,
}

/// `POST /v1/leases`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrantBody {
    pub ttl_ms: u64,
}

/// `{"id": N}`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct LeaseReply {
    pub id: LeaseId,
}

/// `{"ttl_ms": N}`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TtlReply {
    pub ttl_ms: u64,
}

/// `{"revision": N}`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct RevisionReply {
    pub revision: u64,
}

/// `{"deleted": bool}`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DeletedReply {
    pub deleted: bool,
}

/// `POST /v1/txn`: writes `ops` if every comparison holds, all or nothing.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TxnBody {
    #[serde(default)]
    pub compares: Vec<Compare>,
    #[serde(default)]
    pub ops: Vec<TxnOp>,
}

/// A [`Page`] on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct WirePage {
    pub items: Vec<KeyValue>,
    pub more: bool,
    pub revision: u64,
}

impl From<Page> for WirePage {
    fn from(p: Page) -> Self {
        WirePage {
            items: p.items,
            more: p.more,
            revision: p.revision,
        }
    }
}

impl From<WirePage> for Page {
    fn from(p: WirePage) -> Self {
        Page {
            items: p.items,
            more: p.more,
            revision: p.revision,
        }
    }
}

/// The error body: fleet's `{"error":{"code","message"}}` plus the
/// [`RegistryError`] variant (`kind`) and its fields, so a client rebuilds
/// the same error.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ErrorDetail {
    pub code: u16,
    #[serde(default)]
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `{"error": ...}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorDetail {
    /// The body and status for a registry error.
    pub(crate) fn from_registry(e: &RegistryError) -> ErrorDetail {
        let message = e.to_string();
        let mut d = ErrorDetail {
            message,
            ..ErrorDetail::default()
        };
        match e {
            RegistryError::Conflict {
                key,
                expected,
                actual,
            } => {
                d.code = 409;
                d.kind = "conflict".into();
                d.key = Some(key.clone());
                d.expected = Some(*expected);
                d.actual = Some(*actual);
            }
            RegistryError::Fenced { key, term, current } => {
                d.code = 409;
                d.kind = "fenced".into();
                d.key = Some(key.clone());
                d.expected = Some(*term);
                d.actual = Some(*current);
            }
            RegistryError::Compacted { requested, oldest } => {
                d.code = 410;
                d.kind = "compacted".into();
                d.requested = Some(*requested);
                d.oldest = Some(*oldest);
            }
            RegistryError::LeaseNotFound(id) => {
                d.code = 404;
                d.kind = "lease_not_found".into();
                d.lease = Some(*id);
            }
            RegistryError::BadData { key, reason } => {
                d.code = 400;
                d.kind = "bad_data".into();
                d.key = Some(key.clone());
                d.reason = Some(reason.clone());
            }
            RegistryError::Invalid { what, reason } => {
                d.code = 400;
                d.kind = "invalid".into();
                d.what = Some(what.clone());
                d.reason = Some(reason.clone());
            }
            RegistryError::Backend(reason) => {
                d.code = 503;
                d.kind = "backend".into();
                d.reason = Some(reason.clone());
            }
            // A variant this crate does not know yet: still a clear 503.
            _ => {
                d.code = 503;
                d.kind = "backend".into();
                d.reason = Some(e.to_string());
            }
        }
        d
    }

    /// The registry error this body describes; `origin` names the server
    /// for errors that are not the registry's (401, 404 route, 413...).
    pub(crate) fn into_registry(self, origin: &str) -> RegistryError {
        let ErrorDetail {
            code,
            kind,
            message,
            key,
            expected,
            actual,
            requested,
            oldest,
            lease,
            what,
            reason,
        } = self;
        match (kind.as_str(), key, what, reason) {
            ("conflict", Some(key), _, _) => RegistryError::Conflict {
                key,
                expected: expected.unwrap_or(0),
                actual: actual.unwrap_or(0),
            },
            ("fenced", Some(key), _, _) => RegistryError::Fenced {
                key,
                term: expected.unwrap_or(0),
                current: actual.unwrap_or(0),
            },
            ("compacted", ..) => RegistryError::Compacted {
                requested: requested.unwrap_or(0),
                oldest: oldest.unwrap_or(0),
            },
            ("lease_not_found", ..) => RegistryError::LeaseNotFound(lease.unwrap_or(0)),
            ("bad_data", Some(key), _, Some(reason)) => RegistryError::BadData { key, reason },
            ("invalid", _, Some(what), Some(reason)) => RegistryError::Invalid { what, reason },
            ("backend", _, _, Some(reason)) => RegistryError::Backend(reason),
            _ => RegistryError::Backend(format!("{origin}: {code}: {message}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_error_survives_the_wire() {
        let errors = [
            RegistryError::Conflict {
                key: "/k".into(),
                expected: 3,
                actual: 0,
            },
            RegistryError::Fenced {
                key: "/flotta/v1/leader/engine".into(),
                term: 5,
                current: 11,
            },
            RegistryError::Compacted {
                requested: 2,
                oldest: 9,
            },
            RegistryError::LeaseNotFound(7),
            RegistryError::BadData {
                key: "/k".into(),
                reason: "not json".into(),
            },
            RegistryError::Invalid {
                what: "ttl".into(),
                reason: "zero".into(),
            },
            RegistryError::Backend("etcd down".into()),
        ];
        for e in errors {
            let body = ErrorBody {
                error: ErrorDetail::from_registry(&e),
            };
            let text = serde_json::to_string(&body).unwrap();
            let back: ErrorBody = serde_json::from_str(&text).unwrap();
            assert_eq!(back.error.into_registry("http://x"), e, "{text}");
        }
    }

    #[test]
    fn conditions_have_a_readable_form() {
        let c: WireCondition = serde_json::from_str(r#"{"mod_revision":4}"#).unwrap();
        assert_eq!(Condition::from(c), Condition::ModRevision(4));
        let c: WireCondition = serde_json::from_str(r#""absent""#).unwrap();
        assert_eq!(Condition::from(c), Condition::Absent);
    }
}
