//! `lookupSRV` (and `-srv-record`) against a real DNS server: dnsmasq on a
//! free loopback port, serving SRV records; confd's ordering (target,
//! port, priority, weight) whatever order the server answers in.

use std::io::Read;
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flotta_confd::{Srv, lookup_srv_with};

struct Dnsmasq(Child);

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// dnsmasq serving the two SRV records on a free loopback port. The port is
/// found free over UDP; dnsmasq also listens on it over TCP, where another
/// socket may hold it, so a start that fails for an address in use is tried
/// again on another port. Any other early exit fails with dnsmasq's words.
fn start_dnsmasq() -> (Dnsmasq, SocketAddr) {
    for _ in 0..5 {
        let port = UdpSocket::bind("127.0.0.1:0")
            .and_then(|s| s.local_addr())
            .expect("port")
            .port();
        let server: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let mut dns = Dnsmasq(
            Command::new("dnsmasq")
                .args([
                    "--keep-in-foreground",
                    "--no-resolv",
                    "--no-hosts",
                    "--bind-interfaces",
                ])
                .args([
                    "--listen-address=127.0.0.1",
                    "--conf-file=/dev/null",
                    "--pid-file=",
                ])
                .arg(format!("--port={port}"))
                .arg("--srv-host=_etcd-client._tcp.example.test,b.example.test,2379,0,10")
                .arg("--srv-host=_etcd-client._tcp.example.test,a.example.test,2380,1,5")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("dnsmasq (Debian's dnsmasq-base; scripts/test installs it)"),
        );
        // Up once it answers for a name it serves; a dead dnsmasq says why.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Some(status) = dns.0.try_wait().expect("dnsmasq status") {
                let mut why = String::new();
                if let Some(mut err) = dns.0.stderr.take() {
                    let _ = err.read_to_string(&mut why);
                }
                assert!(why.contains("in use"), "dnsmasq exited ({status}): {why}");
                break;
            }
            if !lookup_srv_with(&[server], "etcd-client", "tcp", "example.test").is_empty() {
                return (dns, server);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            dns.0.try_wait().ok().flatten().is_some(),
            "dnsmasq on {server} did not answer within 30 s"
        );
    }
    panic!("no free port for dnsmasq in 5 tries");
}

#[test]
fn srv_records_from_dnsmasq() {
    let (_dns, server) = start_dnsmasq();
    let records = lookup_srv_with(&[server], "etcd-client", "tcp", "example.test");
    assert_eq!(
        records,
        [
            Srv {
                target: "a.example.test.".into(),
                port: 2380,
                priority: 1,
                weight: 5
            },
            Srv {
                target: "b.example.test.".into(),
                port: 2379,
                priority: 0,
                weight: 10
            },
        ]
    );
    // A record name as -srv-record gives it, and a name with none.
    assert_eq!(
        lookup_srv_with(&[server], "", "", "_etcd-client._tcp.example.test.").len(),
        2
    );
    assert!(lookup_srv_with(&[server], "none", "tcp", "example.test").is_empty());
}
