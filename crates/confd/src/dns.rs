//! Name lookups for `lookupIP` and `lookupSRV`.
//!
//! Addresses come from the system resolver (`getaddrinfo`, through std).
//! SRV records need a DNS query, which std cannot make: this is a minimal
//! stub resolver (one question over UDP to the `nameserver`s of
//! `/etc/resolv.conf`, answers parsed with name compression), since a full
//! resolver crate would be most of the dependency graph for one function.
//! As in confd, records are sorted by target, port, priority and weight so a
//! reordering DNS server does not cause reloads, and a failed lookup is an
//! empty list.

use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::Duration;

/// One SRV record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    /// The host, with its trailing dot (`web1.example.com.`).
    pub target: String,
    /// The port.
    pub port: u16,
    /// Lower is preferred.
    pub priority: u16,
    /// Relative weight among equal priorities.
    pub weight: u16,
}

/// The addresses `host` resolves to, as strings, sorted and without
/// duplicates (confd sorts them so DNS round-robin causes no reload).
pub fn lookup_ip(host: &str) -> Vec<String> {
    let mut ips: Vec<String> = match (host, 0).to_socket_addrs() {
        Ok(addrs) => addrs.map(|a| a.ip().to_string()).collect(),
        Err(_) => Vec::new(),
    };
    ips.sort();
    ips.dedup();
    ips
}

/// `_service._proto.name`'s SRV records from the system's name servers.
pub fn lookup_srv(service: &str, proto: &str, name: &str) -> Vec<Srv> {
    let servers = std::fs::read_to_string("/etc/resolv.conf")
        .map(|t| nameservers(&t))
        .unwrap_or_default();
    lookup_srv_with(&servers, service, proto, name)
}

/// As [`lookup_srv`], asking `servers` in turn.
pub fn lookup_srv_with(servers: &[SocketAddr], service: &str, proto: &str, name: &str) -> Vec<Srv> {
    let qname = if service.is_empty() && proto.is_empty() {
        name.to_owned()
    } else {
        format!("_{service}._{proto}.{name}")
    };
    for server in servers {
        if let Some(mut records) = query_srv(*server, &qname) {
            let key = |r: &Srv| format!("{}{}{}{}", r.target, r.port, r.priority, r.weight);
            records.sort_by_key(key);
            return records;
        }
    }
    Vec::new()
}

fn nameservers(resolv_conf: &str) -> Vec<SocketAddr> {
    resolv_conf
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("nameserver"))
                .then(|| words.next())
                .flatten()
        })
        .filter_map(|ip| ip.parse::<std::net::IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .take(3)
        .collect()
}

const SRV: u16 = 33;

fn query_srv(server: SocketAddr, qname: &str) -> Option<Vec<Srv>> {
    let bind: SocketAddr = if server.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        "[::]:0".parse().ok()?
    };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let id: u16 = (std::process::id() as u16) ^ 0x5a5a;
    let mut q = Vec::with_capacity(64);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in qname.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&SRV.to_be_bytes());
    q.extend_from_slice(&1u16.to_be_bytes());
    for _ in 0..2 {
        socket.send_to(&q, server).ok()?;
        let mut buf = [0u8; 4096];
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        if from != server || n < 12 || buf[..2] != id.to_be_bytes() {
            continue;
        }
        return parse_answer(&buf[..n]);
    }
    None
}

fn parse_answer(msg: &[u8]) -> Option<Vec<Srv>> {
    let rcode = msg.get(3)? & 0x0f;
    if rcode != 0 {
        return None;
    }
    let qd = u16::from_be_bytes([*msg.get(4)?, *msg.get(5)?]);
    let an = u16::from_be_bytes([*msg.get(6)?, *msg.get(7)?]);
    let mut at = 12;
    for _ in 0..qd {
        let (_, next) = read_name(msg, at)?;
        at = next + 4;
    }
    let mut out = Vec::new();
    for _ in 0..an {
        let (_, next) = read_name(msg, at)?;
        at = next;
        let typ = u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?]);
        let len = usize::from(u16::from_be_bytes([*msg.get(at + 8)?, *msg.get(at + 9)?]));
        let data = at + 10;
        if typ == SRV && len >= 7 {
            let word = |o: usize| -> Option<u16> {
                Some(u16::from_be_bytes([
                    *msg.get(data + o)?,
                    *msg.get(data + o + 1)?,
                ]))
            };
            let (target, _) = read_name(msg, data + 6)?;
            out.push(Srv {
                priority: word(0)?,
                weight: word(2)?,
                port: word(4)?,
                target,
            });
        }
        at = data + len;
    }
    Some(out)
}

/// A (possibly compressed) domain name at `at`, with a trailing dot, and
/// the offset after it.
fn read_name(msg: &[u8], mut at: usize) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut end = None;
    for _ in 0..128 {
        let len = *msg.get(at)?;
        match len {
            0 => {
                if name.is_empty() {
                    name.push('.');
                }
                return Some((name, end.unwrap_or(at + 1)));
            }
            l if l & 0xc0 == 0xc0 => {
                let ptr = usize::from(u16::from_be_bytes([l & 0x3f, *msg.get(at + 1)?]));
                end.get_or_insert(at + 2);
                at = ptr;
            }
            l => {
                let label = msg.get(at + 1..at + 1 + usize::from(l))?;
                name.push_str(&String::from_utf8_lossy(label));
                name.push('.');
                at += 1 + usize::from(l);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf_nameservers() {
        let t = "# x\nsearch example.com\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0\n";
        assert_eq!(
            nameservers(t),
            [
                "127.0.0.53:53".parse::<SocketAddr>().unwrap(),
                "[::1]:53".parse().unwrap()
            ]
        );
    }

    #[test]
    fn localhost_resolves() {
        assert!(
            lookup_ip("localhost")
                .iter()
                .any(|ip| ip == "127.0.0.1" || ip == "::1")
        );
        assert!(lookup_ip("no-such-host.invalid").is_empty());
    }
}
