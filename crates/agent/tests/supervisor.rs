//! The supervisor with real processes: every test runs shell commands and
//! checks states, the journal and /proc.

use std::path::Path;
use std::time::Duration;

use flotta_agent::journal::{Journal, Stream};
use flotta_agent::supervisor::{ActiveState, SubState, Supervisor, UnitHandle, UnitStatus};
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::ServiceConfig;
use flotta_unit_spec::specifier::SpecifierContext;
use flotta_unit_spec::syntax::UnitFile;

const LIMIT: Duration = Duration::from_secs(20);

fn config(name: &str, text: &str) -> ServiceConfig {
    let file = UnitFile::parse(text).expect("unit parses");
    let name = UnitName::parse(name).expect("name");
    ServiceConfig::from_unit(&file, &SpecifierContext::for_unit(&name)).expect("typed")
}

fn supervisor(dir: &Path) -> Supervisor {
    Supervisor::new(
        Journal::open(dir.join("journal"), 4 << 20).expect("journal"),
        dir.join("run"),
        vec![("FLOTTA_MACHINE_ID".into(), "m1".into())],
    )
}

fn supervise(sup: &Supervisor, unit: &str, config: ServiceConfig) -> UnitHandle {
    sup.supervise(unit, config).expect("a valid unit name")
}

async fn until(u: &UnitHandle, what: &str, f: impl Fn(&UnitStatus) -> bool) -> UnitStatus {
    u.wait_until(LIMIT, f)
        .await
        .unwrap_or_else(|| panic!("timed out waiting for {what}: {:?}", u.status()))
}

/// Waits until the unit's journal has a line `text`.
async fn wait_line(sup: &Supervisor, unit: &str, text: &str) {
    let start = std::time::Instant::now();
    while !sup
        .journal()
        .read(unit, None, None)
        .expect("journal")
        .iter()
        .any(|e| e.text == text)
    {
        assert!(start.elapsed() < LIMIT, "{unit} never logged {text:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn running(s: &UnitStatus) -> bool {
    s.active == ActiveState::Active && s.sub == SubState::Running
}

fn pid_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

#[tokio::test]
async fn simple_start_stop_and_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "hello.service",
        config(
            "hello.service",
            "[Service]\nEnvironment=GREETING=Grüße\nExecStart=/bin/sh -c 'echo \"$GREETING from $FLOTTA_MACHINE_ID\"; echo oops >&2; exec sleep 60'\n",
        ),
    );
    u.start();
    let s = until(&u, "running", running).await;
    let pid = s.main_pid.expect("main pid");
    assert!(pid_alive(pid));
    wait_line(&sup, "hello.service", "oops").await;
    wait_line(&sup, "hello.service", "Grüße from m1").await;
    u.stop();
    let s = until(&u, "dead", |s| {
        s.active == ActiveState::Inactive && s.sub == SubState::Dead
    })
    .await;
    assert_eq!(s.main_pid, None);
    assert!(!pid_alive(pid), "the main process is gone");
    let log = sup
        .journal()
        .read("hello.service", None, None)
        .expect("journal");
    assert!(
        log.iter()
            .any(|e| e.stream == Stream::Stdout && e.text == "Grüße from m1"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|e| e.stream == Stream::Stderr && e.text == "oops")
    );
}

#[tokio::test]
async fn a_failing_start_pre_fails_the_unit_and_still_runs_stop_post() {
    let dir = tempfile::tempdir().expect("tmp");
    let marker = dir.path().join("stop-post-ran");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nExecStartPre=-/bin/false\nExecStartPre=/bin/sh -c 'exit 3'\nExecStart=/bin/sleep 60\nExecStopPost=/usr/bin/touch {}\n",
        marker.display()
    );
    let u = supervise(&sup, "pre.service", config("pre.service", &text));
    u.start();
    let s = until(&u, "failed", |s| s.active == ActiveState::Failed).await;
    assert_eq!(
        (s.sub, s.result.as_str(), s.exit_code),
        (SubState::Failed, "exit-code", Some(3))
    );
    assert!(marker.exists(), "ExecStopPost ran after the failure");
}

