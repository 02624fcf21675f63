//! Running one service unit the way systemd would, without systemd.
//!
//! Each unit gets a task that owns its lifecycle: `ExecStartPre` in order,
//! the main process (`Type=simple|exec|oneshot|forking|notify`),
//! `ExecStartPost`, then watching the main process; stopping runs
//! `ExecStop` (with `$MAINPID`), signals the unit's process group
//! (`KillMode`, `KillSignal`), escalates to SIGKILL after `TimeoutStopSec`,
//! and always ends with `ExecStopPost`. `Restart=` with `RestartSec` and the
//! start limit decide what follows an exit. Every command runs in the unit's
//! own process group, so a stop reaches forked grandchildren too.

use std::collections::VecDeque;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

use flotta_unit_spec::exec::ExecCommand;
use flotta_unit_spec::service::{KillMode, RestartPolicy, ServiceConfig, ServiceType, Signal};
use flotta_unit_spec::timespan::TimeSpan;
use nix::sys::signal::{self as nsig, Signal as NixSignal};
use nix::unistd::Pid;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::Instant;

use crate::cgroup::{Cgroups, Ids, Tree};
use crate::error::{AgentError, check_unit_name};
use crate::journal::{Journal, MAX_LINE, Stream, now_us};

/// systemd's `ActiveState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActiveState {
    /// Not running.
    Inactive,
    /// Starting.
    Activating,
    /// Running `ExecReload=`.
    Reloading,
    /// Running (or done, for a oneshot that stays).
    Active,
    /// Stopping.
    Deactivating,
    /// Ended badly.
    Failed,
}

/// systemd's `SubState` for services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubState {
    /// Not running.
    Dead,
    /// Running `ExecStartPre`.
    StartPre,
    /// Starting the main process.
    Start,
    /// Running `ExecStartPost`.
    StartPost,
    /// The main process runs.
    Running,
    /// Running `ExecReload=`.
    Reload,
    /// The main process exited and the unit stays active.
    Exited,
    /// Running `ExecStop`.
    Stop,
    /// Waiting after `KillSignal`.
    StopSigterm,
    /// Waiting after SIGKILL.
    StopSigkill,
    /// Running `ExecStopPost`.
    StopPost,
    /// Waiting `RestartSec` before a restart.
    AutoRestart,
    /// Ended badly.
    Failed,
}

/// A unit's state, as `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitStatus {
    /// The unit.
    pub unit: String,
    /// Active state.
    pub active: ActiveState,
    /// Sub state.
    pub sub: SubState,
    /// The main process, while one runs.
    pub main_pid: Option<u32>,
    /// The last main-process exit code.
    pub exit_code: Option<i32>,
    /// The last main-process exit signal.
    pub exit_signal: Option<i32>,
    /// Why the unit failed (`exit-code`, `signal`, `timeout`,
    /// `start-limit-hit`, `resources`), or `success`.
    pub result: String,
    /// The last failure in words (`ExecStart /opt/app: cannot run: No such
    /// file or directory`); cleared by the next start.
    pub reason: Option<String>,
    /// Starts so far (restarts included).
    pub starts: u32,
    /// Microseconds since the epoch of the last state change.
    pub since_us: u64,
}

impl UnitStatus {
    fn new(unit: &str) -> Self {
        UnitStatus {
            unit: unit.to_owned(),
            active: ActiveState::Inactive,
            sub: SubState::Dead,
            main_pid: None,
            exit_code: None,
            exit_signal: None,
            result: "success".into(),
            reason: None,
            starts: 0,
            since_us: now_us(),
        }
    }
}

/// What a unit is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    Start,
    Stop,
    Reload,
}

/// Controls one supervised unit.
#[derive(Debug, Clone)]
pub struct UnitHandle {
    requests: mpsc::UnboundedSender<Request>,
    status: watch::Receiver<UnitStatus>,
}

impl UnitHandle {
    /// Asks the unit to start (no-op when it runs).
    pub fn start(&self) {
        let _ = self.requests.send(Request::Start);
    }

    /// Asks the unit to stop.
    pub fn stop(&self) {
        let _ = self.requests.send(Request::Stop);
    }

    /// Runs `ExecReload=` (with `$MAINPID`) while the unit runs.
    pub fn reload(&self) {
        let _ = self.requests.send(Request::Reload);
    }

    /// The current status.
    pub fn status(&self) -> UnitStatus {
        self.status.borrow().clone()
    }

    /// Waits until `f` holds for the status, for at most `limit`.
    pub async fn wait_until(
        &self,
        limit: Duration,
        f: impl Fn(&UnitStatus) -> bool,
    ) -> Option<UnitStatus> {
        let mut rx = self.status.clone();
        tokio::time::timeout(limit, async move {
            loop {
                {
                    let s = rx.borrow_and_update();
                    if f(&s) {
                        return Some(s.clone());
                    }
                }
                if rx.changed().await.is_err() {
                    return None;
                }
            }
        })
        .await
        .ok()
        .flatten()
    }
}

/// Where units run and what they see.
#[derive(Debug, Clone)]
pub struct Supervisor {
    journal: Journal,
    runtime_dir: PathBuf,
    /// Read instead of `/etc/environment` when the host has none.
    environment_file: Option<PathBuf>,
    /// Variables every unit gets (machine facts).
    env: Vec<(String, String)>,
    /// Unit cgroups, when the host lets the agent make them.
    cgroups: Option<Cgroups>,
    /// Units between a start and a settled state. Every spawn copies the
    /// agent's page and descriptor tables, and every child holds pipes and
    /// a pidfd, so thousands of starts at once cost the machine quadratically
    /// (and starve the lease renewal); queued starts wait here instead.
    starting: Arc<Semaphore>,
    /// Largest a unit's raw stdout or stderr file grows before it is
    /// truncated.
    output_cap: u64,
}

/// Units a [`Supervisor`] starts at once unless told otherwise.
pub const DEFAULT_MAX_STARTING: usize = 32;

/// Largest a unit's raw `.stdout` or `.stderr` file grows (4 MiB) unless
/// told otherwise; see [`Supervisor::with_output_cap`].
pub const DEFAULT_OUTPUT_CAP: u64 = 4 << 20;

/// How a run of the main process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Clean,
    ExitCode(i32),
    Signal(i32),
    Timeout,
    Resources,
    /// An adopted main process ended; its status went to the old agent.
    Lost,
}

/// How waiting for a turn to start ended.
enum Queued {
    Turn(OwnedSemaphorePermit),
    Cancelled,
    Closed,
}

