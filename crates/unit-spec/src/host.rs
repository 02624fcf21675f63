//! Host names, IP literals and `host:port` pairs, as they may reach a
//! balancer's config file.
//!
//! An endpoint's address ends up inside HAProxy, nginx and Apache configs,
//! where a `;`, `}` or newline would end the directive and start another. So
//! an address is accepted only when it is an IPv4 or IPv6 literal, or a host
//! name in the DNS charset (RFC 1123): dot-separated labels of
//! `[A-Za-z0-9-]`, 1 to 63 bytes each, not starting or ending with `-`, at
//! most 253 bytes in all (one trailing dot allowed). Nothing else is needed
//! to name a machine, and nothing in that charset means anything to a config
//! parser.
//!
//! ```
//! use flotta_unit_spec::host::{parse_host_port, validate_host};
//! assert!(validate_host("10.0.0.7").is_ok());
//! assert!(validate_host("web-1.example.com").is_ok());
//! assert!(validate_host("fe80::1").is_ok());
//! let err = validate_host("1.2.3.4; } server {").unwrap_err();
//! assert!(err.to_string().contains("';' at column 8"), "{err}");
//! assert_eq!(parse_host_port("[::1]:8080").unwrap(), ("::1".to_owned(), 8080));
//! assert!(parse_host_port("1.2.3.4:80; } server { listen 9").is_err());
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest host name DNS allows, in bytes (without a trailing dot).
pub const HOST_NAME_MAX: usize = 253;

/// Longest label of a host name, in bytes.
pub const LABEL_MAX: usize = 63;

/// An address or `host:port` that is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    /// The input as given.
    pub input: String,
    /// What is wrong with it.
    pub kind: HostErrorKind,
}

/// The kinds of [`HostError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostErrorKind {
    /// Nothing where a host should be.
    Empty,
    /// Longer than [`HOST_NAME_MAX`] bytes.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A character outside the DNS charset.
    InvalidChar {
        /// The character.
        ch: char,
        /// Its 1-based column in the input.
        column: usize,
    },
    /// An empty label (`a..b`, a leading dot).
    EmptyLabel,
    /// A label longer than [`LABEL_MAX`] bytes.
    LabelTooLong {
        /// The label.
        label: String,
    },
    /// A label starting or ending with `-`.
    LabelHyphen {
        /// The label.
        label: String,
    },
    /// Contains `:` but is not an IPv6 literal.
    BadIpv6,
    /// An IPv6 address before `:port` without brackets.
    UnbracketedIpv6,
    /// No `:port` after the host.
    MissingPort,
    /// The port is not a number from 1 to 65535.
    BadPort {
        /// The port as written.
        port: String,
    },
}

impl HostError {
    fn new(input: &str, kind: HostErrorKind) -> Self {
        HostError {
            input: input.to_owned(),
            kind,
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            HostErrorKind::Empty => write!(f, "{input:?}: no host name or IP address"),
            HostErrorKind::TooLong { len } => write!(
                f,
                "{input:?}: the host name is {len} bytes long, at most {HOST_NAME_MAX} are allowed"
            ),
            HostErrorKind::InvalidChar { ch, column } => write!(
                f,
                "{input:?}: character {ch:?} at column {column} is not allowed; expected an IP \
                 address or a host name of letters, digits, '-' and '.'"
            ),
            HostErrorKind::EmptyLabel => write!(
                f,
                "{input:?}: empty label; a host name has no leading dot and no \"..\""
            ),
            HostErrorKind::LabelTooLong { label } => write!(
                f,
                "{input:?}: label {label:?} is {} bytes long, at most {LABEL_MAX} are allowed",
                label.len()
            ),
            HostErrorKind::LabelHyphen { label } => {
                write!(f, "{input:?}: label {label:?} starts or ends with '-'")
            }
            HostErrorKind::BadIpv6 => write!(
                f,
                "{input:?}: not an IPv6 address (a host name has no ':'; write a port separately)"
            ),
            HostErrorKind::UnbracketedIpv6 => write!(
                f,
                "{input:?}: an IPv6 address needs brackets before a port, as in [::1]:8080"
            ),
            HostErrorKind::MissingPort => {
                write!(f, "{input:?}: expected host:port (or [ipv6]:port)")
            }
            HostErrorKind::BadPort { port } => write!(
                f,
                "{input:?}: port {port:?} is not a number from 1 to 65535"
            ),
        }
    }
}

impl std::error::Error for HostError {}