#[tokio::test]
async fn sigterm_ignored_means_sigkill_after_the_stop_timeout() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "stubborn.service",
        config(
            "stubborn.service",
            "[Service]\nExecStart=/bin/sh -c 'trap \"\" TERM; echo trapped; while :; do sleep 0.05; done'\nTimeoutStopSec=300ms\n",
        ),
    );
    u.start();
    until(&u, "running", running).await;
    // Stop only once the shell ignores SIGTERM.
    wait_line(&sup, "stubborn.service", "trapped").await;
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    let log = sup
        .journal()
        .read("stubborn.service", None, None)
        .expect("journal");
    assert!(
        log.iter()
            .any(|e| e.text.contains("deactivating/stop-sigkill")),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_forked_grandchild_is_killed_on_stop() {
    let dir = tempfile::tempdir().expect("tmp");
    let pidfile = dir.path().join("grandchild.pid");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nExecStart=/bin/sh -c 'sh -c \"sleep 600 & echo \\$! > {}; wait\" & wait'\n",
        pidfile.display()
    );
    let u = supervise(&sup, "tree.service", config("tree.service", &text));
    u.start();
    until(&u, "running", running).await;
    let grandchild = pid_from(&sup, "tree.service", &pidfile).await;
    assert!(pid_alive(grandchild));
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    assert!(!pid_alive(grandchild), "no orphan left behind");
}

/// Reads a pid the unit wrote to `path`.
async fn pid_from(sup: &Supervisor, unit: &str, path: &Path) -> u32 {
    let start = std::time::Instant::now();
    loop {
        if let Ok(t) = std::fs::read_to_string(path)
            && let Ok(p) = t.trim().parse()
        {
            return p;
        }
        let log = sup.journal().read(unit, None, None).expect("journal");
        assert!(start.elapsed() < LIMIT, "no pid file; journal: {log:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A daemon that left the process group (`setsid`) is still the unit's:
/// its cgroup holds it, and stop kills it.
#[tokio::test]
async fn a_daemon_that_called_setsid_is_killed_on_stop() {
    let dir = tempfile::tempdir().expect("tmp");
    let pidfile = dir.path().join("daemon.pid");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nExecStart=/bin/sh -c 'setsid sleep 600 & echo $! > {}; wait'\n",
        pidfile.display()
    );
    let u = supervise(&sup, "escape.service", config("escape.service", &text));
    u.start();
    until(&u, "running", running).await;
    let daemon = pid_from(&sup, "escape.service", &pidfile).await;
    // setsid has run once the daemon leads its own session.
    let start = std::time::Instant::now();
    while std::fs::read_to_string(format!("/proc/{daemon}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit(')')
                .next()?
                .split_whitespace()
                .nth(3)
                .map(str::to_owned)
        })
        != Some(daemon.to_string())
    {
        assert!(
            start.elapsed() < LIMIT,
            "{daemon} never became a session leader"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cgroup = std::fs::read_to_string(format!("/proc/{daemon}/cgroup")).expect("cgroup");
    assert!(
        cgroup
            .lines()
            .any(|l| l.starts_with("0::") && l.ends_with("/escape.service")),
        "the unit runs in its own cgroup v2 (this host's is writable): {cgroup}"
    );
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    assert!(!pid_alive(daemon), "no orphan left behind");
}

#[tokio::test]
async fn restart_on_failure_respects_the_start_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "flaky.service",
        config(
            "flaky.service",
            "[Unit]\nStartLimitIntervalSec=30\nStartLimitBurst=3\n[Service]\nExecStart=/bin/sh -c 'exit 7'\nRestart=on-failure\nRestartSec=50ms\n",
        ),
    );
    u.start();
    let s = until(&u, "the start limit", |s| s.result == "start-limit-hit").await;
    assert_eq!((s.active, s.starts), (ActiveState::Failed, 3));
    assert_eq!(s.exit_code, Some(7));
}

#[tokio::test]
async fn oneshot_runs_to_completion() {
    let dir = tempfile::tempdir().expect("tmp");
    let marker = dir.path().join("post");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nType=oneshot\nExecStart=/bin/echo one\nExecStart=/bin/echo two\nExecStartPost=/usr/bin/touch {}\n",
        marker.display()
    );
    let u = supervise(&sup, "once.service", config("once.service", &text));
    u.start();
    let s = until(&u, "done", |s| {
        s.starts == 1 && s.sub == SubState::Dead && s.active == ActiveState::Inactive
    })
    .await;
    assert_eq!(s.result, "success");
    assert!(marker.exists());
    let out: Vec<String> = sup
        .journal()
        .read("once.service", None, None)
        .expect("journal")
        .into_iter()
        .filter(|e| e.stream == Stream::Stdout)
        .map(|e| e.text)
        .collect();
    assert_eq!(out, ["one", "two"]);
}

#[tokio::test]
async fn notify_waits_for_ready() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let script = "import os, socket, time\n\
time.sleep(0.3)\n\
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n\
s.sendto(b'READY=1', os.environ['NOTIFY_SOCKET'])\n\
time.sleep(60)\n";
    let path = dir.path().join("notify.py");
    std::fs::write(&path, script).expect("script");
    let text = format!(
        "[Service]\nType=notify\nExecStart=/usr/bin/env python3 {}\n",
        path.display()
    );
    let u = supervise(&sup, "ready.service", config("ready.service", &text));
    u.start();
    until(&u, "activating", |s| s.sub == SubState::Start).await;
    until(&u, "running after READY=1", running).await;
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
}

