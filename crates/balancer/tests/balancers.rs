//! End to end with real Debian `haproxy`, `nginx` and `apache2` (started
//! here on loopback with their own config dirs) and the built-in proxy, in
//! front of `flotta-greeter` processes on 127.0.0.1–5: scale 4 → 5 → 4 under
//! a bounded client loop with zero failed requests, SIGKILL a backend, and
//! refuse a broken template while the balancer keeps serving.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::{
    Daemon, Load, SERVICE, endpoint, greeters, listen_addr, memory_registry, per_backend, wait_for,
};
use flotta_balancer::apply::{Applier, TemplateResource};
use flotta_balancer::daemon::{Mode, Report, keep_applied};
use flotta_balancer::debounce::Debounce;
use flotta_balancer::haproxy::RuntimeApi;
use flotta_balancer::source::Selector;
use flotta_balancer::template::{Params, Renderer};
use flotta_registry::{MemoryBackend, Registry};
use tokio::sync::mpsc;

/// Health-check interval configured on every balancer.
const CHECK: Duration = Duration::from_millis(500);

/// Builds the command that runs a balancer from (its dir, its config).
type Starter = Box<dyn Fn(&Path, &Path) -> Command>;

/// What differs between balancers.
struct Kind {
    name: &'static str,
    template: &'static str,
    check: String,
    reload: String,
    start: Starter,
    params: Params,
}

fn params(pairs: &[(&str, String)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.as_str())))
        .collect()
}

fn haproxy(dir: &Path, listen: SocketAddr) -> Kind {
    let cfg = dir.join("haproxy.cfg");
    let pid = dir.join("haproxy.pid");
    Kind {
        name: "haproxy",
        template: "haproxy",
        check: "haproxy -c -q -f {{src}}".into(),
        // Master-worker: USR2 to the master reloads without dropping the listener.
        reload: format!("kill -USR2 $(cat {})", pid.display()),
        start: Box::new(move |_, cfg| {
            let mut c = Command::new("haproxy");
            c.args(["-W", "-f"]).arg(cfg).arg("-p").arg(&pid);
            c
        }),
        params: params(&[
            ("listen", listen.to_string()),
            ("health_path", "/health".into()),
            ("check_interval", format!("{}ms", CHECK.as_millis())),
            ("cfg", cfg.display().to_string()),
        ]),
    }
}

fn nginx(dir: &Path, listen: SocketAddr) -> Kind {
    let prefix = dir.to_owned();
    let conf = dir.join("nginx.conf");
    Kind {
        name: "nginx",
        template: "nginx",
        check: format!("nginx -t -q -p {} -c {{{{src}}}}", prefix.display()),
        reload: format!(
            "nginx -p {} -c {} -s reload",
            prefix.display(),
            conf.display()
        ),
        start: Box::new(move |dir, cfg| {
            let mut c = Command::new("nginx");
            c.arg("-p")
                .arg(dir)
                .arg("-c")
                .arg(cfg)
                .args(["-g", "daemon off;"]);
            c
        }),
        params: params(&[
            ("listen", listen.to_string()),
            ("prefix", prefix.display().to_string()),
            ("fail_timeout", "2s".into()),
        ]),
    }
}

fn apache(dir: &Path, listen: SocketAddr) -> Kind {
    let conf = dir.join("httpd.conf");
    Kind {
        name: "apache2",
        template: "apache",
        check: "apache2 -t -f {{src}}".into(),
        reload: format!("apache2 -f {} -k graceful", conf.display()),
        start: Box::new(|_, cfg| {
            let mut c = Command::new("apache2");
            c.arg("-f").arg(cfg).arg("-DFOREGROUND");
            c
        }),
        params: params(&[
            ("listen", listen.to_string()),
            ("prefix", dir.display().to_string()),
            ("health_path", "/health".into()),
        ]),
    }
}

async fn next_report(reports: &mut mpsc::UnboundedReceiver<Report>) -> Report {
    tokio::time::timeout(Duration::from_secs(30), reports.recv())
        .await
        .expect("a report within 30 s")
        .expect("the daemon is running")
}

