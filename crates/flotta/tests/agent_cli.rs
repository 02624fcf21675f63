//! `flotta agent` on a real etcd: its engine places submitted units, its
//! supervisor runs them and registers their endpoints; killed with SIGKILL
//! and started again, it adopts the unit instead of restarting it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flotta_registry::model::{TargetState, Unit};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, Registry};
use flotta_unit_spec::syntax::UnitFile;

const LIMIT: Duration = Duration::from_secs(30);

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent(url: &str, state: &std::path::Path) -> Kill {
    Kill(
        Command::new(env!("CARGO_BIN_EXE_flotta"))
            .args([
                "agent",
                "--etcd",
                url,
                "--public-ip",
                "127.0.0.1",
                "--lease-ttl-secs",
                "2",
            ])
            .arg("--state-dir")
            .arg(state)
            .args(["--machine-id-file", "/nonexistent/machine-id"])
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent"),
    )
}

async fn until<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < LIMIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

async fn running_pid(registry: &Registry<EtcdBackend>, unit: &str) -> u32 {
    let unit = unit.to_owned();
    until("a running state", || {
        let registry = registry.clone();
        let unit = unit.clone();
        async move {
            let states = registry.unit_states().await.ok()?;
            states
                .items
                .into_iter()
                .find(|s| s.unit == unit && s.sub_state == "running")
                .and_then(|s| s.main_pid)
        }
    })
    .await
}

/// A real etcd, a client of it, and an agent on a fresh state dir with its
/// machine registered.
struct OneMachine {
    _etcd: EtcdServer,
    url: String,
    registry: Registry<EtcdBackend>,
    state: tempfile::TempDir,
    agent: Kill,
    machine: String,
}