#[tokio::test]
async fn forking_tracks_the_daemon() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "daemon.service",
        config(
            "daemon.service",
            "[Service]\nType=forking\nExecStart=/bin/sh -c 'sleep 600 & exit 0'\n",
        ),
    );
    u.start();
    let s = until(&u, "running", running).await;
    let daemon = s.main_pid.expect("daemon pid");
    assert!(pid_alive(daemon));
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    assert!(!pid_alive(daemon));
}

#[tokio::test]
async fn a_missing_binary_fails_with_the_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "missing.service",
        config(
            "missing.service",
            "[Service]\nExecStart=/nonexistent/app --serve\nUser=no-such-user-here\n",
        ),
    );
    u.start();
    let s = until(&u, "failed", |s| s.active == ActiveState::Failed).await;
    assert_eq!(s.result, "resources");
    let log = sup
        .journal()
        .read("missing.service", None, None)
        .expect("journal");
    assert!(
        log.iter()
            .any(|e| e.text.contains("User=no-such-user-here does not exist")),
        "{log:?}"
    );
}

#[tokio::test]
async fn long_and_unicode_lines_survive_the_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "loud.service",
        config(
            "loud.service",
            "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'head -c 1048576 /dev/zero | tr \"\\\\0\" x; echo; echo \"ünï ✓ 日本\"'\n",
        ),
    );
    u.start();
    until(&u, "done", |s| s.starts == 1 && s.sub == SubState::Dead).await;
    // Output is read by separate tasks: wait for the last line.
    let start = std::time::Instant::now();
    let log = loop {
        let log = sup
            .journal()
            .read("loud.service", None, None)
            .expect("journal");
        if log.iter().any(|e| e.text == "ünï ✓ 日本") {
            break log;
        }
        assert!(start.elapsed() < LIMIT, "the last line never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        log.iter()
            .any(|e| e.text.len() == 1 << 20 && e.text.bytes().all(|b| b == b'x'))
    );
    let last = sup
        .journal()
        .read("loud.service", Some(1), None)
        .expect("tail");
    assert_eq!(last.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_units_leave_no_process_or_fd_behind() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let fds = || {
        std::fs::read_dir("/proc/self/fd")
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let before = fds();
    let units: Vec<UnitHandle> = (0..200)
        .map(|i| {
            let name = format!("u{i}.service");
            supervise(
                &sup,
                &name,
                config(&name, "[Service]\nExecStart=/bin/sleep 600\n"),
            )
        })
        .collect();
    for u in &units {
        u.start();
    }
    let mut pids = Vec::new();
    for u in &units {
        pids.push(until(u, "running", running).await.main_pid.expect("pid"));
    }
    for u in &units {
        u.stop();
    }
    for u in &units {
        until(u, "dead", |s| s.sub == SubState::Dead).await;
    }
    assert!(pids.iter().all(|&p| !pid_alive(p)), "every process stopped");
    // Pipe readers finish shortly after their processes.
    let mut after = fds();
    for _ in 0..100 {
        if after <= before + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        after = fds();
    }
    assert!(after <= before + 2, "fds before {before}, after {after}");
}

/// The agent "dies" (its runtime is torn down without stopping anything),
/// and a new one on the same state dir adopts the unit: same pid, output
/// still journaled, stop still works. A unit that died meanwhile is handled
/// per `Restart=`.
#[test]
fn a_restarted_agent_adopts_running_units() {
    let dir = tempfile::tempdir().expect("tmp");
    let ticking = "[Service]\nExecStart=/bin/sh -c 'while :; do echo tick; sleep 0.05; done'\n";
    let always = "[Service]\nExecStart=/bin/sleep 600\nRestart=always\nRestartSec=10ms\n";
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (pid, doomed) = rt.block_on(async {
        let sup = supervisor(dir.path());
        let u = supervise(&sup, "app.service", config("app.service", ticking));
        let v = supervise(&sup, "doomed.service", config("doomed.service", always));
        u.start();
        v.start();
        let pid = until(&u, "running", running).await.main_pid.expect("pid");
        let doomed = until(&v, "running", running).await.main_pid.expect("pid");
        (pid, doomed)
    });
    rt.shutdown_background();
    assert!(pid_alive(pid), "the unit outlives its agent");
    // While no agent runs, one unit dies.
    let _ = std::process::Command::new("kill")
        .args(["-9", &doomed.to_string()])
        .status();

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let sup = supervisor(dir.path());
        let u = supervise(&sup, "app.service", config("app.service", ticking));
        let v = supervise(&sup, "doomed.service", config("doomed.service", always));
        let s = until(&u, "adopted", running).await;
        assert_eq!(s.main_pid, Some(pid), "adopted, not restarted");
        assert_eq!(s.starts, 1);
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_micros() as u64;
        let start = std::time::Instant::now();
        while !sup
            .journal()
            .read("app.service", None, Some(since))
            .expect("journal")
            .iter()
            .any(|e| e.text == "tick")
        {
            if start.elapsed() > LIMIT {
                let files: Vec<String> = std::fs::read_dir(dir.path().join("run"))
                    .expect("run dir")
                    .flatten()
                    .map(|e| format!("{:?} {:?}", e.file_name(), e.metadata().map(|m| m.len())))
                    .collect();
                let log = sup
                    .journal()
                    .read("app.service", Some(5), None)
                    .expect("journal");
                panic!("output after adoption never reached the journal: {files:?} {log:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let r = until(&v, "restarted", |s| {
            running(s) && s.main_pid.is_some() && s.main_pid != Some(doomed)
        })
        .await;
        assert!(
            r.starts >= 2,
            "the dead unit was started again per Restart=always: {r:?}"
        );
        u.stop();
        v.stop();
        until(&u, "dead", |s| s.sub == SubState::Dead).await;
        until(&v, "dead", |s| s.sub == SubState::Dead).await;
        assert!(!pid_alive(pid), "an adopted unit still stops");
    });
}

#[tokio::test]
async fn environment_files_working_directory_and_success_status() {
    let dir = tempfile::tempdir().expect("tmp");
    let env_file = dir.path().join("env");
    std::fs::write(&env_file, "# comment\nFROM_FILE=yes\nQUOTED=\"a b\"\n").expect("env");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("mkdir");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nType=oneshot\nEnvironmentFile={}\nEnvironmentFile=-/nonexistent/env\nWorkingDirectory={}\n\
         SuccessExitStatus=42\nExecStart=/bin/sh -c 'echo \"$FROM_FILE $QUOTED $(pwd)\"; exit 42'\n",
        env_file.display(),
        work.display()
    );
    let u = supervise(&sup, "env.service", config("env.service", &text));
    u.start();
    let s = until(&u, "done", |s| s.starts == 1 && s.sub == SubState::Dead).await;
    assert_eq!(s.result, "success", "42 counts as success");
    wait_line(&sup, "env.service", &format!("yes a b {}", work.display())).await;

    let missing = "[Service]\nEnvironmentFile=/nonexistent/env\nExecStart=/bin/true\n";
    let u = supervise(&sup, "noenv.service", config("noenv.service", missing));
    u.start();
    let s = until(&u, "failed", |s| s.active == ActiveState::Failed).await;
    assert_eq!(s.result, "resources");
}

