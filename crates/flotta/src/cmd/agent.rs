//! `flotta agent`: run this machine's share of the cluster, or with `--dev`
//! a whole development cluster in one process.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use flotta_agent::agent::{Agent, AgentOptions};
use flotta_agent::dev::{DevCluster, DevOptions};
use flotta_agent::machine::{MachineIdentity, machine_id};
use flotta_api::{ApiListener, ApiOptions, Listen};
use flotta_registry::kv::KvBackend;
use flotta_registry::{EtcdBackend, MemoryBackend, MemoryOptions, Registry, SystemClock};

pub use super::agent_config::AgentArgs;
use super::agent_config::{RegistrySetting, Settings};

/// Runs the agent (or dev cluster) until Ctrl-C or SIGTERM. A real agent's
/// units keep running after it; a dev cluster's are stopped.
pub fn run(args: &AgentArgs) -> anyhow::Result<ExitCode> {
    let settings = args.settings()?;
    let rt = tokio::runtime::Runtime::new().context("starting the runtime")?;
    rt.block_on(async {
        match &settings.registry {
            RegistrySetting::Memory(path) => {
                let backend = match path {
                    Some(path) => {
                        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                            std::fs::create_dir_all(dir)
                                .with_context(|| format!("creating {}", dir.display()))?;
                        }
                        MemoryBackend::open(
                            path,
                            Arc::new(SystemClock::default()),
                            MemoryOptions::default(),
                        )
                        .with_context(|| format!("opening the registry at {}", path.display()))?
                    }
                    None => MemoryBackend::default(),
                };
                serve(Registry::new(backend), &settings).await
            }
            RegistrySetting::Etcd(etcd) => {
                let registry: Registry<EtcdBackend> = etcd.connect().await?;
                serve(registry, &settings).await
            }
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = async {
            match term.as_mut() {
                Some(t) => { t.recv().await; }
                None => std::future::pending().await,
            }
        } => {}
    }
}

async fn serve<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    settings: &Settings,
) -> anyhow::Result<()> {
    if let Some(machines) = settings.dev {
        return serve_dev(registry, settings, machines).await;
    }
    let id = machine_id(&settings.machine_id_file, &settings.state_dir)?;
    let journals = [(id.clone(), settings.state_dir.clone())].into();
    let _left = spawn_api(registry.clone(), settings, journals, None).await?;
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    let options = AgentOptions {
        identity: MachineIdentity {
            id: id.clone(),
            hostname,
            public_ip: settings.public_ip.clone(),
            private_ip: settings.private_ip.clone(),
            metadata: settings.metadata.clone(),
        },
        lease_ttl: Duration::from_secs(settings.lease_ttl_secs.max(1)),
        state_dir: settings.state_dir.clone(),
        period: Duration::from_millis(200),
        engine_grace: (!settings.no_engine)
            .then(|| Duration::from_secs(settings.reschedule_grace_secs)),
        max_starting: settings.max_starting,
    };
    let agent = Agent::new(registry, options)?;
    eprintln!(
        "flotta agent: machine {id}, state in {}",
        settings.state_dir.display()
    );
    agent.run(shutdown_signal()).await?;
    Ok(())
}

async fn serve_dev<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    settings: &Settings,
    machines: u16,
) -> anyhow::Result<()> {
    if settings.no_engine {
        bail!("--no-engine: a dev cluster's machines run engines (one must lead)");
    }
    let mut options = DevOptions::new(machines, &settings.state_dir);
    options.metadata = settings.metadata.clone();
    options.lease_ttl = Duration::from_secs(settings.lease_ttl_secs.max(1));
    options.engine_grace = Duration::from_secs(settings.reschedule_grace_secs);
    let cluster = Arc::new(DevCluster::start(registry.clone(), options).await?);
    let journals = cluster
        .machines()
        .into_iter()
        .map(|m| (m.id, m.state_dir))
        .collect();
    let extra = super::dev_api::routes(cluster.clone());
    let _left = spawn_api(registry, settings, journals, Some(extra)).await?;
    eprintln!(
        "flotta agent --dev: {machines} machines on 127.0.0.1-{machines}, state in {}{}",
        settings.state_dir.display(),
        settings
            .api_listen
            .as_ref()
            .map(|l| format!(", API on {l}"))
            .unwrap_or_default()
    );
    for m in cluster.machines() {
        eprintln!("  machine {} {} {}", m.index, m.id, m.public_ip);
    }
    shutdown_signal().await;
    eprintln!("flotta agent --dev: stopping the machines and their units");
    cluster.stop().await;
    Ok(())
}

