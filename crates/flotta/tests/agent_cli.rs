//! `flotta agent` on a real etcd: runs an assigned unit, registers its
//! endpoint; killed with SIGKILL and started again, it adopts the unit
//! instead of restarting it.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_agent_comes_back_without_restarting_units() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    let registry = Registry::new(
        EtcdBackend::connect(&EtcdOptions::new([url.clone()]))
            .await
            .expect("connect"),
    );
    let state = tempfile::tempdir().expect("state dir");
    let first = agent(&url, state.path());
    let machine = until("the machine to register", || {
        let registry = registry.clone();
        async move {
            registry
                .machines()
                .await
                .ok()?
                .items
                .into_iter()
                .next()
                .map(|m| m.id)
        }
    })
    .await;
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
    registry.assign(&name, &machine).await.expect("assign");
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

    let a = registry
        .assignments()
        .await
        .expect("assignments")
        .items
        .into_iter()
        .find(|a| a.unit == name)
        .expect("assignment");
    registry.unassign(&a).await.expect("unassign");
    until(
        "the unit to stop",
        || async move { (!alive(pid)).then_some(()) },
    )
    .await;
    drop(second);
}