#[tokio::test]
async fn a_slow_start_pre_times_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "slow.service",
        config(
            "slow.service",
            "[Service]\nTimeoutStartSec=200ms\nExecStartPre=/bin/sleep 30\nExecStart=/bin/sleep 30\n",
        ),
    );
    u.start();
    let s = until(&u, "failed", |s| s.active == ActiveState::Failed).await;
    assert_eq!(s.result, "timeout");
}

#[tokio::test]
async fn reload_runs_exec_reload_with_mainpid() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "reload.service",
        config(
            "reload.service",
            "[Service]\nExecStart=/bin/sleep 60\nExecReload=/bin/sh -c 'echo reloading $MAINPID'\n",
        ),
    );
    u.start();
    let pid = until(&u, "running", running).await.main_pid.expect("pid");
    u.reload();
    wait_line(&sup, "reload.service", &format!("reloading {pid}")).await;
    let s = until(&u, "running again", running).await;
    assert_eq!(s.main_pid, Some(pid), "a reload keeps the process");
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
}

#[tokio::test]
async fn kill_mode_process_leaves_the_rest_to_the_main_process() {
    let dir = tempfile::tempdir().expect("tmp");
    let pidfile = dir.path().join("helper.pid");
    let sup = supervisor(dir.path());
    // The main process forwards nothing: with KillMode=process only it gets
    // SIGTERM, and the helper it started is left to finish on its own.
    let text = format!(
        "[Service]\nKillMode=process\nExecStart=/bin/sh -c 'sleep 600 & echo $! > {}; echo started; wait'\n",
        pidfile.display()
    );
    let u = supervise(&sup, "km.service", config("km.service", &text));
    u.start();
    until(&u, "running", running).await;
    wait_line(&sup, "km.service", "started").await;
    let helper: u32 = std::fs::read_to_string(&pidfile)
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid");
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    assert!(
        pid_alive(helper),
        "KillMode=process spares the other processes"
    );
    let _ = std::process::Command::new("kill")
        .args(["-9", &helper.to_string()])
        .status();
}

