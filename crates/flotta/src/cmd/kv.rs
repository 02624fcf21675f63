//! `flotta kv`: etcdctl-style raw keys, so units written for etcd (the
//! seed's `ExecStartPost=etcdctl set …`) can say `flotta kv set …` instead.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use flotta_registry::KvBackend;

use crate::cmd::control::{Cluster, connect, runtime};
use crate::output::print_json;

/// `flotta kv` subcommands.
#[derive(Debug, Subcommand)]
pub enum KvCommand {
    /// Print a key's value (exit 1 when it does not exist).
    Get(KeyArgs),
    /// Set a key, optionally expiring after `--ttl` seconds.
    Set(SetArgs),
    /// List keys under a prefix (`key value` per line, or `--json`).
    Ls(ListArgs),
    /// Remove a key (exit 1 when it did not exist).
    Rm(KeyArgs),
}

/// One key.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The key, an absolute path (`/applications/sample/app1`).
    key: String,
    #[command(flatten)]
    cluster: Cluster,
}

/// A key and its value.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The key, an absolute path.
    key: String,
    /// The value.
    value: String,
    /// Remove the key after this many seconds (etcdctl's `--ttl`).
    #[arg(long, value_name = "SECS")]
    ttl: Option<u64>,
    #[command(flatten)]
    cluster: Cluster,
}

/// A prefix.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The prefix (`/applications/sample/`).
    #[arg(default_value = "/")]
    prefix: String,
    /// A JSON object of key -> value.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    cluster: Cluster,
}

impl KvCommand {
    /// Runs the subcommand.
    pub fn run(&self) -> anyhow::Result<ExitCode> {
        let cluster = match self {
            KvCommand::Get(a) | KvCommand::Rm(a) => &a.cluster,
            KvCommand::Set(a) => &a.cluster,
            KvCommand::Ls(a) => &a.cluster,
        };
        runtime()?.block_on(async {
            let registry = connect(cluster).await?;
            match self {
                KvCommand::Get(a) => match registry.kv_get(&a.key).await? {
                    Some(v) => println!("{v}"),
                    None => {
                        eprintln!("{}: key not found", a.key);
                        return Ok(ExitCode::from(1));
                    }
                },
                KvCommand::Set(a) => {
                    let lease = match a.ttl {
                        Some(0) => bail!("--ttl must be at least 1 second"),
                        Some(s) => Some(
                            registry
                                .backend()
                                .grant(Duration::from_secs(s))
                                .await
                                .context("granting the TTL lease")?,
                        ),
                        None => None,
                    };
                    registry.kv_set(&a.key, &a.value, lease).await?;
                }
                KvCommand::Ls(a) => {
                    let all = registry.kv_list(&a.prefix).await?;
                    if a.json {
                        let map: serde_json::Map<String, serde_json::Value> = all
                            .into_iter()
                            .map(|(k, v)| (k, serde_json::Value::String(v)))
                            .collect();
                        print_json(&map)?;
                    } else {
                        for (k, v) in all {
                            println!("{k} {v}");
                        }
                    }
                }
                KvCommand::Rm(a) => {
                    if !registry.kv_delete(&a.key).await? {
                        eprintln!("{}: key not found", a.key);
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        })
    }
}
