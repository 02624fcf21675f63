//! `flotta`: run systemd-style units across a cluster.
//!
//! The binary is glue: argument parsing, output formatting and wiring. The logic
//! lives in the library crates so tests and the Python bindings reach it too.

mod cmd;
mod output;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use cmd::control::{Listing, Verb};

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

// Parsed once per run: the agent's many settings need no box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// The seed walkthrough on a dev cluster: four instances behind a
    /// balancer, then a fifth joining the rotation (Ctrl-C ends it).
    Demo(cmd::demo::DemoArgs),
    /// Check, parse and inspect unit files, unit names and specifiers.
    #[command(subcommand)]
    Unit(cmd::unit::UnitCommand),
    /// Plan where units would run on a described cluster, and explain why not.
    Plan(cmd::plan::PlanArgs),
    /// Run this machine's units: register it, run what is assigned to it,
    /// report states and endpoints (units survive an agent restart); with
    /// `--dev --machines N`, a whole development cluster in this process.
    Agent(cmd::agent::AgentArgs),
    /// Print a unit's journal on this machine (`-n`, `--since`, `-f`).
    Journal(cmd::journal::JournalArgs),
    /// Keep a load balancer following the registry: the built-in proxy
    /// (`--listen`) or external balancers' config files (`--config`).
    Balance(cmd::balance::BalanceArgs),
    /// confd, drop-in: its flags, `confd.toml`, template resources and Go
    /// templates, from etcd (`-backend etcdv3`) or a flotta API
    /// (`-backend flotta`); `flotta confd -h` lists the flags.
    Confd(cmd::confd::ConfdArgs),
    /// Inspect WebAssembly placement plugins.
    #[command(subcommand)]
    Plugin(cmd::plugin::PluginCommand),
    /// Store unit files in the cluster (a local file, else a local template,
    /// else a template already in the cluster).
    Submit(cmd::control::SubmitArgs),
    /// Place units on machines without starting them (target `loaded`).
    Load(cmd::control::LaunchArgs),
    /// Place and start units (target `launched`), waiting until they run.
    Start(cmd::control::LaunchArgs),
    /// Stop units, keeping them placed (target `loaded`).
    Stop(cmd::control::BlockArgs),
    /// Stop units, wait until their machines report them stopped, then
    /// start them again.
    Restart(cmd::control::BlockArgs),
    /// Stop units and take them off their machines (target `inactive`).
    Unload(cmd::control::BlockArgs),
    /// Remove units from the cluster.
    Destroy(cmd::control::UnitsArgs),
    /// Units and where they run: UNIT MACHINE ACTIVE SUB.
    ListUnits(cmd::control::ListArgs),
    /// Run instances 1..N of a template (`noop@1` … `noop@N`); instances
    /// numbered above N are destroyed.
    Scale(cmd::control::ScaleArgs),
    /// Unit files in the cluster: UNIT HASH DSTATE STATE TARGET.
    ListUnitFiles(cmd::control::ListArgs),
    /// Machines in the cluster: MACHINE IP METADATA.
    ListMachines(cmd::control::ListArgs),
    /// A unit's state on its machine, with the reason for a failure.
    Status(cmd::control::StatusArgs),
    /// Print a unit file as the cluster stores it.
    Cat(cmd::control::OneUnitArgs),
    /// Where a unit runs, or why it does not (machine by machine).
    Why(cmd::control::OneUnitArgs),
    /// Raw keys, etcdctl-style: get, set (with --ttl), ls, rm.
    #[command(subcommand)]
    Kv(cmd::kv::KvCommand),
    /// The seed's sample application: `GET /sample` greets, `GET /health`.
    #[command(hide = true)]
    Greeter {
        /// Address to listen on.
        #[arg(long, value_name = "ADDR:PORT")]
        listen: std::net::SocketAddr,
    },
    /// Drain a machine (its units move elsewhere) or let it take units again;
    /// crash or restart a dev cluster's machine.
    #[command(subcommand)]
    Machine(cmd::machine::MachineCommand),
    /// Print flotta's version (as `flotta --version`; fleetctl's `version`).
    Version,
    /// Print a shell completion script: `flotta completions bash >
    /// /etc/bash_completion.d/flotta`.
    Completions(cmd::docs::CompletionsArgs),
    /// Write man pages (`flotta.1`, `flotta-start.1`, …) into a directory.
    Man(cmd::docs::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `flotta confd` sets up logging itself, after reading confd's `-log-level`.
    if !matches!(cli.command, Command::Confd(_)) {
        init_tracing(&cli.log);
    }
    let result = match cli.command {
        Command::Unit(command) => command.run(),
        Command::Plan(args) => cmd::plan::run(&args),
        Command::Plugin(command) => command.run(),
        Command::Balance(args) => cmd::balance::run(&args),
        Command::Confd(args) => cmd::confd::run(&args, &cli.log),
        Command::Agent(args) => cmd::agent::run(&args),
        Command::Journal(args) => cmd::journal::run(&args),
        Command::Submit(args) => cmd::control::run_submit(&args),
        Command::Load(args) => cmd::control::run_launch(Verb::Load, &args),
        Command::Start(args) => cmd::control::run_launch(Verb::Start, &args),
        Command::Stop(args) => cmd::control::run_units(Verb::Stop, args.units(), Some(&args)),
        Command::Restart(args) => cmd::control::run_units(Verb::Restart, args.units(), Some(&args)),
        Command::Unload(args) => cmd::control::run_units(Verb::Unload, args.units(), Some(&args)),
        Command::Destroy(args) => cmd::control::run_units(Verb::Destroy, &args, None),
        Command::Scale(args) => cmd::control::run_scale(&args),
        Command::ListUnits(args) => cmd::control::run_list(Listing::Units, &args),
        Command::ListUnitFiles(args) => cmd::control::run_list(Listing::UnitFiles, &args),
        Command::ListMachines(args) => cmd::control::run_list(Listing::Machines, &args),
        Command::Status(args) => cmd::control::run_status(&args),
        Command::Cat(args) => cmd::control::run_cat(&args),
        Command::Why(args) => cmd::control::run_why(&args),
        Command::Kv(command) => command.run(),
        Command::Machine(command) => command.run(),
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Greeter { listen } => greeter(listen),
        Command::Version => {
            println!("flotta version {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions(args) => cmd::docs::completions(&args, Cli::command()),
        Command::Man(args) => cmd::docs::man(&args, Cli::command()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn greeter(listen: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    let rt = cmd::control::runtime()?;
    rt.block_on(async {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        // SIGTERM (a unit's stop) or Ctrl-C: finish the answers in progress.
        let stop = async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        flotta_balancer::greeter::run_until(listen, stop).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
