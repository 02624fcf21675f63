//! Fault injection on a real cluster, with a checker (issue 18): a
//! three-member etcd and three `flotta agent` processes on 127.0.0.1–3.
//! For a bounded number of rounds, faults drawn from a seeded RNG (SIGSTOP
//! and SIGCONT of an agent, the leader's included, shorter than lease TTL +
//! grace; SIGKILL of an agent and its restart on the same state dir and
//! machine ID; an etcd member SIGKILLed and restarted; a machine's lease
//! revoked) while a driver starts, stops and destroys units that
//! `Conflicts=` each other (`app.N@PORT.service`, `Conflicts=*@%i.service`).
//!
//! A checker samples every [`SAMPLE_EVERY`] the units' real processes
//! (found through `/proc`: each carries `CHAOS_UNIT=%n`, this run's
//! `CHAOS_RUN` token and the agent's `FLOTTA_MACHINE_ID`) and, at the end,
//! the registry, and asserts over the whole history:
//! - never two running processes of conflicting units on one machine (nor
//!   one unit twice on a machine);
//! - never one unit running on two machines for longer than lease TTL +
//!   grace + [`SLACK`] (the old machine's agent noticing and stopping it);
//! - once the faults stop and the cluster settles (bounded wait), every
//!   unit with target `launched` runs on exactly one machine, its assigned
//!   one, or runs nowhere and has a decision saying why; nothing else runs;
//! - no unit stopped that should have stayed: a unit's process ends only
//!   when the driver touched the unit shortly before, or its machine had a
//!   fault within lease TTL + grace + [`SLACK`] before.
//!
//! It prints one line with the counts (rounds, faults by kind, driver
//! actions, samples, violations, seed, duration) and fails listing the
//! violations. Quick mode (15 rounds) under `CI=true`; by hand the default
//! is 40 rounds. Replay or lengthen a run with
//! `FLOTTA_CHAOS_SEED=N FLOTTA_CHAOS_ROUNDS=200 cargo test --release
//! --all-features -p flotta --test chaos -- --nocapture`.
//! Agents' logs stay in a temporary directory (printed) when it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flotta_registry::model::TargetState;
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, KvBackend, Registry};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// The agents' `--lease-ttl-secs`.
const TTL: Duration = Duration::from_secs(2);
/// The agents' `--reschedule-grace-secs`.
const GRACE: Duration = Duration::from_secs(2);
/// What a machine's agent needs, once back, to see a unit moved away and
/// stop its copy: a reconcile period or two, and the stop itself.
const SLACK: Duration = Duration::from_secs(3);
/// The longest SIGSTOP, and the longest an agent stays killed: under lease
/// TTL + grace, so no unit has to move.
const LONGEST_OUTAGE: Duration = Duration::from_millis(2500);
const MACHINES: usize = 3;
/// Instances on one port conflict; two ports, five instances each.
const PORTS: [u16; 2] = [18001, 18002];
const INSTANCES: u32 = 5;
const SAMPLE_EVERY: Duration = Duration::from_millis(150);
/// At most this many samples (the sampler also ends with the test).
const MAX_SAMPLES: u64 = 20_000;
/// How long the cluster has to settle once the faults stop.
const SETTLE: Duration = Duration::from_secs(45);
/// How long a registry call or a `flotta` command may take.
const CALL: Duration = Duration::from_secs(3);
const COMMAND: Duration = Duration::from_secs(20);

/// xorshift64*: enough randomness, and a seed replays a run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = u64::try_from((hi - lo).as_millis()).unwrap_or(0).max(1);
        lo + Duration::from_millis(self.next() % span)
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// The etcd members, the agents and their state dirs; tears everything
/// down when dropped (also when the test fails): agents, the units'
/// process groups, etcd.
struct Cluster {
    members: Vec<EtcdServer>,
    agents: Vec<Option<Child>>,
    dirs: Vec<PathBuf>,
    root: Option<tempfile::TempDir>,
    token: String,
}

