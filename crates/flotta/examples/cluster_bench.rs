//! Submit and start N units (a no-op `Type=oneshot` template) on a running
//! cluster and time them until every one is `active`: on three `flotta agent`
//! processes (127.0.0.1–3) sharing a real etcd, and on the dev cluster
//! (`flotta agent --dev --machines 3`, through its API). Reports units/s, the
//! ratio to the registry's bare put rate measured in the same run (the
//! baseline: what writing the units alone costs), and each agent's peak RSS.
//!
//! `FLOTTA_BENCH_QUICK=1` (CI): 1,000 units. Default: 10,000.
//!
//! ```text
//! cargo build --release -p flotta --bins --examples
//! target/release/examples/cluster_bench [--units N] [--only etcd|dev]
//! ```

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use flotta_api::remote::{Remote, RemoteOptions};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{TargetState, Unit};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, Registry};
use flotta_unit_spec::syntax::UnitFile;
use futures::StreamExt;

const TEMPLATE: &str = "[Unit]\nDescription=no-op %i\n\n[Service]\nType=oneshot\n\
RemainAfterExit=yes\nExecStart=/bin/true\n";

/// Every wait is bounded: this long per 1,000 units, at least a minute.
fn deadline(units: usize) -> Duration {
    Duration::from_secs(60.max(units as u64 * 60 / 1000))
}

struct Agents {
    children: Vec<Child>,
}

impl Agents {
    /// Peak resident set of each process, in MiB (`VmHWM`).
    fn peak_rss_mib(&self) -> Vec<f64> {
        self.children
            .iter()
            .map(|c| {
                std::fs::read_to_string(format!("/proc/{}/status", c.id()))
                    .ok()
                    .and_then(|s| {
                        s.lines()
                            .find_map(|l| l.strip_prefix("VmHWM:"))
                            .and_then(|v| {
                                v.trim().trim_end_matches("kB").trim().parse::<f64>().ok()
                            })
                    })
                    .map_or(0.0, |kb| kb / 1024.0)
            })
            .collect()
    }
}

impl Drop for Agents {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
        }
        for c in &mut self.children {
            let _ = c.wait();
        }
    }
}

fn flotta_bin() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("flotta"))
        .context("locating the flotta binary")?;
    if !bin.exists() {
        bail!(
            "{} is missing: cargo build --release -p flotta --bins",
            bin.display()
        );
    }
    Ok(bin)
}

fn units(n: usize) -> anyhow::Result<Vec<Unit>> {
    let file = UnitFile::parse(TEMPLATE)?;
    Ok((1..=n)
        .map(|i| Unit::new(&format!("noop@{i}.service"), &file, TargetState::Launched))
        .collect())
}

/// Writes `units` 64 at a time; returns the seconds taken.
async fn put_all<B: KvBackend + Clone + 'static>(
    registry: &Registry<B>,
    units: &[Unit],
) -> anyhow::Result<f64> {
    let t = Instant::now();
    let failed = futures::stream::iter(units)
        .map(|u| {
            let r = registry.clone();
            async move { r.put_unit(u, None).await.is_err() }
        })
        .buffer_unordered(64)
        .filter(|f| futures::future::ready(*f))
        .count()
        .await;
    if failed > 0 {
        bail!("{failed} unit writes failed");
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Counts `active` unit states every half second until all `n` are, printing progress.
async fn wait_active<B: KvBackend>(registry: &Registry<B>, n: usize) -> anyhow::Result<()> {
    let limit = deadline(n);
    let start = Instant::now();
    let mut last = usize::MAX;
    loop {
        let listed = Instant::now();
        let active = registry
            .unit_states()
            .await?
            .items
            .iter()
            .filter(|s| s.active_state == "active")
            .count();
        if active != last {
            eprintln!(
                "  {active}/{n} active after {:.1}s",
                start.elapsed().as_secs_f64()
            );
            last = active;
        }
        if active >= n {
            return Ok(());
        }
        if start.elapsed() > limit {
            bail!("only {active} of {n} units active after {limit:?}");
        }
        // Polling is load too: at most a quarter of the time.
        tokio::time::sleep(Duration::from_millis(500).max(listed.elapsed() * 3)).await;
    }
}

/// Measures one cluster: the registry's bare put rate first (keys outside
/// the registry prefix), then submit+start until all are active.
async fn measure<B: KvBackend + Clone + 'static>(
    label: &str,
    registry: Registry<B>,
    agents: &Agents,
    n: usize,
) -> anyhow::Result<()> {
    let baseline = Registry::with_prefix(registry.backend().clone(), "/bench-baseline/");
    let batch = units(n)?;
    let put_s = put_all(&baseline, &batch).await?;
    let t = Instant::now();
    put_all(&registry, &batch).await?;
    wait_active(&registry, n).await?;
    let all_s = t.elapsed().as_secs_f64();
    let units_per_s = n as f64 / all_s;
    let puts_per_s = n as f64 / put_s;
    let rss = agents.peak_rss_mib();
    println!(
        "{}",
        serde_json::json!({
            "cluster": label,
            "units": n,
            "seconds_until_all_active": (all_s * 100.0).round() / 100.0,
            "units_per_s": units_per_s.round(),
            "baseline_puts_per_s": puts_per_s.round(),
            "ratio_to_baseline": (units_per_s / puts_per_s * 1000.0).round() / 1000.0,
            "peak_rss_mib": rss.iter().map(|r| r.round()).collect::<Vec<_>>(),
        })
    );
    Ok(())
}

/// An agent process; its stderr goes to `FLOTTA_BENCH_LOGS/agent-N.log` when set.
fn spawn_agent(bin: &Path, args: &[String]) -> anyhow::Result<Child> {
    let stderr = match std::env::var_os("FLOTTA_BENCH_LOGS") {
        Some(dir) => {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            let path = Path::new(&dir).join(format!("agent-{n}.log"));
            Stdio::from(
                std::fs::File::create(&path)
                    .with_context(|| format!("creating {}", path.display()))?,
            )
        }
        None => Stdio::null(),
    };
    Command::new(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))
}

