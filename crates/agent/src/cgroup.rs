//! A unit's process tree: its process group, plus a cgroup v2 directory when
//! the host lets the agent create one.
//!
//! The process group reaches forked children; the cgroup also holds those
//! that left the group (`setsid`, double-forking daemons), so a stop leaves
//! no orphans. Each supervisor gets its own directory, named after its
//! runtime directory, under the agent's own cgroup:
//! `<cgroup2 mount><agent's cgroup>/flotta-<hash>/<unit>`.
//!
//! A command joins its unit's cgroup between fork and exec, before it can
//! fork anything itself, and only then drops to the unit's `User=`: moving a
//! process into a cgroup takes root.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use nix::sys::signal::{self as nsig, Signal};
use nix::unistd::{Gid, Pid, Uid};

/// The identity a command runs as (`User=`, `Group=`).
#[derive(Debug, Clone)]
pub(crate) struct Ids {
    pub(crate) uid: Option<Uid>,
    pub(crate) gid: Option<Gid>,
    /// Supplementary groups (the user's, as `initgroups` would set).
    pub(crate) groups: Vec<Gid>,
}

/// Where this supervisor's unit cgroups live.
#[derive(Debug, Clone)]
pub(crate) struct Cgroups {
    base: PathBuf,
}

impl Cgroups {
    /// The supervisor's cgroup directory, created if the host allows it;
    /// `None` without a writable cgroup v2 hierarchy.
    pub(crate) fn detect(runtime_dir: &Path) -> Option<Cgroups> {
        let mount = cgroup2_mount()?;
        let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
        let own = own.lines().find_map(|l| l.strip_prefix("0::"))?;
        let name = format!(
            "flotta-{:016x}",
            fnv1a(runtime_dir.to_string_lossy().as_bytes())
        );
        let base = mount.join(own.trim_start_matches('/')).join(name);
        // Probe: created here, removed again; units create it on demand.
        match std::fs::create_dir_all(&base) {
            Ok(()) => {
                let usable = base.join("cgroup.procs").exists();
                let _ = std::fs::remove_dir(&base);
                usable.then_some(Cgroups { base })
            }
            Err(e) => {
                tracing::info!(
                    "cgroup v2 not writable at {} ({e}); units are tracked by process group only",
                    base.display()
                );
                None
            }
        }
    }

    /// The tree of `unit` rooted at process group `pgid`.
    pub(crate) fn tree(this: Option<&Cgroups>, unit: &str, pgid: u32) -> Tree {
        Tree {
            pgid,
            cgroup: this.map(|c| c.base.join(unit)),
        }
    }
}

/// Runs `ids` changes and the cgroup join in the child. Returns whether the
/// command will join the cgroup.
pub(crate) fn prepare(cmd: &mut std::process::Command, tree: &Tree, ids: Option<Ids>) -> bool {
    let procs = tree.cgroup.as_ref().and_then(|dir| {
        std::fs::create_dir_all(dir)
            .inspect_err(|e| tracing::warn!("creating {}: {e}", dir.display()))
            .ok()?;
        CString::new(dir.join("cgroup.procs").as_os_str().as_bytes()).ok()
    });
    let Some(procs) = procs else {
        if let Some(ids) = ids {
            if let Some(uid) = ids.uid {
                cmd.uid(uid.as_raw());
            }
            if let Some(gid) = ids.gid {
                cmd.gid(gid.as_raw());
            }
        }
        return false;
    };
    join_then_switch(cmd, procs, ids);
    true
}

/// The one `unsafe` in the agent: a `pre_exec` hook.
#[allow(unsafe_code)]
fn join_then_switch(cmd: &mut std::process::Command, procs: CString, ids: Option<Ids>) {
    let hook = move || -> std::io::Result<()> {
        use nix::fcntl::{OFlag, open};
        use nix::sys::stat::Mode;
        // Writing "0" moves the writer itself.
        let fd = open(
            procs.as_c_str(),
            OFlag::O_WRONLY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )?;
        nix::unistd::write(&fd, b"0")?;
        drop(fd);
        if let Some(ids) = &ids {
            if ids.uid.is_some() {
                nix::unistd::setgroups(&ids.groups)?;
            }
            if let Some(gid) = ids.gid {
                nix::unistd::setgid(gid)?;
            }
            if let Some(uid) = ids.uid {
                nix::unistd::setuid(uid)?;
            }
        }
        Ok(())
    };
    // SAFETY: the hook runs between fork and exec. It only makes system
    // calls (open, write, close, setgroups, setgid, setuid) on values built
    // before the fork; it neither allocates nor takes locks.
    unsafe {
        cmd.pre_exec(hook);
    }
}

/// A unit's processes.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pgid: u32,
    cgroup: Option<PathBuf>,
}

impl Tree {
    /// Sends `sig` to the group and to everything in the cgroup.
    pub(crate) fn signal(&self, sig: Signal) {
        crate::supervisor::kill_group(self.pgid, sig);
        let pids = self.cgroup_pids();
        // Those that left the group are still the unit's to reap.
        crate::reaper::unit_members(&pids);
        for pid in pids {
            if let Ok(p) = i32::try_from(pid) {
                let _ = nsig::kill(Pid::from_raw(p), sig);
            }
        }
    }

    /// Whether any process of the group or the cgroup lives (zombies excepted).
    pub(crate) fn alive(&self) -> bool {
        crate::supervisor::group_alive(self.pgid)
            || self
                .cgroup_pids()
                .into_iter()
                .any(crate::supervisor::pid_alive)
    }

    /// The daemon a `Type=forking` parent left behind, guessed as systemd
    /// does: the one process of the unit re-parented to the agent (the
    /// subreaper); failing that, the first process of the group, else of the
    /// cgroup (a daemon that called `setsid`).
    pub(crate) fn main_guess(&self) -> Option<u32> {
        let group = crate::supervisor::group_pids(self.pgid);
        let mut cgroup = self.cgroup_pids();
        cgroup.retain(|p| *p != self.pgid && crate::supervisor::pid_alive(*p));
        cgroup.sort_unstable();
        let me = std::process::id();
        let mut adopted: Vec<u32> = group
            .iter()
            .chain(&cgroup)
            .copied()
            .filter(|&p| crate::reaper::stat(p).is_some_and(|s| s.ppid == me))
            .collect();
        adopted.sort_unstable();
        adopted.dedup();
        match adopted.as_slice() {
            [only] => Some(*only),
            _ => group.first().or(cgroup.first()).copied(),
        }
    }

    /// Removes the unit's cgroup once it is empty, and the supervisor's
    /// once it holds no unit.
    pub(crate) fn release(&self) {
        if let Some(dir) = &self.cgroup
            && self.cgroup_pids().is_empty()
            && std::fs::remove_dir(dir).is_ok()
            && let Some(base) = dir.parent()
        {
            let _ = std::fs::remove_dir(base);
        }
    }

    fn cgroup_pids(&self) -> Vec<u32> {
        self.cgroup
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join("cgroup.procs")).ok())
            .map(|t| t.lines().filter_map(|l| l.trim().parse().ok()).collect())
            .unwrap_or_default()
    }
}

/// The mount point of the cgroup v2 hierarchy (`/sys/fs/cgroup`, or
/// `/sys/fs/cgroup/unified` on hybrid hosts).
fn cgroup2_mount() -> Option<PathBuf> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    info.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        (right.split_whitespace().next()? == "cgroup2")
            .then(|| left.split_whitespace().nth(4).map(PathBuf::from))?
    })
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