impl Ending {
    fn describe(self) -> String {
        match self {
            Ending::Clean => "succeeded".into(),
            Ending::ExitCode(c) => format!("exited with code {c}"),
            Ending::Signal(sig) => format!("was killed by signal {sig}"),
            Ending::Timeout => "timed out".into(),
            Ending::Resources => "could not run".into(),
            Ending::Lost => "ended while the agent was away".into(),
        }
    }
}

impl Supervisor {
    /// A supervisor logging to `journal`, with sockets under `runtime_dir`
    /// and `env` added to every unit's environment.
    pub fn new(
        journal: Journal,
        runtime_dir: impl Into<PathBuf>,
        env: Vec<(String, String)>,
    ) -> Self {
        let runtime_dir = runtime_dir.into();
        crate::reaper::enable();
        Supervisor {
            journal,
            cgroups: Cgroups::detect(&runtime_dir),
            runtime_dir,
            environment_file: None,
            env,
            starting: Arc::new(Semaphore::new(DEFAULT_MAX_STARTING)),
            output_cap: DEFAULT_OUTPUT_CAP,
        }
    }

    /// Caps each unit's raw stdout and stderr file at `bytes` (at least
    /// 4 KiB). A unit's main process writes them directly (they outlive the
    /// agent); the agent copies their lines into the journal and truncates a
    /// file once it is past the cap. The unit writes in append mode and
    /// carries on at the start. When a unit writes faster than the journal
    /// keeps up, the oldest unread output is skipped (and the journal says
    /// how much), so the disk holds at most the cap per stream.
    pub fn with_output_cap(mut self, bytes: u64) -> Self {
        self.output_cap = bytes.max(4096);
        self
    }

    /// At most `n` units (at least 1) between a start and a settled state
    /// (running, exited, failed) at once; later starts queue, `inactive`
    /// until their turn.
    pub fn with_max_starting(mut self, n: usize) -> Self {
        self.starting = Arc::new(Semaphore::new(n.max(1)));
        self
    }

    /// Units reading `EnvironmentFile=/etc/environment` get `path` when the
    /// host has no `/etc/environment` (see [`crate::machine`]).
    pub fn with_environment_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.environment_file = Some(path.into());
        self
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Units with a record of a main process this supervisor (or an
    /// earlier one on the same state) started, by name: candidates for
    /// adoption, or for a stop if no longer wanted.
    pub fn recorded(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.runtime_dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                Some(name.to_str()?.strip_suffix(RECORD_SUFFIX)?.to_owned())
            })
            .collect();
        names.sort();
        names
    }

    /// Starts supervising `unit` (inactive until [`UnitHandle::start`]).
    ///
    /// # Errors
    /// [`AgentError::UnitName`] when `unit` is not a valid unit name: it
    /// names the unit's files (output, record, notify socket), so nothing
    /// else may.
    pub fn supervise(&self, unit: &str, config: ServiceConfig) -> Result<UnitHandle, AgentError> {
        let unit = check_unit_name(unit)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (status_tx, status_rx) = watch::channel(UnitStatus::new(unit));
        let run = Run {
            unit: unit.to_owned(),
            config,
            sup: self.clone(),
            status: status_tx,
            requests: rx,
            starts: VecDeque::new(),
            permit: std::sync::Mutex::new(None),
        };
        tokio::spawn(run.lifecycle());
        Ok(UnitHandle {
            requests: tx,
            status: status_rx,
        })
    }
}

/// A unit's record of its running main process: `<unit>.state.json`.
const RECORD_SUFFIX: &str = ".state.json";

struct Run {
    unit: String,
    config: ServiceConfig,
    sup: Supervisor,
    status: watch::Sender<UnitStatus>,
    requests: mpsc::UnboundedReceiver<Request>,
    /// Start times inside the start-limit interval.
    starts: VecDeque<Instant>,
    /// Held from a start until the unit settles (see `Supervisor::starting`).
    permit: std::sync::Mutex<Option<OwnedSemaphorePermit>>,
}

fn signal(s: i32) -> Option<NixSignal> {
    NixSignal::try_from(s).ok()
}

fn limit(t: TimeSpan) -> Option<Duration> {
    match t {
        TimeSpan::Finite(d) if !d.is_zero() => Some(d),
        _ => None,
    }
}

impl Run {
    fn set(&self, active: ActiveState, sub: SubState) {
        if active != ActiveState::Activating
            && let Ok(mut permit) = self.permit.lock()
        {
            permit.take();
        }
        self.status.send_modify(|s| {
            s.active = active;
            s.sub = sub;
            s.since_us = now_us();
        });
        self.log(&format!("{}/{}", json_name(active), json_name(sub)));
    }

    /// The unit's processes, rooted at process group `pgid`.
    fn tree(&self, pgid: u32) -> Tree {
        Cgroups::tree(self.sup.cgroups.as_ref(), &self.unit, pgid)
    }

    /// Logs why the unit failed and keeps it for `status`.
    fn why(&self, line: &str) {
        self.status
            .send_modify(|s| s.reason = Some(line.to_owned()));
        self.log(line);
    }

    /// `why` for a failure that counts, `log` for one a `-` prefix ignores.
    fn failed(&self, line: &str, ignored: bool) {
        if ignored {
            self.log(line)
        } else {
            self.why(line)
        }
    }

    fn log(&self, line: &str) {
        if let Err(e) = self.sup.journal.append(&self.unit, Stream::Agent, line) {
            tracing::warn!(unit = %self.unit, "journal: {e}");
        }
    }

