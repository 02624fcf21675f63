//! The agent against a registry: an assigned unit runs, its state is
//! published, its `[X-Flotta]` endpoint registers once healthy, and on
//! unassignment the endpoint goes *before* the process stops.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use flotta_agent::agent::{Agent, AgentOptions};
use flotta_agent::machine::MachineIdentity;
use flotta_registry::model::{TargetState, Unit};
use flotta_registry::{Condition, KvBackend, MemoryBackend, Registry};
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

/// Kills the process groups of units a test started when it ends, also
/// when it fails (an agent leaves its units running when it stops).
struct KillOnDrop(Vec<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for pid in &self.0 {
            if let Ok(pid) = i32::try_from(*pid) {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
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

/// An agent running on `registry` until [`Running::stop`].
struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), flotta_agent::AgentError>>,
}

impl Running {
    fn start(registry: &Registry<MemoryBackend>, options: AgentOptions) -> Running {
        let agent = Agent::new(registry.clone(), options).expect("agent");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(agent.run(async move {
            let _ = stopped.await;
        }));
        Running { stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("join").expect("agent");
    }
}

/// `options` for an agent whose units are assigned by hand (no engine).
fn by_hand(dir: &std::path::Path, id: &str) -> AgentOptions {
    let mut opts = options(dir, id, &[]);
    opts.engine_grace = None;
    opts
}

/// Submits `name` with target `launched`, assigned to `machine` if given.
async fn launch(registry: &Registry<MemoryBackend>, name: &str, text: &str, machine: Option<&str>) {
    let file = UnitFile::parse(text).expect("unit");
    registry
        .put_unit(&Unit::new(name, &file, TargetState::Launched), None)
        .await
        .expect("submit");
    if let Some(machine) = machine {
        registry.assign(name, machine).await.expect("assign");
    }
}

/// Waits until `name` runs; its main pid.
async fn running_pid(registry: &Registry<MemoryBackend>, name: &str) -> u32 {
    until(name, || async move {
        registry
            .unit_states()
            .await
            .ok()?
            .items
            .into_iter()
            .find(|s| s.unit == name && s.sub_state == "running")?
            .main_pid
    })
    .await
}

async fn unassign(registry: &Registry<MemoryBackend>, name: &str) {
    let assignments = registry.assignments().await.expect("assignments");
    let assignment = assignments
        .items
        .iter()
        .find(|a| a.unit == name)
        .expect("assignment");
    registry.unassign(assignment).await.expect("unassign");
}

async fn until_gone(what: &str, pid: u32) {
    until(what, || async move { (!alive(pid)).then_some(()) }).await;
}

/// Waits until `service` has `n` endpoints.
async fn endpoints(registry: &Registry<MemoryBackend>, service: &str, n: usize) {
    until(&format!("{n} endpoint(s) of {service}"), || async move {
        (registry.endpoints(service).await.ok()?.items.len() == n).then_some(())
    })
    .await;
}

/// A record the agent cannot read (a newer writer's version) is no reason
/// to stop what runs: the unit keeps running while the agent goes on with
/// the rest, and stops once the unit is really gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_record_does_not_stop_its_unit() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "4444444444444444dddddddddddddddd";
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    let sleep = "[Service]\nExecStart=/bin/sleep 1000\n";
    launch(&registry, "keep.service", sleep, Some(machine)).await;
    let pid = running_pid(&registry, "keep.service").await;
    let _kill = KillOnDrop(vec![pid]);

    let key = format!(
        "{}units/keep.service",
        flotta_registry::registry::DEFAULT_PREFIX
    );
    registry
        .backend()
        .put(
            &key,
            r#"{"v":2,"name":"keep.service"}"#,
            None,
            Condition::Always,
        )
        .await
        .expect("overwrite");
    // The agent has read the listing with the unreadable record once the
    // unit submitted after it runs.
    let oneshot = "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n";
    launch(&registry, "next.service", oneshot, Some(machine)).await;
    until("next.service", || async {
        let states = registry.unit_states().await.ok()?;
        let next = states.items.iter().find(|s| s.unit == "next.service")?;
        (next.active_state == "active").then_some(())
    })
    .await;
    assert!(
        alive(pid),
        "keep.service was stopped over a record it could not read"
    );

    // Really gone now: it stops.
    registry
        .backend()
        .delete(&key, Condition::Always)
        .await
        .expect("destroy");
    until_gone("keep.service to stop", pid).await;
    agent.stop().await;
}

/// A unit destroyed while its agent was down is stopped by the next agent
/// (its `ExecStopPost=` runs); one still assigned is adopted, not restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_destroyed_while_the_agent_was_down_is_stopped() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "5555555555555555eeeeeeeeeeeeeeee";
    let stopped = dir.path().join("stopped");
    let gone = format!(
        "[Service]\nExecStart=/bin/sleep 1000\nExecStopPost=/bin/touch {}\n",
        stopped.display()
    );
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    launch(&registry, "gone.service", &gone, Some(machine)).await;
    let stays = "[Service]\nExecStart=/bin/sleep 1000\n";
    launch(&registry, "stays.service", stays, Some(machine)).await;
    let gone_pid = running_pid(&registry, "gone.service").await;
    let stays_pid = running_pid(&registry, "stays.service").await;
    let _kill = KillOnDrop(vec![gone_pid, stays_pid]);
    agent.stop().await;

    // While no agent runs: gone.service is destroyed; its process lives on.
    registry.delete_unit("gone.service").await.expect("destroy");
    assert!(alive(gone_pid) && alive(stays_pid));

    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    until_gone("gone.service to stop", gone_pid).await;
    until("its ExecStopPost=", || async {
        stopped.exists().then_some(())
    })
    .await;
    assert_eq!(
        running_pid(&registry, "stays.service").await,
        stays_pid,
        "adopted, not restarted"
    );

    unassign(&registry, "stays.service").await;
    until_gone("stays.service to stop", stays_pid).await;
    agent.stop().await;
}