/// With one start at a time, a unit waits (inactive) until the one before
/// it settles, and a stop while it waits cancels its start.
#[tokio::test]
async fn starts_queue_behind_the_limit_and_a_stop_cancels_a_queued_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let go = dir.path().join("go");
    let sup = supervisor(dir.path()).with_max_starting(1);
    let first = supervise(
        &sup,
        "first.service",
        config(
            "first.service",
            &format!(
                "[Service]\nTimeoutStartSec=20\nExecStartPre=/bin/sh -c 'while [ ! -e {} ]; do sleep 0.05; done'\nExecStart=/bin/sleep 60\n",
                go.display()
            ),
        ),
    );
    let second = supervise(
        &sup,
        "second.service",
        config("second.service", "[Service]\nExecStart=/bin/sleep 60\n"),
    );
    let cancelled = supervise(
        &sup,
        "cancelled.service",
        config("cancelled.service", "[Service]\nExecStart=/bin/sleep 60\n"),
    );
    first.start();
    until(&first, "first in ExecStartPre", |s| {
        s.sub == SubState::StartPre
    })
    .await;
    second.start();
    cancelled.start();
    cancelled.stop();
    std::fs::write(&go, "").expect("go");
    let first_running = until(&first, "first running", running).await;
    let second_running = until(&second, "second running", running).await;
    assert!(
        second_running.since_us >= first_running.since_us,
        "second ran before first settled"
    );
    let c = cancelled.status();
    assert_eq!((c.active, c.starts), (ActiveState::Inactive, 0), "{c:?}");
    for u in [&first, &second] {
        u.stop();
        until(u, "stopped", |s| s.active == ActiveState::Inactive).await;
    }
}

/// Writes an executable shell script into `dir`.
fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("script");
    path
}

/// The stdout lines of a unit's journal, once there is one.
async fn stdout_of(sup: &Supervisor, unit: &str) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let log = sup.journal().read(unit, None, None).expect("journal");
        let out: Vec<String> = log
            .iter()
            .filter(|e| e.stream == Stream::Stdout)
            .map(|e| e.text.clone())
            .collect();
        if !out.is_empty() {
            return out;
        }
        assert!(
            start.elapsed() < LIMIT,
            "{unit} wrote nothing; journal: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// systemd.exec: "Settings from these files override settings made with
/// Environment=", and a later file wins over an earlier one.
#[tokio::test]
async fn environment_files_override_environment() {
    let dir = tempfile::tempdir().expect("tmp");
    let (first, second) = (dir.path().join("first.env"), dir.path().join("second.env"));
    std::fs::write(&first, "FROM=first-file\nONLY_FIRST=1\n").expect("env");
    std::fs::write(&second, "FROM=second-file\n").expect("env");
    let show = script(dir.path(), "show.sh", "echo \"$FROM $ONLY_FIRST $KEPT\"");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nType=oneshot\nEnvironment=FROM=environment KEPT=env\nEnvironmentFile={}\nEnvironmentFile={}\n\
         Environment=FROM=later-environment\nExecStart=/bin/sh {}\n",
        first.display(),
        second.display(),
        show.display()
    );
    let u = supervise(&sup, "envorder.service", config("envorder.service", &text));
    u.start();
    assert_eq!(
        stdout_of(&sup, "envorder.service").await,
        ["second-file 1 env"]
    );
    let s = until(&u, "done", |s| s.starts == 1 && s.sub == SubState::Dead).await;
    assert_eq!(s.result, "success", "{s:?}");
}

