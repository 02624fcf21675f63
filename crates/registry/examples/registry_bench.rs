//! Registry throughput on the memory backend and on a real etcd, side by side:
//! N unit puts, a full list, and watch fan-out latency to 100 watchers. For
//! etcd the baseline is `etcdctl put` of the same keys (a sample of 200
//! invocations, timed per put, since a process per key is the tool's cost).
//! Prints one JSON line per backend. `FLOTTA_BENCH_QUICK=1`: 10,000 puts.
//!
//! ```text
//! cargo run --release -p flotta-registry --features testkit --example registry_bench
//! ```

use std::process::Command;
use std::time::{Duration, Instant};

use flotta_registry::kv::KvBackend;
use flotta_registry::model::{TargetState, Unit};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{Change, EtcdBackend, EtcdOptions, MemoryBackend, Registry};
use futures::StreamExt;

fn unit(i: usize) -> Unit {
    Unit {
        name: format!("bench.{i:06}@8080.service"),
        contents: "[Service]\nExecStart=/bin/true\n".into(),
        hash: "0".repeat(40),
        target_state: TargetState::Launched,
        created_revision: 0,
        modified_revision: 0,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

async fn run<B: KvBackend + Clone + 'static>(name: &str, backend: B, n: usize) -> String {
    let r = Registry::new(backend.clone());
    // Puts, 64 in flight.
    let t = Instant::now();
    let failures = futures::stream::iter(0..n)
        .map(|i| {
            let r = r.clone();
            async move { r.put_unit(&unit(i), None).await.is_err() }
        })
        .buffer_unordered(64)
        .filter(|failed| futures::future::ready(*failed))
        .count()
        .await;
    let put_s = t.elapsed().as_secs_f64();

    // Full list, page by page.
    let t = Instant::now();
    let mut after: Option<String> = None;
    let mut listed = 0;
    loop {
        let Ok(page) = r.units(after.as_deref(), 1000).await else {
            break;
        };
        listed += page.items.len();
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let list_s = t.elapsed().as_secs_f64();

    // Fan-out: 100 watchers, 100 updates; latency from write to each delivery.
    let from = backend.revision().await.unwrap_or(0) + 1;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    let mut watchers = Vec::new();
    for _ in 0..100 {
        let Ok(stream) = r.watch::<Unit>("units", from).await else {
            continue;
        };
        let tx = tx.clone();
        watchers.push(tokio::spawn(async move {
            let mut stream = Box::pin(stream);
            let mut seen = 0;
            while seen < 100 {
                match tokio::time::timeout(Duration::from_secs(30), stream.next()).await {
                    Ok(Some(Ok((_, Change::Put(u))))) => {
                        let i: usize = u.name[6..12].parse().unwrap_or(0);
                        let _ = tx.send((i, Instant::now()));
                        seen += 1;
                    }
                    Ok(Some(_)) => {}
                    _ => break,
                }
            }
        }));
    }
    drop(tx);
    let mut sent = Vec::with_capacity(100);
    for i in 0..100 {
        sent.push(Instant::now());
        let _ = r.put_unit(&unit(i), None).await;
    }
    let mut latencies = Vec::new();
    while let Ok(Some((i, at))) = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
        if let Some(s) = sent.get(i) {
            latencies.push(at.saturating_duration_since(*s));
        }
    }
    for w in watchers {
        let _ = w.await;
    }
    latencies.sort();
    format!(
        "\"backend\":\"{name}\",\"puts\":{n},\"put_failures\":{failures},\"puts_per_s\":{:.0},\"list_units\":{listed},\"list_s\":{list_s:.3},\"watchers\":100,\"deliveries\":{},\"fanout_p50_ms\":{:.2},\"fanout_p99_ms\":{:.2}",
        n as f64 / put_s,
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    )
}

fn etcdctl_baseline(url: &str, samples: usize) -> Option<f64> {
    let t = Instant::now();
    for i in 0..samples {
        let ok = Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args([
                "--endpoints",
                url,
                "put",
                &format!("/flotta/v1/units/baseline.{i:06}@8080.service"),
                "{}",
            ])
            .output()
            .ok()?
            .status
            .success();
        if !ok {
            return None;
        }
    }
    Some(samples as f64 / t.elapsed().as_secs_f64())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::var_os("FLOTTA_BENCH_QUICK").is_some();
    let n = if quick { 10_000 } else { 100_000 };

    let memory = run("memory", MemoryBackend::default(), n).await;
    println!("{{\"bench\":\"registry\",{memory}}}");

    let server = match EtcdServer::start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start etcd: {e}");
            std::process::exit(1);
        }
    };
    let backend = match EtcdBackend::connect(&EtcdOptions::new([server.client_url()])).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot connect to etcd: {e}");
            std::process::exit(1);
        }
    };
    let etcd = run("etcd", backend, n).await;
    let baseline = etcdctl_baseline(&server.client_url(), 200);
    let flotta_rate: f64 = etcd
        .split("\"puts_per_s\":")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    match baseline {
        Some(b) => println!(
            "{{\"bench\":\"registry\",{etcd},\"baseline_etcdctl_put_per_s\":{b:.0},\"ratio_to_etcdctl\":{:.1}}}",
            flotta_rate / b
        ),
        None => {
            eprintln!("etcdctl baseline failed (is etcd-client installed?)");
            std::process::exit(1);
        }
    }
}
