//! The agent as a child subreaper, so a forking daemon's exit status
//! reaches it.
//!
//! A `Type=forking` start process exits once its daemon runs; without a
//! subreaper the daemon is re-parented to init and its exit status is lost, so
//! a crash looked like a clean exit. With `PR_SET_CHILD_SUBREAPER` the
//! orphaned processes of units become the agent's children instead, as they
//! become systemd's.
//!
//! Reaping must not take the status of a child someone else waits for: tokio
//! and std wait for their own children by pid. So only zombies known to be
//! unit orphans are reaped: not a command the supervisor spawned (those are
//! registered by [`spawning`]), not in the agent's own process group, and
//! either in the process group of a command the supervisor spawned or seen in
//! a unit's cgroup. A child spawned elsewhere in the process is none of these.
//! Statuses are kept until the unit takes them ([`take`]).

use std::collections::{HashMap, HashSet};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::{Mutex, MutexGuard, OnceLock, TryLockError};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;

/// How long a reaped status waits for its unit to take it.
const KEEP: Duration = Duration::from_secs(600);

/// How often the registries drop what has gone.
const PRUNE_EVERY: Duration = Duration::from_secs(5);

#[derive(Default)]
struct State {
    /// Commands the supervisor spawned (pid → start time): their owners wait
    /// for them.
    spawned: HashMap<u32, u64>,
    /// The process groups of those commands, which hold the units' processes.
    groups: HashSet<u32>,
    /// Processes seen in a unit's cgroup (daemons that left their group).
    members: HashSet<u32>,
    /// Statuses of reaped unit orphans, by pid and start time.
    reaped: HashMap<(u32, u64), (ExitStatus, Instant)>,
    pruned: Option<Instant>,
}

fn cell() -> &'static Mutex<State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE.get_or_init(Mutex::default)
}

fn state() -> MutexGuard<'static, State> {
    cell()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The state unless a spawn holds it (a fork of a big agent takes a while).
fn try_state() -> Option<MutexGuard<'static, State>> {
    match cell().try_lock() {
        Ok(g) => Some(g),
        Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    }
}

/// Starts reaping unit orphans and makes this process a child subreaper,
/// once per process. Without it (an old kernel), a forking daemon's status
/// stays unknown, as before.
pub(crate) fn enable() {
    static ENABLED: OnceLock<()> = OnceLock::new();
    ENABLED.get_or_init(|| {
        // The thread first: a subreaper that does not reap piles up zombies.
        let thread = std::thread::Builder::new()
            .name("flotta-reaper".into())
            .spawn(run);
        if let Err(e) = thread {
            tracing::warn!(
                "cannot start the reaper thread ({e}); forking daemons' exit statuses stay unknown"
            );
            return;
        }
        if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
            tracing::warn!(
                "cannot become a child subreaper ({e}); forking daemons' exit statuses stay unknown"
            );
        }
    });
}

