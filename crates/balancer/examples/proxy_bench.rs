//! The built-in proxy against HAProxy in front of the same four
//! `flotta-greeter` backends, driven by `wrk` in one run; prints requests/s,
//! p99 and the ratios. Both proxies run at layer 4 (`mode tcp`) so they do
//! the same job; HAProxy in `mode http` is printed too, for reference.
//!
//! ```text
//! cargo build --release -p flotta-balancer --bin flotta-greeter
//! cargo run --release -p flotta-balancer --example proxy_bench
//! ```
//! `FLOTTA_BENCH_QUICK=1` runs each `wrk` for 2 s instead of 8 s.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flotta_balancer::proxy::{Proxy, ProxyConfig};
use flotta_balancer::{Backend, Pool};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free(ip: &str) -> SocketAddr {
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .expect("free port")
}

fn wait_listening(addr: SocketAddr) {
    let start = Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{addr} never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (requests/s, p99 in ms) from wrk's output.
fn wrk(url: &str, seconds: u64) -> (f64, f64) {
    let out = Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", url])
        .output()
        .expect("run wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk output:\n{text}"));
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| {
            let v = v.trim();
            let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
            let n: f64 = num.parse().unwrap_or(f64::NAN);
            match unit {
                "us" => n / 1000.0,
                "s" => n * 1000.0,
                _ => n,
            }
        })
        .unwrap_or(f64::NAN);
    let errors = text
        .lines()
        .any(|l| l.contains("Non-2xx") || l.contains("Socket errors"));
    if errors {
        eprintln!("wrk reported errors for {url}:\n{text}");
    }
    (rps, p99)
}

fn greeter_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("exe");
    // target/release/examples/proxy_bench -> target/release/flotta-greeter
    exe.parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("flotta-greeter"))
        .expect("target dir")
}

fn haproxy(dir: &std::path::Path, listen: SocketAddr, backends: &[SocketAddr], mode: &str) -> Kill {
    let mut cfg = format!(
        "global\n    maxconn 4096\ndefaults\n    mode {mode}\n    timeout connect 1s\n    timeout client 30s\n    timeout server 30s\n\
         frontend fe\n    bind {listen}\n    default_backend be\nbackend be\n    balance roundrobin\n"
    );
    if mode == "http" {
        cfg.push_str("    http-reuse always\n");
    }
    for (i, b) in backends.iter().enumerate() {
        cfg.push_str(&format!("    server s{i} {b}\n"));
    }
    let path = dir.join(format!("haproxy-{mode}.cfg"));
    std::fs::write(&path, cfg).expect("write cfg");
    let child = Command::new("haproxy")
        .arg("-f")
        .arg(&path)
        .stdout(Stdio::null())
        .spawn()
        .expect("start haproxy (apt-get install haproxy)");
    wait_listening(listen);
    Kill(child)
}

fn main() {
    let quick = std::env::var_os("FLOTTA_BENCH_QUICK").is_some();
    let seconds = if quick { 2 } else { 8 };
    let greeter = greeter_bin();
    assert!(
        greeter.is_file(),
        "build flotta-greeter first: {}",
        greeter.display()
    );
    let mut backends = Vec::new();
    let mut children = Vec::new();
    for n in 1..=4 {
        let addr = free(&format!("127.0.0.{n}"));
        children.push(Kill(
            Command::new(&greeter)
                .args(["--listen", &addr.to_string()])
                .stdout(Stdio::null())
                .spawn()
                .expect("greeter"),
        ));
        wait_listening(addr);
        backends.push(addr);
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let proxy_addr = rt.block_on(async {
        let mut config = ProxyConfig::new(free("127.0.0.1"));
        config.health = None;
        let proxy = Proxy::bind(config).await.expect("bind");
        let addr = proxy.local_addr().expect("addr");
        let pool = Pool {
            service: "sample".into(),
            backends: backends
                .iter()
                .map(|a| Backend {
                    id: a.to_string(),
                    address: a.ip().to_string(),
                    port: a.port(),
                    weight: 1,
                    backup: false,
                })
                .collect(),
            revision: 1,
        };
        proxy.handle().update(&pool).await;
        tokio::spawn(proxy.serve());
        addr
    });
    let dir = tempfile_dir();
    // Warm the backends, then measure each in turn.
    wrk(&format!("http://{}/sample", backends[0]), 1);
    let direct = wrk(&format!("http://{}/sample", backends[0]), seconds);
    let ours = wrk(&format!("http://{proxy_addr}/sample"), seconds);
    let tcp_addr = free("127.0.0.1");
    let tcp = {
        let _h = haproxy(&dir, tcp_addr, &backends, "tcp");
        wrk(&format!("http://{tcp_addr}/sample"), seconds)
    };
    let http_addr = free("127.0.0.1");
    let http = {
        let _h = haproxy(&dir, http_addr, &backends, "http");
        wrk(&format!("http://{http_addr}/sample"), seconds)
    };
    let _ = std::fs::remove_dir_all(&dir);
    println!("proxy_bench: wrk -t2 -c32 -d{seconds}s against 4 flotta-greeter backends");
    println!("{:<24} {:>12} {:>10}", "target", "requests/s", "p99 ms");
    for (name, (rps, p99)) in [
        ("one backend, direct", direct),
        ("flotta built-in proxy", ours),
        ("haproxy mode tcp", tcp),
        ("haproxy mode http", http),
    ] {
        println!("{name:<24} {rps:>12.0} {p99:>10.2}");
    }
    println!(
        "{{\"bench\":\"proxy_bench\",\"proxy_rps\":{:.0},\"haproxy_tcp_rps\":{:.0},\"ratio_rps\":{:.3},\"ratio_p99\":{:.3},\"target_0_8x\":{}}}",
        ours.0,
        tcp.0,
        ours.0 / tcp.0,
        ours.1 / tcp.1,
        ours.0 / tcp.0 >= 0.8
    );
    drop(children);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flotta-proxy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
