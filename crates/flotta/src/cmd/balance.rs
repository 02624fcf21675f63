//! `flotta balance`: keep a load balancer following the registry.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use flotta_api::ClusterBackend;
use flotta_balancer::apply::Applier;
use flotta_balancer::config::Config;
use flotta_balancer::daemon::{Mode, keep_applied, keep_proxied};
use flotta_balancer::proxy::{HealthCheck, Policy, Proxy, ProxyConfig};
use flotta_balancer::source::Selector;
use flotta_balancer::template::Renderer;
use flotta_registry::Registry;

use crate::cmd::control::{Cluster, connect, runtime};

/// Backend choice of the built-in proxy.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum PolicyArg {
    /// In turn, by weight.
    RoundRobin,
    /// Fewest open connections.
    LeastConnections,
}

/// Arguments of `flotta balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Run the built-in proxy on this address (the default balancer).
    #[arg(long, value_name = "ADDR:PORT", conflicts_with = "config")]
    listen: Option<SocketAddr>,
    /// Follow this service's endpoints (`[X-Flotta] Service=`).
    #[arg(long, conflicts_with = "prefix")]
    service: Option<String>,
    /// Follow raw `host:port` keys under this prefix (the seed's
    /// `etcdctl set /applications/sample/… host:port`).
    #[arg(long)]
    prefix: Option<String>,
    /// Keep external balancers' config files applied (confd-style TOML with
    /// `[[template]]` resources) instead of proxying.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    cluster: Cluster,
    /// Built-in proxy: how a backend is chosen.
    #[arg(long, value_enum, default_value = "round-robin")]
    policy: PolicyArg,
    /// Built-in proxy: health-check with `GET PATH` (TCP connect if unset).
    #[arg(long, value_name = "PATH")]
    health_path: Option<String>,
    /// Built-in proxy: milliseconds between health checks.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    check_interval_ms: u64,
    /// Built-in proxy: close a connection with no bytes either way for this
    /// many milliseconds (slow or silent clients give their slot back).
    #[arg(long, default_value_t = 60_000, value_name = "MS")]
    idle_timeout_ms: u64,
    /// Built-in proxy: open client connections at most; more are closed as
    /// they are accepted.
    #[arg(long, default_value_t = 4096, value_name = "N")]
    max_connections: usize,
    /// Built-in proxy: open connections per backend at most.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    max_per_backend: usize,
    /// Built-in proxy: close connections to a removed backend after this
    /// many milliseconds of draining.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    drain_timeout_ms: u64,
}

/// Runs `flotta balance` until Ctrl-C.
pub fn run(args: &BalanceArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let work = async {
            if let Some(path) = &args.config {
                templates(registry, path).await
            } else {
                proxy(registry, args).await
            }
        };
        tokio::select! {
            r = work => r,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("flotta balance: stopping");
                Ok(())
            }
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn selector(args: &BalanceArgs) -> anyhow::Result<Selector> {
    match (&args.service, &args.prefix) {
        (Some(s), None) => Ok(Selector::Service(s.clone())),
        (None, Some(p)) => Ok(Selector::Prefix(p.clone())),
        _ => bail!("pass --service NAME or --prefix /KEY/PREFIX/"),
    }
}

async fn proxy(registry: Registry<ClusterBackend>, args: &BalanceArgs) -> anyhow::Result<()> {
    let selector = selector(args)?;
    let Some(listen) = args.listen else {
        bail!("pass --listen ADDR:PORT for the built-in proxy, or --config FILE for templates");
    };
    let mut config = ProxyConfig::new(listen);
    config.policy = match args.policy {
        PolicyArg::RoundRobin => Policy::RoundRobin,
        PolicyArg::LeastConnections => Policy::LeastConnections,
    };
    config.health = Some(HealthCheck {
        interval: Duration::from_millis(args.check_interval_ms.max(50)),
        timeout: Duration::from_millis((args.check_interval_ms / 2).clamp(50, 2000)),
        http_path: args.health_path.clone(),
    });
    config.idle_timeout = Duration::from_millis(args.idle_timeout_ms.max(1));
    config.max_connections = args.max_connections.max(1);
    config.max_per_backend = args.max_per_backend.max(1);
    config.drain_timeout = Duration::from_millis(args.drain_timeout_ms);
    let proxy = Proxy::bind(config).await?;
    eprintln!(
        "flotta balance: proxying {} to {}",
        proxy.local_addr()?,
        selector.name()
    );
    let handle = proxy.handle();
    tokio::select! {
        r = proxy.serve() => r?,
        r = keep_proxied(registry, selector, handle) => r?,
    }
    Ok(())
}

async fn templates(
    registry: Registry<ClusterBackend>,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let config = Config::load(path)?;
    if config.templates.is_empty() {
        bail!("{}: no [[template]] resources", path.display());
    }
    let mut renderer = Renderer::new();
    let mut jobs = Vec::new();
    for t in &config.templates {
        let selector = t
            .selector()
            .map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
        let applier = Applier::new(t.resource.clone(), &mut renderer)?;
        eprintln!(
            "flotta balance: keeping {} applied from {}",
            t.resource.dest.display(),
            selector.name()
        );
        jobs.push((selector, applier));
    }
    let renderer = Arc::new(renderer);
    let mut tasks = tokio::task::JoinSet::new();
    for (selector, applier) in jobs {
        tasks.spawn(keep_applied(
            registry.clone(),
            selector,
            applier,
            Arc::clone(&renderer),
            config.debounce.into(),
            Mode::Reload,
            None,
        ));
    }
    while let Some(done) = tasks.join_next().await {
        done.context("a template task")??;
    }
    Ok(())
}