async fn scale_and_fail(make: fn(&Path, SocketAddr) -> Kind) {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
    }
    let listen = listen_addr();
    let kind = make(dir.path(), listen);
    let dest = dir.path().join(match kind.name {
        "haproxy" => "haproxy.cfg",
        "nginx" => "nginx.conf",
        _ => "httpd.conf",
    });
    let (registry, lease) = memory_registry().await;
    let mut greeters = greeters(5).await;
    for (i, g) in greeters.iter().take(4).enumerate() {
        registry
            .put_endpoint(&endpoint(i + 1, g.addr), lease)
            .await
            .expect("register");
    }

    let mut renderer = Renderer::new();
    let resource = TemplateResource {
        src: kind.template.into(),
        dest: dest.clone(),
        mode: Some("0644".into()),
        owner: Some("0:0".into()),
        check_cmd: Some(kind.check.clone()),
        reload_cmd: Some(kind.reload.clone()),
        params: kind.params.clone(),
    };
    let applier = Applier::new(resource.clone(), &mut renderer).expect("applier");
    let renderer = Arc::new(renderer);
    let (tx, mut reports) = mpsc::unbounded_channel();
    // The first apply runs before the balancer exists, so its reload fails
    // and the file is removed again; render it once by hand instead.
    let mut first = Applier::new(
        TemplateResource {
            reload_cmd: None,
            ..resource.clone()
        },
        &mut Renderer::new(),
    )
    .expect("first");
    let (pool_tx, mut pool_rx) = tokio::sync::watch::channel(flotta_balancer::Pool::default());
    let source = tokio::spawn(flotta_balancer::source::follow(
        registry.clone(),
        Selector::Service(SERVICE.into()),
        pool_tx,
    ));
    pool_rx.changed().await.expect("first pool");
    let pool = pool_rx.borrow().clone();
    source.abort();
    first.apply(&renderer, &pool).await.expect("first config");
    let daemon = Daemon::start(kind.name, &mut (kind.start)(dir.path(), &dest));
    wait_for(
        "the balancer to answer",
        Duration::from_secs(20),
        || async move { common::get(listen, "/sample").await.ok() },
    )
    .await;
    let _ = daemon.pid();

    let watcher = tokio::spawn(keep_applied(
        registry.clone(),
        Selector::Service(SERVICE.into()),
        applier,
        Arc::clone(&renderer),
        Debounce::new(Duration::from_millis(50), Duration::from_millis(100)),
        Mode::Reload,
        Some(tx),
    ));
    // The watcher's first settled pool equals the file: no reload.
    let r = next_report(&mut reports).await;
    assert_eq!(r.result, Ok(false), "{}: {:?}", kind.name, r.result);

    let load = Load::start(listen);
    let t0 = std::time::Instant::now();
    for g in greeters.iter().take(4) {
        load.wait_served_by(g.addr, t0, Duration::from_secs(20))
            .await;
    }

    // Scale up: the fifth joins the rotation.
    registry
        .put_endpoint(&endpoint(5, greeters[4].addr), lease)
        .await
        .expect("register 5");
    let r = next_report(&mut reports).await;
    assert_eq!(
        (r.backends, r.result.clone()),
        (5, Ok(true)),
        "{}",
        kind.name
    );
    let t1 = std::time::Instant::now();
    load.wait_served_by(greeters[4].addr, t1, Duration::from_secs(20))
        .await;

    // Planned removal: deregister, balancer updated, drain, then stop.
    registry
        .delete_endpoint(SERVICE, &endpoint(5, greeters[4].addr).id)
        .await
        .expect("deregister");
    let r = next_report(&mut reports).await;
    assert_eq!(
        (r.backends, r.result.clone()),
        (4, Ok(true)),
        "{}",
        kind.name
    );
    load.wait_requests(50).await;
    tokio::time::sleep(Duration::from_secs(1)).await; // drain: old workers finish
    greeters[4].kill();
    load.wait_requests(100).await;
    let planned = load.samples();
    let failed: Vec<_> = planned.iter().filter(|s| s.result.is_err()).collect();
    assert!(
        failed.is_empty(),
        "{}: failed requests during planned changes: {:?}",
        kind.name,
        &failed[..failed.len().min(5)]
    );

    // A broken template is refused by the check; the balancer keeps serving.
    let mut bad_renderer = Renderer::new();
    let bad_src = dir.path().join("broken.j2");
    std::fs::write(&bad_src, "this is not a {{ service }} config\n").expect("write");
    let mut bad = Applier::new(
        TemplateResource {
            src: bad_src.display().to_string(),
            ..resource.clone()
        },
        &mut bad_renderer,
    )
    .expect("bad applier");
    let before = std::fs::read_to_string(&dest).expect("dest");
    let err = bad
        .apply(&bad_renderer, &pool)
        .await
        .expect_err("check refuses it");
    assert!(
        err.to_string().contains("kept the last good config"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&dest).expect("dest"),
        before,
        "dest untouched"
    );
    load.wait_requests(50).await;

    // SIGKILL one backend: after the health-check interval no request fails.
    // kill() returns once the process is reaped: a request started after
    // that cannot reach it (one it answered while dying may still arrive).
    greeters[3].kill();
    let killed_at = std::time::Instant::now();
    load.wait_requests(200).await;
    let samples = load.stop().await;
    let late_failures: Vec<_> = samples
        .iter()
        .filter(|s| s.at > killed_at + CHECK + Duration::from_secs(2) && s.result.is_err())
        .collect();
    let failed_after_kill = samples
        .iter()
        .filter(|s| s.at >= killed_at && s.result.is_err())
        .count();
    let late_hits = samples
        .iter()
        .filter(|s| {
            s.started > killed_at
                && s.result.as_deref() == Ok(greeters[3].addr.to_string().as_str())
        })
        .count();
    assert_eq!(late_hits, 0, "a killed backend answers nothing");
    assert!(
        late_failures.is_empty(),
        "{}: failures long after the kill: {late_failures:?}",
        kind.name
    );
    let counts = per_backend(&samples);
    println!(
        "{}: {} requests, per backend {counts:?}; failed: 0 during planned changes, {failed_after_kill} in the {} ms after SIGKILL",
        kind.name,
        samples.len(),
        (CHECK + Duration::from_secs(2)).as_millis()
    );
    for g in &greeters {
        assert!(
            counts.get(&g.addr.to_string()).copied().unwrap_or(0) > 0,
            "{} got no traffic",
            g.addr
        );
    }
    watcher.abort();
    drop(daemon);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_follows_the_registry() {
    scale_and_fail(haproxy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_follows_the_registry() {
    scale_and_fail(nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apache_follows_the_registry() {
    scale_and_fail(apache).await;
}

/// Starts haproxy with `resource`'s first render; returns the daemon.
async fn start_with(
    name: &'static str,
    resource: &TemplateResource,
    registry: &Registry<MemoryBackend>,
    start: Command,
    listen: SocketAddr,
) -> Daemon {
    let renderer = Renderer::new();
    let mut first = Applier::new(
        TemplateResource {
            reload_cmd: None,
            ..resource.clone()
        },
        &mut Renderer::new(),
    )
    .expect("first");
    let (pool, _) = flotta_balancer::source::list(registry, &Selector::Service(SERVICE.into()))
        .await
        .expect("list");
    let pool = flotta_balancer::Pool {
        service: SERVICE.into(),
        backends: pool.into_values().collect(),
        revision: 0,
    };
    first.apply(&renderer, &pool).await.expect("first config");
    let mut start = start;
    let daemon = Daemon::start(name, &mut start);
    wait_for(
        "the balancer to listen",
        Duration::from_secs(20),
        || async move {
            tokio::net::TcpStream::connect(listen)
                .await
                .ok()
                .map(|_| ())
        },
    )
    .await;
    daemon
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_runtime_api_needs_no_reload() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listen = listen_addr();
    let mut kind = haproxy(dir.path(), listen);
    let socket = dir.path().join("haproxy.sock");
    kind.params.insert("slots".into(), 4.into());
    kind.params
        .insert("stats_socket".into(), socket.display().to_string().into());
    let dest = dir.path().join("haproxy.cfg");
    let resource = TemplateResource {
        src: "haproxy".into(),
        dest: dest.clone(),
        mode: None,
        owner: None,
        check_cmd: Some(kind.check.clone()),
        reload_cmd: Some(kind.reload.clone()),
        params: kind.params.clone(),
    };
    let (registry, lease) = memory_registry().await;
    let greeters = greeters(5).await;
    let daemon = start_with(
        "haproxy",
        &resource,
        &registry,
        (kind.start)(dir.path(), &dest),
        listen,
    )
    .await;
    wait_for("the stats socket", Duration::from_secs(10), || {
        let socket = socket.clone();
        async move { socket.exists().then_some(()) }
    })
    .await;
    let mut renderer = Renderer::new();
    let applier = Applier::new(resource, &mut renderer).expect("applier");
    let (tx, mut reports) = mpsc::unbounded_channel();
    let watcher = tokio::spawn(keep_applied(
        registry.clone(),
        Selector::Service(SERVICE.into()),
        applier,
        Arc::new(renderer),
        Debounce::new(Duration::from_millis(50), Duration::from_millis(100)),
        Mode::Runtime(RuntimeApi::new(&socket, "sample", 4)),
        Some(tx),
    ));
    let r = next_report(&mut reports).await;
    assert_eq!(
        (r.backends, r.result),
        (0, Ok(false)),
        "started from the running file"
    );
    for (i, g) in greeters.iter().take(4).enumerate() {
        registry
            .put_endpoint(&endpoint(i + 1, g.addr), lease)
            .await
            .expect("register");
    }
    let mut reloads = 0;
    loop {
        let r = next_report(&mut reports).await;
        reloads += usize::from(r.result == Ok(true));
        assert!(r.result.is_ok(), "{:?}", r.result);
        if r.backends == 4 {
            break;
        }
    }
    assert_eq!(reloads, 0, "four backends fit the four slots");
    let load = Load::start(listen);
    let t0 = std::time::Instant::now();
    for g in greeters.iter().take(4) {
        load.wait_served_by(g.addr, t0, Duration::from_secs(20))
            .await;
    }
    // A fifth needs a fifth slot: the one reload, with twice the slots.
    registry
        .put_endpoint(&endpoint(5, greeters[4].addr), lease)
        .await
        .expect("register 5");
    let r = next_report(&mut reports).await;
    assert_eq!(r.result, Ok(true), "grew the slots with a reload");
    load.wait_served_by(
        greeters[4].addr,
        std::time::Instant::now(),
        Duration::from_secs(20),
    )
    .await;
    // Leaving and coming back: slots only.
    registry
        .delete_endpoint(SERVICE, &endpoint(5, greeters[4].addr).id)
        .await
        .expect("deregister");
    let r = next_report(&mut reports).await;
    assert_eq!(r.result, Ok(false), "a removal needs no reload");
    load.wait_requests(100).await;
    let samples = load.stop().await;
    let after_removal: Vec<_> = samples
        .iter()
        .rev()
        .take(50)
        .filter(|s| s.result.as_deref() == Ok(greeters[4].addr.to_string().as_str()))
        .collect();
    assert!(
        after_removal.is_empty(),
        "the removed backend's slot is draining"
    );
    let failed = samples.iter().filter(|s| s.result.is_err()).count();
    assert_eq!(failed, 0, "no failed requests");
    println!(
        "haproxy runtime API: {} requests, per backend {:?}, 1 reload (slots 4 -> 10), 0 failed",
        samples.len(),
        per_backend(&samples)
    );
    watcher.abort();
    drop(daemon);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_fifty_registrations_is_one_reload() {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
    }
    let listen = listen_addr();
    let kind = nginx(dir.path(), listen);
    let dest = dir.path().join("nginx.conf");
    let resource = TemplateResource {
        src: "nginx".into(),
        dest: dest.clone(),
        mode: None,
        owner: None,
        check_cmd: Some(kind.check.clone()),
        reload_cmd: Some(kind.reload.clone()),
        params: kind.params.clone(),
    };
    let (registry, lease) = memory_registry().await;
    let daemon = start_with(
        "nginx",
        &resource,
        &registry,
        (kind.start)(dir.path(), &dest),
        listen,
    )
    .await;
    let mut renderer = Renderer::new();
    let applier = Applier::new(resource, &mut renderer).expect("applier");
    let (tx, mut reports) = mpsc::unbounded_channel();
    let watcher = tokio::spawn(keep_applied(
        registry.clone(),
        Selector::Service(SERVICE.into()),
        applier,
        Arc::new(renderer),
        Debounce::new(Duration::from_millis(100), Duration::from_millis(500)),
        Mode::Reload,
        Some(tx),
    ));
    let first = next_report(&mut reports).await;
    assert_eq!(first.result, Ok(false), "nothing to change at start");
    for n in 1..=50u16 {
        let addr: SocketAddr = format!("127.0.0.{}:{}", 1 + n % 8, 20_000 + n)
            .parse()
            .expect("addr");
        registry
            .put_endpoint(&endpoint(usize::from(n), addr), lease)
            .await
            .expect("register");
    }
    let mut reloads = 0;
    loop {
        let r = next_report(&mut reports).await;
        assert!(r.result.is_ok(), "{:?}", r.result);
        reloads += usize::from(r.result == Ok(true));
        if r.backends == 50 {
            break;
        }
    }
    let text = std::fs::read_to_string(&dest).expect("config");
    assert_eq!(text.matches("server 127.0.0.").count(), 50);
    println!("reloads for a burst of 50 registrations: {reloads} (target 1)");
    assert_eq!(reloads, 1);
    watcher.abort();
    drop(daemon);
}
