//! Watch mode against real stores: a real etcd (spawned on loopback ports)
//! for propagation and bursts, and flotta's embedded store for the failure
//! cases and the endpoints keyspace. Every wait is bounded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flotta_confd::{
    ConfdError, ErrorKind, Keyspace, Mode, Outcome, Report, TemplateResource, run_watch,
};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::Endpoint;
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, MemoryBackend, Registry};
use tokio::sync::mpsc;

struct Confdir {
    dir: tempfile::TempDir,
}

impl Confdir {
    fn new() -> Confdir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("conf.d")).expect("conf.d");
        std::fs::create_dir_all(dir.path().join("templates")).expect("templates");
        Confdir { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// Writes a template and a resource for it; returns the resource.
    fn resource(&self, name: &str, template: &str, keys: &[&str], extra: &str) -> TemplateResource {
        std::fs::write(self.path(&format!("templates/{name}.tmpl")), template).expect("template");
        let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        let toml = format!(
            "[template]\nsrc = \"{name}.tmpl\"\ndest = \"{}\"\nkeys = [{}]\n{extra}",
            self.path(&format!("{name}.conf")).display(),
            keys.join(", ")
        );
        let file = self.path(&format!("conf.d/{name}.toml"));
        std::fs::write(&file, &toml).expect("resource");
        TemplateResource::load(&file, &self.path("templates"), "").expect("resource parses")
    }
}

async fn next(reports: &mut mpsc::UnboundedReceiver<Report>) -> Report {
    tokio::time::timeout(Duration::from_secs(20), reports.recv())
        .await
        .expect("a report within 20 s")
        .expect("watching")
}

/// Reports until one satisfies `f` (bounded).
async fn until(
    reports: &mut mpsc::UnboundedReceiver<Report>,
    what: &str,
    f: impl Fn(&Report) -> bool,
) -> Report {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        let r = next(reports).await;
        if f(&r) {
            return r;
        }
        eprintln!("while waiting for {what}: {:?}", r.result);
    }
}