/// systemd.kill: with KillMode=mixed, SIGTERM goes to the main process only
/// and the rest of the unit gets SIGKILL once it is gone.
#[tokio::test]
async fn kill_mode_mixed_sigkills_the_rest_after_the_main_process() {
    let dir = tempfile::tempdir().expect("tmp");
    let (pidfile, got_term) = (dir.path().join("helper.pid"), dir.path().join("got-term"));
    let helper = script(
        dir.path(),
        "helper.sh",
        &format!(
            "trap 'echo term > {}' TERM\necho $$ > {}\nwhile :; do sleep 0.05; done",
            got_term.display(),
            pidfile.display()
        ),
    );
    let main = script(
        dir.path(),
        "main.sh",
        &format!("/bin/sh {} &\nexec sleep 600", helper.display()),
    );
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nKillMode=mixed\nExecStart=/bin/sh {}\n",
        main.display()
    );
    let u = supervise(&sup, "mixed.service", config("mixed.service", &text));
    u.start();
    until(&u, "running", running).await;
    let helper_pid = pid_from(&sup, "mixed.service", &pidfile).await;
    u.stop();
    let s = until(&u, "dead", |s| s.sub == SubState::Dead).await;
    let left = pid_alive(helper_pid);
    if left {
        let _ = std::process::Command::new("kill")
            .args(["-9", &helper_pid.to_string()])
            .status();
    }
    assert!(
        !left,
        "KillMode=mixed SIGKILLs the rest of the unit on stop"
    );
    assert!(!got_term.exists(), "only the main process gets SIGTERM");
    assert_eq!(s.result, "success", "{s:?}");
}

/// A passwd entry: (name, home, shell).
fn passwd(uid: u32) -> (String, String, String) {
    let u = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .expect("passwd")
        .unwrap_or_else(|| panic!("no user {uid} on this host"));
    let text = |p: std::path::PathBuf| p.to_string_lossy().into_owned();
    (u.name, text(u.dir), text(u.shell))
}

/// `User=`/`Group=` take numeric ids, and the unit gets `USER`, `LOGNAME`,
/// `HOME` and `SHELL` as systemd sets them (home `/` and nologin shells left
/// out); without `User=` only `USER`. Needs root, as the other tests do.
#[tokio::test]
async fn numeric_user_and_group_with_the_login_environment() {
    let dir = tempfile::tempdir().expect("tmp");
    let show = script(
        dir.path(),
        "who.sh",
        "echo \"$(id -u):$(id -g) ${USER-unset} ${LOGNAME-unset} ${HOME-unset} ${SHELL-unset}\"",
    );
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let sup = supervisor(dir.path());
    let run = |unit: &str, ids: &str| {
        let text = format!(
            "[Service]\nType=oneshot\n{ids}ExecStart=/bin/sh {}\n",
            show.display()
        );
        supervise(&sup, unit, config(unit, &text))
    };
    let (root, root_home, root_shell) = passwd(0);
    let (nobody, nobody_home, nobody_shell) = passwd(65534);
    let (uid, gid) = (
        nix::unistd::geteuid().as_raw(),
        nix::unistd::getegid().as_raw(),
    );
    let me = passwd(uid).0;
    let expected_nobody = format!(
        "65534:65534 {nobody} {nobody} {} {}",
        if nobody_home.trim_matches('/').is_empty() {
            "unset"
        } else {
            &nobody_home
        },
        if nobody_shell.ends_with("nologin") {
            "unset"
        } else {
            &nobody_shell
        }
    );
    for (unit, ids, expected) in [
        (
            "uid0.service",
            "User=0\nGroup=0\n",
            format!("0:0 {root} {root} {root_home} {root_shell}"),
        ),
        (
            "nobody.service",
            "User=65534\nGroup=65534\n",
            expected_nobody,
        ),
        (
            "nouser.service",
            "",
            format!("{uid}:{gid} {me} unset unset unset"),
        ),
    ] {
        let u = run(unit, ids);
        u.start();
        assert_eq!(stdout_of(&sup, unit).await, [expected], "{unit}");
        let s = until(&u, "done", |s| s.starts == 1 && s.sub == SubState::Dead).await;
        assert_eq!(s.result, "success", "{unit}: {s:?}");
    }
}