/// A token left for this user's clients (see
/// [`flotta_api::discover::leave_token`]), taken back when the agent stops.
struct LeftToken(Option<PathBuf>);

impl Drop for LeftToken {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The API's tokens: the given ones, else over TCP tokens generated into
/// the state dir (kept across restarts); a unix socket needs none.
fn api_tokens(settings: &Settings, tcp: bool) -> anyhow::Result<(Option<String>, Option<String>)> {
    if !tcp {
        return Ok((settings.api_token.clone(), settings.api_read_token.clone()));
    }
    std::fs::create_dir_all(&settings.state_dir)
        .with_context(|| format!("creating {}", settings.state_dir.display()))?;
    let kept = |given: &Option<String>, file: &str| -> anyhow::Result<String> {
        match given {
            Some(t) => Ok(t.clone()),
            None => Ok(flotta_api::token_file(&settings.state_dir.join(file))?),
        }
    };
    Ok((
        Some(kept(&settings.api_token, "api.token")?),
        Some(kept(&settings.api_read_token, "api-read.token")?),
    ))
}

/// Binds the API (when one is wanted) and serves it in the background:
/// fleet's API v1, flotta's `/v1`, the machines' journals and `extra`.
async fn spawn_api<B: KvBackend + Clone + Send + Sync + 'static>(
    registry: Registry<B>,
    settings: &Settings,
    journals: BTreeMap<String, PathBuf>,
    extra: Option<axum::Router>,
) -> anyhow::Result<LeftToken> {
    let Some(listen) = &settings.api_listen else {
        return Ok(LeftToken(None));
    };
    let (token, read_token) = api_tokens(settings, matches!(listen, Listen::Tcp(_)))?;
    if let Listen::Unix(path) = listen
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let router = flotta_api::router_with(
        registry,
        ApiOptions {
            token: token.clone(),
            read_token,
            journals,
            extra,
            raw_cluster_writes: false,
        },
    );
    // Bind now, so a taken address fails the command rather than a task.
    let listener = ApiListener::bind(listen)
        .await
        .with_context(|| format!("--api-listen {listen}"))?;
    // A generated token on loopback is left for this user's clients.
    let left = match (listener.local_addr()?, &token, &settings.api_token) {
        (Listen::Tcp(addr), Some(token), None) if addr.ip().is_loopback() => {
            match flotta_api::discover::leave_token(addr, token) {
                Ok(path) => Some(path),
                Err(e) => {
                    tracing::warn!("leaving the API token for local clients: {e}");
                    None
                }
            }
        }
        _ => None,
    };
    let tls = settings.api_tls.clone();
    tokio::spawn(async move {
        if let Err(e) = flotta_api::serve_listener(listener, router, tls.as_ref()).await {
            tracing::error!("api: {e}");
        }
    });
    let scheme = match (listen, &settings.api_tls) {
        (Listen::Unix(_), _) => "",
        (_, Some(_)) => "https://",
        (_, None) => "http://",
    };
    let access = match (listen, &settings.api_token) {
        (Listen::Unix(_), _) => " (its owner only)".to_owned(),
        (_, Some(_)) => " (token from --api-token)".to_owned(),
        (_, None) => format!(
            " (token in {})",
            settings.state_dir.join("api.token").display()
        ),
    };
    eprintln!(
        "flotta agent: API on {scheme}{listen}{access} (fleet API v1 under /fleet/v1/, flotta's under /v1/)"
    );
    Ok(LeftToken(left))
}
