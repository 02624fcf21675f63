//! `flotta balance` on a real etcd, fed the way the seed's units feed confd:
//! `etcdctl put /applications/sample/<unit> host:port`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flotta_registry::testkit::EtcdServer;

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A backend answering every connection with its own name.
fn backend(ip: &str, name: &'static str) -> SocketAddr {
    let l = TcpListener::bind((ip, 0)).expect("bind");
    let addr = l.local_addr().expect("addr");
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let body = format!("{{\"backend\":\"{name}\"}}");
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

fn ask(addr: SocketAddr) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(b"GET /sample HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split("\"backend\":\"")
        .nth(1)?
        .split('"')
        .next()
        .map(str::to_owned)
}

fn wait_for(what: &str, f: impl Fn() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn etcdctl(url: &str, args: &[&str]) {
    let ok = Command::new("etcdctl")
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={url}"))
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("etcdctl (Debian etcd-client)")
        .success();
    assert!(ok, "etcdctl {args:?}");
}

#[test]
fn the_seed_keys_drive_the_built_in_proxy() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    let one = backend("127.0.0.1", "one");
    let two = backend("127.0.0.2", "two");
    etcdctl(
        &url,
        &[
            "put",
            "/applications/sample/sample.application.1@8080.service",
            &one.to_string(),
        ],
    );
    etcdctl(
        &url,
        &["put", "/applications/sample/garbage", "not-an-address"],
    );
    let listen = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port");
    let _balance = Kill(
        Command::new(env!("CARGO_BIN_EXE_flotta"))
            .args([
                "balance",
                "--etcd",
                &url,
                "--prefix",
                "/applications/sample/",
            ])
            .args([
                "--listen",
                &listen.to_string(),
                "--check-interval-ms",
                "200",
            ])
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta balance"),
    );
    wait_for("the first backend", || {
        ask(listen).as_deref() == Some("one")
    });
    etcdctl(
        &url,
        &[
            "put",
            "/applications/sample/sample.application.2@8080.service",
            &two.to_string(),
        ],
    );
    wait_for("the second backend", || {
        ask(listen).as_deref() == Some("two")
    });
    etcdctl(
        &url,
        &[
            "del",
            "/applications/sample/sample.application.1@8080.service",
        ],
    );
    wait_for("the first to leave", || {
        (0..6).all(|_| ask(listen).as_deref() == Some("two"))
    });
}

#[test]
fn balance_without_a_registry_says_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(["balance", "--listen", "127.0.0.1:0", "--service", "sample"])
        .env_remove("FLOTTA_ETCD")
        .env("FLOTTA_ENDPOINT", "http://127.0.0.1:1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--etcd"));
}