    async fn lifecycle(mut self) {
        // A unit an earlier agent left running is adopted, not restarted.
        let mut after_adoption = self.adopt().await;
        if self.requests.is_closed() {
            return;
        }
        loop {
            let restart_now = match after_adoption.take() {
                Some(Some(e)) => self.wants_restart(e),
                _ => false,
            };
            if !restart_now {
                match self.requests.recv().await {
                    Some(Request::Start) => {}
                    Some(Request::Stop | Request::Reload) => continue,
                    None => return,
                }
            }
            // Start, and restart while the policy says so.
            loop {
                if self.start_limited() {
                    self.status
                        .send_modify(|s| s.result = "start-limit-hit".into());
                    self.why("start request repeated too quickly, refusing to start");
                    self.set(ActiveState::Failed, SubState::Failed);
                    break;
                }
                match self.queue().await {
                    Queued::Turn(permit) => {
                        if let Ok(mut slot) = self.permit.lock() {
                            *slot = Some(permit);
                        }
                    }
                    Queued::Cancelled => {
                        if self.status.borrow().active == ActiveState::Activating {
                            self.set(ActiveState::Inactive, SubState::Dead);
                        }
                        break;
                    }
                    Queued::Closed => return,
                }
                let ending = self.run_once().await;
                if self.requests.is_closed() {
                    return;
                }
                let restart = match ending {
                    None => false, // stopped on request
                    Some(e) => self.wants_restart(e),
                };
                if !restart {
                    break;
                }
                self.set(ActiveState::Activating, SubState::AutoRestart);
                tokio::select! {
                    () = tokio::time::sleep(self.config.restart_sec) => {}
                    r = self.requests.recv() => {
                        if r.is_none() || r == Some(Request::Stop) {
                            self.set(ActiveState::Inactive, SubState::Dead);
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Waits for a turn to start (`Supervisor::starting`). A stop while
    /// queued cancels the start, as it would a queued systemd job.
    async fn queue(&mut self) -> Queued {
        let turn = self.sup.starting.clone().acquire_owned();
        tokio::pin!(turn);
        loop {
            tokio::select! {
                permit = &mut turn => {
                    return permit.map_or(Queued::Closed, Queued::Turn);
                }
                r = self.requests.recv() => match r {
                    Some(Request::Start | Request::Reload) => {}
                    Some(Request::Stop) => return Queued::Cancelled,
                    None => return Queued::Closed,
                },
            }
        }
    }

    fn record_path(&self) -> PathBuf {
        self.sup
            .runtime_dir
            .join(format!("{}{RECORD_SUFFIX}", self.unit))
    }

    /// Notes the running main process, so a restarted agent can adopt it.
    fn save_record(&self, pgid: u32, main_pid: u32) {
        let record = serde_json::json!({
            "pgid": pgid,
            "main_pid": main_pid,
            "starttime": proc_starttime(main_pid),
        });
        let path = self.record_path();
        let tmp = path.with_extension("tmp");
        let written = std::fs::create_dir_all(&self.sup.runtime_dir)
            .and_then(|()| std::fs::write(&tmp, record.to_string()))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            self.log(&format!("cannot record the main process: {e}"));
        }
    }

    fn drop_record(&self) {
        let _ = std::fs::remove_file(self.record_path());
    }

    /// Adopts a main process an earlier agent started, if it still runs (same
    /// pid and start time). Returns how the adopted run ended (`Some(None)`
    /// when stopped on request), or `None` when there was nothing to adopt.
    async fn adopt(&mut self) -> Option<Option<Ending>> {
        let text = std::fs::read_to_string(self.record_path()).ok()?;
        let record: serde_json::Value = serde_json::from_str(&text).ok()?;
        let field = |k: &str| record.get(k).and_then(serde_json::Value::as_u64);
        let (pgid, main_pid) = (
            u32::try_from(field("pgid")?).ok()?,
            u32::try_from(field("main_pid")?).ok()?,
        );
        let same = pid_alive(main_pid)
            && proc_starttime(main_pid).is_some()
            && proc_starttime(main_pid) == field("starttime");
        let env = self.environment(None).unwrap_or_default();
        self.status.send_modify(|s| s.starts = 1);
        if !same {
            self.drop_record();
            self.log("the main process ended while the agent was away");
            self.record(Ending::Lost);
            self.stop_post(&env).await;
            self.set(ActiveState::Failed, SubState::Failed);
            return Some(Some(Ending::Lost));
        }
        self.log(&format!("adopted running main process {main_pid}"));
        self.status.send_modify(|s| s.main_pid = Some(main_pid));
        self.set(ActiveState::Active, SubState::Running);
        let _tails = self.tail_output();
        let mut main = Main {
            child: None,
            pid: main_pid,
            adopted: true,
            starttime: None,
            status: None,
        };
        Some(self.running(pgid, &mut main, &env).await)
    }

    fn start_limited(&mut self) -> bool {
        let now = Instant::now();
        let interval = self.config.start_limit_interval;
        while self
            .starts
            .front()
            .is_some_and(|&t| now.duration_since(t) > interval)
        {
            self.starts.pop_front();
        }
        if self.config.start_limit_burst > 0
            && !interval.is_zero()
            && self.starts.len() >= self.config.start_limit_burst as usize
        {
            return true;
        }
        self.starts.push_back(now);
        false
    }

    fn wants_restart(&self, e: Ending) -> bool {
        let clean = e == Ending::Clean;
        // An exit we could not see is treated as a failure.
        let signal = matches!(e, Ending::Signal(_));
        let timeout = e == Ending::Timeout;
        match self.config.restart {
            RestartPolicy::No | RestartPolicy::OnWatchdog => false,
            RestartPolicy::Always => true,
            RestartPolicy::OnSuccess => clean,
            RestartPolicy::OnFailure => !clean,
            RestartPolicy::OnAbnormal => signal || timeout,
            RestartPolicy::OnAbort => signal,
        }
    }

    fn environment(&self, main_pid: Option<u32>) -> Result<Vec<(String, String)>, String> {
        let mut env: Vec<(String, String)> = self.sup.env.clone();
        env.extend(self.login_environment());
        env.extend(self.config.environment.iter().cloned());
        // Files come last: they override `Environment=` (systemd.exec).
        for f in &self.config.environment_files {
            let path = match &self.sup.environment_file {
                Some(generated) => crate::machine::map_environment_file(&f.path, generated),
                None => PathBuf::from(&f.path),
            };
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let vars = flotta_unit_spec::exec::parse_environment_file(&text)
                        .map_err(|e| format!("EnvironmentFile={}: {e}", f.path))?;
                    env.extend(vars);
                }
                Err(_) if f.optional => {}
                Err(e) => return Err(format!("EnvironmentFile={}: {e}", f.path)),
            }
        }
        if let Some(pid) = main_pid {
            env.push(("MAINPID".into(), pid.to_string()));
        }
        Ok(env)
    }

    /// What systemd sets from the user database: `USER` always (without
    /// `User=`, the agent's own user, as systemd's is root), and with `User=`
    /// also `LOGNAME`, `HOME` and `SHELL`, leaving out a home of `/` and a
    /// nologin shell as systemd does.
    fn login_environment(&self) -> Vec<(String, String)> {
        let Some(user) = &self.config.user else {
            return nix::unistd::User::from_uid(nix::unistd::geteuid())
                .ok()
                .flatten()
                .map(|u| vec![("USER".to_owned(), u.name)])
                .unwrap_or_default();
        };
        // An unknown user fails the spawn, with the reason.
        let Ok(u) = lookup_user(user) else {
            return Vec::new();
        };
        let mut env = vec![
            ("USER".to_owned(), u.name.clone()),
            ("LOGNAME".to_owned(), u.name),
        ];
        if let Some(home) = u.dir.to_str()
            && home.starts_with('/')
            && !home.trim_start_matches('/').is_empty()
        {
            env.push(("HOME".to_owned(), home.to_owned()));
        }
        let placeholder = u
            .shell
            .file_name()
            .is_none_or(|n| n == "nologin" || n == "false" || n == "true");
        if let Some(shell) = u.shell.to_str()
            && shell.starts_with('/')
            && !placeholder
        {
            env.push(("SHELL".to_owned(), shell.to_owned()));
        }
        env
    }

    /// A command ready to spawn in its own process group.
    fn command(&self, cmd: &ExecCommand, env: &[(String, String)]) -> Result<Command, String> {
        let lookup = |name: &str| {
            env.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let argv = cmd.substitute_env(&lookup);
        let mut c = std::process::Command::new(&cmd.path);
        if let Some((argv0, rest)) = argv.split_first() {
            c.arg0(argv0).args(rest);
        }
        c.env_clear()
            .env(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            )
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        if let Some(dir) = &self.config.working_directory {
            let (dir, optional) = match dir.strip_prefix('-') {
                Some(d) => (d, true),
                None => (dir.as_str(), false),
            };
            let dir = if dir == "~" { "/" } else { dir };
            if std::path::Path::new(dir).is_dir() {
                c.current_dir(dir);
            } else if !optional {
                return Err(format!("WorkingDirectory={dir} does not exist"));
            }
        }
        let mut ids = None;
        if !cmd.prefixes.full_privileges && !cmd.prefixes.no_setuid {
            if let Some(user) = &self.config.user {
                let u = lookup_user(user)?;
                let name = std::ffi::CString::new(u.name.as_str())
                    .map_err(|_| format!("User={user}: not a valid name"))?;
                let groups = nix::unistd::getgrouplist(&name, u.gid)
                    .map_err(|e| format!("User={user}: reading its groups: {e}"))?;
                ids = Some(Ids {
                    uid: Some(u.uid),
                    gid: Some(u.gid),
                    groups,
                });
            }
            if let Some(group) = &self.config.group {
                let g = lookup_group(group)?;
                ids.get_or_insert(Ids {
                    uid: None,
                    gid: None,
                    groups: Vec::new(),
                })
                .gid = Some(g.gid);
            }
        }
        // Joining the cgroup before exec: nothing the command forks escapes.
        crate::cgroup::prepare(&mut c, &self.tree(0), ids);
        Ok(Command::from(c))
    }

    /// The daemon a `Type=forking` start process left: the pid in
    /// `PIDFile=` (waited for until the start timeout, as systemd waits),
    /// else systemd's guess.
    async fn forked_main(
        &self,
        pgid: u32,
        timeout: Option<Duration>,
    ) -> Result<Option<u32>, (String, Ending)> {
        let tree = self.tree(pgid);
        let Some(path) = &self.config.pid_file else {
            return Ok(tree.main_guess());
        };
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let named = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| t.trim().parse::<u32>().ok())
                .filter(|&p| p > 1 && pid_alive(p));
            if named.is_some() {
                return Ok(named);
            }
            if !tree.alive() {
                return Err((
                    format!(
                        "PIDFile={path}: no pid of a running process, and nothing of the unit is left"
                    ),
                    Ending::Resources,
                ));
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err((
                    format!("PIDFile={path}: no pid of a running process before the start timeout"),
                    Ending::Timeout,
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn capture(&self, child: &mut Child) {
        let pipe = |r: Option<Box<dyn AsyncRead + Unpin + Send>>, stream: Stream| {
            let Some(r) = r else { return };
            let journal = self.sup.journal.clone();
            let unit = self.unit.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(r).split(b'\n');
                while let Ok(Some(line)) = lines.next_segment().await {
                    let text = String::from_utf8_lossy(&line);
                    let _ = journal.append(&unit, stream, text.trim_end_matches('\r'));
                }
            });
        };
        pipe(
            child.stdout.take().map(|s| Box::new(s) as _),
            Stream::Stdout,
        );
        pipe(
            child.stderr.take().map(|s| Box::new(s) as _),
            Stream::Stderr,
        );
    }

    /// Runs a control command to completion (or its timeout); `Err` when it
    /// failed and its failure counts.
    async fn control(
        &self,
        which: &str,
        cmd: &ExecCommand,
        env: &[(String, String)],
        timeout: Option<Duration>,
    ) -> Result<(), Ending> {
        let mut c = match self.command(cmd, env) {
            Ok(c) => c,
            Err(why) => {
                self.failed(&format!("{which}: {why}"), cmd.prefixes.ignore_failure);
                return if cmd.prefixes.ignore_failure {
                    Ok(())
                } else {
                    Err(Ending::Resources)
                };
            }
        };
        c.kill_on_drop(true);
        let mut child = match spawn(c).await {
            Ok(ch) => ch,
            Err(e) => {
                self.failed(
                    &format!("{which}: cannot run {}: {e}", cmd.path),
                    cmd.prefixes.ignore_failure,
                );
                return if cmd.prefixes.ignore_failure {
                    Ok(())
                } else {
                    Err(Ending::Resources)
                };
            }
        };
        self.capture(&mut child);
        let pgid = child.id();
        let waited = match timeout {
            Some(t) => tokio::time::timeout(t, child.wait()).await.ok(),
            None => Some(child.wait().await),
        };
        let ending = match waited {
            None => {
                if let Some(p) = pgid {
                    kill_group(p, NixSignal::SIGKILL);
                }
                let _ = child.wait().await;
                self.log(&format!("{which}: timed out"));
                Ending::Timeout
            }
            Some(Ok(status)) => self.judge(status, false),
            Some(Err(e)) => {
                self.log(&format!("{which}: {e}"));
                Ending::Resources
            }
        };
        if ending != Ending::Clean {
            self.failed(
                &format!("{which} {}: {}", cmd.path, ending.describe()),
                cmd.prefixes.ignore_failure,
            );
        }
        if ending == Ending::Clean || cmd.prefixes.ignore_failure {
            Ok(())
        } else {
            Err(ending)
        }
    }

    /// Classifies an exit; the main process also counts the clean signals.
    fn judge(&self, status: ExitStatus, main: bool) -> Ending {
        let ok = &self.config.success_exit_status;
        if let Some(code) = status.code() {
            if code == 0 || u8::try_from(code).is_ok_and(|c| ok.codes.contains(&c)) {
                return Ending::Clean;
            }
            return Ending::ExitCode(code);
        }
        let sig = status.signal().unwrap_or(0);
        let clean_signal = main && [1, 2, 13, 15].contains(&sig);
        if clean_signal || ok.signals.iter().any(|s: &Signal| s.number == sig) {
            return Ending::Clean;
        }
        Ending::Signal(sig)
    }

    fn record(&self, ending: Ending) {
        self.status.send_modify(|s| {
            s.main_pid = None;
            match ending {
                Ending::ExitCode(c) => {
                    s.exit_code = Some(c);
                    s.exit_signal = None;
                }
                Ending::Signal(sig) => {
                    s.exit_code = None;
                    s.exit_signal = Some(sig);
                }
                _ => {}
            }
            s.result = match ending {
                Ending::Clean => "success",
                Ending::ExitCode(_) => "exit-code",
                Ending::Signal(_) => "signal",
                Ending::Timeout => "timeout",
                Ending::Resources => "resources",
                Ending::Lost => "exit-unknown",
            }
            .into();
        });
    }

    /// One start-to-stop cycle. `None` when it ended on a stop request.
    async fn run_once(&mut self) -> Option<Ending> {
        self.status.send_modify(|s| {
            s.starts += 1;
            s.result = "success".into();
            s.reason = None;
            s.exit_code = None;
            s.exit_signal = None;
        });
        let start_timeout = limit(self.config.timeout_start);
        let env = match self.environment(None) {
            Ok(env) => env,
            Err(why) => {
                self.why(&why);
                return Some(self.fail(Ending::Resources, None).await);
            }
        };
        if self.config.service_type == ServiceType::Dbus {
            self.why("Type=dbus is not supported by flotta's agent");
            return Some(self.fail(Ending::Resources, None).await);
        }
        self.set(ActiveState::Activating, SubState::StartPre);
        for cmd in self.config.exec_start_pre.clone() {
            if let Err(e) = self
                .control("ExecStartPre", &cmd, &env, start_timeout)
                .await
            {
                return Some(self.fail(e, None).await);
            }
        }
        self.set(ActiveState::Activating, SubState::Start);
        let Some(main_cmd) = self.config.exec_start.first().cloned() else {
            // No ExecStart (oneshot with only pre/post): done.
            self.set(ActiveState::Inactive, SubState::Dead);
            return Some(Ending::Clean);
        };
        if self.config.service_type == ServiceType::Oneshot {
            for cmd in self.config.exec_start.clone() {
                if let Err(e) = self.control("ExecStart", &cmd, &env, start_timeout).await {
                    return Some(self.fail(e, None).await);
                }
            }
            self.set(ActiveState::Activating, SubState::StartPost);
            for cmd in self.config.exec_start_post.clone() {
                if let Err(e) = self
                    .control("ExecStartPost", &cmd, &env, start_timeout)
                    .await
                {
                    return Some(self.fail(e, None).await);
                }
            }
            if self.config.remain_after_exit {
                // Nothing runs until the stop: no empty cgroup left behind
                // for thousands of exited oneshots (ExecStop makes it again).
                self.tree(0).release();
                self.set(ActiveState::Active, SubState::Exited);
                loop {
                    match self.requests.recv().await {
                        Some(Request::Start | Request::Reload) => {}
                        Some(Request::Stop) => break,
                        None => return None,
                    }
                }
                self.set(ActiveState::Deactivating, SubState::Stop);
                let timeout = limit(self.config.timeout_stop);
                for cmd in self.config.exec_stop.clone() {
                    let _ = self.control("ExecStop", &cmd, &env, timeout).await;
                }
                self.stop_post(&env).await;
                self.record(Ending::Clean);
                self.set(ActiveState::Inactive, SubState::Dead);
                return None;
            }
            self.stop_post(&env).await;
            self.record(Ending::Clean);
            self.set(ActiveState::Inactive, SubState::Dead);
            return Some(Ending::Clean);
        }
        let mut env_main = env.clone();
        let notify = if self.config.service_type == ServiceType::Notify {
            match self.notify_socket() {
                Ok((path, sock)) => {
                    env_main.push(("NOTIFY_SOCKET".into(), path.display().to_string()));
                    Some((path, sock))
                }
                Err(e) => {
                    self.why(&format!("NOTIFY_SOCKET: {e}"));
                    return Some(self.fail(Ending::Resources, None).await);
                }
            }
        } else {
            None
        };
        let mut c = match self.command(&main_cmd, &env_main) {
            Ok(c) => c,
            Err(why) => {
                self.why(&format!("ExecStart: {why}"));
                return Some(self.fail(Ending::Resources, None).await);
            }
        };
        // The main process writes to files, not pipes: it must outlive an
        // agent that is killed (a broken pipe would kill it with SIGPIPE).
        match (
            self.output_file(Stream::Stdout),
            self.output_file(Stream::Stderr),
        ) {
            (Ok(out), Ok(err)) => {
                c.stdout(Stdio::from(out)).stderr(Stdio::from(err));
            }
            (Err(e), _) | (_, Err(e)) => {
                self.why(&format!("ExecStart: cannot open the output files: {e}"));
                return Some(self.fail(Ending::Resources, None).await);
            }
        }
        let _tails = self.tail_output();
        c.kill_on_drop(false);
        let mut child = match spawn(c).await {
            Ok(ch) => ch,
            Err(e) => {
                self.why(&format!("ExecStart: cannot run {}: {e}", main_cmd.path));
                return Some(self.fail(Ending::Resources, None).await);
            }
        };
        let pgid = child.id().unwrap_or(0);
        self.status.send_modify(|s| s.main_pid = Some(pgid));
        // Type=forking: the parent exits once the daemon runs; the daemon is
        // what remains in the group. Type=notify: READY=1 on the socket.
        if self.config.service_type == ServiceType::Forking {
            let waited = match start_timeout {
                Some(t) => tokio::time::timeout(t, child.wait()).await.ok(),
                None => Some(child.wait().await),
            };
            match waited.map(|r| r.map(|s| self.judge(s, false))) {
                Some(Ok(Ending::Clean)) => {}
                Some(Ok(e)) => return Some(self.fail(e, Some(pgid)).await),
                Some(Err(_)) | None => return Some(self.fail(Ending::Timeout, Some(pgid)).await),
            }
            let daemon = match self.forked_main(pgid, start_timeout).await {
                Ok(pid) => {
                    // Its status is the unit's to reap, wherever it is.
                    crate::reaper::unit_members(pid.as_slice());
                    pid
                }
                Err((why, e)) => {
                    self.why(&why);
                    return Some(self.fail(e, Some(pgid)).await);
                }
            };
            self.status.send_modify(|s| s.main_pid = daemon);
        }
        if let Some((path, sock)) = notify {
            let ready = async {
                let mut buf = vec![0u8; 4096];
                loop {
                    let Ok(n) = sock.recv(&mut buf).await else {
                        return false;
                    };
                    let msg = String::from_utf8_lossy(&buf[..n]);
                    if msg.lines().any(|l| l.trim() == "READY=1") {
                        return true;
                    }
                }
            };
            let ok = tokio::select! {
                r = async { match start_timeout { Some(t) => tokio::time::timeout(t, ready).await.unwrap_or(false), None => ready.await } } => r,
                s = child.wait() => { let _ = s; false }
            };
            let _ = std::fs::remove_file(&path);
            if !ok {
                self.why("no READY=1 before the start timeout or the exit");
                return Some(self.fail(Ending::Timeout, Some(pgid)).await);
            }
        }
        self.set(ActiveState::Activating, SubState::StartPost);
        for cmd in self.config.exec_start_post.clone() {
            if let Err(e) = self
                .control("ExecStartPost", &cmd, &env, start_timeout)
                .await
            {
                return Some(self.fail(e, Some(pgid)).await);
            }
        }
        // Recorded before anyone can see `running`: an agent that dies right
        // after still leaves what the next one needs to adopt the unit.
        let main_pid = self.status.borrow().main_pid.unwrap_or(pgid);
        self.save_record(pgid, main_pid);
        self.set(ActiveState::Active, SubState::Running);
        let forking = self.config.service_type == ServiceType::Forking;
        let mut main = Main {
            child: (!forking).then_some(child),
            pid: main_pid,
            adopted: false,
            starttime: forking.then(|| proc_starttime(main_pid)).flatten(),
            status: None,
        };
        self.running(pgid, &mut main, &env).await
    }

    /// Watches a running unit until its main process exits or a stop
    /// arrives (`None`).
    async fn running(
        &mut self,
        pgid: u32,
        main: &mut Main,
        env: &[(String, String)],
    ) -> Option<Ending> {
        let forking = main.child.is_none();
        let exited = loop {
            tokio::select! {
                status = main.wait(), if !forking => {
                    break status.map_or(Ending::Lost, |s| self.judge(s, true));
                }
                () = tokio::time::sleep(Duration::from_millis(100)), if forking => {
                    match main.try_done() {
                        Some(Some(status)) => break self.judge(status, true),
                        // Its status went to a parent other than the agent.
                        Some(None) if main.adopted => break Ending::Lost,
                        Some(None) => break Ending::Clean,
                        None => {}
                    }
                }
                req = self.requests.recv() => {
                    match req {
                        Some(Request::Start) => continue,
                        Some(Request::Reload) => {
                            self.reload(env).await;
                            continue;
                        }
                        Some(Request::Stop) => {
                            self.stop(pgid, env, main).await;
                            self.drop_record();
                            return None;
                        }
                        // Nobody controls the unit any more (the agent is
                        // going away): it keeps running, for the next agent
                        // to adopt.
                        None => return None,
                    }
                }
            }
        };
        self.drop_record();
        if exited == Ending::Clean {
            self.log("main process exited cleanly");
        } else {
            self.why(&format!("main process {}", exited.describe()));
        }
        self.record(exited);
        if exited == Ending::Clean && self.config.remain_after_exit {
            // systemd: the unit stays active (exited), with whatever the main
            // process left running, until it is stopped.
            self.set(ActiveState::Active, SubState::Exited);
            loop {
                match self.requests.recv().await {
                    Some(Request::Start | Request::Reload) => {}
                    Some(Request::Stop) => break,
                    None => return None,
                }
            }
            self.stop(pgid, env, main).await;
            return None;
        }
        // Whatever the main process left behind goes too.
        self.kill_rest(pgid, None).await;
        self.stop_post(env).await;
        let active = if exited == Ending::Clean {
            ActiveState::Inactive
        } else {
            ActiveState::Failed
        };
        let sub = if exited == Ending::Clean {
            SubState::Dead
        } else {
            SubState::Failed
        };
        self.set(active, sub);
        Some(exited)
    }

    async fn fail(&mut self, e: Ending, pgid: Option<u32>) -> Ending {
        let main_pid = self.status.borrow().main_pid;
        self.record(e);
        if let Some(p) = pgid {
            self.kill_rest(p, main_pid).await;
        }
        let env = self.environment(None).unwrap_or_default();
        self.stop_post(&env).await;
        self.set(ActiveState::Failed, SubState::Failed);
        e
    }

    /// `ExecStopPost=`, the last step of every run; then the unit's cgroup
    /// goes, once empty.
    async fn stop_post(&self, env: &[(String, String)]) {
        if !self.config.exec_stop_post.is_empty() {
            self.set(ActiveState::Deactivating, SubState::StopPost);
            let timeout = limit(self.config.timeout_stop);
            for cmd in &self.config.exec_stop_post {
                let _ = self.control("ExecStopPost", cmd, env, timeout).await;
            }
        }
        // As systemd does once the service is dead: a stale file would
        // name a gone (or reused) pid at the next start.
        if let Some(path) = &self.config.pid_file {
            let _ = std::fs::remove_file(path);
        }
        self.tree(0).release();
    }

    /// `ExecReload=`, in order, with `$MAINPID`; the unit stays running.
    async fn reload(&self, env: &[(String, String)]) {
        let mut env = env.to_vec();
        if let Some(pid) = self.status.borrow().main_pid {
            env.push(("MAINPID".into(), pid.to_string()));
        }
        self.set(ActiveState::Reloading, SubState::Reload);
        for cmd in &self.config.exec_reload {
            if self
                .control("ExecReload", cmd, &env, limit(self.config.timeout_start))
                .await
                .is_err()
            {
                break;
            }
        }
        self.set(ActiveState::Active, SubState::Running);
    }

    /// Stops a running unit: ExecStop, KillSignal to the group, SIGKILL after
    /// TimeoutStopSec, ExecStopPost.
    async fn stop(&mut self, pgid: u32, env: &[(String, String)], main: &mut Main) {
        let timeout = limit(self.config.timeout_stop);
        let main_pid = self.status.borrow().main_pid;
        self.set(ActiveState::Deactivating, SubState::Stop);
        let env_stop = {
            let mut e = env.to_vec();
            if let Some(pid) = main_pid {
                e.push(("MAINPID".into(), pid.to_string()));
            }
            e
        };
        for cmd in self.config.exec_stop.clone() {
            let _ = self.control("ExecStop", &cmd, &env_stop, timeout).await;
        }
        self.set(ActiveState::Deactivating, SubState::StopSigterm);
        let sig = signal(self.config.kill_signal.number).unwrap_or(NixSignal::SIGTERM);
        match self.config.kill_mode {
            KillMode::ControlGroup => self.tree(pgid).signal(sig),
            KillMode::Mixed | KillMode::Process => {
                if let Some(pid) = main_pid {
                    let _ = nsig::kill(Pid::from_raw(pid as i32), sig);
                }
            }
            KillMode::None => {}
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let tree = self.tree(pgid);
        let gone = wait_gone(&tree, main, deadline, self.config.kill_mode).await;
        if !gone {
            self.set(ActiveState::Deactivating, SubState::StopSigkill);
            self.log("stop timed out; sending SIGKILL");
            match self.config.kill_mode {
                KillMode::ControlGroup | KillMode::Mixed => tree.signal(NixSignal::SIGKILL),
                KillMode::Process => {
                    if let Some(pid) = main_pid {
                        let _ = nsig::kill(Pid::from_raw(pid as i32), NixSignal::SIGKILL);
                    }
                }
                KillMode::None => {}
            }
            wait_gone(
                &tree,
                main,
                Some(Instant::now() + Duration::from_secs(5)),
                self.config.kill_mode,
            )
            .await;
        }
        if self.config.kill_mode == KillMode::Mixed && tree.alive() {
            // KillMode=mixed: the main process got KillSignal=, the rest of
            // the unit gets SIGKILL (systemd.kill).
            tree.signal(NixSignal::SIGKILL);
            wait_gone(
                &tree,
                main,
                Some(Instant::now() + Duration::from_secs(5)),
                KillMode::ControlGroup,
            )
            .await;
        }
        if let Some(Some(status)) = main.try_done() {
            self.record(self.judge(status, true));
        }
        self.status.send_modify(|s| s.main_pid = None);
        self.stop_post(env).await;
        self.set(ActiveState::Inactive, SubState::Dead);
    }

    /// Ends what is left of a run: `KillSignal=` to the group, SIGKILL after
    /// `TimeoutStopSec=`. With `KillMode=mixed` only `main_pid`, if it still
    /// runs, gets `KillSignal=`, and the rest SIGKILL.
    async fn kill_rest(&self, pgid: u32, main_pid: Option<u32>) {
        let tree = self.tree(pgid);
        if self.config.kill_mode == KillMode::None || !tree.alive() {
            return;
        }
        let sig = signal(self.config.kill_signal.number).unwrap_or(NixSignal::SIGTERM);
        let deadline =
            Instant::now() + limit(self.config.timeout_stop).unwrap_or(Duration::from_secs(90));
        if self.config.kill_mode == KillMode::Mixed {
            if let Some(pid) = main_pid.filter(|&p| pid_alive(p)) {
                let _ = nsig::kill(Pid::from_raw(pid as i32), sig);
                while pid_alive(pid) && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            tree.signal(NixSignal::SIGKILL);
        } else {
            tree.signal(sig);
        }
        while tree.alive() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if tree.alive() {
            tree.signal(NixSignal::SIGKILL);
        }
    }

    fn output_path(&self, stream: Stream) -> PathBuf {
        let ext = if stream == Stream::Stderr {
            "stderr"
        } else {
            "stdout"
        };
        self.sup.runtime_dir.join(format!("{}.{ext}", self.unit))
    }

    fn output_file(&self, stream: Stream) -> std::io::Result<std::fs::File> {
        std::fs::create_dir_all(&self.sup.runtime_dir)?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.output_path(stream))
    }

    /// Copies new lines of the main process's output files into the journal
    /// until the returned guard is dropped (then drains what is left).
    fn tail_output(&self) -> TailGuard {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        for stream in [Stream::Stdout, Stream::Stderr] {
            let path = self.output_path(stream);
            let offset_path = path.with_extension(format!(
                "{}.offset",
                path.extension().and_then(|e| e.to_str()).unwrap_or("out")
            ));
            let journal = self.sup.journal.clone();
            let unit = self.unit.clone();
            let done = std::sync::Arc::clone(&done);
            // Decided now, before the process can write: where earlier output
            // was read up to, else the file's current end.
            let mut offset: u64 = std::fs::read_to_string(&offset_path)
                .ok()
                .and_then(|t| t.trim().parse().ok())
                .or_else(|| std::fs::metadata(&path).ok().map(|m| m.len()))
                .unwrap_or(0);
            let cap = self.sup.output_cap;
            tokio::spawn(async move {
                let mut partial: Vec<u8> = Vec::new();
                let mut saved = offset;
                loop {
                    let finished = done.load(std::sync::atomic::Ordering::Acquire);
                    let (chunk, skipped) = take_output(&path, &mut offset, cap).unwrap_or_default();
                    if skipped > 0 {
                        // What follows does not continue the partial line.
                        if !partial.is_empty() {
                            let _ =
                                journal.append(&unit, stream, &String::from_utf8_lossy(&partial));
                            partial.clear();
                        }
                        let _ = journal.append(
                            &unit,
                            Stream::Agent,
                            &format!(
                                "{skipped} bytes of {stream} skipped: the unit wrote past the \
                                 {cap}-byte output cap faster than the journal kept up"
                            ),
                        );
                    }
                    if chunk.is_empty() {
                        // Truncated with nothing left to read: the offset
                        // moved all the same.
                        if offset != saved {
                            let _ = std::fs::write(&offset_path, offset.to_string());
                            saved = offset;
                        }
                        if finished {
                            if !partial.is_empty() {
                                let _ = journal.append(
                                    &unit,
                                    stream,
                                    &String::from_utf8_lossy(&partial),
                                );
                            }
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                    partial.extend_from_slice(&chunk);
                    while let Some(nl) = partial.iter().position(|&b| b == b'\n') {
                        let line: Vec<u8> = partial.drain(..=nl).collect();
                        let text = String::from_utf8_lossy(&line[..line.len() - 1]);
                        let _ = journal.append(&unit, stream, text.trim_end_matches('\r'));
                    }
                    // A line with no end in sight: the journal would cut it
                    // here anyway, and memory stays bounded.
                    if partial.len() > MAX_LINE {
                        let _ = journal.append(&unit, stream, &String::from_utf8_lossy(&partial));
                        partial.clear();
                    }
                    let _ = std::fs::write(&offset_path, offset.to_string());
                    saved = offset;
                }
            });
        }
        TailGuard(done)
    }

    fn notify_socket(&self) -> std::io::Result<(PathBuf, tokio::net::UnixDatagram)> {
        std::fs::create_dir_all(&self.sup.runtime_dir)?;
        let path = self.sup.runtime_dir.join(format!("{}.notify", self.unit));
        let _ = std::fs::remove_file(&path);
        let sock = tokio::net::UnixDatagram::bind(&path)?;
        Ok((path, sock))
    }
}

/// Ends the output tails when dropped.
struct TailGuard(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for TailGuard {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Release);
    }
}

/// Bytes of `path` from `offset` to its end (at most 8 MiB per call).
/// Spawns on a blocking thread: a fork copies the agent's page tables, long
/// enough in a big agent to stall the runtime's workers, and with them the
/// lease renewal and the API.
async fn spawn(mut c: Command) -> std::io::Result<Child> {
    tokio::task::spawn_blocking(move || crate::reaper::spawning(|| c.spawn(), Child::id))
        .await
        .map_err(std::io::Error::other)?
}

/// The next bytes of a unit's raw output file after `offset`, keeping the
/// file under `cap`; returns them and how many unread bytes were skipped.
///
/// Under the cap it reads on from `offset`. Past it, it takes what is
/// unread (at most the last `cap` bytes: the newest output matters most)
/// and truncates the file, since the unit holds it open in append mode and
/// carries on at the new end. What the unit writes between the read and the
/// truncation is lost: a moment's output, once per `cap` bytes.
fn take_output(
    path: &std::path::Path,
    offset: &mut u64,
    cap: u64,
) -> std::io::Result<(Vec<u8>, u64)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?;
    let len = f.metadata()?.len();
    if len < *offset {
        // Truncated by someone else: start over.
        *offset = 0;
    }
    let mut buf = Vec::new();
    if len <= cap {
        f.seek(SeekFrom::Start(*offset))?;
        (&mut f).take(cap).read_to_end(&mut buf)?;
        *offset += buf.len() as u64;
        return Ok((buf, 0));
    }
    let start = (*offset).max(len - cap);
    f.seek(SeekFrom::Start(start))?;
    (&mut f).take(cap.saturating_mul(2)).read_to_end(&mut buf)?;
    let read_to = start + buf.len() as u64;
    let now = f.metadata()?.len();
    f.set_len(0)?;
    let skipped = (start - *offset) + now.saturating_sub(read_to);
    *offset = 0;
    Ok((buf, skipped))
}

/// A process's start time in clock ticks since boot (`/proc/PID/stat`
/// field 22): with the pid, it tells a process from a later one that reused
/// the pid.
fn proc_starttime(pid: u32) -> Option<u64> {
    crate::reaper::stat(pid).map(|s| s.starttime)
}

/// The main process: our child, a forking daemon, or one adopted from an
/// earlier agent.
struct Main {
    child: Option<Child>,
    pid: u32,
    /// Started by an earlier agent: no exit status will reach us.
    adopted: bool,
    /// A daemon's start time, to take its status from the reaper.
    starttime: Option<u64>,
    /// A daemon's status, once taken.
    status: Option<ExitStatus>,
}

impl Main {
    /// Waits for the exit; `None` when the status cannot be known.
    async fn wait(&mut self) -> Option<ExitStatus> {
        match &mut self.child {
            Some(c) => c.wait().await.ok(),
            None => {
                while pid_alive(self.pid) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                None
            }
        }
    }

    /// `Some(status)` once exited; `Some(None)` when the status went
    /// elsewhere (its parent is not the agent).
    fn try_done(&mut self) -> Option<Option<ExitStatus>> {
        match &mut self.child {
            Some(c) => match c.try_wait() {
                Ok(Some(s)) => Some(Some(s)),
                Ok(None) => None,
                Err(_) => Some(None),
            },
            None => {
                if self.status.is_some() {
                    return Some(self.status);
                }
                let Some(t) = self.starttime else {
                    return (!pid_alive(self.pid)).then_some(None);
                };
                let seen = crate::reaper::stat(self.pid).filter(|s| s.starttime == t);
                if seen.is_some_and(|s| s.state != 'Z') {
                    return None;
                }
                // Gone (reaped, so its status is stored if it was ours) or a
                // zombie (whose status the reaper stores soon, if ours).
                self.status = crate::reaper::take(self.pid, t, seen.is_none());
                match seen {
                    _ if self.status.is_some() => Some(self.status),
                    Some(s) if s.ppid == std::process::id() => None,
                    _ => Some(None),
                }
            }
        }
    }
}

/// `User=` as systemd reads it: a name, or a numeric id; either must be in
/// the user database.
fn lookup_user(user: &str) -> Result<nix::unistd::User, String> {
    let found = match user.parse::<u32>() {
        Ok(uid) => nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)),
        Err(_) => nix::unistd::User::from_name(user),
    };
    found
        .ok()
        .flatten()
        .ok_or_else(|| format!("User={user} does not exist"))
}

/// `Group=` as systemd reads it: a name, or a numeric id in the group database.
fn lookup_group(group: &str) -> Result<nix::unistd::Group, String> {
    let found = match group.parse::<u32>() {
        Ok(gid) => nix::unistd::Group::from_gid(nix::unistd::Gid::from_raw(gid)),
        Err(_) => nix::unistd::Group::from_name(group),
    };
    found
        .ok()
        .flatten()
        .ok_or_else(|| format!("Group={group} does not exist"))
}

pub(crate) fn pid_alive(pid: u32) -> bool {
    crate::reaper::stat(pid).is_some_and(|s| s.state != 'Z')
}

/// A state's systemd name (`active`, `stop-sigterm`, …).
pub(crate) fn json_name<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn kill_group(pgid: u32, sig: NixSignal) {
    if let Ok(p) = i32::try_from(pgid)
        && p > 1
    {
        let _ = nsig::killpg(Pid::from_raw(p), sig);
    }
}

/// Whether any process of the group is still there (zombies excepted).
pub(crate) fn group_alive(pgid: u32) -> bool {
    crate::reaper::processes().any(|pid| in_group(pid, pgid))
}

/// The living processes of a group, lowest pid first.
pub(crate) fn group_pids(pgid: u32) -> Vec<u32> {
    let mut pids: Vec<u32> = crate::reaper::processes()
        .filter(|&pid| in_group(pid, pgid))
        .collect();
    pids.sort_unstable();
    pids
}

fn in_group(pid: u32, pgid: u32) -> bool {
    crate::reaper::stat(pid).is_some_and(|s| s.pgid == pgid && s.state != 'Z')
}

async fn wait_gone(
    tree: &Tree,
    main: &mut Main,
    deadline: Option<Instant>,
    mode: KillMode,
) -> bool {
    loop {
        let main_done = main.try_done().is_some();
        let group_done = mode != KillMode::ControlGroup || !tree.alive();
        if main_done && group_done {
            return true;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
