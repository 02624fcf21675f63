//! Three `flotta agent` processes on 127.0.0.1–3 sharing a real etcd, driven
//! by fleetctl's command sequence from the seed: submit, start, list-units,
//! status, cat, journal, why, stop, destroy; an agent killed with SIGKILL
//! loses its units to the others after the grace period, and when the
//! leader's agent is killed another engine is elected.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, Registry};

const LIMIT: Duration = Duration::from_secs(30);
/// The agents' `--reschedule-grace-secs`.
const GRACE: Duration = Duration::from_secs(1);
/// The agents' `--lease-ttl-secs`.
const TTL: Duration = Duration::from_secs(2);

struct Agent {
    child: Child,
    state: tempfile::TempDir,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent(url: &str, n: u8, api: Option<u16>) -> Agent {
    let state = tempfile::tempdir().expect("state dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flotta"));
    cmd.args(["agent", "--etcd", url]);
    if let Some(port) = api {
        cmd.args(["--api-listen", &format!("127.0.0.1:{port}")]);
    }
    let child = cmd
        .arg("--public-ip")
        .arg(format!("127.0.0.{n}"))
        .args(["--metadata", &format!("zone=z{n}")])
        .args(["--lease-ttl-secs", &TTL.as_secs().to_string()])
        .args(["--reschedule-grace-secs", &GRACE.as_secs().to_string()])
        .args(["--machine-id-file", "/nonexistent/machine-id"])
        .arg("--state-dir")
        .arg(state.path())
        .stderr(Stdio::null())
        .spawn()
        .expect("flotta agent");
    Agent { child, state }
}

