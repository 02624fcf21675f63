//! Propagation in watch mode, against a real etcd: from `put` of a key to
//! the end of `reload_cmd`, for `flotta confd` (a Go template over
//! `/applications/sample/*`) and, as the baseline measured in the same run,
//! `flotta balance --config` (flotta-balancer's `keep_applied` over the same
//! prefix, a minijinja template), both with the same 20 ms quiet period
//! and the same check and reload commands. Then a burst of 50 registrations
//! at once: how many reloads each made.
//!
//! `cargo run --release -p flotta-confd --example confd_bench`
//! (quick mode, `FLOTTA_BENCH_QUICK=1` or `CI=true`: 15 rounds instead of 60).

use std::sync::Arc;
use std::time::{Duration, Instant};

use flotta_balancer::apply::{Applier, TemplateResource as BalancerResource};
use flotta_balancer::daemon::{Mode as BalancerMode, keep_applied};
use flotta_balancer::debounce::Debounce;
use flotta_balancer::source::Selector;
use flotta_balancer::template::{Params, Renderer};
use flotta_confd::{Keyspace, Mode, Outcome, TemplateResource, run_watch};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, Registry};
use tokio::sync::mpsc;

const CHECK: &str = "test -s {{.src}}";
const RELOAD: &str = "true";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Puts one key per round and waits for the next reload report; then a
/// burst of 50 and counts reloads. `prefix` keeps the two runs apart.
async fn measure<F>(
    registry: &Registry<EtcdBackend>,
    prefix: &str,
    rounds: usize,
    next_reload: &mut F,
) -> (Vec<Duration>, usize)
where
    F: AsyncFnMut(Duration) -> Option<u64>,
{
    let mut latencies = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let started = Instant::now();
        registry
            .kv_set(
                &format!("{prefix}round.{i}"),
                &format!("127.0.1.{}:8080", i % 250),
                None,
            )
            .await
            .expect("put");
        if next_reload(Duration::from_secs(10)).await.is_some() {
            latencies.push(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let puts = (0..50).map(|i| {
        let registry = registry.clone();
        let key = format!("{prefix}burst.{i}");
        async move {
            registry
                .kv_set(&key, &format!("127.0.2.{i}:8080"), None)
                .await
                .expect("put")
        }
    });
    futures::future::join_all(puts).await;
    let mut reloads = 0;
    while next_reload(Duration::from_millis(500)).await.is_some() {
        reloads += 1;
    }
    latencies.sort();
    (latencies, reloads)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick =
        std::env::var_os("FLOTTA_BENCH_QUICK").is_some() || std::env::var_os("CI").is_some();
    let rounds = if quick { 15 } else { 60 };
    let etcd = EtcdServer::start().expect("etcd (Debian's etcd-server)");
    let backend = EtcdBackend::connect(&EtcdOptions::new([etcd.client_url()]))
        .await
        .expect("connect");
    let registry = Registry::new(backend.clone());
    let dir = tempfile::tempdir().expect("tempdir");

    // Baseline: flotta balance's keep_applied.
    registry
        .kv_set("/bench/balance/first", "127.0.0.1:8080", None)
        .await
        .expect("put");
    let j2 = dir.path().join("balance.j2");
    std::fs::write(
        &j2,
        "{% for b in backends %}BalancerMember http://{{ b.authority }}\n{% endfor %}",
    )
    .expect("write");
    let mut renderer = Renderer::new();
    let applier = Applier::new(
        BalancerResource {
            src: j2.display().to_string(),
            dest: dir.path().join("balance.conf"),
            mode: None,
            owner: None,
            check_cmd: Some(CHECK.replace("{{.src}}", "{{src}}")),
            reload_cmd: Some(RELOAD.into()),
            params: Params::new(),
        },
        &mut renderer,
    )
    .expect("applier");
    let (btx, mut brx) = mpsc::unbounded_channel();
    let balance = tokio::spawn(keep_applied(
        registry.clone(),
        Selector::Prefix("/bench/balance/".into()),
        applier,
        Arc::new(renderer),
        Debounce::new(flotta_confd::DEFAULT_DEBOUNCE, Duration::ZERO),
        BalancerMode::Reload,
        Some(btx),
    ));
    let mut next_balance = async |limit: Duration| loop {
        match tokio::time::timeout(limit, brx.recv()).await {
            Ok(Some(r)) if r.result == Ok(true) => return Some(r.revision),
            Ok(Some(_)) => continue,
            _ => return None,
        }
    };
    next_balance(Duration::from_secs(10))
        .await
        .expect("the first balance render");
    let (base, base_burst) = measure(&registry, "/bench/balance/", rounds, &mut next_balance).await;
    balance.abort();

    // flotta confd.
    registry
        .kv_set("/bench/confd/first", "127.0.0.1:8080", None)
        .await
        .expect("put");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::write(
        dir.path().join("templates/confd.tmpl"),
        "{{range gets \"/bench/confd/*\"}}BalancerMember http://{{.Value}}\n{{end}}",
    )
    .expect("write");
    let toml = format!(
        "[template]\nsrc = \"confd.tmpl\"\ndest = \"{}\"\nkeys = [\"/bench/confd\"]\ncheck_cmd = \"{CHECK}\"\nreload_cmd = \"{RELOAD}\"\n",
        dir.path().join("confd.conf").display()
    );
    let resource = TemplateResource::parse(
        &dir.path().join("conf.d/bench.toml"),
        &toml,
        &dir.path().join("templates"),
        "",
    )
    .expect("resource");
    let (ctx, mut crx) = mpsc::unbounded_channel();
    let confd = tokio::spawn(run_watch(
        Keyspace::new(backend, "/flotta/v1/"),
        vec![resource],
        Mode::default(),
        ctx,
    ));
    let mut next_confd = async |limit: Duration| loop {
        match tokio::time::timeout(limit, crx.recv()).await {
            Ok(Some(r)) if matches!(r.result, Ok(Outcome::Updated { reloaded: true })) => {
                return Some(r.revision);
            }
            Ok(Some(_)) => continue,
            _ => return None,
        }
    };
    next_confd(Duration::from_secs(10))
        .await
        .expect("the first confd render");
    let (ours, our_burst) = measure(&registry, "/bench/confd/", rounds, &mut next_confd).await;
    confd.abort();

    println!("change -> reload done, etcd, {rounds} rounds (check `{CHECK}`, reload `{RELOAD}`):");
    println!(
        "{:<28} {:>9} {:>9} {:>18}",
        "", "p50 ms", "p99 ms", "burst of 50"
    );
    for (name, l, burst) in [
        ("flotta balance (baseline)", &base, base_burst),
        ("flotta confd", &ours, our_burst),
    ] {
        println!(
            "{name:<28} {:>9.1} {:>9.1} {:>11} reload(s)",
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            burst
        );
    }
    println!(
        "ratio confd / balance: p50 {:.2}, p99 {:.2}",
        ms(percentile(&ours, 0.5)) / ms(percentile(&base, 0.5)),
        ms(percentile(&ours, 0.99)) / ms(percentile(&base, 0.99))
    );
}