/// A forking daemon killed by a signal fails its unit as systemd reports it
/// (`failed`, result `signal`), and `Restart=on-failure` starts it again:
/// the agent is a subreaper, so the daemon's status reaches it.
#[tokio::test]
async fn a_crashed_forking_daemon_fails_and_restarts() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let daemon = "Type=forking\nExecStart=/bin/sh -c 'sleep 600 & exit 0'\n";
    let once = supervise(
        &sup,
        "crash.service",
        config("crash.service", &format!("[Service]\n{daemon}")),
    );
    let again = supervise(
        &sup,
        "again.service",
        config(
            "again.service",
            &format!("[Service]\nRestart=on-failure\nRestartSec=50ms\n{daemon}"),
        ),
    );
    once.start();
    again.start();
    let first = until(&once, "running", running)
        .await
        .main_pid
        .expect("pid");
    let second = until(&again, "running", running)
        .await
        .main_pid
        .expect("pid");
    for pid in [first, second] {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        )
        .expect("kill the daemon");
    }
    let ended = |s: &UnitStatus| matches!(s.active, ActiveState::Failed | ActiveState::Inactive);
    let s = until(&once, "ended", ended).await;
    assert_eq!(
        (s.active, s.sub, s.result.as_str(), s.exit_signal),
        (ActiveState::Failed, SubState::Failed, "signal", Some(9)),
        "{s:?}"
    );
    let s = until(&again, "restarted", |s| s.starts == 2 && running(s)).await;
    assert_ne!(s.main_pid, Some(second), "a new daemon runs");
    wait_line(&sup, "again.service", "main process was killed by signal 9").await;
    again.stop();
    until(&again, "dead", |s| s.sub == SubState::Dead).await;
}

