//! `flotta completions` and `flotta man`: shell completions and man pages,
//! generated from the same clap definitions that parse the arguments, so
//! they cannot drift from the flags (`scripts/test` compares the copies
//! committed under `docs/` with a fresh generation).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use clap_complete::Shell;

/// Arguments of `flotta completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    shell: Shell,
}

/// Arguments of `flotta man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Where to write the pages (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

/// Prints the completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> anyhow::Result<ExitCode> {
    clap_complete::generate(args.shell, &mut command, "flotta", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// Writes `flotta.1` and one page per subcommand (`flotta-start.1`, and
/// `flotta-unit-verify.1` for nested ones).
pub fn man(args: &ManArgs, command: clap::Command) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    clap_mangen::generate_to(command, &args.dir)
        .with_context(|| format!("writing man pages into {}", args.dir.display()))?;
    println!("man pages written to {}", args.dir.display());
    Ok(ExitCode::SUCCESS)
}