impl Cluster {
    fn start(token: String) -> Cluster {
        let members = EtcdServer::cluster(MACHINES).expect("a 3-member etcd (etcd-server)");
        let root = tempfile::tempdir().expect("root dir");
        let dirs = (1..=MACHINES)
            .map(|n| root.path().join(format!("machine-{n}")))
            .collect();
        let mut cluster = Cluster {
            members,
            agents: (0..MACHINES).map(|_| None).collect(),
            dirs,
            root: Some(root),
            token,
        };
        for i in 0..MACHINES {
            cluster.boot(i);
        }
        cluster
    }

    fn urls(&self) -> Vec<String> {
        self.members.iter().map(EtcdServer::client_url).collect()
    }

    fn root(&self) -> PathBuf {
        self.root.as_ref().expect("root").path().to_owned()
    }

    /// Starts agent `i` (again) on its state dir, machine ID and address.
    fn boot(&mut self, i: usize) {
        let mut urls = self.urls();
        urls.rotate_left(i);
        std::fs::create_dir_all(&self.dirs[i]).expect("state dir");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.root().join(format!("agent-{}.log", i + 1)))
            .expect("log");
        let child = Command::new(env!("CARGO_BIN_EXE_flotta"))
            .args(["agent", "--etcd", &urls.join(",")])
            .args(["--public-ip", &format!("127.0.0.{}", i + 1)])
            .args(["--lease-ttl-secs", &TTL.as_secs().to_string()])
            .args(["--reschedule-grace-secs", &GRACE.as_secs().to_string()])
            .args(["--machine-id-file", "/nonexistent/machine-id"])
            .arg("--state-dir")
            .arg(&self.dirs[i])
            .env("FLOTTA_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("flotta agent");
        self.agents[i] = Some(child);
    }

    fn signal(&self, i: usize, signal: Signal) {
        if let Some(child) = &self.agents[i]
            && let Ok(pid) = i32::try_from(child.id())
        {
            let _ = kill(Pid::from_raw(pid), signal);
        }
    }