fn reloaded(r: &Report) -> bool {
    matches!(r.result, Ok(Outcome::Updated { reloaded: true }))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn etcd() -> (EtcdServer, Registry<EtcdBackend>) {
    let server = EtcdServer::start().expect("etcd");
    let backend = EtcdBackend::connect(&EtcdOptions::new([server.client_url()]))
        .await
        .expect("connect");
    (server, Registry::new(backend))
}

/// A change reaches `reload_cmd` quickly, and a burst of 50 registrations
/// is one reload: figures printed, counts asserted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etcd_changes_reach_the_reload_and_a_burst_is_one_reload() {
    let (_etcd, registry) = etcd().await;
    let c = Confdir::new();
    let reloads = c.path("reloads");
    registry
        .kv_set(
            "/applications/sample/sample.application.1",
            "127.0.0.1:8080",
            None,
        )
        .await
        .unwrap();
    let r = c.resource(
        "app",
        "{{range gets \"/applications/sample/*\"}}BalancerMember http://{{.Value}}\n{{end}}",
        &["/applications/sample"],
        &format!(
            "check_cmd = \"grep -q BalancerMember {{{{.src}}}}\"\nreload_cmd = \"echo reload >> {}\"\n",
            reloads.display()
        ),
    );
    let (tx, mut reports) = mpsc::unbounded_channel();
    let keyspace = Keyspace::new(registry.backend().clone(), "/flotta/v1/");
    let watcher = tokio::spawn(run_watch(keyspace, vec![r.clone()], Mode::default(), tx));
    until(&mut reports, "the first render", reloaded).await;

    // Propagation: one change at a time, from the put to the finished reload.
    let rounds = if std::env::var_os("CI").is_some() {
        20
    } else {
        40
    };
    let mut latencies = Vec::new();
    for i in 0..rounds {
        let started = Instant::now();
        registry
            .kv_set(
                &format!("/applications/sample/round.{i}"),
                &format!("127.0.1.{}:8080", i % 250),
                None,
            )
            .await
            .unwrap();
        let rep = until(&mut reports, "a reload", reloaded).await;
        latencies.push(rep.at - started);
        // Let the next change be a burst of its own.
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    latencies.sort();
    println!(
        "etcd change -> reload done (check_cmd and reload_cmd included), {rounds} rounds: p50 {:.1} ms, p99 {:.1} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );

    // A burst: 50 registrations at once are one reload.
    let before = std::fs::read_to_string(&reloads).unwrap().lines().count();
    let puts = (0..50).map(|i| {
        let registry = registry.clone();
        async move {
            registry
                .kv_set(
                    &format!("/applications/sample/burst.{i}"),
                    &format!("127.0.2.{i}:8080"),
                    None,
                )
                .await
                .unwrap()
        }
    });
    let last = futures::future::join_all(puts)
        .await
        .into_iter()
        .max()
        .unwrap();
    let rep = until(&mut reports, "the burst's reload", |r| {
        r.revision >= last && reloaded(r)
    })
    .await;
    assert!(rep.result.is_ok());
    // Nothing else follows the burst.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut extra = 0;
    while let Ok(r) = reports.try_recv() {
        extra += usize::from(reloaded(&r));
    }
    let after = std::fs::read_to_string(&reloads).unwrap().lines().count();
    println!("burst of 50 registrations: {} reload(s)", after - before);
    assert_eq!((after - before, extra), (1, 0), "one reload for the burst");
    let text = std::fs::read_to_string(&r.dest).unwrap();
    assert_eq!(text.matches("BalancerMember").count(), 1 + rounds + 50);
    watcher.abort();
}

fn assert_kept(dest: &Path, good: &str, err: &ConfdError, kind: ErrorKind) {
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(
        std::fs::read_to_string(dest).unwrap(),
        good,
        "last good config kept after: {err}"
    );
}

/// A broken template, a failing check, a missing key and a failing reload:
/// each is a clear error, the last good file stays, the watch goes on, and
/// fixing the cause recovers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_keep_the_last_good_config_and_recover() {
    let registry = Registry::new(MemoryBackend::default());
    let c = Confdir::new();
    let reload_ok = c.path("reload-ok");
    std::fs::write(&reload_ok, "").unwrap();
    registry.kv_set("/app/port", "8080", None).await.unwrap();
    registry
        .kv_set("/app/host", "127.0.0.1", None)
        .await
        .unwrap();
    let good_template = "listen {{getv \"/app/host\"}}:{{getv \"/app/port\"}}\n";
    let r = c.resource(
        "app",
        good_template,
        &["/app"],
        &format!(
            "check_cmd = \"! grep -q bad {{{{.src}}}}\"\nreload_cmd = \"test -e {}\"\n",
            reload_ok.display()
        ),
    );
    let (tx, mut reports) = mpsc::unbounded_channel();
    let keyspace = Keyspace::new(registry.backend().clone(), "/flotta/v1/");
    let watcher = tokio::spawn(run_watch(keyspace, vec![r.clone()], Mode::default(), tx));
    until(&mut reports, "the first render", reloaded).await;
    let good = "listen 127.0.0.1:8080\n";
    assert_eq!(std::fs::read_to_string(&r.dest).unwrap(), good);

    // 1. A broken template: Go's error with the file, line and column.
    std::fs::write(&r.src, "listen {{getv \"/app/host\"}\n").unwrap();
    let rep = until(&mut reports, "the broken template's error", |r| {
        r.result.is_err()
    })
    .await;
    let err = rep.result.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("template: {}:1:", r.src.display())),
        "names the file, line and column: {text}"
    );
    assert_kept(&r.dest, good, &err, ErrorKind::Template);
    std::fs::write(&r.src, good_template).unwrap();
    // Fixing it (a second later, so the file's time differs) recovers.
    let rep = until(&mut reports, "recovery from the template", |r| {
        r.result.is_ok()
    })
    .await;
    assert!(rep.result.is_ok());

    // 2. The check refuses a value.
    registry.kv_set("/app/host", "bad", None).await.unwrap();
    let rep = until(&mut reports, "the check's refusal", |r| r.result.is_err()).await;
    let err = rep.result.unwrap_err();
    assert!(err.to_string().contains("config check"), "{err}");
    assert_kept(&r.dest, good, &err, ErrorKind::Check);
    registry
        .kv_set("/app/host", "127.0.0.2", None)
        .await
        .unwrap();
    until(&mut reports, "recovery from the check", reloaded).await;
    let good = "listen 127.0.0.2:8080\n";
    assert_eq!(std::fs::read_to_string(&r.dest).unwrap(), good);

    // 3. A missing key.
    registry.kv_delete("/app/port").await.unwrap();
    let rep = until(&mut reports, "the missing key's error", |r| {
        r.result.is_err()
    })
    .await;
    let err = rep.result.unwrap_err();
    assert!(
        err.to_string().contains("key does not exist: /app/port"),
        "{err}"
    );
    assert!(
        err.to_string().contains(&format!("{}:1:", r.src.display())),
        "{err}"
    );
    assert_kept(&r.dest, good, &err, ErrorKind::Template);
    registry.kv_set("/app/port", "9090", None).await.unwrap();
    until(&mut reports, "recovery from the missing key", reloaded).await;
    let good = "listen 127.0.0.2:9090\n";
    assert_eq!(std::fs::read_to_string(&r.dest).unwrap(), good);

    // 4. A failing reload puts the previous file back.
    std::fs::remove_file(&reload_ok).unwrap();
    registry.kv_set("/app/port", "9191", None).await.unwrap();
    let rep = until(&mut reports, "the reload's failure", |r| r.result.is_err()).await;
    let err = rep.result.unwrap_err();
    assert!(
        err.to_string().contains("restored the previous config"),
        "{err}"
    );
    assert_kept(&r.dest, good, &err, ErrorKind::Reload);
    std::fs::write(&reload_ok, "").unwrap();
    registry.kv_set("/app/port", "9292", None).await.unwrap();
    until(&mut reports, "recovery from the reload", reloaded).await;
    assert_eq!(
        std::fs::read_to_string(&r.dest).unwrap(),
        "listen 127.0.0.2:9292\n"
    );
    watcher.abort();
}

