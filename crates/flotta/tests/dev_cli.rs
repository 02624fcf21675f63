//! `flotta agent --dev --machines 3`: a whole cluster in one process, set up
//! from a `--config` file overridden by a flag, driven by fleetctl's
//! commands through its API (`--endpoint`), surviving the crash of a unit's machine
//! and of the leader's machine with no unit ever running twice, and
//! stopping every unit process on SIGTERM.

mod common;

use common::Daemon;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(30);
/// `reschedule-grace-secs` in the config file.
const GRACE: Duration = Duration::from_secs(1);
/// `lease-ttl-secs` in the config file.
const TTL: Duration = Duration::from_secs(2);

fn flotta() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flotta"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// One HTTP/1.0 exchange; the status and body.
fn http(authority: &str, method: &str, path: &str, body: Option<&Value>) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(authority).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    // The token the agent left for this user, as a client finds it.
    let auth = common::auth_header(authority);
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {authority}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

fn get_json(api: &str, path: &str) -> Value {
    let (status, body) = http(api, "GET", path, None).expect("the API answers");
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).expect("json")
}

/// The local variant of the seed's template, naming this build's greeter.
fn seed_template(dir: &Path) -> std::path::PathBuf {
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

/// A cluster command through the API (`--endpoint`); its stdout.
fn cli(endpoint: &str, args: &[&str]) -> String {
    let out = flotta()
        .args(args)
        .args(["--endpoint", endpoint])
        .env_remove("FLOTTA_ETCD")
        .output()
        .expect("flotta");
    assert!(out.status.success(), "flotta {args:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// unit -> machines reporting it active.
fn active(api: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in get_json(api, "/fleet/v1/state")["states"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        if s["systemdActiveState"] == "active" {
            out.entry(s["name"].as_str().unwrap_or_default().to_owned())
                .or_default()
                .push(s["machineID"].as_str().unwrap_or_default().to_owned());
        }
    }
    out
}

/// `active`, asserting that no unit runs on two machines at once.
fn placed_once(api: &str) -> BTreeMap<String, String> {
    active(api)
        .into_iter()
        .map(|(unit, machines)| {
            assert_eq!(machines.len(), 1, "{unit} runs on {machines:?}");
            (unit, machines[0].clone())
        })
        .collect()
}

/// A dev cluster of `machines` on the memory registry, its API on a free
/// port: its state dir (first, so it is dropped after the process has
/// stopped the units recorded in it), the process, the API's authority and
/// URL.
fn dev_cluster(machines: u16) -> (tempfile::TempDir, Daemon, String, String) {
    let state = tempfile::tempdir().expect("state dir");
    let api = format!("127.0.0.1:{}", free_port());
    let agent = Daemon(
        flotta()
            .args(["agent", "--dev", "--machines", &machines.to_string()])
            .args(["--registry", "memory", "--api-listen", &api, "--state-dir"])
            .arg(state.path())
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    eventually("the API", LIMIT, || {
        http(&api, "GET", "/v1/revision", None).is_some_and(|(s, _)| s == 200)
    });
    let endpoint = format!("http://{api}");
    (state, agent, api, endpoint)
}

fn dev_machines(api: &str) -> Vec<Value> {
    get_json(api, "/v1/dev/machines")["machines"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn crash(endpoint: &str, id: &str) {
    let out = flotta()
        .args(["machine", "crash", &id[..8], "--endpoint", endpoint])
        .output()
        .expect("flotta");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("Machine {id} crashed")),
        "{}",
        text(&out)
    );
}

#[test]
fn a_dev_cluster_runs_the_seed_and_survives_crashes() {
    let state = tempfile::tempdir().expect("state dir");
    let port = free_port();
    let api = format!("127.0.0.1:{port}");
    let endpoint = format!("http://{api}");
    let config = state.path().join("agent.toml");
    // The file says 2 machines; the flag's 3 win.
    std::fs::write(
        &config,
        format!(
            "dev = true\nmachines = 2\nstate-dir = {:?}\napi-listen = \"{api}\"\n\
             lease-ttl-secs = {}\nreschedule-grace-secs = {}\nmetadata = {{ zone = \"dev\" }}\n",
            state.path().join("cluster").display().to_string(),
            TTL.as_secs(),
            GRACE.as_secs()
        ),
    )
    .expect("config");
    let mut agent = Daemon(
        flotta()
            .args(["agent", "--machines", "3", "--config"])
            .arg(&config)
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    eventually("three machines", LIMIT, || {
        http(&api, "GET", "/fleet/v1/machines", None).is_some_and(|(_, b)| {
            serde_json::from_str::<Value>(&b)
                .is_ok_and(|v| v["machines"].as_array().is_some_and(|m| m.len() == 3))
        })
    });
    let machines = get_json(&api, "/fleet/v1/machines")["machines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for n in 1..=3 {
        let m = machines
            .iter()
            .find(|m| m["primaryIP"] == format!("127.0.0.{n}"))
            .unwrap_or_else(|| panic!("machine {n}: {machines:?}"));
        assert_eq!(m["metadata"]["machine"], n.to_string(), "{m}");
        assert_eq!(m["metadata"]["zone"], "dev", "{m}");
    }

    // fleetctl's sequence through the API: submit, start (two instances on
    // one port: the seed's Conflicts= puts them apart), list, status, cat.
    let unit_port = free_port();
    let instance = |n: u32| format!("sample.application.{n}@{unit_port}.service");
    let units = tempfile::tempdir().expect("units dir");
    let template = seed_template(units.path());
    let local = |n: u32| units.path().join(instance(n)).display().to_string();
    cli(&endpoint, &["submit", template.to_str().expect("path")]);
    let started = cli(
        &endpoint,
        &["start", &local(1), &local(2), "--block-attempts", "120"],
    );
    for n in 1..=2 {
        assert!(
            started.contains(&format!("Unit {} launched on", instance(n))),
            "{started}"
        );
    }
    let listed = cli(&endpoint, &["list-units"]);
    assert!(
        listed.starts_with("UNIT") && listed.contains("running"),
        "{listed}"
    );
    let status = cli(&endpoint, &["status", &instance(1)]);
    assert!(status.contains("Active: active (running)"), "{status}");
    assert!(cli(&endpoint, &["cat", &instance(1)]).contains("flotta-greeter"));
    let machines_listed = cli(&endpoint, &["list-machines"]);
    assert!(machines_listed.contains("machine=2"), "{machines_listed}");
    let placed = placed_once(&api);
    assert_ne!(placed[&instance(1)], placed[&instance(2)]);
    let ip_of = |id: &str| -> String {
        dev_machines(&api)
            .iter()
            .find(|m| m["id"] == id)
            .and_then(|m| m["public_ip"].as_str().map(str::to_owned))
            .expect("machine ip")
    };
    let on1 = placed[&instance(1)].clone();
    let ip1 = ip_of(&on1);
    eventually("unit 1 to answer", LIMIT, || {
        http(&format!("{ip1}:{unit_port}"), "GET", "/sample", None)
            .is_some_and(|(_, b)| b.contains("Hello"))
    });

    // The journal, from the machine's own state directory.
    let machine_dir = dev_machines(&api)
        .iter()
        .find(|m| m["id"] == on1.as_str())
        .and_then(|m| m["state_dir"].as_str().map(str::to_owned))
        .expect("state dir");
    let journal = flotta()
        .args(["journal", &instance(1), "--state-dir", &machine_dir])
        .output()
        .expect("flotta journal");
    assert!(
        text(&journal).contains("active/running"),
        "{}",
        text(&journal)
    );

    // The same journal through the API (no local state dir has it).
    let remote = cli(
        &endpoint,
        &["journal", &instance(1), "--state-dir", "/nonexistent"],
    );
    assert!(remote.contains("active/running"), "{remote}");
    // The live cluster's plan: nothing to change, both instances placed.
    let plan = cli(&endpoint, &["plan", "--json"]);
    let plan: Value = serde_json::from_str(&plan).expect("plan json");
    assert_eq!(plan["assignments"][instance(1)], on1.as_str(), "{plan}");

    // Power loss on unit 1's machine: the unit moves (to the free third
    // machine) within the lease TTL + grace + 5 s, never running twice.
    let crashed_at = Instant::now();
    crash(&endpoint, &on1);
    assert!(
        http(&format!("{ip1}:{unit_port}"), "GET", "/sample", None).is_none(),
        "the crashed machine's unit process is gone"
    );
    eventually(
        "unit 1 to move",
        TTL + GRACE + Duration::from_secs(5),
        || {
            placed_once(&api)
                .get(&instance(1))
                .is_some_and(|m| m != &on1)
        },
    );
    println!(
        "unit moved {:?} after the crash (lease {TTL:?} + grace {GRACE:?})",
        crashed_at.elapsed()
    );
    let again = flotta()
        .args(["machine", "crash", &on1, "--endpoint", &endpoint])
        .output()
        .expect("flotta");
    assert!(!again.status.success());
    assert!(text(&again).contains("not running"), "{}", text(&again));
    let restarted = flotta()
        .args(["machine", "restart", &on1, "--endpoint", &endpoint])
        .output()
        .expect("flotta");
    assert!(restarted.status.success(), "{}", text(&restarted));
    eventually("three machines again", LIMIT, || {
        get_json(&api, "/fleet/v1/machines")["machines"]
            .as_array()
            .is_some_and(|m| m.len() == 3)
    });

    // Power loss on the leader's machine: another engine is elected and
    // both units run, each once.
    let leader = dev_machines(&api)
        .into_iter()
        .find(|m| m["leader"] == true)
        .and_then(|m| m["id"].as_str().map(str::to_owned))
        .expect("a leader");
    crash(&endpoint, &leader);
    eventually(
        "a new leader and both units placed",
        TTL + GRACE + Duration::from_secs(10),
        || {
            let new_leader = dev_machines(&api)
                .into_iter()
                .find(|m| m["leader"] == true)
                .and_then(|m| m["id"].as_str().map(str::to_owned));
            let placed = placed_once(&api);
            new_leader.is_some_and(|l| l != leader)
                && placed.len() == 2
                && placed.values().all(|m| m != &leader)
        },
    );

    // stop and destroy one instance; the other stays for the SIGTERM check.
    let stopped = cli(
        &endpoint,
        &["stop", &instance(2), "--block-attempts", "120"],
    );
    assert!(
        stopped.contains(&format!("Unit {} loaded on", instance(2))),
        "{stopped}"
    );
    cli(&endpoint, &["destroy", &instance(2)]);
    eventually("instance 2 to go", LIMIT, || {
        !active(&api).contains_key(&instance(2))
    });

    // scale: instances 1..3 of a oneshot template, then down to 1.
    let noop = state.path().join("noop@.service");
    std::fs::write(
        &noop,
        "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n",
    )
    .expect("write");
    let up = cli(
        &endpoint,
        &[
            "scale",
            &noop.display().to_string(),
            "3",
            "--block-attempts",
            "120",
        ],
    );
    assert_eq!(up.matches(" launched on ").count(), 3, "{up}");
    let down = cli(&endpoint, &["scale", "noop@.service", "1", "--no-block"]);
    assert!(
        down.contains("Destroyed noop@3.service") && down.contains("Destroyed noop@2.service"),
        "{down}"
    );
    cli(&endpoint, &["destroy", "noop@1.service", "noop@.service"]);

    // SIGTERM: the dev cluster stops its units' processes too.
    let placed = placed_once(&api);
    let pid = i32::try_from(agent.0.id()).expect("pid");
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    eventually("the dev cluster to exit", LIMIT, || {
        agent.0.try_wait().ok().flatten().is_some()
    });
    for (unit, machine) in placed {
        let ip = format!(
            "127.0.0.{}",
            (1..=3u16)
                .find(|&n| flotta_agent::dev::dev_machine_id(n) == machine)
                .expect("a dev machine")
        );
        assert!(
            http(&format!("{ip}:{unit_port}"), "GET", "/sample", None).is_none(),
            "{unit} still answers after the dev cluster stopped"
        );
    }
}

#[test]
fn a_config_file_with_an_unknown_key_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let config = dir.path().join("agent.toml");
    std::fs::write(&config, "dev = true\nstate-dri = \"/tmp\"\n").expect("write");
    let out = flotta()
        .args(["agent", "--config"])
        .arg(&config)
        .output()
        .expect("flotta");
    assert!(!out.status.success());
    let err = text(&out);
    assert!(
        err.contains("state-dri") && err.contains("line 2") && err.contains("agent.toml"),
        "{err}"
    );
    let open = flotta()
        .args([
            "agent",
            "--dev",
            "--api-listen",
            "0.0.0.0:4949",
            "--state-dir",
        ])
        .arg(dir.path())
        .output()
        .expect("flotta");
    assert!(!open.status.success());
    assert!(text(&open).contains("--api-token"), "{}", text(&open));
}

/// The seed's own registration (`etcdctl set`/`rm` lines) as `flotta kv`
/// lines in a unit, against the embedded default.
#[test]
fn the_seeds_raw_key_lines_work_on_a_dev_cluster() {
    let (state, _agent, _api, endpoint) = dev_cluster(2);
    let exe = env!("CARGO_BIN_EXE_flotta");
    // Units get no token of their own: this one is given the agent's.
    let token = state.path().join("api.token");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/seed/units/local-kv/sample.application@.service"
    ))
    .expect("seed unit")
    .replace("=flotta ", &format!("={exe} "))
    .replace(
        "[Service]\n",
        &format!(
            "[Service]\nEnvironment=FLOTTA_ENDPOINT={endpoint}\n\
             Environment=FLOTTA_TOKEN_FILE={}\n",
            token.display()
        ),
    );
    let units = tempfile::tempdir().expect("units dir");
    let template = units.path().join("sample.application@.service");
    std::fs::write(&template, text).expect("write");
    let port = free_port();
    let unit = format!("sample.application.1@{port}.service");
    cli(&endpoint, &["submit", template.to_str().expect("path")]);
    let local = units.path().join(&unit).display().to_string();
    cli(&endpoint, &["start", &local, "--block-attempts", "120"]);
    let key = "/applications/sample/sample.application.1";
    let mut value = String::new();
    eventually("ExecStartPost= to set the key", LIMIT, || {
        let out = flotta()
            .args(["kv", "get", key, "--endpoint", &endpoint])
            .output()
            .expect("flotta kv get");
        value = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        out.status.success()
    });
    assert!(
        value.starts_with("127.0.0.") && value.ends_with(&format!(":{port}")),
        "{value}"
    );
    cli(&endpoint, &["stop", &unit, "--block-attempts", "120"]);
    eventually("ExecStopPost= to remove the key", LIMIT, || {
        !flotta()
            .args(["kv", "get", key, "--endpoint", &endpoint])
            .output()
            .expect("flotta kv get")
            .status
            .success()
    });
}

/// `flotta machine crash|restart` reach a dev cluster served over TLS behind
/// a token, as the other commands do; without the token they are refused.
#[test]
fn machine_crash_goes_through_tls_and_the_token() {
    let state = tempfile::tempdir().expect("state dir");
    let certs = flotta_registry::testkit::TestCerts::create(state.path()).expect("openssl certs");
    let api = format!("127.0.0.1:{}", free_port());
    let endpoint = format!("https://{api}");
    let _agent = Daemon(
        flotta()
            .args(["agent", "--dev", "--machines", "2", "--registry", "memory"])
            .args(["--api-listen", &api, "--api-token", "s3cret"])
            .arg("--api-tls-cert")
            .arg(&certs.cert)
            .arg("--api-tls-key")
            .arg(&certs.key)
            .arg("--state-dir")
            .arg(state.path().join("state"))
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    let machine = |token: &str, action: &str, id: &str| {
        flotta()
            .args(["machine", action, id, "--json", "--endpoint", &endpoint])
            .args(["--token", token, "--ca-file"])
            .arg(&certs.ca)
            .env_remove("FLOTTA_ETCD")
            .output()
            .expect("flotta")
    };
    let mut listed = String::new();
    eventually("two machines over TLS", LIMIT, || {
        let out = flotta()
            .args([
                "list-machines",
                "--no-legend",
                "--full",
                "--endpoint",
                &endpoint,
            ])
            .args(["--token", "s3cret", "--ca-file"])
            .arg(&certs.ca)
            .output()
            .expect("flotta");
        listed = String::from_utf8_lossy(&out.stdout).into_owned();
        out.status.success() && listed.lines().count() == 2
    });
    let id = listed
        .split_whitespace()
        .next()
        .expect("a machine id")
        .to_owned();
    let refused = machine("wrong", "crash", &id);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("401"), "{}", text(&refused));
    let crashed = machine("s3cret", "crash", &id);
    assert!(crashed.status.success(), "{}", text(&crashed));
    let body: Value = serde_json::from_slice(&crashed.stdout).expect("JSON");
    assert_eq!(body["machine"], id.as_str());
    let restarted = machine("s3cret", "restart", &id);
    assert!(restarted.status.success(), "{}", text(&restarted));
}

/// What fleetctl users type: `version`, `restart`, `FLEETCTL_ENDPOINT`,
/// `--tunnel`; `unload` purges the unit's state as fleet does (its
/// TestUnitLoad: load, unload, `list-units` empty); `status` reads as
/// systemctl's, with the last journal lines.
#[test]
fn fleetctl_habits_work_on_a_dev_cluster() {
    let version = flotta().arg("version").output().expect("flotta version");
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("flotta version {}", env!("CARGO_PKG_VERSION"))
    );

    let (_state, _agent, _api, endpoint) = dev_cluster(2);
    // fleetctl's variables, no flotta setting: the API of FLEETCTL_ENDPOINT.
    let fleetctl = |args: &[&str]| {
        let out = flotta()
            .args(args)
            .env_remove("FLOTTA_ETCD")
            .env_remove("FLOTTA_ENDPOINT")
            .env("FLEETCTL_ENDPOINT", &endpoint)
            .env("FLEETCTL_DRIVER", "api")
            .output()
            .expect("flotta");
        assert!(out.status.success(), "flotta {args:?}: {}", text(&out));
        out
    };
    let listed = fleetctl(&["list-machines", "--tunnel", "core@10.0.0.1"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 3);
    assert!(
        String::from_utf8_lossy(&listed.stderr).contains("--tunnel core@10.0.0.1 is not needed"),
        "{}",
        text(&listed)
    );

    let units = tempfile::tempdir().expect("units dir");
    let hello = units.path().join("hello.service");
    // `$$` is systemd's escape of `$`: the shell sees `$$`, its own pid.
    std::fs::write(
        &hello,
        "[Service]\nExecStart=/bin/sh -c 'echo hello from $$$$; exec sleep 1000'\n",
    )
    .expect("write");
    let hello = hello.display().to_string();

    // load, then unload: the unit's state is gone from list-units.
    cli(&endpoint, &["load", &hello, "--block-attempts", "120"]);
    let listed = cli(&endpoint, &["list-units", "--no-legend"]);
    assert!(listed.contains("hello.service"), "{listed}");
    cli(
        &endpoint,
        &["unload", "hello.service", "--block-attempts", "120"],
    );
    assert_eq!(cli(&endpoint, &["list-units", "--no-legend"]), "");

    // restart: a new main process, and status shows when, and its output.
    cli(
        &endpoint,
        &["start", "hello.service", "--block-attempts", "120"],
    );
    let main_pid = || -> String {
        let status = cli(&endpoint, &["status", "hello.service"]);
        status
            .lines()
            .find_map(|l| l.trim().strip_prefix("Main PID: ").map(str::to_owned))
            .unwrap_or_else(|| panic!("no Main PID in {status}"))
    };
    let before = main_pid();
    let restarted = cli(
        &endpoint,
        &["restart", "hello.service", "--block-attempts", "120"],
    );
    assert!(
        restarted.contains("Unit hello.service loaded on")
            && restarted.contains("Unit hello.service launched on"),
        "{restarted}"
    );
    let after = main_pid();
    assert_ne!(before, after, "restart started a new process");
    let mut status = String::new();
    eventually("status with the new process's journal line", LIMIT, || {
        status = cli(&endpoint, &["status", "hello.service", "-n", "20"]);
        status.contains(&format!("hello from {after}"))
    });
    let active = status
        .lines()
        .find(|l| l.trim_start().starts_with("Active:"))
        .expect("an Active: line");
    assert!(
        active.contains(" UTC; ") && active.ends_with(" ago"),
        "{status}"
    );

    // destroy purges it too.
    cli(&endpoint, &["destroy", "hello.service"]);
    eventually("hello.service's state to go", LIMIT, || {
        cli(&endpoint, &["list-units", "--no-legend"]).is_empty()
    });
}

/// fleetctl's `--replace`: `start --replace` stores a changed unit file and
/// the unit is restarted with it where it runs (a new main process, the new
/// hash in its state); without it the change is refused and says so.
#[test]
fn start_replace_restarts_a_unit_with_its_new_contents() {
    let (_state, _agent, api, endpoint) = dev_cluster(2);
    let units = tempfile::tempdir().expect("units dir");
    let path = units.path().join("hello.service");
    let write = |text: &str| std::fs::write(&path, text).expect("write");
    let hello = path.display().to_string();
    write("[Service]\nExecStart=/bin/sleep 1000\n");
    cli(&endpoint, &["start", &hello, "--block-attempts", "120"]);
    let state = |api: &str| -> Option<(String, String, String)> {
        let states = get_json(api, "/fleet/v1/state")["states"]
            .as_array()
            .cloned()?;
        let s = states.iter().find(|s| s["name"] == "hello.service")?;
        Some((
            s["machineID"].as_str()?.to_owned(),
            s["systemdActiveState"].as_str()?.to_owned(),
            s["hash"].as_str()?.to_owned(),
        ))
    };
    let mut first = None;
    eventually("hello.service active", LIMIT, || {
        first = state(&api).filter(|(_, active, _)| active == "active");
        first.is_some()
    });
    let (machine, _, old_hash) = first.expect("a state");
    let main_pid = || {
        let status = cli(&endpoint, &["status", "hello.service"]);
        status
            .lines()
            .find_map(|l| l.trim().strip_prefix("Main PID: ").map(str::to_owned))
            .unwrap_or_else(|| panic!("no Main PID in {status}"))
    };
    let before = main_pid();

    write("[Service]\nExecStart=/bin/sleep 2000\n");
    // Without --replace, as fleetctl: the cluster's unit, and a warning.
    let warned = flotta()
        .args(["start", &hello, "--endpoint", &endpoint])
        .output()
        .expect("flotta");
    assert!(warned.status.success(), "{}", text(&warned));
    assert!(
        String::from_utf8_lossy(&warned.stderr).contains("Add --replace to override"),
        "{}",
        text(&warned)
    );
    assert_eq!(
        main_pid(),
        before,
        "the unit in the cluster is left as it is"
    );

    cli(
        &endpoint,
        &["start", "--replace", &hello, "--block-attempts", "120"],
    );
    assert!(cli(&endpoint, &["cat", "hello.service"]).contains("sleep 2000"));
    let mut now = None;
    eventually("hello.service running its new contents", LIMIT, || {
        now = state(&api).filter(|(_, active, hash)| active == "active" && *hash != old_hash);
        now.is_some()
    });
    assert_eq!(
        now.map(|(m, _, _)| m),
        Some(machine),
        "restarted where it ran"
    );
    assert_ne!(main_pid(), before, "a new main process");

    cli(&endpoint, &["destroy", "hello.service"]);
    eventually("hello.service's state to go", LIMIT, || {
        cli(&endpoint, &["list-units", "--no-legend"]).is_empty()
    });
}

/// A client made before its dev cluster has started (and left its token)
/// works once the cluster is up: the token is read again after a 401.
#[test]
fn a_client_made_before_the_cluster_finds_its_token() {
    use flotta_api::remote::{Remote, RemoteOptions};
    let state = tempfile::tempdir().expect("state dir");
    let api = format!("127.0.0.1:{}", free_port());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let registry = flotta_registry::Registry::new(
        Remote::new(RemoteOptions::new(format!("http://{api}"))).expect("remote"),
    );
    let _agent = Daemon(
        flotta()
            .args(["agent", "--dev", "--machines", "1", "--registry", "memory"])
            .args(["--api-listen", &api, "--state-dir"])
            .arg(state.path())
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    eventually("the machine, through the early client", LIMIT, || {
        rt.block_on(registry.machines())
            .is_ok_and(|m| m.items.len() == 1)
    });
}
