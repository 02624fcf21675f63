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
    /// --ca-file) or `unix:/path` (`flotta agent --dev` serves 127.0.0.1:4949).
    #[arg(
        long,
        env = "FLOTTA_ENDPOINT",
        default_value = "http://127.0.0.1:4949",
        value_name = "URL"
    )]
    pub endpoint: String,
    /// Bearer token for the API (its `--api-token`).
    #[arg(
        long,
        env = "FLOTTA_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
    /// CA certificate (PEM) that signed an https:// endpoint's certificate.
    #[arg(long, env = "FLOTTA_CA_FILE", value_name = "FILE")]
    ca_file: Option<std::path::PathBuf>,
}

impl Api {
    /// A client for the API (it connects on its first call).
    pub fn remote(&self) -> anyhow::Result<Remote> {
        let mut options = RemoteOptions::new(&self.endpoint);
        options.token = self.token.clone();
        options.ca_file = self.ca_file.clone();
        Remote::new(options).with_context(|| format!("--endpoint {}", self.endpoint))
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
    /// Accepted for fleetctl compatibility and ignored: flotta talks to the
    /// registry directly, not through SSH.
    #[arg(long, value_name = "HOST", hide_short_help = true)]
    tunnel: Option<String>,
    /// Accepted for fleetctl compatibility and ignored (no SSH is involved).
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        default_missing_value = "true",
        hide_short_help = true
    )]
    strict_host_key_checking: Option<String>,
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
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")
}

pub(crate) async fn connect(cluster: &Cluster) -> anyhow::Result<Registry<ClusterBackend>> {
    if !cluster.etcd.is_empty() {
        let setting = EtcdSetting::new(
            cluster.etcd.clone(),
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
            bail!("cannot reach etcd at {}: {e}", cluster.etcd.join(","));
        }
        return Ok(registry);
    }
    let remote = cluster.api.remote()?;
    // One cheap call, so an absent API is one clear error, not the first
    // command's.
    if let Err(e) = remote.revision().await {
        let text = e.to_string();
        if text.contains("401") || text.contains("403") || text.to_lowercase().contains("token") {
            bail!("{text} (pass --token or set FLOTTA_TOKEN)");
        }
        bail!(
            "no flotta API at {}: start one with `flotta agent --dev --machines 3`, \
             or pass --endpoint URL or --etcd URL ({text})",
            cluster.api.endpoint
        );
    }
    Ok(Registry::new(ClusterBackend::Remote(remote)))
}

/// `submit`, `load`, `start`, `stop`, `unload`, `destroy`.
pub fn run_units(
    verb: Verb,
    args: &UnitsArgs,
    block: Option<&BlockArgs>,
) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let wait = block.filter(|b| !b.no_block).map(|b| b.block_attempts);
        act(&registry, verb, &args.units, wait, false).await
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
            || (verb != Verb::Submit && registry_has(registry, arg).await?)
        {
            names.push(base_name(arg)?);
        } else {
            // fleetctl submits what it starts, loads or stops.
            names.push(submit(registry, arg).await?);
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
        Verb::Start => TargetState::Launched,
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

fn verb_word(verb: Verb) -> &'static str {
    match verb {
        Verb::Start => "start",
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

async fn registry_has<B: KvBackend>(registry: &Registry<B>, arg: &str) -> anyhow::Result<bool> {
    Ok(registry.unit(&base_name(arg)?).await?.is_some())
}

/// Stores one unit the way fleetctl finds it: the local file of that name,
/// else the local template, else the template already in the cluster.
/// Returns its name.
async fn submit<B: KvBackend>(registry: &Registry<B>, arg: &str) -> anyhow::Result<String> {
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
    let unit = Unit::new(&name_text, &file, TargetState::Inactive);
    match registry.unit(&name_text).await? {
        Some(existing) if existing.hash == unit.hash => {}
        Some(existing) => bail!(
            "{name_text} is already in the cluster with different contents (hash {} there, {} in {source}); \
             `flotta cat {name_text}` shows it, `flotta destroy {name_text}` removes it",
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

/// `status`: systemctl-style, from what the unit's machine reports.
pub fn run_status(args: &UnitsArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let registry = connect(&args.cluster).await?;
        let machines = machines(&registry).await?;
        let states = registry.unit_states().await?.items;
        let mut code = ExitCode::SUCCESS;
        for arg in &args.units {
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
                        "   Active: {} ({}) since {} ms after the epoch",
                        s.active_state, s.sub_state, s.since_ms
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
                }
            }
        }
        Ok(code)
    })
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
            act(&registry, Verb::Start, &wanted, wait, args.json).await?
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