fn endpoint(n: u16) -> Endpoint {
    Endpoint {
        service: "sample".into(),
        id: format!("sample.application.{n}@8080.service"),
        address: format!("127.0.0.{n}"),
        port: 8080,
        unit: format!("sample.application.{n}@8080.service"),
        machine: format!("machine-{n}"),
        tags: vec!["web".into()],
        weight: None,
        backup: false,
    }
}

/// `[X-Flotta] Service=` registrations as the read-only keyspace, on etcd.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_are_a_read_only_keyspace() {
    let (_etcd, registry) = etcd().await;
    let lease = registry
        .backend()
        .grant(Duration::from_secs(600))
        .await
        .unwrap();
    for n in 1..=2 {
        registry.put_endpoint(&endpoint(n), lease).await.unwrap();
    }
    let c = Confdir::new();
    let r = c.resource(
        "endpoints",
        "{{range gets \"/flotta/endpoints/sample/*\"}}{{base .Key}} {{.Value}} unit={{getv (printf \"%s/unit\" .Key)}}\n{{end}}{{range lsdir \"/flotta/endpoints\"}}service {{.}}\n{{end}}",
        &["/flotta/endpoints"],
        "",
    );
    let (tx, mut reports) = mpsc::unbounded_channel();
    let keyspace = Keyspace::new(registry.backend().clone(), "/flotta/v1/");
    let watcher = tokio::spawn(run_watch(keyspace, vec![r.clone()], Mode::default(), tx));
    until(&mut reports, "the first render", |r| r.result.is_ok()).await;
    let line = |n: u16| {
        format!(
            "sample.application.{n}@8080.service 127.0.0.{n}:8080 unit=sample.application.{n}@8080.service\n"
        )
    };
    assert_eq!(
        std::fs::read_to_string(&r.dest).unwrap(),
        format!("{}{}service sample\n", line(1), line(2))
    );
    registry.put_endpoint(&endpoint(3), lease).await.unwrap();
    registry
        .delete_endpoint("sample", &endpoint(1).id)
        .await
        .unwrap();
    until(&mut reports, "the new endpoints", |rep| {
        std::fs::read_to_string(&r.dest)
            .is_ok_and(|t| t == format!("{}{}service sample\n", line(2), line(3)))
            && rep.result.is_ok()
    })
    .await;
    watcher.abort();
}

/// Interval mode, as confd's default: every `interval` seconds each resource
/// file is read again and run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interval_mode_runs_every_interval() {
    let registry = Registry::new(MemoryBackend::default());
    registry.kv_set("/app/port", "8080", None).await.unwrap();
    let c = Confdir::new();
    let r = c.resource("app", "port {{getv \"/app/port\"}}\n", &["/app"], "");
    let config = flotta_confd::Config::from_args(
        [
            "-interval",
            "1",
            "-confdir",
            &c.dir.path().display().to_string(),
            "-config-file",
            "/nonexistent",
        ],
        |_| None,
    )
    .unwrap();
    let (tx, mut reports) = mpsc::unbounded_channel();
    let keyspace = Keyspace::new(registry.backend().clone(), "/flotta/v1/");
    let runner = tokio::spawn(async move {
        flotta_confd::run_interval(&config, &keyspace, Mode::default(), tx).await
    });
    until(&mut reports, "the first run", |r| {
        matches!(r.result, Ok(Outcome::Updated { .. }))
    })
    .await;
    assert_eq!(std::fs::read_to_string(&r.dest).unwrap(), "port 8080\n");
    let started = Instant::now();
    registry.kv_set("/app/port", "9090", None).await.unwrap();
    until(&mut reports, "the next interval's run", |r| {
        matches!(r.result, Ok(Outcome::Updated { .. }))
    })
    .await;
    assert_eq!(std::fs::read_to_string(&r.dest).unwrap(), "port 9090\n");
    println!("interval 1 s: change applied after {:?}", started.elapsed());
    runner.abort();
}