/// Checks that `host` is an IPv4 or IPv6 literal (unbracketed) or a DNS
/// host name.
///
/// # Errors
/// [`HostError`] saying which character or label is wrong.
pub fn validate_host(host: &str) -> Result<(), HostError> {
    let fail = |kind| Err(HostError::new(host, kind));
    if host.is_empty() {
        return fail(HostErrorKind::Empty);
    }
    if host.parse::<Ipv4Addr>().is_ok() || host.parse::<Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if let Some((i, ch)) = host
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
    {
        if ch == ':'
            && host
                .chars()
                .all(|c| c.is_ascii_hexdigit() || ".:".contains(c))
        {
            return fail(HostErrorKind::BadIpv6);
        }
        return fail(HostErrorKind::InvalidChar {
            ch,
            column: host[..i].chars().count() + 1,
        });
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > HOST_NAME_MAX {
        return fail(HostErrorKind::TooLong { len: name.len() });
    }
    for label in name.split('.') {
        if label.is_empty() {
            return fail(HostErrorKind::EmptyLabel);
        }
        if label.len() > LABEL_MAX {
            return fail(HostErrorKind::LabelTooLong {
                label: label.to_owned(),
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return fail(HostErrorKind::LabelHyphen {
                label: label.to_owned(),
            });
        }
    }
    Ok(())
}

/// Parses `host:port` or `[ipv6]:port` (surrounding whitespace ignored), as
/// the seed's `etcdctl set /applications/… host:port` writes, checking the
/// host with [`validate_host`] and the port is 1 to 65535.
///
/// # Errors
/// [`HostError`] naming what is wrong.
pub fn parse_host_port(value: &str) -> Result<(String, u16), HostError> {
    let trimmed = value.trim();
    let fail = |kind| Err(HostError::new(trimmed, kind));
    let (host, port) = if let Some(rest) = trimmed.strip_prefix('[') {
        let Some((host, port)) = rest.split_once("]:") else {
            return fail(HostErrorKind::MissingPort);
        };
        if host.parse::<Ipv6Addr>().is_err() {
            return fail(HostErrorKind::BadIpv6);
        }
        (host, port)
    } else {
        let Some((host, port)) = trimmed.rsplit_once(':') else {
            return fail(HostErrorKind::MissingPort);
        };
        if host.contains(':') {
            return fail(HostErrorKind::UnbracketedIpv6);
        }
        (host, port)
    };
    validate_host(host).map_err(|e| HostError::new(trimmed, e.kind))?;
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok((host.to_owned(), p)),
        _ => fail(HostErrorKind::BadPort {
            port: port.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for ok in [
            "10.0.0.1",
            "::1",
            "fe80::1",
            "localhost",
            "web-1.example.com",
            "example.com.",
            "a",
            "1.2.3",
            &"a".repeat(63),
        ] {
            assert_eq!(validate_host(ok), Ok(()), "{ok:?}");
        }
        for (bad, kind) in [
            ("", HostErrorKind::Empty),
            ("a..b", HostErrorKind::EmptyLabel),
            (".a", HostErrorKind::EmptyLabel),
            ("-a.b", HostErrorKind::LabelHyphen { label: "-a".into() }),
            ("1::2::3", HostErrorKind::BadIpv6),
            ("a_b", HostErrorKind::InvalidChar { ch: '_', column: 2 }),
            ("a b", HostErrorKind::InvalidChar { ch: ' ', column: 2 }),
            (
                "a\nb",
                HostErrorKind::InvalidChar {
                    ch: '\n',
                    column: 2,
                },
            ),
            ("a;b", HostErrorKind::InvalidChar { ch: ';', column: 2 }),
            ("[::1]", HostErrorKind::InvalidChar { ch: '[', column: 1 }),
            ("host:80", HostErrorKind::InvalidChar { ch: ':', column: 5 }),
        ] {
            assert_eq!(validate_host(bad).map_err(|e| e.kind), Err(kind), "{bad:?}");
        }
        let long = vec!["a".repeat(63); 4].join(".");
        assert!(matches!(
            validate_host(&long).map_err(|e| e.kind),
            Err(HostErrorKind::TooLong { len: 255 })
        ));
        assert!(matches!(
            validate_host(&"a".repeat(64)).map_err(|e| e.kind),
            Err(HostErrorKind::LabelTooLong { .. })
        ));
    }

    #[test]
    fn host_port() {
        assert_eq!(
            parse_host_port("10.0.0.1:8080"),
            Ok(("10.0.0.1".into(), 8080))
        );
        assert_eq!(parse_host_port(" [::1]:80\n"), Ok(("::1".into(), 80)));
        assert_eq!(
            parse_host_port("db.internal:5432"),
            Ok(("db.internal".into(), 5432))
        );
        for bad in [
            "",
            "host",
            "host:",
            ":80",
            "h:0",
            "h:99999",
            "h:+80",
            "a b:80",
            "[::1]80",
            "[x]:80",
            "::1:80",
            "1.2.3.4:80; } server { listen 9",
            "1.2.3.4; } server { x:80",
            "evil\n:80",
        ] {
            assert!(parse_host_port(bad).is_err(), "{bad:?}");
        }
        let err = parse_host_port("1.2.3.4:80; }").unwrap_err();
        assert!(err.to_string().contains("port \"80; }\""), "{err}");
    }
}