/// A unit an earlier agent left running, still wanted when the new agent
/// starts but waiting for a conflicting unit to stop before it is adopted,
/// is stopped if it is unassigned in that wait (once, it was never looked
/// at again and ran on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_unassigned_before_its_adoption_is_stopped() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "5555555555555555dddddddddddddddd";
    let stopping = dir.path().join("stopping");
    let gone = format!(
        "[Service]\nExecStart=/bin/sleep 1000\n\
         ExecStop=/bin/sh -c 'touch {}; sleep 5'\n\
         [X-Fleet]\nConflicts=waits.service\n",
        stopping.display()
    );
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    launch(&registry, "gone.service", &gone, Some(machine)).await;
    let waits = "[Service]\nExecStart=/bin/sleep 1000\n";
    launch(&registry, "waits.service", waits, Some(machine)).await;
    let gone_pid = running_pid(&registry, "gone.service").await;
    let waits_pid = running_pid(&registry, "waits.service").await;
    let _kill = KillOnDrop(vec![gone_pid, waits_pid]);
    agent.stop().await;
    registry.delete_unit("gone.service").await.expect("destroy");

    // The new agent stops gone.service (5 s); waits.service waits for that.
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    until("gone.service's ExecStop=", || async {
        stopping.exists().then_some(())
    })
    .await;
    assert!(alive(gone_pid), "still stopping");
    unassign(&registry, "waits.service").await;
    until_gone("waits.service to stop", waits_pid).await;
    until_gone("gone.service to stop", gone_pid).await;
    agent.stop().await;
}