/// Waits (without reaping) until some child has exited, then collects.
fn run() {
    let mut backoff = Duration::from_millis(10);
    loop {
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
        match waitid(Id::All, flags) {
            Ok(_) if collect() > 0 => backoff = Duration::from_millis(10),
            // Someone else's child: give its owner time to wait for it.
            Ok(_) => {
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_millis(500));
            }
            Err(Errno::EINTR) => {}
            // No children at all (ECHILD): look again later.
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Runs `spawn` (a fork) so that the child is registered before the reaper
/// can look at it: its owner waits for it.
pub(crate) fn spawning<T>(
    spawn: impl FnOnce() -> std::io::Result<T>,
    pid: impl Fn(&T) -> Option<u32>,
) -> std::io::Result<T> {
    let mut st = state();
    let child = spawn()?;
    if let Some(p) = pid(&child) {
        st.spawned.insert(p, stat(p).map_or(0, |s| s.starttime));
        // Every command leads its own process group (`process_group(0)`).
        st.groups.insert(p);
    }
    Ok(child)
}

/// Notes processes seen in a unit's cgroup: theirs to reap once orphaned.
pub(crate) fn unit_members(pids: &[u32]) {
    if pids.is_empty() {
        return;
    }
    let mut st = state();
    for &p in pids {
        if !st.spawned.contains_key(&p) {
            st.members.insert(p);
        }
    }
}

/// The exit status of unit process `pid` (started at `starttime`), once the
/// reaper has collected it. Without `wait`, `None` also while a spawn holds
/// the registry: async callers ask again later rather than block.
pub(crate) fn take(pid: u32, starttime: u64, wait: bool) -> Option<ExitStatus> {
    let mut st = if wait { state() } else { try_state()? };
    st.reaped.remove(&(pid, starttime)).map(|(s, _)| s)
}

/// Reaps the unit orphans that have exited; returns how many.
fn collect() -> usize {
    let me = std::process::id();
    let own_group = u32::try_from(nix::unistd::getpgrp().as_raw()).unwrap_or(0);
    let mut st = state();
    let mut reaped = 0;
    for pid in children(me) {
        let Some(s) = stat(pid) else { continue };
        let ours = s.state == 'Z'
            && s.pgid != own_group
            && !st.spawned.contains_key(&pid)
            && (st.groups.contains(&s.pgid) || st.members.contains(&pid));
        let (true, Ok(raw)) = (ours, i32::try_from(pid)) else {
            continue;
        };
        let status = match waitpid(Pid::from_raw(raw), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => ExitStatus::from_raw((code & 0xff) << 8),
            Ok(WaitStatus::Signaled(_, sig, core)) => {
                ExitStatus::from_raw(sig as i32 | if core { 0x80 } else { 0 })
            }
            _ => continue,
        };
        st.members.remove(&pid);
        st.reaped
            .insert((pid, s.starttime), (status, Instant::now()));
        reaped += 1;
    }
    if st.pruned.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
        prune(&mut st, me);
    }
    reaped
}

/// Drops what has gone from the registries.
fn prune(st: &mut State, me: u32) {
    st.pruned = Some(Instant::now());
    st.spawned
        .retain(|&p, start| stat(p).is_some_and(|s| s.ppid == me && s.starttime == *start));
    let living = all_groups();
    let State {
        spawned, groups, ..
    } = st;
    groups.retain(|g| spawned.contains_key(g) || living.contains(g));
    st.members.retain(|&p| stat(p).is_some());
    st.reaped.retain(|_, (_, at)| at.elapsed() < KEEP);
}

/// This process's children: `/proc/self/task/*/children`, else a scan of
/// `/proc` (kernels without `CONFIG_PROC_CHILDREN`).
fn children(me: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut found_file = false;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(text) = std::fs::read_to_string(t.path().join("children")) {
                found_file = true;
                out.extend(
                    text.split_whitespace()
                        .filter_map(|p| p.parse::<u32>().ok()),
                );
            }
        }
    }
    if !found_file {
        out = processes()
            .filter(|&p| stat(p).is_some_and(|s| s.ppid == me))
            .collect();
    }
    out
}

/// The process groups that have a process.
fn all_groups() -> HashSet<u32> {
    processes()
        .filter_map(|p| stat(p).map(|s| s.pgid))
        .collect()
}

/// Every pid in `/proc`.
pub(crate) fn processes() -> impl Iterator<Item = u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
}

/// What `/proc/PID/stat` says about a process (zombies included).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stat {
    /// `R`, `S`, `Z`, …
    pub(crate) state: char,
    pub(crate) ppid: u32,
    pub(crate) pgid: u32,
    /// Clock ticks since boot: with the pid, it tells a process from a later
    /// one that reused the pid.
    pub(crate) starttime: u64,
}

pub(crate) fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command may contain spaces and parentheses: fields follow the last ')'.
    let rest = text.get(text.rfind(')')? + 2..)?;
    let mut f = rest.split(' ');
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    let pgid = f.next()?.parse().ok()?;
    // Field 22 of the whole line; 19 of what follows the command.
    let starttime = f.nth(16)?.parse().ok()?;
    Some(Stat {
        state,
        ppid,
        pgid,
        starttime,
    })
}
