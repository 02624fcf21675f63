//! fleetctl's commands, against the registry: submit, load, start, stop,
//! unload, destroy, list-units, list-unit-files, list-machines, status, cat,
//! and `why` (which fleet could not answer).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use flotta_api::ClusterBackend;
use flotta_api::discover::{DEV_ENDPOINT, Driver, Target, discover};
use flotta_api::remote::{Remote, RemoteOptions};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Machine, TargetState, Unit, UnitState};
use flotta_registry::{Registry, RegistryError};
use flotta_scheduler::UnitSpec;
use flotta_unit_spec::glob::glob_match;
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::syntax::UnitFile;
use serde_json::{Value, json};

use crate::cmd::agent_config::EtcdSetting;
use crate::output::print_json;

/// The flotta API a command talks to.
#[derive(Debug, Args)]
pub struct Api {
    /// The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with
    /// --ca-file) or `unix:/path`. Unset: fleetctl's `FLEETCTL_ENDPOINT`,
    /// else the dev cluster's `http://127.0.0.1:4949`.
    #[arg(long, env = "FLOTTA_ENDPOINT", value_name = "URL")]
    endpoint: Option<String>,
    /// Bearer token for the API (its `--api-token`). Unset, for a loopback
    /// endpoint: the one the agent generated for this user, if any.
    #[arg(
        long,
        env = "FLOTTA_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
    /// File holding the bearer token (an agent's state dir has api.token,
    /// and api-read.token, which can only read).
    #[arg(long, env = "FLOTTA_TOKEN_FILE", value_name = "FILE")]
    token_file: Option<std::path::PathBuf>,
    /// CA certificate (PEM) that signed an https:// endpoint's certificate.
    #[arg(long, env = "FLOTTA_CA_FILE", value_name = "FILE")]
    ca_file: Option<std::path::PathBuf>,
}

impl Api {
    /// Where this command goes: `--endpoint`, else what
    /// [`flotta_api::discover`] finds (fleetctl's variables, the dev cluster).
    fn target(&self) -> Target {
        match &self.endpoint {
            Some(endpoint) => Target::Api {
                endpoint: endpoint.clone(),
                token: self.token.clone(),
            },
            None => match discover() {
                Target::Api { endpoint, token } => Target::Api {
                    endpoint,
                    token: self.token.clone().or(token),
                },
                etcd => etcd,
            },
        }
    }

    /// The API's URL.
    pub fn endpoint(&self) -> String {
        match self.target() {
            Target::Api { endpoint, .. } => endpoint,
            Target::Etcd(_) => DEV_ENDPOINT.to_owned(),
        }
    }

    /// A client for the API (it connects on its first call).
    pub fn remote(&self) -> anyhow::Result<Remote> {
        let endpoint = self.endpoint();
        self.remote_at(&endpoint)
    }

    fn remote_at(&self, endpoint: &str) -> anyhow::Result<Remote> {
        let mut options = RemoteOptions::new(endpoint);
        options.token = match (&self.token, &self.token_file) {
            (None, Some(file)) => Some(
                flotta_api::read_token_file(file)
                    .map_err(|e| anyhow::anyhow!("--token-file: {e}"))?,
            ),
            _ => match self.target() {
                Target::Api { token, .. } => token,
                Target::Etcd(_) => self.token.clone(),
            },
        };
        options.ca_file = self.ca_file.clone();
        Remote::new(options).with_context(|| format!("--endpoint {endpoint}"))
    }
}

/// Where the cluster is, and fleetctl's connection flags.
#[derive(Debug, Args)]
pub struct Cluster {
    #[command(flatten)]
    api: Api,
    /// etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint).
    #[arg(long, env = "FLOTTA_ETCD", value_delimiter = ',', value_name = "URL")]
    etcd: Vec<String>,
    /// With --etcd: the cluster's key prefix (default `/flotta/v1/`).
    #[arg(long, env = "FLOTTA_ETCD_PREFIX", value_name = "PREFIX")]
    etcd_prefix: Option<String>,
    /// With --etcd: CA certificate that signed etcd's (PEM); https:// URLs.
    #[arg(long, env = "FLOTTA_ETCD_CACERT", value_name = "FILE")]
    etcd_cacert: Option<std::path::PathBuf>,
    /// With --etcd: client certificate (PEM), with --etcd-key.
    #[arg(long, env = "FLOTTA_ETCD_CERT", value_name = "FILE")]
    etcd_cert: Option<std::path::PathBuf>,
    /// With --etcd: client key (PEM), with --etcd-cert.
    #[arg(long, env = "FLOTTA_ETCD_KEY", value_name = "FILE")]
    etcd_key: Option<std::path::PathBuf>,
    /// With --etcd: `USER:PASSWORD`.
    #[arg(
        long,
        env = "FLOTTA_ETCD_USER",
        value_name = "USER:PASS",
        hide_env_values = true
    )]
    etcd_user: Option<String>,
    /// fleetctl's `--driver`: `api` (its default) or `etcd`, which makes
    /// `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd's URLs.
    #[arg(long, env = "FLEETCTL_DRIVER", value_parser = ["api", "etcd"], hide_short_help = true)]
    driver: Option<String>,
    /// Accepted for fleetctl compatibility: flotta talks to the API or
    /// etcd directly, so no SSH tunnel is opened (a note says so).
    #[arg(long, value_name = "HOST", hide_short_help = true)]
    tunnel: Option<String>,
    /// Accepted for fleetctl compatibility (no SSH is involved; a note says so).
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        default_missing_value = "true",
        hide_short_help = true
    )]
    strict_host_key_checking: Option<String>,
}

