//! `flotta machine drain|undrain`: take a machine out of placement and
//! put it back.

use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use flotta_registry::model::Drain;

use crate::cmd::control::{Cluster, connect, runtime};

/// `flotta machine` subcommands.
#[derive(Debug, Subcommand)]
pub enum MachineCommand {
    /// Move a machine's units elsewhere and place nothing new on it.
    Drain(DrainArgs),
    /// Let a drained machine take units again (placed units stay put).
    Undrain(DrainArgs),
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
        let (MachineCommand::Drain(args) | MachineCommand::Undrain(args)) = self;
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
            match self {
                MachineCommand::Drain(_) => {
                    registry
                        .put_drain(&Drain {
                            machine: id.clone(),
                            reason: args.reason.clone(),
                        })
                        .await?;
                    println!("Machine {id} draining: its units move elsewhere");
                }
                MachineCommand::Undrain(_) => {
                    if registry.delete_drain(&id).await? {
                        println!("Machine {id} takes units again");
                    } else {
                        println!("Machine {id} was not drained");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        })
    }
}
