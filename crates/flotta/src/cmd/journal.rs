//! `flotta journal`: a unit's output as its agent kept it: read from this
//! machine's state dir when the unit ran here, else from the flotta API
//! serving the unit's machine (`--endpoint`; the dev cluster serves all).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use flotta_agent::journal::{Entry, Journal, Stream};
use flotta_unit_spec::timespan::{TimeSpan, parse_timespan};

/// Arguments of `flotta journal`.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The unit (`sample.application@8080.service`).
    unit: String,
    /// The agent's state directory (the journal is its `journal/`).
    #[arg(long, env = "FLOTTA_STATE_DIR", default_value = "/var/lib/flotta")]
    state_dir: PathBuf,
    /// Show the last N entries (fleetctl's default: 10).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    lines: usize,
    /// Only entries newer than this long ago (`10min`, `2h`, `1d`).
    #[arg(long, value_name = "SPAN")]
    since: Option<String>,
    /// Keep printing entries as they are written, until Ctrl-C.
    #[arg(short, long)]
    follow: bool,
    /// One JSON object per line (`at_us`, `stream`, `text`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    cluster: crate::cmd::control::Cluster,
}

/// Prints the journal; with `--follow` it runs until interrupted.
pub fn run(args: &JournalArgs) -> anyhow::Result<ExitCode> {
    let since_us = since(args)?;
    let dir = args.state_dir.join("journal");
    let local = dir.is_dir()
        && Journal::open(&dir, u64::MAX)
            .and_then(|j| j.read(&args.unit, Some(1), None))
            .is_ok_and(|e| !e.is_empty());
    if !local {
        return remote(args, since_us);
    }
    let journal = Journal::open(&dir, u64::MAX)?;
    // Follow from the end before reading, so nothing falls between the two.
    let mut follow = journal.follow(&args.unit)?;
    for entry in journal.read(&args.unit, Some(args.lines), since_us)? {
        print_entry(&entry, args.json)?;
    }
    if !args.follow {
        return Ok(ExitCode::SUCCESS);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    rt.block_on(async {
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => return anyhow::Ok(()),
                got = follow.next(Duration::from_millis(200)) => {
                    for entry in got? {
                        print_entry(&entry, args.json)?;
                    }
                }
            }
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The journal of a unit on another machine, through the API.
fn remote(args: &JournalArgs, since_us: Option<u64>) -> anyhow::Result<ExitCode> {
    use futures::StreamExt;
    crate::cmd::control::runtime()?.block_on(async {
        let registry = crate::cmd::control::connect(&args.cluster).await?;
        let flotta_api::ClusterBackend::Remote(api) = registry.backend() else {
            bail!(
                "{} has no journal under {} and --etcd has no journals: ask the API \
                 of the unit's machine (--endpoint URL)",
                args.unit,
                args.state_dir.display()
            );
        };
        let Some(machine) = registry
            .unit_states()
            .await?
            .items
            .into_iter()
            .find(|s| s.unit == args.unit)
            .map(|s| s.machine)
        else {
            bail!("Unit {} does not appear to be running.", args.unit);
        };
        let mut lines = api
            .journal(&machine, &args.unit, args.lines, args.follow)
            .await?;
        loop {
            let line = tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                line = lines.next() => line,
            };
            let Some(line) = line else { break };
            let line = line?;
            if since_us.is_some_and(|s| line.at_us < s) {
                continue;
            }
            print_entry(&entry_of(line), args.json)?;
        }
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn entry_of(line: flotta_api::remote::JournalLine) -> Entry {
    Entry {
        at_us: line.at_us,
        stream: match line.stream.as_str() {
            "stdout" => Stream::Stdout,
            "stderr" => Stream::Stderr,
            _ => Stream::Agent,
        },
        text: line.text,
    }
}

/// The last `n` journal entries of `unit` on `machine`, for `flotta
/// status`: from `state_dir` when the unit ran on this machine, else from
/// the API; `None` when neither has them (etcd holds no journals).
pub(crate) async fn last_entries(
    registry: &flotta_registry::Registry<flotta_api::ClusterBackend>,
    state_dir: &std::path::Path,
    unit: &str,
    machine: &str,
    n: usize,
) -> Option<Vec<Entry>> {
    use futures::StreamExt;
    let local = Journal::open(state_dir.join("journal"), u64::MAX)
        .and_then(|j| j.read(unit, Some(n), None))
        .ok()
        .filter(|e| !e.is_empty());
    if local.is_some() {
        return local;
    }
    let flotta_api::ClusterBackend::Remote(api) = registry.backend() else {
        return None;
    };
    let lines = api.journal(machine, unit, n, false).await.ok()?;
    let lines: Vec<_> = lines.collect().await;
    lines.into_iter().map(|l| l.ok().map(entry_of)).collect()
}

/// How `flotta journal` prints an entry, without the JSON form.
pub(crate) fn entry_line(entry: &Entry) -> Vec<String> {
    entry
        .text
        .lines()
        .map(|line| format!("{} {}: {line}", entry.timestamp(), entry.stream))
        .collect()
}

fn since(args: &JournalArgs) -> anyhow::Result<Option<u64>> {
    Ok(match &args.since {
        None => None,
        Some(span) => match parse_timespan(span) {
            Ok(TimeSpan::Finite(d)) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                Some(u64::try_from(now.saturating_sub(d).as_micros()).unwrap_or(u64::MAX))
            }
            Ok(TimeSpan::Infinity) => Some(0),
            Err(e) => bail!("--since {span:?}: {e}"),
        },
    })
}

fn print_entry(entry: &Entry, json: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(entry)?)?;
    } else {
        for line in entry_line(entry) {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
}
