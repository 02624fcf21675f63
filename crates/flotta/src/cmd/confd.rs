//! `flotta confd`: confd's command line, template resources and Go
//! templates, kept current from etcd or a flotta API (flotta-confd does the
//! work; this wires the backend and prints what each run did).

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use flotta_api::ClusterBackend;
use flotta_api::remote::{Remote, RemoteOptions};
use flotta_confd::{ConfdError, Config, Keyspace, Mode, Outcome, Report};
use flotta_registry::kv::KvBackend;
use tokio::sync::mpsc;

use crate::cmd::agent_config::EtcdSetting;
use crate::cmd::control::runtime;

/// Arguments of `flotta confd`: confd's own flags, taken as Go takes them.
#[derive(Debug, Args)]
#[command(disable_help_flag = true, after_long_help = flotta_confd::usage())]
pub struct ConfdArgs {
    /// confd's flags (`-onetime`, `--watch`, `-backend etcdv3`, `-node URL`,
    /// `-confdir DIR`, `-prefix P`, `-interval N`, `-noop`, `-sync-only`,
    /// `-keep-stage-file`, TLS and auth); `flotta confd -h` lists them.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "FLAGS"
    )]
    args: Vec<String>,
}

/// Runs `flotta confd`.
pub fn run(args: &ConfdArgs, log: &str) -> anyhow::Result<ExitCode> {
    let config = match Config::from_args(&args.args, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            let help = args
                .args
                .iter()
                .any(|a| matches!(a.as_str(), "-h" | "-help" | "--help" | "--h"));
            eprint!("{e}");
            if !e.to_string().ends_with('\n') {
                eprintln!();
            }
            return Ok(if help {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            });
        }
    };
    if config.version {
        println!(
            "flotta confd {} (confd-compatible)",
            env!("CARGO_PKG_VERSION")
        );
        return Ok(ExitCode::SUCCESS);
    }
    crate::init_tracing(&log_filter(&config, log));
    runtime()?.block_on(async {
        let backend = connect(&config).await?;
        let keyspace = Keyspace::new(backend, &config.registry_prefix);
        serve(&config, keyspace).await
    })
}

/// confd's `-log-level` (debug, info, warning, error) as a tracing filter;
/// `--log`/`FLOTTA_LOG` when it is not given.
fn log_filter(config: &Config, log: &str) -> String {
    match config
        .log_level
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("debug") => "flotta_confd=debug,info".into(),
        Some("info") => "info".into(),
        Some("warn" | "warning") => "warn".into(),
        Some("error" | "fatal" | "panic") => "error".into(),
        _ => log.to_owned(),
    }
}

async fn connect(config: &Config) -> anyhow::Result<ClusterBackend> {
    let nodes = config.resolved_nodes();
    if nodes.is_empty() {
        bail!("no backend nodes (pass -node URL, or a resolvable -srv-record)");
    }
    let backend = match config.backend.as_str() {
        "flotta" => {
            let mut options = RemoteOptions::new(&nodes[0]);
            options.token = config.auth_token.clone();
            options.ca_file = config.client_cakeys.clone();
            ClusterBackend::Remote(
                Remote::new(options).with_context(|| format!("-node {}", nodes[0]))?,
            )
        }
        _ => {
            let user = match (config.basic_auth, &config.username) {
                (true, Some(u)) => Some(format!(
                    "{u}:{}",
                    config.password.clone().unwrap_or_default()
                )),
                _ => None,
            };
            let setting = EtcdSetting::new(
                nodes.clone(),
                None,
                config.client_cakeys.clone(),
                config.client_cert.clone(),
                config.client_key.clone(),
                user,
            )?;
            let registry = setting.connect::<ClusterBackend>().await?;
            registry.backend().clone()
        }
    };
    // One cheap call: an unreachable store is one clear error up front.
    if let Err(e) = backend.revision().await {
        bail!(
            "cannot reach the {} backend at {}: {e}",
            config.backend,
            nodes.join(",")
        );
    }
    Ok(backend)
}

async fn serve(config: &Config, keyspace: Keyspace<ClusterBackend>) -> anyhow::Result<ExitCode> {
    let mode = Mode {
        noop: config.noop,
        sync_only: config.sync_only,
        keep_stage_file: config.keep_stage_file,
    };
    let (resources, errors) = flotta_confd::load_resources(config)?;
    let mut failed = !errors.is_empty();
    for e in &errors {
        eprintln!("flotta confd: {e}");
    }
    if config.onetime {
        for report in flotta_confd::run_once(&keyspace, &resources, mode).await {
            failed |= report.result.is_err();
            print_report(config, &report);
        }
        return Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    eprintln!(
        "flotta confd: {} template resource(s) from {}, {}",
        resources.len(),
        config.conf_d().display(),
        if config.watch {
            "watching".to_owned()
        } else {
            format!("every {} s", config.interval)
        }
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    let work = async {
        if config.watch {
            flotta_confd::run_watch(keyspace, resources, mode, tx).await;
            // As confd: with no resources, stay up (until a signal) doing nothing.
            std::future::pending::<()>().await;
        } else {
            flotta_confd::run_interval(config, &keyspace, mode, tx).await;
        }
    };
    let print = async {
        while let Some(report) = rx.recv().await {
            print_report(config, &report);
        }
        std::future::pending::<()>().await;
    };
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    tokio::select! {
        () = work => {}
        () = print => {}
        _ = tokio::signal::ctrl_c() => eprintln!("flotta confd: stopping"),
        _ = term.recv() => eprintln!("flotta confd: stopping"),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(config: &Config, report: &Report) {
    if config.json {
        let (result, error) = match &report.result {
            Ok(Outcome::InSync) => ("in-sync", None),
            Ok(Outcome::WouldChange) => ("would-change", None),
            Ok(Outcome::Updated { reloaded: true }) => ("reloaded", None),
            Ok(Outcome::Updated { reloaded: false }) => ("updated", None),
            Err(e) => ("error", Some(e.to_string())),
        };
        let line = serde_json::json!({
            "resource": report.resource,
            "dest": report.dest,
            "revision": report.revision,
            "result": result,
            "error": error,
            "error_kind": report.result.as_ref().err().map(|e: &ConfdError| format!("{:?}", e.kind()).to_lowercase()),
        });
        println!("{line}");
        return;
    }
    let dest = report.dest.display();
    match &report.result {
        Ok(Outcome::InSync) => tracing::debug!("{dest} in sync"),
        Ok(Outcome::WouldChange) => eprintln!("flotta confd: noop: {dest} would change"),
        Ok(Outcome::Updated { reloaded }) => eprintln!(
            "flotta confd: {dest} updated (revision {}){}",
            report.revision,
            if *reloaded { ", reloaded" } else { "" }
        ),
        Err(e) => eprintln!("flotta confd: error: {e}"),
    }
}