fn flotta(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(args)
        .env("FLOTTA_ETCD", url)
        .output()
        .expect("flotta")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(url: &str, args: &[&str]) -> String {
    let out = flotta(url, args);
    assert!(out.status.success(), "flotta {args:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The local variant of the seed's template, naming this build's greeter.
fn seed_template(dir: &Path) -> PathBuf {
    let greeter = Path::new(env!("CARGO_BIN_EXE_flotta")).with_file_name("flotta-greeter");
    assert!(
        greeter.exists(),
        "{} is built with the workspace",
        greeter.display()
    );
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/seed/units/local/sample.application@.service"
    ))
    .expect("seed unit")
    .replace(
        "ExecStart=flotta-greeter",
        &format!("ExecStart={}", greeter.display()),
    );
    let path = dir.join("sample.application@.service");
    std::fs::write(&path, text).expect("write");
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

fn get(authority: &str) -> Option<String> {
    get_path(authority, "/sample")
}

fn get_path(authority: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(authority).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    // The token the agent left for this user, as a client finds it.
    let auth = common::auth_header(authority);
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\n{auth}\r\n").as_bytes())
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// The MACHINE column of `unit` in `list-units --full` (`ID/IP`).
fn machine_of(url: &str, unit: &str) -> Option<String> {
    ok(url, &["list-units", "--full", "--no-legend"])
        .lines()
        .find(|l| l.starts_with(unit) && l.contains("running"))
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
}

#[test]
fn the_seed_sequence_on_three_agents_and_etcd() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    let api = free_port();
    let mut agents: Vec<Agent> = (1..=3)
        .map(|n| agent(&url, n, (n == 3).then_some(api)))
        .collect();
    eventually("three machines", LIMIT, || {
        ok(&url, &["list-machines", "--no-legend"]).lines().count() == 3
    });
    let machines = ok(&url, &["list-machines"]);
    assert!(machines.starts_with("MACHINE"), "{machines}");
    assert!(
        machines.contains("127.0.0.2") && machines.contains("zone=z2"),
        "{machines}"
    );

    let port = free_port();
    let dir = tempfile::tempdir().expect("units dir");
    let template = seed_template(dir.path());
    let instance = |n: u32| format!("sample.application.{n}@{port}.service");
    let local = |n: u32| dir.path().join(instance(n)).display().to_string();

    // fleetctl submit + start, as in the walkthrough.
    ok(&url, &["submit", template.to_str().expect("path")]);
    let started = ok(
        &url,
        &["start", &local(1), &local(2), "--block-attempts", "120"],
    );
    for n in 1..=2 {
        assert!(
            started.contains(&format!("Unit {} launched on", instance(n))),
            "{started}"
        );
    }
    // Resubmitting different contents is refused, and changes nothing.
    let changed = dir.path().join("other").join(instance(1));
    std::fs::create_dir_all(changed.parent().expect("dir")).expect("dir");
    std::fs::write(&changed, "[Service]\nExecStart=/bin/sleep 1\n").expect("write");
    let refused = flotta(&url, &["submit", changed.to_str().expect("path")]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("different contents"),
        "{}",
        text(&refused)
    );
    assert!(ok(&url, &["cat", &instance(1)]).contains("flotta-greeter"));

    let units = ok(&url, &["list-units"]);
    assert!(units.starts_with("UNIT"), "{units}");
    for n in 1..=2 {
        let row = units
            .lines()
            .find(|l| l.starts_with(&instance(n)))
            .unwrap_or_else(|| panic!("{} listed: {units}", instance(n)));
        assert!(row.contains("active") && row.contains("running"), "{row}");
    }
    // The same cluster through fleet's API v1, served by the third agent.
    let listed = get_path(&format!("127.0.0.1:{api}"), "/fleet/v1/units").expect("the API answers");
    let body = listed.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let units: serde_json::Value = serde_json::from_str(body).expect("json");
    let first = &units["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["name"] == instance(1).as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(first["desiredState"], "launched", "{body}");
    assert_eq!(first["currentState"], "launched", "{body}");
    assert_eq!(
        first["machineID"].as_str().map(str::len),
        Some(32),
        "{body}"
    );
    let files = ok(&url, &["list-unit-files"]);
    assert!(
        files.contains("DSTATE") && files.contains("launched"),
        "{files}"
    );
    let status = ok(&url, &["status", &instance(1)]);
    assert!(status.contains("Active: active (running)"), "{status}");

    // Each instance answers on its machine's address.
    let on1 = machine_of(&url, &instance(1)).expect("unit 1 placed");
    let ip1 = on1.rsplit('/').next().expect("ip").to_owned();
    let body = get(&format!("{ip1}:{port}")).expect("unit 1 answers");
    assert!(body.contains("Hello, Stranger!"), "{body}");

    // A third machine is free; a fourth instance on the same port is not placed.
    ok(&url, &["start", &local(3), "--block-attempts", "120"]);
    let fourth = flotta(&url, &["start", &local(4), "--block-attempts", "8"]);
    assert!(!fourth.status.success(), "{}", text(&fourth));
    let why = ok(&url, &["why", &instance(4)]);
    assert!(
        why.contains("not placed") && why.contains("conflicts with"),
        "{why}"
    );
    ok(&url, &["destroy", &instance(4)]);
    ok(&url, &["destroy", &instance(3)]);

    // The journal of a unit, on its machine.
    let agent1 = agents
        .iter()
        .position(|a| {
            let id = std::fs::read_to_string(a.state.path().join("machine-id")).unwrap_or_default();
            on1.starts_with(id.trim())
        })
        .expect("the agent running unit 1");
    let journal = ok(
        &url,
        &[
            "journal",
            &instance(1),
            "--state-dir",
            agents[agent1].state.path().to_str().expect("path"),
        ],
    );
    assert!(journal.contains("active/running"), "{journal}");

    // SIGKILL the agent running unit 1: after its lease and the grace
    // period, the unit runs elsewhere. (Its old process outlives the agent,
    // as units do; this test removes it at the end.)
    let orphan: u32 = ok(&url, &["status", &instance(1)])
        .lines()
        .find_map(|l| l.trim().strip_prefix("Main PID: ")?.parse().ok())
        .expect("unit 1's main pid");
    let killed_at = Instant::now();
    drop(agents.remove(agent1));
    eventually(
        "unit 1 to move",
        TTL + GRACE + Duration::from_secs(5) + LIMIT / 3,
        || machine_of(&url, &instance(1)).is_some_and(|m| m != on1),
    );
    let moved_after = killed_at.elapsed();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let registry = rt.block_on(async {
        Registry::new(
            EtcdBackend::connect(&EtcdOptions::new([url.clone()]))
                .await
                .expect("connect"),
        )
    });
    let (leader, assignments) = rt.block_on(async {
        let leader = registry
            .leader(flotta_engine::ELECTION)
            .await
            .expect("leader");
        let assignments = registry.assignments().await.expect("assignments").items;
        (leader, assignments)
    });
    let (leader, _) = leader.expect("a leader after the kill");
    assert!(!on1.starts_with(&leader), "the dead machine does not lead");
    assert_eq!(
        assignments.len(),
        2,
        "each unit placed once: {assignments:?}"
    );
    println!("unit moved {moved_after:?} after SIGKILL (lease {TTL:?} + grace {GRACE:?})");

    // SIGKILL the leader's agent, once a fresh machine joined so both units
    // still fit: another engine is elected and nothing is placed twice.
    agents.push(agent(&url, 4, None));
    eventually("three machines again", LIMIT, || {
        ok(&url, &["list-machines", "--no-legend"]).lines().count() == 3
    });
    let mut orphans = vec![orphan];
    for n in 1..=2 {
        let status = ok(&url, &["status", &instance(n)]);
        if status.contains(&leader) {
            orphans.extend(
                status
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("Main PID: ")?.parse::<u32>().ok()),
            );
        }
    }
    let leader_agent = agents
        .iter()
        .position(|a| {
            std::fs::read_to_string(a.state.path().join("machine-id"))
                .is_ok_and(|id| id.trim() == leader)
        })
        .expect("the leader's agent");
    drop(agents.remove(leader_agent));
    eventually(
        "a new leader, both units placed once on live machines",
        TTL + GRACE + Duration::from_secs(5) + LIMIT / 3,
        || {
            let (now, placed) = rt.block_on(async {
                (
                    registry
                        .leader(flotta_engine::ELECTION)
                        .await
                        .expect("leader"),
                    registry.assignments().await.expect("assignments").items,
                )
            });
            placed.len() == 2
                && placed.iter().all(|a| a.machine != leader)
                && now.is_some_and(|(id, _)| id != leader)
                && (1..=2).all(|n| {
                    machine_of(&url, &instance(n)).is_some_and(|m| !m.starts_with(&leader))
                })
        },
    );

    // The seed's `etcdctl set`/`rm`, as `flotta kv`.
    ok(
        &url,
        &[
            "kv",
            "set",
            "/applications/sample/one",
            "127.0.0.1:8080",
            "--ttl",
            "60",
        ],
    );
    assert_eq!(
        ok(&url, &["kv", "get", "/applications/sample/one"]),
        "127.0.0.1:8080\n"
    );
    assert_eq!(
        ok(&url, &["kv", "ls", "/applications/sample/"]),
        "/applications/sample/one 127.0.0.1:8080\n"
    );
    ok(&url, &["kv", "rm", "/applications/sample/one"]);
    assert!(
        !flotta(&url, &["kv", "get", "/applications/sample/one"])
            .status
            .success()
    );

    // fleetctl stop, then destroy.
    let stopped = ok(&url, &["stop", &instance(2), "--block-attempts", "120"]);
    assert!(
        stopped.contains(&format!("Unit {} loaded on", instance(2))),
        "{stopped}"
    );
    let destroyed = ok(&url, &["destroy", "sample.application*"]);
    assert!(
        destroyed.contains(&format!("Destroyed {}", instance(1))),
        "{destroyed}"
    );
    eventually("the agents to stop their units", LIMIT, || {
        ok(&url, &["list-units", "--no-legend"]).trim().is_empty()
    });
    for pid in orphans {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
}

/// The cluster commands' etcd flags: TLS with a CA file and a key prefix
/// of their own, which keeps one cluster's units apart from another's.
#[test]
fn commands_reach_etcd_over_tls_under_a_prefix() {
    let (etcd, ca) = EtcdServer::start_tls().expect("etcd with TLS");
    let url = etcd.client_url();
    let ca = ca.display().to_string();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_flotta"))
            .args(args)
            .args(["--etcd", &url, "--etcd-cacert", &ca])
            .env_remove("FLOTTA_ETCD_PREFIX")
            .output()
            .expect("flotta")
    };
    let units = tempfile::tempdir().expect("units");
    let file = units.path().join("hello.service");
    std::fs::write(&file, "[Service]\nExecStart=/bin/true\n").expect("write");
    let out = run(&[
        "submit",
        file.to_str().expect("path"),
        "--etcd-prefix",
        "/team-a/",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let mine = run(&[
        "list-unit-files",
        "--no-legend",
        "--etcd-prefix",
        "/team-a/",
    ]);
    assert!(text(&mine).contains("hello.service"), "{}", text(&mine));
    let default = run(&["list-unit-files", "--no-legend"]);
    assert!(default.status.success(), "{}", text(&default));
    assert!(
        !text(&default).contains("hello.service"),
        "{}",
        text(&default)
    );
    // Without the CA, https fails with an error that names etcd.
    let out = Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(["list-units", "--etcd", &url])
        .output()
        .expect("flotta");
    assert!(!out.status.success());
    assert!(text(&out).contains("etcd"), "{}", text(&out));
}
