//! The JSON of the `/v1` routes, shared by the server and [`crate::remote`]:
//! one definition, so both sides agree by construction.

use flotta_registry::RegistryError;
use flotta_registry::kv::{Compare, Condition, KeyValue, LeaseId, Page, TxnOp};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Condition)]
pub(crate) enum WireCondition {
    /// Write whatever is there.
    #[default]
    Always,
    /// Only create: the key must not exist.
    Absent,
    /// Only if the key's last change was at this revision.
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PutBody {
    /// The new value.
    pub value: String,
    /// A lease to attach the key to: it vanishes when the lease expires.
    #[serde(default)]
    #[schema(value_type = Option<u64>)]
    pub lease: Option<LeaseId>,
    /// When the write may happen (default `"always"`).
    #[serde(default)]
    pub condition: WireCondition,
}

/// `DELETE /v1/kv/{key}` (optional body).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeleteBody {
    /// When the delete may happen (default `"always"`).
    #[serde(default)]
    pub condition: WireCondition,
}

/// `POST /v1/leases`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrantBody {
    /// Time to live in milliseconds (at least 1).
    pub ttl_ms: u64,
}

/// `{"id": N}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct LeaseReply {
    /// The lease.
    #[schema(value_type = u64)]
    pub id: LeaseId,
}

/// `{"ttl_ms": N}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct TtlReply {
    /// The lease's time to live from now, in milliseconds.
    pub ttl_ms: u64,
}

/// `{"revision": N}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct RevisionReply {
    /// The store's revision (that of the write, after one).
    pub revision: u64,
}

/// `{"deleted": bool}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct DeletedReply {
    /// Whether there was something to delete.
    pub deleted: bool,
}

/// `POST /v1/txn`: writes `ops` if every comparison holds, all or nothing.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TxnBody {
    /// Comparisons that must all hold.
    #[serde(default)]
    pub compares: Vec<Compare>,
    /// Writes made, all or none, when they do.
    #[serde(default)]
    pub ops: Vec<TxnOp>,
}

/// A [`Page`] on the wire.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = KvPage)]
pub(crate) struct WirePage {
    /// The keys, in order.
    pub items: Vec<KeyValue>,
    /// Whether keys past the last one remain (ask again with `after`).
    pub more: bool,
    /// The store's revision the page was read at.
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// The HTTP status.
    pub code: u16,
    /// The error's kind (`conflict`, `fenced`, `compacted`, `lease_not_found`,
    /// `bad_data`, `invalid`, `backend`, `not_found`, `forbidden`,
    /// `unauthorized`, `too_large`); absent in fleet's routes' errors.
    #[serde(default)]
    pub kind: String,
    /// What went wrong, in words.
    pub message: String,
    /// The key (`conflict`, `fenced`, `bad_data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The revision or term expected (`conflict`, `fenced`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    /// The revision or term found (`conflict`, `fenced`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<u64>,
    /// The revision asked for (`compacted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<u64>,
    /// The oldest revision still kept (`compacted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest: Option<u64>,
    /// The lease (`lease_not_found`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<u64>,
    /// What was invalid (`invalid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    /// Why (`bad_data`, `invalid`, `backend`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `{"error": ...}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// The error.
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

/// One server-sent event of `GET /v1/watch` as a client reads it (only its
/// schema is used: axum's `Sse` writes the frames): `id` the revision and
/// `data` an `Event` as JSON, or with `event: error`, an `ErrorBody`.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the stream for the OpenAPI document")]
pub(crate) struct WatchFrame {
    /// The revision of the event (absent on `event: error`).
    id: Option<String>,
    /// `message`, or `error` for the frame that ends the stream.
    event: Option<String>,
    /// The event (or the error) as JSON.
    data: String,
}
