//! The agent against a registry: an assigned unit runs, its state is
//! published, its `[X-Flotta]` endpoint registers once healthy, and on
//! unassignment the endpoint goes *before* the process stops.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use flotta_agent::agent::{Agent, AgentOptions};
use flotta_agent::machine::MachineIdentity;
use flotta_registry::model::{TargetState, Unit};
use flotta_registry::{MemoryBackend, Registry};
use flotta_unit_spec::syntax::UnitFile;

const LIMIT: Duration = Duration::from_secs(20);

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
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assigned_unit_runs_and_registers_its_endpoint() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "0123456789abcdef0123456789abcdef";
    let agent = Agent::new(
        registry.clone(),
        AgentOptions {
            identity: MachineIdentity {
                id: machine.into(),
                hostname: "core-01".into(),
                public_ip: Some("127.0.0.1".into()),
                private_ip: None,
                metadata: BTreeMap::new(),
            },
            lease_ttl: Duration::from_secs(10),
            state_dir: dir.path().to_owned(),
            period: Duration::from_millis(50),
            // Assignments are written by hand here.
            engine_grace: None,
            max_starting: flotta_agent::supervisor::DEFAULT_MAX_STARTING,
        },
    )
    .expect("agent");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(agent.run(async move {
        let _ = stop_rx.await;
    }));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let name = format!("web@{port}.service");
    let text = "[Service]\n\
ExecStart=/usr/bin/env python3 -m http.server %i --bind 127.0.0.1\n\
[X-Flotta]\n\
Service=sample\n\
Port=%i\n\
HealthCheck=http://127.0.0.1:%i/\n\
HealthCheckIntervalSec=100ms\n\
DrainSec=1s\n";
    let file = UnitFile::parse(text).expect("unit");
    registry
        .put_unit(&Unit::new(&name, &file, TargetState::Launched), None)
        .await
        .expect("submit");
    registry.assign(&name, machine).await.expect("assign");

    let state = until("a running state", || {
        let registry = registry.clone();
        let name = name.clone();
        async move {
            let states = registry.unit_states().await.ok()?;
            states
                .items
                .into_iter()
                .find(|s| s.unit == name && s.sub_state == "running")
        }
    })
    .await;
    assert_eq!(
        (state.machine.as_str(), state.active_state.as_str()),
        (machine, "active")
    );
    let pid = state.main_pid.expect("main pid");
    let ep = until("the endpoint", || {
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
        (ep.address.as_str(), ep.port, ep.id.as_str()),
        ("127.0.0.1", port, name.as_str())
    );

    // Unassign: the endpoint disappears while the process still serves.
    let assignment = registry
        .assignments()
        .await
        .expect("assignments")
        .items
        .into_iter()
        .find(|a| a.unit == name)
        .expect("assignment");
    registry.unassign(&assignment).await.expect("unassign");
    until("the endpoint to go", || {
        let registry = registry.clone();
        async move {
            registry
                .endpoints("sample")
                .await
                .ok()?
                .items
                .is_empty()
                .then_some(())
        }
    })
    .await;
    assert!(alive(pid), "deregistered before the stop (DrainSec)");
    until("the process to stop", || async move {
        (!alive(pid)).then_some(())
    })
    .await;
    let _ = stop_tx.send(());
    task.await.expect("join").expect("agent");
}

fn options(dir: &std::path::Path, id: &str, metadata: &[(&str, &str)]) -> AgentOptions {
    AgentOptions {
        identity: MachineIdentity {
            id: id.into(),
            hostname: id[..8].into(),
            public_ip: Some("127.0.0.1".into()),
            private_ip: None,
            metadata: metadata
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        },
        lease_ttl: Duration::from_secs(10),
        state_dir: dir.join(id),
        period: Duration::from_millis(50),
        engine_grace: Some(Duration::from_secs(1)),
        max_starting: flotta_agent::supervisor::DEFAULT_MAX_STARTING,
    }
}

/// fleet's rule: a global unit runs on every machine whose metadata it
/// matches, with no assignment, and stops when it is unloaded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_unit_runs_on_every_matching_machine() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let web = [
        "1111111111111111aaaaaaaaaaaaaaaa",
        "2222222222222222bbbbbbbbbbbbbbbb",
    ];
    let db = "3333333333333333cccccccccccccccc";
    let mut stops = Vec::new();
    let mut tasks = Vec::new();
    for (id, role) in [(web[0], "web"), (web[1], "web"), (db, "db")] {
        let agent = Agent::new(registry.clone(), options(dir.path(), id, &[("role", role)]))
            .expect("agent");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        stops.push(tx);
        tasks.push(tokio::spawn(agent.run(async move {
            let _ = rx.await;
        })));
    }
    let text = "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\
[X-Fleet]\nGlobal=true\nMachineMetadata=role=web\n";
    let file = UnitFile::parse(text).expect("unit");
    let name = "node-exporter.service";
    registry
        .put_unit(&Unit::new(name, &file, TargetState::Launched), None)
        .await
        .expect("submit");

    let running = until("the global unit on both web machines", || {
        let registry = registry.clone();
        async move {
            let mut on: Vec<String> = registry
                .unit_states()
                .await
                .ok()?
                .items
                .into_iter()
                .filter(|s| s.unit == name && s.active_state == "active")
                .map(|s| s.machine)
                .collect();
            on.sort();
            (on.len() == 2).then_some(on)
        }
    })
    .await;
    assert_eq!(running, web.map(String::from).to_vec());
    assert!(
        registry
            .assignments()
            .await
            .expect("assignments")
            .items
            .is_empty(),
        "global units get no assignment"
    );

    registry
        .set_target_state(name, TargetState::Inactive)
        .await
        .expect("unload");
    until("the global unit to stop everywhere", || {
        let registry = registry.clone();
        async move {
            let states = registry.unit_states().await.ok()?;
            (!states.items.iter().any(|s| s.unit == name)).then_some(())
        }
    })
    .await;
    for tx in stops {
        let _ = tx.send(());
    }
    for t in tasks {
        t.await.expect("join").expect("agent");
    }
}