/// Health is probed for as long as the unit runs: the endpoint is withdrawn
/// after `HealthFall=` failures in a row and registers again after
/// `HealthRise=` passes, while the process keeps running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_leaves_while_unhealthy_and_comes_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "6666666666666666ffffffffffffffff";
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("site");
    let health = site.join("health");
    std::fs::write(&health, "ok").expect("health");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let name = format!("web@{port}.service");
    let text = format!(
        "[Service]\n\
ExecStart=/usr/bin/env python3 -m http.server %i --bind 127.0.0.1 --directory {}\n\
[X-Flotta]\nService=sample\nPort=%i\nHealthCheck=/health\n\
HealthInterval=100ms\nHealthRise=2\nHealthFall=2\n",
        site.display()
    );
    launch(&registry, &name, &text, Some(machine)).await;
    let pid = running_pid(&registry, &name).await;
    let _kill = KillOnDrop(vec![pid]);
    endpoints(&registry, "sample", 1).await;

    std::fs::remove_file(&health).expect("fail the check");
    endpoints(&registry, "sample", 0).await;
    assert!(alive(pid), "unhealthy is not stopped");
    std::fs::write(&health, "ok").expect("pass the check");
    endpoints(&registry, "sample", 1).await;

    unassign(&registry, &name).await;
    until_gone("the process to stop", pid).await;
    agent.stop().await;
}

/// A unit draining (`DrainSec=`) on the leader's machine holds up neither
/// placement nor this machine's other work: a unit started meanwhile is
/// placed and runs while the first still drains.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placement_goes_on_while_the_leaders_machine_drains_a_unit() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "7777777777777777aaaaaaaaaaaaaaaa";
    let agent = Running::start(&registry, options(dir.path(), machine, &[]));
    let slow = "[Service]\nExecStart=/bin/sleep 1000\n\
[X-Flotta]\nService=slow\nPort=1\nDrainSec=10s\n";
    launch(&registry, "slow.service", slow, None).await;
    let slow = running_pid(&registry, "slow.service").await;
    let _kill = KillOnDrop(vec![slow]);
    endpoints(&registry, "slow", 1).await;

    registry
        .set_target_state("slow.service", TargetState::Inactive)
        .await
        .expect("unload");
    // The endpoint gone: the drain has begun.
    endpoints(&registry, "slow", 0).await;
    let sleep = "[Service]\nExecStart=/bin/sleep 1000\n";
    launch(&registry, "next.service", sleep, None).await;
    let next = running_pid(&registry, "next.service").await;
    let _kill_next = KillOnDrop(vec![next]);
    assert!(alive(slow), "next.service waited for slow.service's drain");

    until_gone("slow.service to stop after its drain", slow).await;
    registry
        .set_target_state("next.service", TargetState::Inactive)
        .await
        .expect("unload");
    until_gone("next.service to stop", next).await;
    agent.stop().await;
}

/// `Conflicts=` holds on the machine as well as in placement: a unit
/// assigned here while a unit it conflicts with is still draining and
/// stopping here starts only once that one is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_unit_waits_until_the_leaving_one_is_gone() {
    let dir = tempfile::tempdir().expect("tmp");
    let registry = Registry::new(MemoryBackend::default());
    let machine = "8888888888888888bbbbbbbbbbbbbbbb";
    let agent = Running::start(&registry, by_hand(dir.path(), machine));
    let text = "[Service]\nExecStart=/bin/sleep 1000\n\
[X-Fleet]\nConflicts=*@%i.service\n\
[X-Flotta]\nService=app\nPort=%i\nDrainSec=2s\n";
    launch(&registry, "a@8080.service", text, Some(machine)).await;
    let a = running_pid(&registry, "a@8080.service").await;
    let _kill = KillOnDrop(vec![a]);
    endpoints(&registry, "app", 1).await;

    unassign(&registry, "a@8080.service").await;
    endpoints(&registry, "app", 0).await;
    launch(&registry, "b@8080.service", text, Some(machine)).await;
    let b = running_pid(&registry, "b@8080.service").await;
    let _kill_b = KillOnDrop(vec![b]);
    assert!(
        !alive(a),
        "b@8080 ran while a@8080 still ran on the machine"
    );

    unassign(&registry, "b@8080.service").await;
    until_gone("b@8080 to stop", b).await;
    agent.stop().await;
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