async fn etcd_cluster(bin: &Path, dir: &Path, n: usize) -> anyhow::Result<()> {
    let etcd = EtcdServer::start().context("starting etcd")?;
    let url = etcd.client_url();
    let mut children = Vec::new();
    for m in 1..=3 {
        let state = dir.join(format!("etcd-machine-{m}"));
        std::fs::create_dir_all(&state)?;
        let args: Vec<String> = [
            "agent",
            "--etcd",
            &url,
            "--state-dir",
            &state.to_string_lossy(),
            "--machine-id-file",
            &state.join("machine-id").to_string_lossy(),
            "--public-ip",
            &format!("127.0.0.{m}"),
            "--lease-ttl-secs",
            "10",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        children.push(spawn_agent(bin, &args)?);
    }
    let agents = Agents { children };
    let registry = Registry::new(EtcdBackend::connect(&EtcdOptions::new([url])).await?);
    wait_machines(&registry, 3).await?;
    measure("3 agents on etcd", registry, &agents, n).await
}

async fn dev_cluster(bin: &Path, dir: &Path, n: usize) -> anyhow::Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let state = dir.join("dev");
    let args: Vec<String> = [
        "agent",
        "--dev",
        "--machines",
        "3",
        "--state-dir",
        &state.to_string_lossy(),
        "--api-listen",
        &listen,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let agents = Agents {
        children: vec![spawn_agent(bin, &args)?],
    };
    let remote = Remote::new(RemoteOptions::new(format!("http://{listen}")))?;
    let registry = Registry::new(remote);
    wait_machines(&registry, 3).await?;
    measure(
        "dev cluster (3 machines, one process)",
        registry,
        &agents,
        n,
    )
    .await
}

async fn wait_machines<B: KvBackend>(registry: &Registry<B>, n: usize) -> anyhow::Result<()> {
    let start = Instant::now();
    while registry.machines().await.map_or(0, |m| m.items.len()) < n {
        if start.elapsed() > Duration::from_secs(30) {
            bail!("{n} machines did not register within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut n = if std::env::var_os("FLOTTA_BENCH_QUICK").is_some() {
        1000
    } else {
        10_000
    };
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--units" => n = args.next().context("--units N")?.parse()?,
            "--only" => only = args.next(),
            other => bail!(
                "unknown argument {other}; usage: cluster_bench [--units N] [--only etcd|dev]"
            ),
        }
    }
    let bin = flotta_bin()?;
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        if only.as_deref().is_none_or(|o| o == "etcd") {
            etcd_cluster(&bin, dir.path(), n).await?;
        }
        if only.as_deref().is_none_or(|o| o == "dev") {
            dev_cluster(&bin, dir.path(), n).await?;
        }
        anyhow::Ok(())
    })
}
