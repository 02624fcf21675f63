//! The tour's cluster: one `flotta agent --dev` process, or a local
//! three-member etcd with one `flotta agent` process per machine.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use flotta_registry::testkit::EtcdServer;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// Short, so a lost machine's units move within seconds.
pub const LEASE_TTL_SECS: u64 = 3;
/// How long a vanished machine keeps its units.
pub const GRACE_SECS: u64 = 2;

/// What runs the machines.
pub enum Machines {
    /// `flotta agent --dev`: every machine in one process.
    Dev {
        /// The process (`None` once stopped).
        agent: Option<Child>,
    },
    /// etcd members and one agent per machine (index 0 is machine 1).
    Etcd {
        /// The members; agent N prefers member N.
        members: Vec<EtcdServer>,
        /// The agents (`None` while a machine is lost).
        agents: Vec<Option<Child>>,
        /// Each machine's state dir.
        dirs: Vec<PathBuf>,
    },
}

/// How the tour starts its `flotta` children.
pub struct Launch {
    /// A `flotta` command with the tour's environment.
    pub command: Box<dyn Fn() -> Command>,
    /// The tour's state dir.
    pub state: PathBuf,
    /// Where machine 1 serves the API.
    pub api: SocketAddr,
}

impl Machines {
    /// The state dir of the agent that serves the API (its tokens are there).
    pub fn api_state_dir(state: &Path, etcd: bool) -> PathBuf {
        if etcd {
            state.join("machine-1")
        } else {
            state.join("cluster")
        }
    }

    /// One `flotta agent --dev` serving the API.
    pub fn dev(launch: &Launch, n: u16) -> anyhow::Result<Machines> {
        let agent = (launch.command)()
            .args(["agent", "--dev", "--machines", &n.to_string()])
            .args(["--registry", "memory"])
            .args(timings())
            .arg("--state-dir")
            .arg(Machines::api_state_dir(&launch.state, false))
            .args(["--api-listen", &launch.api.to_string()])
            .stdout(Stdio::null())
            .stderr(log(&launch.state, "agent")?)
            .spawn()
            .context("starting `flotta agent --dev`")?;
        Ok(Machines::Dev { agent: Some(agent) })
    }

    /// A local etcd cluster of `n` members (the `etcd` binary, Debian's
    /// `etcd-server`) and `n` agents on 127.0.0.1…n; machine 1 serves the API.
    pub fn etcd(launch: &Launch, n: u16) -> anyhow::Result<Machines> {
        let members = EtcdServer::cluster(usize::from(n))
            .context("starting a local etcd cluster (is `etcd` installed? Debian: etcd-server)")?;
        let mut machines = Machines::Etcd {
            members,
            agents: Vec::new(),
            dirs: Vec::new(),
        };
        for i in 0..usize::from(n) {
            let dir = match i {
                0 => Machines::api_state_dir(&launch.state, true),
                _ => launch.state.join(format!("machine-{}", i + 1)),
            };
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            if let Machines::Etcd { agents, dirs, .. } = &mut machines {
                agents.push(None);
                dirs.push(dir);
            }
            machines.boot(launch, i)?;
        }
        Ok(machines)
    }

    /// The etcd client URLs, when on etcd.
    pub fn etcd_urls(&self) -> Vec<String> {
        match self {
            Machines::Dev { .. } => Vec::new(),
            Machines::Etcd { members, .. } => members.iter().map(EtcdServer::client_url).collect(),
        }
    }