impl Cluster {
    /// Where the commands go: `--etcd`, else `--driver etcd` with
    /// `--endpoint`, else the API (see [`Api::target`]).
    fn target(&self) -> Target {
        if !self.etcd.is_empty() {
            return Target::Etcd(self.etcd.clone());
        }
        match (
            self.driver.as_deref().and_then(Driver::parse),
            &self.api.endpoint,
        ) {
            (Some(Driver::Etcd), Some(endpoint)) => Target::Etcd(
                endpoint
                    .split(',')
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect(),
            ),
            _ => self.api.target(),
        }
    }

    /// fleetctl's SSH flags do nothing here; say so once, on stderr.
    fn note_ssh_flags(&self) {
        if let Some(host) = &self.tunnel {
            eprintln!(
                "note: --tunnel {host} is not needed: flotta talks to the cluster's API \
                 (or etcd) directly, not over SSH"
            );
        }
        if self.strict_host_key_checking.is_some() {
            eprintln!(
                "note: --strict-host-key-checking has no effect: flotta opens no SSH connection"
            );
        }
    }
}

/// Units to act on.
#[derive(Debug, Args)]
pub struct UnitsArgs {
    /// Unit names or files; globs (`sample.application.*`) match units in the cluster.
    #[arg(required = true, value_name = "UNIT")]
    units: Vec<String>,
    #[command(flatten)]
    cluster: Cluster,
}

/// Units to act on, waiting for them.
#[derive(Debug, Args)]
pub struct BlockArgs {
    #[command(flatten)]
    units: UnitsArgs,
    /// Give up waiting after N checks a quarter second apart (0: wait as long as it takes).
    #[arg(long, default_value_t = 0, value_name = "N")]
    block_attempts: u32,
    /// Do not wait for the units to reach their state.
    #[arg(long)]
    no_block: bool,
}

impl BlockArgs {
    /// The units and cluster.
    pub fn units(&self) -> &UnitsArgs {
        &self.units
    }
}

/// Units to submit.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    units: UnitsArgs,
    /// Replace units already in the cluster with different contents (as
    /// fleetctl's --replace): each runs its new contents where it runs, or
    /// moves if they no longer fit its machine.
    #[arg(long)]
    replace: bool,
}

/// Units to load or start, waiting for them.
#[derive(Debug, Args)]
pub struct LaunchArgs {
    #[command(flatten)]
    block: BlockArgs,
    /// Replace units already in the cluster with the local files' contents
    /// (as fleetctl's --replace): each is restarted with its new contents
    /// where it runs, or moves if they no longer fit its machine.
    #[arg(long)]
    replace: bool,
}

/// What `submit`, `load` and `start` do with a unit already in the cluster
/// whose contents differ from the local file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnChange {
    /// Refuse, naming both hashes (fleet's default).
    Refuse,
    /// Store the new contents (fleetctl's `--replace`).
    Replace,
}

/// `submit [--replace]`.
pub fn run_submit(args: &SubmitArgs) -> anyhow::Result<ExitCode> {
    run_units_with(Verb::Submit, &args.units, None, on_change(args.replace))
}

/// `load|start [--replace]`.
pub fn run_launch(verb: Verb, args: &LaunchArgs) -> anyhow::Result<ExitCode> {
    run_units_with(
        verb,
        args.block.units(),
        Some(&args.block),
        on_change(args.replace),
    )
}

fn on_change(replace: bool) -> OnChange {
    if replace {
        OnChange::Replace
    } else {
        OnChange::Refuse
    }
}

/// Table output.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    cluster: Cluster,
    /// Print no header row.
    #[arg(long)]
    no_legend: bool,
    /// Full machine IDs and hashes.
    #[arg(long)]
    full: bool,
    /// Columns to print, comma-separated (see the header names, lowercase).
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    fields: Vec<String>,
    /// Rows as a JSON array of objects.
    #[arg(long)]
    json: bool,
}

/// One unit.
#[derive(Debug, Args)]
pub struct OneUnitArgs {
    /// The unit.
    unit: String,
    #[command(flatten)]
    cluster: Cluster,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// The operation a command performs, for the shared runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// Store unit files.
    Submit,
    /// Target `loaded`.
    Load,
    /// Target `launched`.
    Start,
    /// Target `loaded` (from `launched`).
    Stop,
    /// Target `inactive`.
    Unload,
    /// Remove.
    Destroy,
    /// `stop`, waiting for the units to stop, then `start`.
    Restart,
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")
}