    fn kill_agent(&mut self, i: usize) {
        if let Some(mut child) = self.agents[i].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn machine_id(&self, i: usize) -> Option<String> {
        let id = std::fs::read_to_string(self.dirs[i].join("machine-id")).ok()?;
        Some(id.trim().to_owned()).filter(|id| id.len() == 32)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.agents.len() {
            self.signal(i, Signal::SIGCONT);
            self.kill_agent(i);
        }
        // Agents leave their units running: end every process group of
        // this run's units, a few times over for one that was starting.
        for _ in 0..5 {
            for p in scan(&self.token) {
                if let Some(pgid) = pgid(p.pid) {
                    let _ = kill(Pid::from_raw(-pgid), Signal::SIGKILL);
                }
                let _ = kill(Pid::from_raw(p.pid), Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.members.iter_mut().for_each(EtcdServer::kill);
        if std::thread::panicking()
            && let Some(root) = self.root.take()
        {
            eprintln!("agents' logs kept in {}", root.keep().display());
        }
    }
}

/// A unit's process, as `/proc` shows it.
#[derive(Debug, Clone)]
struct Proc {
    pid: i32,
    unit: String,
    machine: String,
}

fn stat_fields(pid: i32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// Alive: there, and neither a zombie nor dead.
fn alive(pid: i32) -> bool {
    stat_fields(pid).is_some_and(|f| f.first().is_some_and(|s| s != "Z" && s != "X"))
}

fn pgid(pid: i32) -> Option<i32> {
    stat_fields(pid)?.get(2)?.parse().ok()
}

/// The live processes of this run's units.
fn scan(token: &str) -> Vec<Proc> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let run = format!("CHAOS_RUN={token}");
    let mut out = Vec::new();
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        let vars: Vec<&[u8]> = environ.split(|b| *b == 0).collect();
        if !vars.contains(&run.as_bytes()) {
            continue;
        }
        let var = |name: &str| {
            vars.iter().find_map(|v| {
                let v = std::str::from_utf8(v).ok()?;
                v.strip_prefix(name)?.strip_prefix('=').map(str::to_owned)
            })
        };
        if let (Some(unit), Some(machine)) = (var("CHAOS_UNIT"), var("FLOTTA_MACHINE_ID"))
            && alive(pid)
        {
            out.push(Proc { pid, unit, machine });
        }
    }
    out
}

/// `app.N@PORT.service` → `PORT`.
fn instance(unit: &str) -> &str {
    unit.split_once('@')
        .map_or("", |(_, i)| i.trim_end_matches(".service"))
}

/// What the sampler saw.
#[derive(Default)]
struct History {
    samples: u64,
    /// Unit processes seen, summed over the samples.
    seen_processes: u64,
    violations: Vec<String>,
    /// Since when a unit has run on more than one machine (and whether
    /// that was reported).
    doubled: BTreeMap<String, (Duration, bool)>,
    /// The longest a unit has run on two machines at once.
    longest_double: Duration,
    /// `(unit, machine)` → pid in the last sample.
    seen: BTreeMap<(String, String), i32>,
    /// `(when, unit, machine, pid)`: a process that ended.
    ended: Vec<(Duration, String, String, i32)>,
}

impl History {
    fn sample(&mut self, at: Duration, procs: &[Proc], names: &BTreeMap<String, String>) {
        self.samples += 1;
        self.seen_processes += procs.len() as u64;
        let name = |m: &str| names.get(m).cloned().unwrap_or_else(|| m.to_owned());
        let mut by_machine: BTreeMap<&str, Vec<&Proc>> = BTreeMap::new();
        let mut by_unit: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for p in procs {
            by_machine.entry(&p.machine).or_default().push(p);
            by_unit.entry(&p.unit).or_default().insert(&p.machine);
        }
        for (machine, ps) in &by_machine {
            for (i, a) in ps.iter().enumerate() {
                for b in &ps[i + 1..] {
                    let clash = if a.unit == b.unit {
                        "the same unit twice"
                    } else if instance(&a.unit) == instance(&b.unit) {
                        "conflicting units"
                    } else {
                        continue;
                    };
                    // Both still there after the scan: they ran together.
                    if alive(a.pid) && alive(b.pid) {
                        self.violations.push(format!(
                            "{at:.1?}: {clash} on {}: {} (pid {}) and {} (pid {})",
                            name(machine),
                            a.unit,
                            a.pid,
                            b.unit,
                            b.pid
                        ));
                    }
                }
            }
        }
        let limit = TTL + GRACE + SLACK;
        for (unit, machines) in &by_unit {
            if machines.len() < 2 {
                self.doubled.remove(*unit);
                continue;
            }
            let (since, reported) = self
                .doubled
                .entry((*unit).to_owned())
                .or_insert((at, false));
            self.longest_double = self.longest_double.max(at - *since);
            if !*reported && at - *since > limit {
                *reported = true;
                let on: Vec<String> = machines.iter().map(|m| name(m)).collect();
                self.violations.push(format!(
                    "{at:.1?}: {unit} has run on {on:?} since {since:.1?}, over lease TTL + grace + slack ({limit:?})"
                ));
            }
        }
        self.doubled.retain(|u, _| by_unit.contains_key(u.as_str()));
        let now: BTreeMap<(String, String), i32> = procs
            .iter()
            .map(|p| ((p.unit.clone(), p.machine.clone()), p.pid))
            .collect();
        for ((unit, machine), pid) in &self.seen {
            if now.get(&(unit.clone(), machine.clone())) != Some(pid) && !alive(*pid) {
                self.ended.push((at, unit.clone(), machine.clone(), *pid));
            }
        }
        self.seen = now;
    }
}

/// Sets the sampler's stop flag when dropped (also on a panic).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `flotta ARGS --etcd URLS`, killed after [`COMMAND`].
fn flotta(urls: &str, args: &[&str]) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(args)
        .args(["--etcd", urls])
        .env_remove("FLOTTA_ETCD_PREFIX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flotta");
    let start = Instant::now();
    while start.elapsed() < COMMAND {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().ok();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn unit_file(token: &str) -> String {
    format!(
        "[Unit]\nDescription=chaos test unit\n\n[Service]\n\
         Environment=CHAOS_UNIT=%n CHAOS_RUN={token}\n\
         ExecStart=/bin/sleep 100000\n\n[X-Fleet]\nConflicts=*@%i.service\n"
    )
}

/// What the driver last asked of a unit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asked {
    Nothing,
    Launched,
    Loaded,
}

#[derive(Default)]
struct Counts {
    stop: u32,
    kill: u32,
    etcd: u32,
    revoke: u32,
    driver: u32,
    driver_failed: u32,
    /// The first failed commands' errors, for the record.
    driver_errors: Vec<String>,
}

/// A fault on a machine's agent, `[from, to]`.
struct Fault {
    machine: usize,
    from: Duration,
    to: Duration,
}

fn call<T>(
    rt: &tokio::runtime::Runtime,
    f: impl std::future::Future<Output = flotta_registry::Result<T>>,
) -> Option<T> {
    rt.block_on(async { tokio::time::timeout(CALL, f).await })
        .ok()?
        .ok()
}

#[test]
fn faults_keep_conflicts_placement_and_running_units() {
    let began = Instant::now();
    let seed = env_number("FLOTTA_CHAOS_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let quick = std::env::var("CI").is_ok_and(|v| v == "true");
    let rounds = env_number("FLOTTA_CHAOS_ROUNDS").unwrap_or(if quick { 15 } else { 40 });
    println!("chaos: seed {seed}, {rounds} rounds (replay: FLOTTA_CHAOS_SEED={seed})");
    let mut rng = Rng::new(seed);
    let token = format!("{seed:x}-{}", std::process::id());
    let mut cluster = Cluster::start(token.clone());
    let urls = cluster.urls().join(",");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let registry = rt.block_on(async {
        Registry::new(
            EtcdBackend::connect(&EtcdOptions::new(cluster.urls()))
                .await
                .expect("connect"),
        )
    });
    let wait = |what: &str, limit: Duration, f: &mut dyn FnMut() -> bool| {
        let start = Instant::now();
        while !f() {
            assert!(start.elapsed() < limit, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait("three machines", Duration::from_secs(30), &mut || {
        (0..MACHINES).all(|i| cluster.machine_id(i).is_some())
            && call(&rt, registry.machines()).is_some_and(|m| m.items.len() == MACHINES)
    });
    let ids: Vec<String> = (0..MACHINES)
        .map(|i| cluster.machine_id(i).expect("machine id"))
        .collect();
    let names: BTreeMap<String, String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), format!("machine {} ({})", i + 1, &id[..8])))
        .collect();

    // The units: app.1 on each port stays untouched by the driver.
    let units_dir = cluster.root().join("units");
    std::fs::create_dir_all(&units_dir).expect("units dir");
    let all: Vec<String> = PORTS
        .iter()
        .flat_map(|p| (1..=INSTANCES).map(move |n| format!("app.{n}@{p}.service")))
        .collect();
    for unit in &all {
        std::fs::write(units_dir.join(unit), unit_file(&token)).expect("unit file");
    }
    let path = |unit: &str| units_dir.join(unit).display().to_string();
    let stayers: Vec<String> = PORTS.iter().map(|p| format!("app.1@{p}.service")).collect();
    let mut args = vec!["start", "--block-attempts", "240"];
    let stayer_paths: Vec<String> = stayers.iter().map(|u| path(u)).collect();
    args.extend(stayer_paths.iter().map(String::as_str));
    let out = flotta(&urls, &args).expect("flotta start in time");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait(
        "the first units' processes",
        Duration::from_secs(30),
        &mut || {
            let procs = scan(&token);
            stayers
                .iter()
                .all(|u| procs.iter().filter(|p| &p.unit == u).count() == 1)
        },
    );

    // The checker.
    let history = Arc::new(Mutex::new(History::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_sampler = StopOnDrop(stop.clone());
    let sampler = {
        let (history, stop, token, names) =
            (history.clone(), stop.clone(), token.clone(), names.clone());
        std::thread::spawn(move || {
            let mut next = Instant::now();
            for _ in 0..MAX_SAMPLES {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let procs = scan(&token);
                history
                    .lock()
                    .expect("history")
                    .sample(began.elapsed(), &procs, &names);
                next += SAMPLE_EVERY;
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
            }
        })
    };

    // The driver and the faults.
    let mut asked: BTreeMap<String, Asked> = all
        .iter()
        .map(|u| {
            let a = if stayers.contains(u) {
                Asked::Launched
            } else {
                Asked::Nothing
            };
            (u.clone(), a)
        })
        .collect();
    let mut touched: Vec<(Duration, String)> = Vec::new();
    let mut faults: Vec<Fault> = Vec::new();
    let mut counts = Counts::default();
    let movable: Vec<String> = all
        .iter()
        .filter(|u| !stayers.contains(u))
        .cloned()
        .collect();
    let mut drive = |rng: &mut Rng, counts: &mut Counts, touched: &mut Vec<(Duration, String)>| {
        let unit = movable[rng.below(movable.len())].clone();
        let state = asked[&unit];
        let (args, next): (Vec<String>, Asked) = match (state, rng.below(2)) {
            (Asked::Nothing | Asked::Loaded, 0) | (Asked::Nothing, _) => (
                vec!["start".into(), "--no-block".into(), path(&unit)],
                Asked::Launched,
            ),
            (Asked::Launched, 0) => (
                vec!["stop".into(), "--no-block".into(), unit.clone()],
                Asked::Loaded,
            ),
            _ => (vec!["destroy".into(), unit.clone()], Asked::Nothing),
        };
        touched.push((began.elapsed(), unit.clone()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        counts.driver += 1;
        match flotta(&urls, &args) {
            Some(out) if out.status.success() => {
                asked.insert(unit.clone(), next);
            }
            failed => {
                counts.driver_failed += 1;
                if counts.driver_errors.len() < 3 {
                    let why = failed.map_or("timed out".into(), |out| {
                        String::from_utf8_lossy(&out.stderr).trim().to_owned()
                    });
                    counts.driver_errors.push(format!("flotta {args:?}: {why}"));
                }
            }
        }
        touched.push((began.elapsed(), unit));
    };
    let leader = |rt: &tokio::runtime::Runtime| {
        call(rt, registry.leader(flotta_engine::ELECTION))
            .flatten()
            .and_then(|(id, _)| ids.iter().position(|m| *m == id))
    };
    for _ in 0..rounds {
        drive(&mut rng, &mut counts, &mut touched);
        let mut i = rng.below(MACHINES);
        if rng.below(2) == 0
            && let Some(l) = leader(&rt)
        {
            i = l;
        }
        let from = began.elapsed();
        match rng.below(4) {
            0 => {
                counts.stop += 1;
                cluster.signal(i, Signal::SIGSTOP);
                let outage = rng.between(Duration::from_millis(300), LONGEST_OUTAGE);
                std::thread::sleep(outage / 2);
                drive(&mut rng, &mut counts, &mut touched);
                std::thread::sleep(outage.saturating_sub(began.elapsed() - from));
                cluster.signal(i, Signal::SIGCONT);
                faults.push(Fault {
                    machine: i,
                    from,
                    to: began.elapsed(),
                });
            }
            1 => {
                counts.kill += 1;
                cluster.kill_agent(i);
                let outage = rng.between(Duration::from_millis(200), LONGEST_OUTAGE);
                drive(&mut rng, &mut counts, &mut touched);
                std::thread::sleep(outage.saturating_sub(began.elapsed() - from));
                cluster.boot(i);
                faults.push(Fault {
                    machine: i,
                    from,
                    // It runs again once it has registered.
                    to: began.elapsed() + TTL,
                });
            }
            2 => {
                counts.etcd += 1;
                let m = rng.below(MACHINES);
                cluster.members[m].kill();
                std::thread::sleep(rng.between(Duration::from_millis(300), LONGEST_OUTAGE));
                drive(&mut rng, &mut counts, &mut touched);
                cluster.members[m].restart().expect("etcd member back");
            }
            _ => {
                counts.revoke += 1;
                let key = format!("/flotta/v1/machines/{}", ids[i]);
                if let Some(lease) =
                    call(&rt, registry.backend().get(&key)).and_then(|kv| kv?.lease)
                {
                    let _ = call(&rt, registry.revoke(lease));
                }
                drive(&mut rng, &mut counts, &mut touched);
                faults.push(Fault {
                    machine: i,
                    from,
                    // The agent notices within a third of the TTL, and registers again.
                    to: began.elapsed() + TTL,
                });
            }
        }
        std::thread::sleep(rng.between(Duration::from_millis(300), Duration::from_millis(1200)));
    }

    // Settle: every launched unit runs once on its machine, or is
    // explained; nothing else runs.
    let settle_from = Instant::now();
    let mut problems = Vec::new();
    let mut calm = 0;
    while settle_from.elapsed() < SETTLE {
        std::thread::sleep(Duration::from_millis(500));
        problems = settled(&rt, &registry, &token, &names);
        calm = if problems.is_empty() { calm + 1 } else { 0 };
        if calm >= 3 {
            break;
        }
    }
    stop.store(true, Ordering::SeqCst);
    sampler.join().expect("sampler");
    let mut history = std::mem::take(&mut *history.lock().expect("history"));
    if calm < 3 {
        history.violations.push(format!(
            "not settled {SETTLE:?} after the faults stopped: {problems:?}"
        ));
    }
    // A unit's process ended: the driver touched the unit shortly before,
    // or its machine had a fault; else it was stopped wrongly.
    let window = TTL + GRACE + SLACK;
    for (at, unit, machine, pid) in &history.ended {
        let driven = touched
            .iter()
            .any(|(t, u)| u == unit && *t <= *at && *at - *t <= Duration::from_secs(15));
        let faulted = ids.iter().position(|m| m == machine).is_some_and(|i| {
            faults
                .iter()
                .any(|f| f.machine == i && f.from <= *at && *at <= f.to + window)
        });
        if !driven && !faulted {
            history.violations.push(format!(
                "{at:.1?}: {unit} (pid {pid}) stopped on {}, which had no fault, and the driver had not touched it",
                names.get(machine).unwrap_or(machine)
            ));
        }
    }

    println!(
        "chaos: rounds={rounds} faults: sigstop={} sigkill={} etcd-member={} lease-revoke={} \
         driver-actions={} (failed {}) samples={} (unit processes seen {}) ended={} \
         longest-on-two-machines={:.1?} violations={} seed={seed} duration={:.1?}",
        counts.stop,
        counts.kill,
        counts.etcd,
        counts.revoke,
        counts.driver,
        counts.driver_failed,
        history.samples,
        history.seen_processes,
        history.ended.len(),
        history.longest_double,
        history.violations.len(),
        began.elapsed()
    );
    for e in &counts.driver_errors {
        println!("chaos: a driver command failed (allowed during faults): {e}");
    }
    assert!(
        history.violations.is_empty(),
        "{} violations (seed {seed}):\n{}",
        history.violations.len(),
        history.violations.join("\n")
    );
    drop(cluster);
}

/// What keeps the cluster from being settled (empty: settled).
fn settled(
    rt: &tokio::runtime::Runtime,
    registry: &Registry<EtcdBackend>,
    token: &str,
    names: &BTreeMap<String, String>,
) -> Vec<String> {
    let (Some(units), Some(assignments), Some(decisions)) = (
        call(rt, registry.all_units()),
        call(rt, registry.assignments()),
        call(rt, registry.decisions()),
    ) else {
        return vec!["the registry does not answer".into()];
    };
    let name = |m: &str| names.get(m).cloned().unwrap_or_else(|| m.to_owned());
    let mut running: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in scan(token) {
        running.entry(p.unit).or_default().insert(p.machine);
    }
    let assigned: BTreeMap<&str, &str> = assignments
        .items
        .iter()
        .map(|a| (a.unit.as_str(), a.machine.as_str()))
        .collect();
    let explained: BTreeSet<&str> = decisions
        .items
        .iter()
        .filter(|d| !d.summary.is_empty())
        .map(|d| d.unit.as_str())
        .collect();
    let mut problems = Vec::new();
    for unit in &units.items {
        let on = running.remove(&unit.name).unwrap_or_default();
        let on_names: Vec<String> = on.iter().map(|m| name(m)).collect();
        match unit.target_state {
            TargetState::Launched => match (on.len(), assigned.get(unit.name.as_str())) {
                (1, Some(m)) if on.contains(*m) => {}
                (0, None) if explained.contains(unit.name.as_str()) => {}
                (_, at) => problems.push(format!(
                    "{} launched, assigned to {:?}, running on {on_names:?}",
                    unit.name,
                    at.map(|m| name(m))
                )),
            },
            _ if on.is_empty() => {}
            _ => problems.push(format!(
                "{} not launched but running on {on_names:?}",
                unit.name
            )),
        }
    }
    for (unit, on) in running {
        let on: Vec<String> = on.iter().map(|m| name(m)).collect();
        problems.push(format!("{unit} destroyed but running on {on:?}"));
    }
    problems
}

/// The checker itself: two live processes of conflicting units on one
/// machine are a violation, on two machines they are not; a unit on two
/// machines past the limit is one.
#[test]
fn the_checker_sees_conflicts_and_doubles() {
    let mut a = Command::new("sleep").arg("30").spawn().expect("sleep");
    let mut b = Command::new("sleep").arg("30").spawn().expect("sleep");
    let pid = |c: &Child| i32::try_from(c.id()).expect("pid");
    let p = |c: &Child, unit: &str, machine: &str| Proc {
        pid: pid(c),
        unit: unit.into(),
        machine: machine.into(),
    };
    let names = BTreeMap::new();
    let mut h = History::default();
    h.sample(
        Duration::ZERO,
        &[
            p(&a, "app.1@1.service", "m1"),
            p(&b, "app.2@1.service", "m2"),
        ],
        &names,
    );
    assert!(h.violations.is_empty(), "{:?}", h.violations);
    h.sample(
        Duration::from_secs(1),
        &[
            p(&a, "app.1@1.service", "m1"),
            p(&b, "app.2@1.service", "m1"),
        ],
        &names,
    );
    assert_eq!(h.violations.len(), 1, "{:?}", h.violations);
    assert!(h.violations[0].contains("conflicting units"));
    let twice = [
        p(&a, "app.1@1.service", "m1"),
        p(&b, "app.1@1.service", "m2"),
    ];
    h.sample(Duration::from_secs(2), &twice, &names);
    h.sample(Duration::from_secs(3), &twice, &names);
    assert_eq!(
        h.violations.len(),
        1,
        "within the limit: {:?}",
        h.violations
    );
    h.sample(
        Duration::from_secs(2) + TTL + GRACE + SLACK + Duration::from_secs(1),
        &twice,
        &names,
    );
    assert_eq!(h.violations.len(), 2, "{:?}", h.violations);
    let _ = a.kill();
    let _ = a.wait();
    h.sample(
        Duration::from_secs(20),
        &[p(&b, "app.1@1.service", "m2")],
        &names,
    );
    let ended: Vec<i32> = h.ended.iter().map(|e| e.3).collect();
    assert_eq!(ended, [pid(&a)], "only a's process ended: {:?}", h.ended);
    let _ = b.kill();
    let _ = b.wait();
}