async fn one_machine() -> OneMachine {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    let registry = Registry::new(
        EtcdBackend::connect(&EtcdOptions::new([url.clone()]))
            .await
            .expect("connect"),
    );
    let state = tempfile::tempdir().expect("state dir");
    let agent = agent(&url, state.path());
    let machine = until("the machine to register", || {
        let registry = registry.clone();
        async move { registry.machines().await.ok()?.items.into_iter().next() }
    })
    .await
    .id;
    OneMachine {
        _etcd: etcd,
        url,
        registry,
        state,
        agent,
        machine,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_agent_comes_back_without_restarting_units() {
    let OneMachine {
        _etcd,
        url,
        registry,
        state,
        agent: first,
        machine,
    } = one_machine().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let name = format!("web@{port}.service");
    let text = "[Service]\n\
ExecStart=/usr/bin/env python3 -m http.server %i --bind 127.0.0.1\n\
[X-Flotta]\nService=sample\nPort=%i\n";
    registry
        .put_unit(
            &Unit::new(
                &name,
                &UnitFile::parse(text).expect("unit"),
                TargetState::Launched,
            ),
            None,
        )
        .await
        .expect("submit");
    // The agent's engine places it (the only machine).
    let pid = running_pid(&registry, &name).await;
    until("the endpoint", || {
        let registry = registry.clone();
        async move {
            registry
                .endpoints("sample")
                .await
                .ok()?
                .items
                .into_iter()
                .next()
        }
    })
    .await;

    drop(first); // SIGKILL: no chance to clean up
    assert!(alive(pid), "the unit outlives its agent");
    // The old lease expires, taking state and endpoint with it...
    until("the old state to expire", || {
        let registry = registry.clone();
        async move {
            registry
                .unit_states()
                .await
                .ok()?
                .items
                .is_empty()
                .then_some(())
        }
    })
    .await;
    // ...and the new agent adopts the same process and reports it again.
    let second = agent(&url, state.path());
    assert_eq!(
        running_pid(&registry, &name).await,
        pid,
        "adopted, not restarted"
    );
    until("the endpoint again", || {
        let registry = registry.clone();
        async move {
            registry
                .endpoints("sample")
                .await
                .ok()?
                .items
                .into_iter()
                .next()
        }
    })
    .await;

    assert_eq!(
        registry.assignments().await.expect("assignments").items[0].machine,
        machine,
        "placed on the agent's machine"
    );
    // fleetctl unload: the engine unschedules, the agent stops it.
    registry
        .set_target_state(&name, TargetState::Inactive)
        .await
        .expect("unload");
    until(
        "the unit to stop",
        || async move { (!alive(pid)).then_some(()) },
    )
    .await;
    drop(second);
}

async fn endpoint_of(
    registry: &Registry<EtcdBackend>,
    unit: &str,
) -> Option<flotta_registry::model::Endpoint> {
    registry
        .endpoints("sample")
        .await
        .ok()?
        .items
        .into_iter()
        .find(|e| e.unit == unit)
}

/// The seed's `sample.application@.service`, local variant: the agent runs
/// it, its endpoint appears once `/health` answers and goes before the stop.
/// A unit it cannot run fails with the reason and the agent carries on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_unit_runs_under_the_agent() {
    let greeter =
        std::path::Path::new(env!("CARGO_BIN_EXE_flotta")).with_file_name("flotta-greeter");
    assert!(
        greeter.exists(),
        "{} is built with the workspace",
        greeter.display()
    );
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/seed/units/local/sample.application@.service"
    );
    let text = std::fs::read_to_string(seed)
        .expect("seed unit")
        // The unit names the binary as installed; this run uses the build's.
        .replace(
            "ExecStart=flotta-greeter",
            &format!("ExecStart={}", greeter.display()),
        );
    let file = UnitFile::parse(&text).expect("seed unit parses");

    let OneMachine {
        _etcd,
        url: _,
        registry,
        state,
        agent: _agent,
        machine,
    } = one_machine().await;

    // A unit that cannot run: failed, with the reason published.
    let broken = "broken.service";
    let bad = UnitFile::parse("[Service]\nExecStart=/nonexistent/app --serve\n").expect("unit");
    registry
        .put_unit(&Unit::new(broken, &bad, TargetState::Launched), None)
        .await
        .expect("submit");
    let failed = until("the broken unit to fail", || {
        let registry = registry.clone();
        async move {
            registry
                .unit_states()
                .await
                .ok()?
                .items
                .into_iter()
                .find(|s| s.unit == broken && s.active_state == "failed")
        }
    })
    .await;
    let reason = failed.reason.unwrap_or_default();
    assert!(
        reason.contains("/nonexistent/app") && reason.contains("No such file"),
        "reason: {reason}"
    );
    let journal = Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(["journal", broken, "-n", "20", "--state-dir"])
        .arg(state.path())
        .output()
        .expect("flotta journal");
    let journal = String::from_utf8_lossy(&journal.stdout);
    assert!(
        journal.contains("agent: ExecStart: cannot run /nonexistent/app"),
        "{journal}"
    );

    // The seed unit, on a free port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let name = format!("sample.application@{port}.service");
    registry
        .put_unit(&Unit::new(&name, &file, TargetState::Launched), None)
        .await
        .expect("submit");
    // The agent's engine places it (the only machine).
    let pid = running_pid(&registry, &name).await;
    let ep = until("the endpoint", || {
        let registry = registry.clone();
        let name = name.clone();
        async move { endpoint_of(&registry, &name).await }
    })
    .await;
    assert_eq!((ep.address.as_str(), ep.port), ("127.0.0.1", port));
    assert_eq!(ep.machine, machine, "placed by the agent's engine");
    let body = http_get(&format!("127.0.0.1:{port}"), "/sample").await;
    assert!(body.contains("Hello, Stranger!"), "{body}");

    // fleetctl stop: target `loaded`; the endpoint goes, then the process.
    registry
        .set_target_state(&name, TargetState::Loaded)
        .await
        .expect("stop");
    until("the endpoint to go", || {
        let registry = registry.clone();
        let name = name.clone();
        async move { endpoint_of(&registry, &name).await.is_none().then_some(()) }
    })
    .await;
    until(
        "the unit to stop",
        || async move { (!alive(pid)).then_some(()) },
    )
    .await;
}

/// One `GET` over a new connection; the whole answer.
async fn http_get(authority: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(authority)
        .await
        .expect("connect");
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut out = String::new();
    tokio::time::timeout(LIMIT, s.read_to_string(&mut out))
        .await
        .expect("answer in time")
        .expect("read");
    out
}