pub(crate) async fn connect(cluster: &Cluster) -> anyhow::Result<Registry<ClusterBackend>> {
    cluster.note_ssh_flags();
    let endpoint = match cluster.target() {
        Target::Etcd(urls) => return connect_etcd(cluster, urls).await,
        Target::Api { endpoint, .. } => endpoint,
    };
    let remote = cluster.api.remote_at(&endpoint)?;
    // One cheap call, so an absent API is one clear error, not the first
    // command's.
    if let Err(e) = remote.revision().await {
        let text = e.to_string();
        if text.contains("401") || text.contains("403") || text.to_lowercase().contains("token") {
            bail!(
                "{text} (pass --token or --token-file, or set FLOTTA_TOKEN; an agent keeps its \
                 token in its state dir's api.token)"
            );
        }
        bail!(
            "no flotta API at {endpoint}: start one with `flotta agent --dev --machines 3`, \
             or pass --endpoint URL or --etcd URL ({text})"
        );
    }
    Ok(Registry::new(ClusterBackend::Remote(remote)))
}

async fn connect_etcd(
    cluster: &Cluster,
    urls: Vec<String>,
) -> anyhow::Result<Registry<ClusterBackend>> {
    let shown = urls.join(",");
    let setting = EtcdSetting::new(
        urls,
        cluster.etcd_prefix.clone(),
        cluster.etcd_cacert.clone(),
        cluster.etcd_cert.clone(),
        cluster.etcd_key.clone(),
        cluster.etcd_user.clone(),
    )?;
    let registry: Registry<ClusterBackend> = setting.connect().await?;
    // One cheap call, so an unreachable etcd (or a TLS mismatch) is one
    // clear error, not the first command's.
    if let Err(e) = registry.backend().revision().await {
        bail!("cannot reach etcd at {shown}: {e}");
    }
    Ok(registry)
}

/// `submit`, `load`, `start`, `stop`, `unload`, `destroy`.
pub fn run_units(
    verb: Verb,
    args: &UnitsArgs,
    block: Option<&BlockArgs>,
) -> anyhow::Result<ExitCode> {
    run_units_with(verb, args, block, OnChange::Refuse)
}

fn run_units_with(
    verb: Verb,
    args: &UnitsArgs,
    block: Option<&BlockArgs>,
    change: OnChange,
) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let wait = block.filter(|b| !b.no_block).map(|b| b.block_attempts);
        act(&registry, verb, &args.units, wait, false, change).await
    })
}

