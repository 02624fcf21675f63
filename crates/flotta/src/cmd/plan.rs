//! `flotta plan`: placement from unit files and a machines file, or of the
//! live cluster (what its leader would change now, and why).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use flotta_scheduler::{Desired, Machine, Observed, UnitSpec, plan_with_plugins};
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::syntax::UnitFile;

use crate::cmd::plugin::PluginArgs;
use crate::output::print_json;

/// Arguments of `flotta plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Directory of unit files; every non-template unit in it is planned.
    /// Without `--units` and `--machines`, the live cluster is planned.
    #[arg(long, value_name = "DIR", requires = "machines")]
    units: Option<PathBuf>,
    /// JSON file with the machines: `[{"id": "...", "publicIp": "...", "metadata": {"k": "v"}}]`.
    #[arg(long, value_name = "FILE", requires = "units")]
    machines: Option<PathBuf>,
    /// More units to plan: a file of that name in DIR, else its template
    /// (`foo@.service` for `foo@1.service`, or `app@.service` for `app.1@8080.service`).
    #[arg(value_name = "UNIT")]
    instances: Vec<String>,
    /// Print the plan as JSON.
    #[arg(long)]
    json: bool,
    /// Explain the placement of one unit, machine by machine.
    #[arg(long, value_name = "UNIT")]
    explain: Option<String>,
    #[command(flatten)]
    plugins: PluginArgs,
    #[command(flatten)]
    cluster: crate::cmd::control::Cluster,
}

/// Runs `flotta plan`.
pub fn run(args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let (desired, observed) = match (&args.units, &args.machines) {
        (Some(units), Some(machines)) => (described(args, units, machines)?, Observed::default()),
        _ => crate::cmd::control::runtime()?.block_on(async {
            let registry = crate::cmd::control::connect(&args.cluster).await?;
            anyhow::Ok(flotta_engine::scheduler_input(&registry).await?)
        })?,
    };
    let plugins = args.plugins.load()?;
    let result = plan_with_plugins(&desired, &observed, plugins);
    if let Some(unit) = &args.explain {
        return explain(&result, unit, args.json);
    }
    if args.json {
        print_json(&result)?;
    } else {
        print!("{result}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The cluster described by files: unit files in `dir` (plus instances of
/// its templates) and a machines file.
fn described(args: &PlanArgs, dir: &Path, machines: &Path) -> anyhow::Result<Desired> {
    let text = std::fs::read_to_string(machines)
        .with_context(|| format!("cannot read {}", machines.display()))?;
    let machines: Vec<Machine> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON list of machines", machines.display()))?;
    let mut units = Vec::new();
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?
    {
        let path = entry?.path();
        let Some(name) = unit_name(&path) else {
            continue;
        };
        if name.kind() != UnitKind::Template {
            units.push(unit_spec(&path, &name)?);
        }
    }
    for raw in &args.instances {
        let name = UnitName::parse(raw).with_context(|| format!("unit {raw:?}"))?;
        let path = find_unit_file(dir, &name)?;
        units.push(unit_spec(&path, &name)?);
    }
    Ok(Desired { machines, units })
}

fn explain(result: &flotta_scheduler::Plan, unit: &str, json: bool) -> anyhow::Result<ExitCode> {
    if let Some(machine) = result.assignments.get(unit) {
        println!("{unit} is placed on {machine}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(why) = result.explain(unit) else {
        bail!("{unit} is not among the planned units");
    };
    if json {
        print_json(why)?;
    } else {
        println!("{unit} cannot be placed: {why}");
        for (machine, rejection) in &why.per_machine {
            println!("  {machine}: {rejection}");
        }
    }
    Ok(ExitCode::from(1))
}

fn unit_name(path: &Path) -> Option<UnitName> {
    path.file_name()?
        .to_str()
        .and_then(|n| UnitName::parse(n).ok())
}

/// fleetctl's lookup: the file itself, else its template; flotta also accepts
/// the seed's naming, where `app.1@8080.service` is an instance of `app@.service`.
pub(crate) fn find_unit_file(dir: &Path, name: &UnitName) -> anyhow::Result<PathBuf> {
    let own = dir.join(name.as_str());
    if own.is_file() {
        return Ok(own);
    }
    let Some(template) = name.template() else {
        bail!("unable to find unit {name} in {}", dir.display());
    };
    let direct = dir.join(template.as_str());
    if direct.is_file() {
        return Ok(direct);
    }
    if let Some((base, _)) = name.prefix().rsplit_once('.') {
        let seed = dir.join(format!("{base}@.{}", name.unit_type()));
        if seed.is_file() {
            return Ok(seed);
        }
    }
    bail!(
        "unable to find template unit {template} in {}",
        dir.display()
    )
}

fn unit_spec(path: &Path, name: &UnitName) -> anyhow::Result<UnitSpec> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let unit = UnitFile::parse_bytes(&bytes).map_err(|e| e.with_file(path))?;
    UnitSpec::from_unit(&unit, name).with_context(|| path.display().to_string())
}