    /// Starts machine `i`'s agent (again, on its state dir and machine ID).
    pub fn boot(&mut self, launch: &Launch, i: usize) -> anyhow::Result<()> {
        let urls = self.etcd_urls();
        let Machines::Etcd { agents, dirs, .. } = self else {
            bail!("only an etcd cluster's machines are booted one by one");
        };
        // Its own member first, the others after: the client fails over.
        let mut preferred = urls.clone();
        preferred.rotate_left(i % urls.len().max(1));
        let mut command = (launch.command)();
        command
            .args(["agent", "--etcd", &preferred.join(",")])
            .args(["--public-ip", &format!("127.0.0.{}", i + 1)])
            .args(["--metadata", &format!("machine={}", i + 1)])
            .args(timings())
            .arg("--machine-id-file")
            .arg(dirs[i].join("no-machine-id"))
            .arg("--state-dir")
            .arg(&dirs[i]);
        if i == 0 {
            command.args(["--api-listen", &launch.api.to_string()]);
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(log(&launch.state, &format!("agent-{}", i + 1))?)
            .spawn()
            .context("starting `flotta agent`")?;
        agents[i] = Some(child);
        Ok(())
    }

    /// Power loss of machine `i` (etcd: the agent gets SIGKILL and its units
    /// die with it); the kill's pid for the record.
    pub fn lose(&mut self, rt: &tokio::runtime::Runtime, i: usize) -> anyhow::Result<u32> {
        let Machines::Etcd { agents, dirs, .. } = self else {
            bail!("a dev cluster's machine is lost with `flotta machine crash`");
        };
        let mut agent = agents[i].take().context("that machine is already lost")?;
        let pid = agent.id();
        let _ = agent.kill();
        let _ = agent.wait();
        rt.block_on(flotta_agent::dev::power_off(&dirs[i]));
        Ok(pid)
    }

    /// Kills etcd member `i` with SIGKILL.
    pub fn stop_member(&mut self, i: usize) {
        if let Machines::Etcd { members, .. } = self {
            members[i].kill();
        }
    }

    /// Starts etcd member `i` again and waits until it answers.
    pub fn start_member(&mut self, i: usize) -> anyhow::Result<()> {
        if let Machines::Etcd { members, .. } = self {
            members[i].restart().context("restarting the etcd member")?;
        }
        Ok(())
    }

    /// Whether the agent process (or a dev cluster's process) has exited.
    pub fn exited(&mut self) -> Option<String> {
        let children: Vec<&mut Child> = match self {
            Machines::Dev { agent } => agent.iter_mut().collect(),
            Machines::Etcd { agents, .. } => agents.iter_mut().flatten().collect(),
        };
        for child in children {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status.to_string());
            }
        }
        None
    }

    /// SIGTERM to every agent, SIGKILL after a minute; a dev cluster stops
    /// its units itself, a real agent leaves them running, so an etcd
    /// cluster's machines are powered off after. Then the etcd members.
    pub fn stop(&mut self, rt: &tokio::runtime::Runtime) {
        let children: Vec<Child> = match self {
            Machines::Dev { agent } => agent.take().into_iter().collect(),
            Machines::Etcd { agents, .. } => agents.iter_mut().filter_map(Option::take).collect(),
        };
        for child in &children {
            if let Ok(pid) = i32::try_from(child.id()) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
        }
        let start = Instant::now();
        for mut child in children {
            while start.elapsed() < Duration::from_secs(60) {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Machines::Etcd { members, dirs, .. } = self {
            for dir in dirs.iter() {
                rt.block_on(flotta_agent::dev::power_off(dir));
            }
            members.iter_mut().for_each(EtcdServer::kill);
        }
    }
}

/// Makes the tour the parent of every process it starts, also of those
/// whose own parent exits first (an agent's units, a daemon that detached),
/// so [`reap_all`] can wait for them: otherwise they would go to PID 1,
/// which may reap them only later, and the tour would exit with its
/// processes still in the table.
pub fn adopt_orphans() -> anyhow::Result<()> {
    nix::sys::prctl::set_child_subreaper(true).context("becoming a child subreaper")
}

/// Waits until no child is left (orphans adopted by [`adopt_orphans`]
/// included), up to `patience`; then SIGKILLs what is still there, for a
/// few seconds more at most.
pub fn reap_all(patience: Duration) {
    let start = Instant::now();
    let give_up = patience + Duration::from_secs(5);
    loop {
        match waitpid(None::<Pid>, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => {}
            Ok(_) => continue,
            Err(nix::errno::Errno::ECHILD) => return,
            Err(_) => {}
        }
        if start.elapsed() > give_up {
            return;
        }
        if start.elapsed() > patience {
            for child in children() {
                let _ = kill(child, Signal::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// This process's children, from `/proc`.
fn children() -> Vec<Pid> {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                // The parent is the second field after the command's ")".
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                    == Some(me.as_str())
            })
        })
        .map(Pid::from_raw)
        .collect()
}

fn timings() -> [String; 4] {
    [
        "--lease-ttl-secs".into(),
        LEASE_TTL_SECS.to_string(),
        "--reschedule-grace-secs".into(),
        GRACE_SECS.to_string(),
    ]
}

/// A log file under the state dir for a child's stderr.
fn log(state: &Path, name: &str) -> anyhow::Result<std::fs::File> {
    let path = state.join(format!("{name}.log"));
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))
}