/// Progress lines: stdout, or stderr when stdout carries `--json`.
fn say(quiet: bool, line: &str) {
    if quiet {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

async fn act<B: KvBackend>(
    registry: &Registry<B>,
    verb: Verb,
    args: &[String],
    wait: Option<u32>,
    quiet: bool,
    change: OnChange,
) -> anyhow::Result<ExitCode> {
    // Check everything first: a bad argument changes nothing.
    let mut names = Vec::new();
    for arg in args {
        if is_glob(arg) {
            let matched = matching(registry, arg).await?;
            if matched.is_empty() {
                bail!("no unit in the cluster matches {arg:?}");
            }
            names.extend(matched);
        } else if verb == Verb::Destroy
            || (verb != Verb::Submit
                && change == OnChange::Refuse
                && registry_has(registry, arg).await?)
        {
            if verb != Verb::Destroy {
                warn_if_changed(registry, arg).await;
            }
            names.push(base_name(arg)?);
        } else {
            // fleetctl submits what it starts, loads or stops.
            names.push(submit(registry, arg, change).await?);
        }
    }
    let target = match verb {
        Verb::Submit => return Ok(ExitCode::SUCCESS),
        Verb::Destroy => {
            for name in &names {
                if registry.delete_unit(name).await? {
                    say(quiet, &format!("Destroyed {name}"));
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Verb::Load | Verb::Stop => TargetState::Loaded,
        Verb::Start | Verb::Restart => TargetState::Launched,
        Verb::Unload => TargetState::Inactive,
    };
    for name in &names {
        if UnitName::parse(name).is_ok_and(|n| n.kind() == UnitKind::Template) {
            bail!(
                "{name} is a template: start an instance of it (e.g. {})",
                name.replace("@.", "@1.")
            );
        }
    }
    if verb == Verb::Restart {
        stop_running(registry, &names, wait.unwrap_or(0), quiet).await?;
    }
    for name in &names {
        set_target(registry, name, target).await?;
    }
    let Some(attempts) = wait else {
        for name in &names {
            say(quiet, &format!("Triggered unit {name} {}", verb_word(verb)));
        }
        return Ok(ExitCode::SUCCESS);
    };
    wait_for(registry, &names, target, attempts, quiet).await
}

/// `restart`'s first half: the units that run anywhere are stopped, and
/// their machines report it, before they are started again (a target that
/// went `loaded` and back to `launched` unseen would start nothing).
async fn stop_running<B: KvBackend>(
    registry: &Registry<B>,
    names: &[String],
    attempts: u32,
    quiet: bool,
) -> anyhow::Result<()> {
    let states = registry.unit_states().await?.items;
    let running: Vec<String> = names
        .iter()
        .filter(|n| {
            states.iter().any(|s| {
                &s.unit == *n && matches!(s.active_state.as_str(), "active" | "activating")
            })
        })
        .cloned()
        .collect();
    for name in &running {
        set_target(registry, name, TargetState::Loaded).await?;
    }
    if running.is_empty() {
        return Ok(());
    }
    if wait_for(registry, &running, TargetState::Loaded, attempts, quiet).await?
        != ExitCode::SUCCESS
    {
        bail!("the units did not stop; not starting them again");
    }
    Ok(())
}

fn verb_word(verb: Verb) -> &'static str {
    match verb {
        Verb::Start => "start",
        Verb::Restart => "restart",
        Verb::Stop => "stop",
        Verb::Load => "load",
        Verb::Unload => "unload",
        Verb::Submit => "submit",
        Verb::Destroy => "destroy",
    }
}

async fn set_target<B: KvBackend>(
    registry: &Registry<B>,
    name: &str,
    target: TargetState,
) -> anyhow::Result<()> {
    // The unit can change between read and write (an agent does not write
    // units, but another controller may): retry the compare-and-swap.
    for _ in 0..5 {
        match registry.set_target_state(name, target).await {
            Ok(_) => return Ok(()),
            Err(RegistryError::Conflict { .. }) => continue,
            Err(e) => return Err(e).with_context(|| format!("setting {name} to {target:?}")),
        }
    }
    bail!("{name} kept changing while its target state was set; try again")
}

fn is_glob(arg: &str) -> bool {
    arg.contains(['*', '?', '['])
}

async fn matching<B: KvBackend>(
    registry: &Registry<B>,
    pattern: &str,
) -> anyhow::Result<Vec<String>> {
    Ok(all_units(registry)
        .await?
        .into_iter()
        .map(|u| u.name)
        .filter(|n| glob_match(pattern, n))
        .collect())
}

/// fleetctl's name mangling: the file name, with `.service` added when it
/// has no unit suffix (`hello` is `hello.service`).
fn base_name(arg: &str) -> anyhow::Result<String> {
    let name = Path::new(arg)
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{arg:?} is not a unit name"))?;
    const SUFFIXES: [&str; 7] = [
        ".service",
        ".socket",
        ".timer",
        ".path",
        ".device",
        ".mount",
        ".automount",
    ];
    let name = if SUFFIXES.iter().any(|s| name.ends_with(s)) {
        name.to_owned()
    } else {
        format!("{name}.service")
    };
    UnitName::parse(&name).with_context(|| format!("{arg:?} is not a unit name"))?;
    Ok(name)
}

/// fleetctl's warning when the local file of a unit in the cluster differs
/// from it (the unit acted on is the cluster's).
async fn warn_if_changed<B: KvBackend>(registry: &Registry<B>, arg: &str) {
    let Ok(name_text) = base_name(arg) else {
        return;
    };
    let Ok(name) = UnitName::parse(&name_text) else {
        return;
    };
    let dir = Path::new(arg)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(path) = super::plan::find_unit_file(dir, &name) else {
        return;
    };
    let local = std::fs::read(&path)
        .ok()
        .and_then(|bytes| UnitFile::parse_bytes(&bytes).ok());
    if let (Some(local), Ok(Some(stored))) = (local, registry.unit(&name_text).await)
        && local.hash().to_string() != stored.hash
    {
        eprintln!(
            "WARNING: Unit {name_text} in the cluster differs from local unit file {}. Add --replace to override.",
            path.display()
        );
    }
}

async fn registry_has<B: KvBackend>(registry: &Registry<B>, arg: &str) -> anyhow::Result<bool> {
    Ok(registry.unit(&base_name(arg)?).await?.is_some())
}

/// Stores one unit the way fleetctl finds it: the local file of that name,
/// else the local template, else the template already in the cluster.
/// Returns its name.
async fn submit<B: KvBackend>(
    registry: &Registry<B>,
    arg: &str,
    change: OnChange,
) -> anyhow::Result<String> {
    let name_text = base_name(arg)?;
    let name = UnitName::parse(&name_text)?;
    let dir = Path::new(arg)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (file, source) = match super::plan::find_unit_file(dir, &name) {
        Ok(path) => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let file = UnitFile::parse_bytes(&bytes).map_err(|e| e.with_file(&path))?;
            (file, path.display().to_string())
        }
        Err(local) => {
            let template = name.template().map(|t| t.to_string());
            let stored = match &template {
                Some(t) => registry.unit(t).await?,
                None => None,
            };
            let Some(stored) = stored else {
                bail!("{local:#}, and no template for {name_text} is in the cluster");
            };
            let file = stored
                .unit_file()
                .map_err(|e| anyhow::anyhow!("{}: {e}", stored.name))?;
            (file, format!("{} in the cluster", stored.name))
        }
    };
    // What the engine will need must hold now, not fail later.
    if name.kind() != UnitKind::Template {
        UnitSpec::from_unit(&file, &name).with_context(|| source.clone())?;
    }
    let mut unit = Unit::new(&name_text, &file, TargetState::Inactive);
    match registry.unit(&name_text).await? {
        Some(existing) if existing.hash == unit.hash => {}
        Some(existing) if change == OnChange::Replace => {
            // New contents, same target: the agents restart it with them.
            unit.target_state = existing.target_state;
            match registry
                .put_unit(&unit, Some(existing.modified_revision))
                .await
            {
                Ok(_) => {}
                Err(RegistryError::Conflict { .. }) => {
                    bail!(
                        "{name_text} changed in the cluster just now; check `flotta cat {name_text}`"
                    )
                }
                Err(e) => return Err(e.into()),
            }
        }
        Some(existing) => bail!(
            "{name_text} is already in the cluster with different contents (hash {} there, {} in {source}); \
             `flotta cat {name_text}` shows it, --replace replaces it",
            short(&existing.hash),
            short(&unit.hash)
        ),
        None => match registry.put_unit(&unit, Some(0)).await {
            Ok(_) => {}
            Err(RegistryError::Conflict { .. }) => {
                bail!(
                    "{name_text} was submitted by someone else just now; check `flotta cat {name_text}`"
                )
            }
            Err(e) => return Err(e.into()),
        },
    }
    Ok(name_text)
}

fn short(hash: &str) -> &str {
    hash.get(..7).unwrap_or(hash)
}

/// Waits until every unit reached `target`, printing fleetctl's lines.
async fn wait_for<B: KvBackend>(
    registry: &Registry<B>,
    names: &[String],
    target: TargetState,
    attempts: u32,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let mut pending: Vec<&String> = names.iter().collect();
    let mut attempt = 0u32;
    loop {
        let states = registry.unit_states().await?.items;
        let machines = machines(registry).await?;
        let mut still = Vec::new();
        for name in pending {
            let mine: Vec<&UnitState> = states.iter().filter(|s| &s.unit == name).collect();
            let reached = match target {
                TargetState::Launched => mine.iter().find(|s| s.active_state == "active"),
                TargetState::Loaded => mine.iter().find(|s| {
                    !matches!(
                        s.active_state.as_str(),
                        "active" | "activating" | "deactivating"
                    )
                }),
                TargetState::Inactive => None,
            };
            let failed = mine.iter().find(|s| s.active_state == "failed");
            match (target, reached, failed) {
                (TargetState::Launched, None, Some(f)) => {
                    let why = f.reason.as_deref().unwrap_or("see `flotta status`");
                    bail!(
                        "{name} failed on {}: {why}",
                        machine_label(&f.machine, &machines, false)
                    );
                }
                (TargetState::Inactive, ..) if mine.is_empty() => {
                    say(quiet, &format!("Unit {name} inactive"))
                }
                (_, Some(s), _) => say(
                    quiet,
                    &format!(
                        "Unit {name} {} on {}",
                        if target == TargetState::Launched {
                            "launched"
                        } else {
                            "loaded"
                        },
                        machine_label(&s.machine, &machines, false)
                    ),
                ),
                _ => still.push(name),
            }
        }
        if still.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        attempt += 1;
        if attempts > 0 && attempt >= attempts {
            let list: Vec<&str> = still.iter().map(|s| s.as_str()).collect();
            eprintln!(
                "gave up after {attempts} attempts; still waiting for: {} (`flotta why UNIT` explains an unplaced one)",
                list.join(", ")
            );
            return Ok(ExitCode::from(1));
        }
        if attempt.is_multiple_of(20) {
            eprintln!(
                "still waiting for {} unit(s), {} s so far…",
                still.len(),
                attempt / 4
            );
        }
        pending = still;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn all_units<B: KvBackend>(registry: &Registry<B>) -> anyhow::Result<Vec<Unit>> {
    Ok(registry.all_units().await?.items)
}

async fn machines<B: KvBackend>(
    registry: &Registry<B>,
) -> anyhow::Result<BTreeMap<String, Machine>> {
    Ok(registry
        .machines()
        .await?
        .items
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect())
}

/// fleetctl's `148a18ff.../10.10.1.1`.
fn machine_label(id: &str, machines: &BTreeMap<String, Machine>, full: bool) -> String {
    let shown = if full {
        id.to_owned()
    } else {
        format!("{}...", id.get(..8).unwrap_or(id))
    };
    match machines.get(id).map(|m| m.public_ip.as_str()) {
        Some(ip) if !ip.is_empty() => format!("{shown}/{ip}"),
        _ => shown,
    }
}

/// `list-units`, `list-unit-files`, `list-machines`.
#[derive(Debug, Clone, Copy)]
pub enum Listing {
    /// `UNIT MACHINE ACTIVE SUB`.
    Units,
    /// `UNIT HASH DSTATE STATE TARGET`.
    UnitFiles,
    /// `MACHINE IP METADATA`.
    Machines,
}

/// Prints one of fleetctl's tables.
pub fn run_list(what: Listing, args: &ListArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let (header, rows) = list(&registry, what, args.full).await?;
        print_table(&header, &rows, args)
    })
}

async fn list<B: KvBackend>(
    registry: &Registry<B>,
    what: Listing,
    full: bool,
) -> anyhow::Result<(Vec<&'static str>, Vec<Vec<String>>)> {
    let machines = machines(registry).await?;
    let label = |id: &str| machine_label(id, &machines, full);
    Ok(match what {
        Listing::Machines => (
            vec!["MACHINE", "IP", "METADATA"],
            machines
                .values()
                .map(|m| {
                    let meta: Vec<String> = m
                        .metadata
                        .iter()
                        .flat_map(|(k, vs)| vs.iter().map(move |v| format!("{k}={v}")))
                        .collect();
                    vec![
                        if full {
                            m.id.clone()
                        } else {
                            format!("{}...", m.id.get(..8).unwrap_or(&m.id))
                        },
                        m.public_ip.clone(),
                        if meta.is_empty() {
                            "-".into()
                        } else {
                            meta.join(",")
                        },
                    ]
                })
                .collect(),
        ),
        // As fleetctl: what the machines report, unit by unit.
        Listing::Units => {
            let units: BTreeMap<String, Unit> = all_units(registry)
                .await?
                .into_iter()
                .map(|u| (u.name.clone(), u))
                .collect();
            let rows = registry
                .unit_states()
                .await?
                .items
                .into_iter()
                .map(|s| {
                    let hash = units
                        .get(&s.unit)
                        .map_or(s.hash.as_str(), |u| u.hash.as_str());
                    vec![
                        s.unit.clone(),
                        label(&s.machine),
                        s.active_state.clone(),
                        s.sub_state.clone(),
                        s.load_state.clone(),
                        if full {
                            hash.to_owned()
                        } else {
                            short(hash).to_owned()
                        },
                    ]
                })
                .collect();
            (
                vec!["UNIT", "MACHINE", "ACTIVE", "SUB", "LOAD", "HASH"],
                rows,
            )
        }
        Listing::UnitFiles => {
            let states = registry.unit_states().await?.items;
            let assigned = registry.placements().await?;
            let rows = all_units(registry)
                .await?
                .into_iter()
                .map(|unit| {
                    let current = if is_template(&unit.name) {
                        "-"
                    } else if states
                        .iter()
                        .any(|s| s.unit == unit.name && s.active_state == "active")
                    {
                        "launched"
                    } else if states.iter().any(|s| s.unit == unit.name) {
                        "loaded"
                    } else {
                        "inactive"
                    };
                    vec![
                        unit.name.clone(),
                        if full {
                            unit.hash.clone()
                        } else {
                            short(&unit.hash).to_owned()
                        },
                        unit.target_state.as_str().into(),
                        current.into(),
                        assigned
                            .get(&unit.name)
                            .map_or_else(|| "-".into(), |m| label(m)),
                    ]
                })
                .collect();
            (vec!["UNIT", "HASH", "DSTATE", "STATE", "TARGET"], rows)
        }
    })
}

fn is_template(name: &str) -> bool {
    UnitName::parse(name).is_ok_and(|n| n.kind() == UnitKind::Template)
}

fn print_table(header: &[&str], rows: &[Vec<String>], args: &ListArgs) -> anyhow::Result<ExitCode> {
    // The default columns are fleetctl's; extra ones come with --fields.
    let default = match header.first() {
        Some(&"UNIT") if header.get(1) == Some(&"MACHINE") => 4,
        _ => header.len(),
    };
    let wanted: Vec<usize> = if args.fields.is_empty() {
        (0..default).collect()
    } else {
        let mut idx = Vec::new();
        for f in &args.fields {
            match header.iter().position(|h| h.eq_ignore_ascii_case(f.trim())) {
                Some(i) => idx.push(i),
                None => bail!(
                    "--fields: unknown field {f:?}; this table has {}",
                    header
                        .iter()
                        .map(|h| h.to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
        idx
    };
    if args.json {
        let objects: Vec<Value> = rows
            .iter()
            .map(|r| {
                Value::Object(
                    wanted
                        .iter()
                        .map(|&i| (header[i].to_lowercase(), json!(r[i])))
                        .collect(),
                )
            })
            .collect();
        print_json(&objects)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut widths: Vec<usize> = wanted
        .iter()
        .map(|&i| if args.no_legend { 0 } else { header[i].len() })
        .collect();
    for r in rows {
        for (w, &i) in widths.iter_mut().zip(&wanted) {
            *w = (*w).max(r[i].chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (k, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            out.push_str(cell);
            if k < last {
                out.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        println!("{out}");
    };
    if !args.no_legend {
        line(wanted.iter().map(|&i| header[i]).collect());
    }
    for r in rows {
        line(wanted.iter().map(|&i| r[i].as_str()).collect());
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `flotta status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    units: UnitsArgs,
    /// Journal lines to show (systemctl's default: 10; 0 for none).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    lines: usize,
    /// The local agent's state directory, for journals of units that run
    /// on this machine (others come from the API).
    #[arg(long, env = "FLOTTA_STATE_DIR", default_value = "/var/lib/flotta")]
    state_dir: std::path::PathBuf,
}

/// `status`: systemctl-style, from what the unit's machine reports, with
/// its last journal lines.
pub fn run_status(args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let units = &args.units;
    runtime()?.block_on(async {
        let registry = connect(&units.cluster).await?;
        let machines = machines(&registry).await?;
        let states = registry.unit_states().await?.items;
        let now_ms = now_ms();
        let mut code = ExitCode::SUCCESS;
        for arg in &units.units {
            let names = if is_glob(arg) {
                matching(&registry, arg).await?
            } else {
                vec![base_name(arg)?]
            };
            for name in names {
                let Some(unit) = registry.unit(&name).await? else {
                    eprintln!("Unit {name} does not exist.");
                    code = ExitCode::from(1);
                    continue;
                };
                let description = unit
                    .unit_file()
                    .ok()
                    .and_then(|f| f.value("Unit", "Description").map(str::to_owned));
                let mine: Vec<&UnitState> = states.iter().filter(|s| s.unit == name).collect();
                println!(
                    "● {name}{}",
                    description.map(|d| format!(" - {d}")).unwrap_or_default()
                );
                if mine.is_empty() {
                    println!(
                        "   Loaded: not running anywhere (target {})",
                        unit.target_state.as_str()
                    );
                    if let Some(d) = registry.decision(&name).await? {
                        println!("      Why: {}", d.summary);
                    }
                    code = ExitCode::from(3);
                }
                for s in mine {
                    println!("   Loaded: {}", s.load_state);
                    println!(
                        "   Active: {} ({}) since {}",
                        s.active_state,
                        s.sub_state,
                        since_text(s.since_ms, now_ms)
                    );
                    if let Some(pid) = s.main_pid {
                        println!(" Main PID: {pid}");
                    }
                    if let Some(reason) = &s.reason {
                        println!("   Reason: {reason}");
                    }
                    println!("  Machine: {}", machine_label(&s.machine, &machines, true));
                    if s.active_state != "active" {
                        code = ExitCode::from(3);
                    }
                    if args.lines == 0 {
                        continue;
                    }
                    let entries = crate::cmd::journal::last_entries(
                        &registry,
                        &args.state_dir,
                        &name,
                        &s.machine,
                        args.lines,
                    )
                    .await;
                    if let Some(entries) = entries.filter(|e| !e.is_empty()) {
                        println!();
                        for entry in &entries {
                            for line in crate::cmd::journal::entry_line(entry) {
                                println!("{line}");
                            }
                        }
                    }
                }
            }
        }
        Ok(code)
    })
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// systemctl's `Tue 2026-12-01 12:35:55 UTC; 3min 2s ago`.
fn since_text(since_ms: u64, now_ms: u64) -> String {
    let at = i64::try_from(since_ms)
        .ok()
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
    match at {
        Some(at) => format!(
            "{}; {}",
            at.strftime("%a %Y-%m-%d %H:%M:%S UTC"),
            relative(now_ms.saturating_sub(since_ms))
        ),
        None => format!("{since_ms} ms after the epoch"),
    }
}

/// How long ago, as systemd's `format_timestamp_relative` words it.
fn relative(ago_ms: u64) -> String {
    const SEC: u64 = 1000;
    const MIN: u64 = 60 * SEC;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    const WEEK: u64 = 7 * DAY;
    const MONTH: u64 = 2_629_800 * SEC;
    const YEAR: u64 = 31_557_600 * SEC;
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let d = ago_ms;
    let text = if d >= YEAR {
        format!(
            "{} {}",
            plural(d / YEAR, "year"),
            plural(d % YEAR / MONTH, "month")
        )
    } else if d >= MONTH {
        format!(
            "{} {}",
            plural(d / MONTH, "month"),
            plural(d % MONTH / DAY, "day")
        )
    } else if d >= WEEK {
        format!(
            "{} {}",
            plural(d / WEEK, "week"),
            plural(d % WEEK / DAY, "day")
        )
    } else if d >= 2 * DAY {
        plural(d / DAY, "day")
    } else if d >= 25 * HOUR {
        format!("1 day {}h", (d - DAY) / HOUR)
    } else if d >= 6 * HOUR {
        format!("{}h", d / HOUR)
    } else if d >= HOUR {
        format!("{}h {}min", d / HOUR, d % HOUR / MIN)
    } else if d >= 5 * MIN {
        format!("{}min", d / MIN)
    } else if d >= MIN {
        format!("{}min {}s", d / MIN, d % MIN / SEC)
    } else if d >= SEC {
        format!("{}s", d / SEC)
    } else if d > 0 {
        format!("{d}ms")
    } else {
        return "now".into();
    };
    format!("{text} ago")
}

/// `cat`: the unit file as stored.
pub fn run_cat(args: &OneUnitArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let name = base_name(&args.unit)?;
        let Some(unit) = registry.unit(&name).await? else {
            bail!("Unit {name} not found");
        };
        if args.json {
            print_json(&unit)?;
        } else {
            print!("{}", unit.contents);
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `why`: where a unit runs, or why it does not.
pub fn run_why(args: &OneUnitArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let name = base_name(&args.unit)?;
        let Some(unit) = registry.unit(&name).await? else {
            bail!("Unit {name} not found");
        };
        let assignment = registry
            .assignments()
            .await?
            .items
            .into_iter()
            .find(|a| a.unit == name);
        let decision = registry.decision(&name).await?;
        if args.json {
            print_json(&json!({
                "unit": name,
                "target": unit.target_state.as_str(),
                "machine": assignment.as_ref().map(|a| a.machine.clone()),
                "decision": decision,
            }))?;
            return Ok(ExitCode::SUCCESS);
        }
        match (assignment, decision, unit.target_state) {
            (Some(a), _, _) => {
                let machines = machines(&registry).await?;
                println!(
                    "{name} is placed on {}",
                    machine_label(&a.machine, &machines, true)
                );
            }
            (None, _, TargetState::Inactive) => {
                println!("{name} is inactive: `flotta start {name}` places it")
            }
            (None, Some(d), _) => {
                println!("{name} is not placed: {}", d.summary);
                if let Ok(e) = serde_json::from_value::<flotta_scheduler::Explanation>(d.detail) {
                    for (machine, why) in &e.per_machine {
                        println!("  {machine}: {why}");
                    }
                }
            }
            (None, None, _) => println!(
                "{name} is not placed yet; the engine has not decided (is an agent running?)"
            ),
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Arguments of `flotta scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// The template (`noop@.service`, or a local file `units/noop@.service`).
    template: String,
    /// How many instances should run: `PREFIX@1` … `PREFIX@N`.
    count: u32,
    #[command(flatten)]
    cluster: Cluster,
    /// Give up waiting after N checks a quarter second apart (0: wait as long as it takes).
    #[arg(long, default_value_t = 0, value_name = "N")]
    block_attempts: u32,
    /// Do not wait for the instances to run.
    #[arg(long)]
    no_block: bool,
    /// A JSON summary: `{"template", "instances", "destroyed"}`.
    #[arg(long)]
    json: bool,
}

/// `flotta scale TEMPLATE N`: instances 1..=N of the template are submitted
/// and started; numbered instances above N are destroyed, highest first.
pub fn run_scale(args: &ScaleArgs) -> anyhow::Result<ExitCode> {
    let template = base_name(&args.template)?;
    let name = UnitName::parse(&template)?;
    if name.kind() != UnitKind::Template {
        bail!("{template} is not a template (`name@.service`): scale starts its instances");
    }
    let dir = Path::new(&args.template)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    let instance = |i: u32| {
        let unit = template.replace("@.", &format!("@{i}."));
        dir.map_or(unit.clone(), |d| d.join(&unit).display().to_string())
    };
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let mut extra: Vec<(u32, String)> = all_units(&registry)
            .await?
            .into_iter()
            .filter_map(|u| {
                let n = UnitName::parse(&u.name).ok()?;
                let number: u32 = n.instance()?.parse().ok()?;
                (n.template()?.as_str() == template && number > args.count)
                    .then_some((number, u.name))
            })
            .collect();
        extra.sort_by_key(|e| std::cmp::Reverse(e.0));
        let wanted: Vec<String> = (1..=args.count).map(instance).collect();
        let code = if wanted.is_empty() {
            ExitCode::SUCCESS
        } else {
            let wait = (!args.no_block).then_some(args.block_attempts);
            act(&registry, Verb::Start, &wanted, wait, args.json, OnChange::Refuse).await?
        };
        for (_, unit) in &extra {
            if registry.delete_unit(unit).await? && !args.json {
                println!("Destroyed {unit}");
            }
        }
        if args.json {
            print_json(&json!({
                "template": template,
                "instances": wanted.iter().map(|w| base_name(w)).collect::<anyhow::Result<Vec<_>>>()?,
                "destroyed": extra.iter().map(|(_, u)| u).collect::<Vec<_>>(),
            }))?;
        }
        Ok(code)
    })
}

#[cfg(test)]
mod tests {
    use super::{relative, since_text};

    #[test]
    fn times_read_as_systemctl_prints_them() {
        assert_eq!(relative(0), "now");
        assert_eq!(relative(1_500), "1s ago");
        assert_eq!(relative(182_000), "3min 2s ago");
        assert_eq!(relative(3_900_000), "1h 5min ago");
        assert_eq!(relative(3 * 86_400_000), "3 days ago");
        assert_eq!(
            since_text(1_795_633_445_000, 1_795_633_445_000 + 182_000),
            "Wed 2026-11-25 19:04:05 UTC; 3min 2s ago"
        );
    }
}
