//! `flotta`: run systemd-style units across a cluster.
//!
//! The binary is glue: argument parsing, output formatting and wiring. The logic
//! lives in the library crates so tests and the Python bindings reach it too.

mod cmd;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run systemd-style units across a cluster (fleet + confd, rebuilt).
#[derive(Debug, Parser)]
#[command(name = "flotta", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`).
    #[arg(long, global = true, env = "FLOTTA_LOG", default_value = "warn")]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check, parse and inspect unit files, unit names and specifiers.
    #[command(subcommand)]
    Unit(cmd::unit::UnitCommand),
    /// Plan where units would run on a described cluster, and explain why not.
    Plan(cmd::plan::PlanArgs),
    /// Run this machine's units: register it, run what is assigned to it,
    /// report states and endpoints (units survive an agent restart).
    Agent(cmd::agent::AgentArgs),
    /// Keep a load balancer following the registry: the built-in proxy
    /// (`--listen`) or external balancers' config files (`--config`).
    Balance(cmd::balance::BalanceArgs),
    /// Inspect WebAssembly placement plugins.
    #[command(subcommand)]
    Plugin(cmd::plugin::PluginCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.log);
    let result = match cli.command {
        Command::Unit(command) => command.run(),
        Command::Plan(args) => cmd::plan::run(&args),
        Command::Plugin(command) => command.run(),
        Command::Balance(args) => cmd::balance::run(&args),
        Command::Agent(args) => cmd::agent::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
