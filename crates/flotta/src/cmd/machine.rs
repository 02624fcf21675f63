//! `flotta machine drain|undrain`: take a machine out of placement and
//! put it back; `crash|restart`: power a dev cluster's machine off and on.

use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use flotta_registry::model::Drain;

use crate::cmd::control::{Api, Cluster, connect, runtime};
use crate::output::print_json;

/// `flotta machine` subcommands.
#[derive(Debug, Subcommand)]
pub enum MachineCommand {
    /// Move a machine's units elsewhere and place nothing new on it.
    Drain(DrainArgs),
    /// Let a drained machine take units again (placed units stay put).
    Undrain(DrainArgs),
    /// Dev cluster only (`flotta agent --dev`): simulate a power loss. The
    /// machine's agent stops without a goodbye and its units are killed;
    /// the engine moves them after the lease TTL and grace period.
    Crash(DevMachineArgs),
    /// Dev cluster only: boot a crashed machine again.
    Restart(DevMachineArgs),
}

/// A dev cluster's machine.
#[derive(Debug, Args)]
pub struct DevMachineArgs {
    /// Machine ID, or a prefix of one (as `list-machines` shows).
    machine: String,
    #[command(flatten)]
    api: Api,
    /// Print the API's answer as JSON.
    #[arg(long)]
    json: bool,
}

impl DevMachineArgs {
    fn run(&self, action: &str) -> anyhow::Result<ExitCode> {
        let wanted = self.machine.trim_end_matches('.');
        let path = format!("/v1/dev/machines/{wanted}/{action}");
        let remote = self.api.remote()?;
        let (status, body) = runtime()?.block_on(remote.post(&path)).map_err(|e| {
            anyhow::anyhow!(
                "{e}: start a dev cluster with `flotta agent --dev --machines 3` or pass \
                     --endpoint"
            )
        })?;
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let message = body["error"]["message"].as_str().unwrap_or_default();
        match status {
            200 => {}
            404 if message.is_empty() => bail!(
                "the API at {} is not a dev cluster: `flotta machine {action}` works only with \
                 `flotta agent --dev`",
                self.api.endpoint()
            ),
            _ => bail!("{action} {wanted}: {message} (HTTP {status})"),
        }
        if self.json {
            print_json(&body)?;
            return Ok(ExitCode::SUCCESS);
        }
        let id = body["machine"].as_str().unwrap_or(wanted);
        match action {
            "crash" => println!(
                "Machine {id} crashed: {} unit process group(s) killed; its units move after \
                 the lease TTL and grace period",
                body["killed"].as_array().map_or(0, Vec::len)
            ),
            _ => println!("Machine {id} restarted"),
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// A machine.
#[derive(Debug, Args)]
pub struct DrainArgs {
    /// Machine ID, or a prefix of one that is registered (as `list-machines` shows).
    machine: String,
    /// Why (kept with the drain).
    #[arg(long, default_value = "")]
    reason: String,
    #[command(flatten)]
    cluster: Cluster,
}

impl MachineCommand {
    /// Runs the subcommand.
    pub fn run(&self) -> anyhow::Result<ExitCode> {
        let args = match self {
            MachineCommand::Drain(args) | MachineCommand::Undrain(args) => args,
            MachineCommand::Crash(args) => return args.run("crash"),
            MachineCommand::Restart(args) => return args.run("restart"),
        };
        runtime()?.block_on(async {
            let registry = connect(&args.cluster).await?;
            let wanted = args.machine.trim_end_matches('.');
            let ids: Vec<String> = registry
                .machines()
                .await?
                .items
                .into_iter()
                .map(|m| m.id)
                .filter(|id| id.starts_with(wanted))
                .collect();
            let id = match ids.as_slice() {
                [one] => one.clone(),
                [] if wanted.len() == 32 => wanted.to_owned(),
                [] => bail!("no registered machine ID starts with {wanted:?} (see `flotta list-machines --full`)"),
                many => bail!("{wanted:?} matches {} machines: {}", many.len(), many.join(", ")),
            };
            if matches!(self, MachineCommand::Drain(_)) {
                    registry
                        .put_drain(&Drain {
                            machine: id.clone(),
                            reason: args.reason.clone(),
                        })
                        .await?;
                    println!("Machine {id} draining: its units move elsewhere");
            } else if registry.delete_drain(&id).await? {
                println!("Machine {id} takes units again");
            } else {
                println!("Machine {id} was not drained");
            }
            Ok(ExitCode::SUCCESS)
        })
    }
}
