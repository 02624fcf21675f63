//! `flotta agent`: run this machine's share of the cluster.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use flotta_agent::agent::{Agent, AgentOptions};
use flotta_agent::machine::{MachineIdentity, machine_id, parse_metadata};
use flotta_registry::{EtcdBackend, EtcdOptions, Registry};

/// Arguments of `flotta agent`.
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// etcd client URLs, comma-separated.
    #[arg(long, env = "FLOTTA_ETCD", value_delimiter = ',', value_name = "URL")]
    etcd: Vec<String>,
    /// Where the agent keeps unit state, output and the journal.
    #[arg(long, env = "FLOTTA_STATE_DIR", default_value = "/var/lib/flotta")]
    state_dir: PathBuf,
    /// The address balancers and other machines reach this one at.
    #[arg(long, env = "FLOTTA_PUBLIC_IP")]
    public_ip: Option<String>,
    /// The address inside the cluster network.
    #[arg(long, env = "FLOTTA_PRIVATE_IP")]
    private_ip: Option<String>,
    /// Metadata, `key=value,key=value` (matched by `MachineMetadata=`).
    #[arg(long, env = "FLOTTA_METADATA", default_value = "")]
    metadata: String,
    /// Read the machine ID from this file (else one is generated into the state dir).
    #[arg(long, default_value = "/etc/machine-id")]
    machine_id_file: PathBuf,
    /// Seconds the machine's lease outlives the agent.
    #[arg(long, default_value_t = 10)]
    lease_ttl_secs: u64,
    /// Seconds a vanished machine keeps its units before the engine moves them.
    #[arg(long, env = "FLOTTA_RESCHEDULE_GRACE_SECS", default_value_t = 10)]
    reschedule_grace_secs: u64,
    /// Do not run an engine here (machines without one never lead).
    #[arg(long)]
    no_engine: bool,
    /// Serve fleet's API v1 (`/fleet/v1/...`) here; loopback only, as the
    /// API has no authentication yet.
    #[arg(long, env = "FLOTTA_API_LISTEN", value_name = "ADDR:PORT")]
    api_listen: Option<std::net::SocketAddr>,
}

/// Runs the agent until Ctrl-C or SIGTERM; units keep running after.
pub fn run(args: &AgentArgs) -> anyhow::Result<ExitCode> {
    if args.etcd.is_empty() {
        bail!("flotta agent needs the registry: pass --etcd http://HOST:2379 (or set FLOTTA_ETCD)");
    }
    let metadata =
        parse_metadata(&args.metadata).map_err(|m| anyhow::anyhow!("--metadata: {m}"))?;
    let id = machine_id(&args.machine_id_file, &args.state_dir)?;
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    let options = AgentOptions {
        identity: MachineIdentity {
            id: id.clone(),
            hostname,
            public_ip: args.public_ip.clone(),
            private_ip: args.private_ip.clone(),
            metadata,
        },
        lease_ttl: Duration::from_secs(args.lease_ttl_secs.max(1)),
        state_dir: args.state_dir.clone(),
        period: Duration::from_millis(200),
        engine_grace: (!args.no_engine).then(|| Duration::from_secs(args.reschedule_grace_secs)),
    };
    let rt = tokio::runtime::Runtime::new().context("starting the runtime")?;
    rt.block_on(async {
        let backend = EtcdBackend::connect(&EtcdOptions::new(args.etcd.clone()))
            .await
            .with_context(|| format!("connecting to etcd at {}", args.etcd.join(",")))?;
        let registry = Registry::new(backend);
        if let Some(addr) = args.api_listen {
            if !addr.ip().is_loopback() {
                bail!("--api-listen {addr}: only loopback addresses (127.0.0.0/8, ::1) until the API has authentication");
            }
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("--api-listen {addr}"))?;
            eprintln!("flotta agent: fleet API v1 on http://{addr}/fleet/v1/");
            let api = registry.clone();
            tokio::spawn(async move {
                if let Err(e) = flotta_api::serve(listener, api).await {
                    tracing::error!("api: {e}");
                }
            });
        }
        let agent = Agent::new(registry, options)?;
        eprintln!("flotta agent: machine {id}, state in {}", args.state_dir.display());
        let shutdown = async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
        };
        agent.run(shutdown).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