/// `PIDFile=` names the main process of a forking unit, not the first
/// process left: killing it ends the unit (the rest goes too), and the file
/// is removed once the unit is dead.
#[tokio::test]
async fn pid_file_names_the_forking_main_process() {
    let dir = tempfile::tempdir().expect("tmp");
    let (pidfile, helper_file) = (dir.path().join("app.pid"), dir.path().join("helper.pid"));
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nType=forking\nPIDFile={}\nExecStart=/bin/sh -c 'sleep 600 & echo $! > {}; sleep 600 & echo $! > {}; exit 0'\n",
        pidfile.display(),
        helper_file.display(),
        pidfile.display()
    );
    let u = supervise(&sup, "pidfile.service", config("pidfile.service", &text));
    u.start();
    let s = until(&u, "running", running).await;
    let named = pid_from(&sup, "pidfile.service", &pidfile).await;
    let helper = pid_from(&sup, "pidfile.service", &helper_file).await;
    assert_eq!(
        s.main_pid,
        Some(named),
        "the main process is the one in PIDFile="
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(named as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill the daemon");
    let s = until(&u, "ended", |s| {
        matches!(s.active, ActiveState::Failed | ActiveState::Inactive)
    })
    .await;
    let helper_left = pid_alive(helper);
    if helper_left {
        let _ = std::process::Command::new("kill")
            .args(["-9", &helper.to_string()])
            .status();
    }
    assert_eq!(
        (s.active, s.result.as_str(), s.exit_signal),
        (ActiveState::Failed, "signal", Some(9)),
        "{s:?}"
    );
    assert!(
        !helper_left,
        "the rest of the unit goes with its main process"
    );
    assert!(
        !pidfile.exists(),
        "the PID file is removed once the unit is dead"
    );
}

/// The agent reaps its units' orphans, never a child someone else in the
/// process waits for, even one in a process group of its own.
#[tokio::test]
async fn the_reaper_leaves_other_children_alone() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let mut by_std = std::process::Command::new("/bin/sh")
        .args(["-c", "exit 7"])
        .process_group(0)
        .spawn()
        .expect("spawn");
    let mut by_tokio = tokio::process::Command::new("/bin/sh")
        .args(["-c", "exit 9"])
        .process_group(0)
        .spawn()
        .expect("spawn");
    let zombie = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit(')')
                .next()
                .is_some_and(|r| r.trim_start().starts_with('Z'))
        })
    };
    let start = std::time::Instant::now();
    while !(zombie(by_std.id()) && by_tokio.id().is_some_and(zombie)) {
        assert!(start.elapsed() < LIMIT, "the children never exited");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A unit orphan reaped meanwhile: the reaper has looked at every child.
    let u = supervise(
        &sup,
        "orphan.service",
        config(
            "orphan.service",
            "[Service]\nType=forking\nExecStart=/bin/sh -c 'sleep 600 & exit 0'\n",
        ),
    );
    u.start();
    let daemon = until(&u, "running", running).await.main_pid.expect("pid");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(daemon as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill the daemon");
    let s = until(&u, "failed", |s| s.active == ActiveState::Failed).await;
    assert_eq!(s.result, "signal", "{s:?}");
    assert_eq!(by_std.wait().expect("std wait").code(), Some(7));
    assert_eq!(by_tokio.wait().await.expect("tokio wait").code(), Some(9));
}

/// systemd: with RemainAfterExit=yes a unit whose main process exited
/// cleanly stays active (exited), whatever its type, and what the main
/// process left keeps running until the stop.
#[tokio::test]
async fn remain_after_exit_keeps_a_simple_unit_active() {
    let dir = tempfile::tempdir().expect("tmp");
    let pidfile = dir.path().join("helper.pid");
    let sup = supervisor(dir.path());
    let text = format!(
        "[Service]\nRemainAfterExit=yes\nExecStart=/bin/sh -c 'sleep 600 & echo $! > {}'\nExecStop=/bin/echo stopping\n",
        pidfile.display()
    );
    let u = supervise(&sup, "remain.service", config("remain.service", &text));
    u.start();
    let helper = pid_from(&sup, "remain.service", &pidfile).await;
    // Started by now: Dead is where the main process's exit led.
    let s = until(&u, "exited", |s| {
        matches!(s.sub, SubState::Exited | SubState::Dead | SubState::Failed)
    })
    .await;
    let left = pid_alive(helper);
    assert_eq!(
        (s.active, s.sub, s.result.as_str()),
        (ActiveState::Active, SubState::Exited, "success"),
        "{s:?}"
    );
    assert!(left, "what the main process left keeps running");
    u.stop();
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    wait_line(&sup, "remain.service", "stopping").await;
    assert!(!pid_alive(helper), "the stop ends the rest");
}

/// The agent is a subreaper: what a unit's main process leaves behind
/// becomes the agent's child, and the agent reaps it once the unit's end
/// kills it, rather than piling up zombies.
#[tokio::test]
async fn a_units_orphans_leave_no_zombie() {
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path());
    let u = supervise(
        &sup,
        "orphans.service",
        config(
            "orphans.service",
            "[Service]\nExecStart=/bin/sh -c 'sleep 600 & sleep 600 & sleep 1'\n",
        ),
    );
    u.start();
    let pgid = until(&u, "running", running).await.main_pid.expect("pid");
    // The main process exits; the sleeps it left are killed with the unit.
    until(&u, "dead", |s| s.sub == SubState::Dead).await;
    // This process's zombie children from the unit's process group.
    let zombies = || -> Vec<u32> {
        let me = std::process::id();
        std::fs::read_dir("/proc")
            .expect("/proc")
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
                    let f: Vec<&str> = s
                        .rsplit(')')
                        .next()
                        .unwrap_or("")
                        .split_whitespace()
                        .collect();
                    f.first() == Some(&"Z")
                        && f.get(1) == Some(&me.to_string().as_str())
                        && f.get(2) == Some(&pgid.to_string().as_str())
                })
            })
            .collect()
    };
    let start = std::time::Instant::now();
    while !zombies().is_empty() {
        assert!(start.elapsed() < LIMIT, "zombies left: {:?}", zombies());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn names_that_are_not_unit_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sup = supervisor(dir.path());
    for bad in ["../escaped.service", "a/b.service", "..", "a\0.service"] {
        let got = sup.supervise(bad, ServiceConfig::default());
        assert!(
            matches!(got, Err(flotta_agent::AgentError::UnitName(_))),
            "{bad:?}"
        );
    }
    assert!(!dir.path().join("escaped.service.stdout").exists());
}

/// A chatty unit's raw output files stay under the cap: the tail truncates
/// them once it has read past it, and the journal still gets the lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_output_files_stay_under_the_cap() {
    const CAP: u64 = 1 << 20;
    let dir = tempfile::tempdir().expect("tmp");
    let sup = supervisor(dir.path()).with_output_cap(CAP);
    // 20 MiB in 1000-byte lines, then a last line, then it stays up.
    let u = supervise(
        &sup,
        "chatty.service",
        config(
            "chatty.service",
            "[Service]\nExecStart=/bin/sh -c 'head -c 20971520 /dev/zero | tr \"\\\\0\" x | fold -w 1000; echo; echo the-end; exec sleep 600'\n",
        ),
    );
    u.start();
    wait_line(&sup, "chatty.service", "the-end").await;
    let stdout = dir.path().join("run").join("chatty.service.stdout");
    let len = std::fs::metadata(&stdout).expect("stdout file").len();
    assert!(
        len <= CAP,
        "{} is {len} bytes, over the {CAP}-byte cap",
        stdout.display()
    );
    u.stop();
    until(&u, "stopped", |s| s.active == ActiveState::Inactive).await;
}
