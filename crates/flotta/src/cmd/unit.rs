//! `flotta unit …`: unit files, unit names and specifiers without a cluster.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use flotta_unit_spec::escape::SystemdEscape;
use flotta_unit_spec::fleet::FleetOptions;
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::options::UnitOption;
use flotta_unit_spec::specifier::{self, SpecifierContext};
use flotta_unit_spec::syntax::UnitFile;
use flotta_unit_spec::verify::{self, Diagnostic, Severity};
use serde::Serialize;

use crate::output::print_json;

/// Unit-file tools: verify, parse, names, escaping and specifiers.
#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Check unit files and print every diagnostic; exits 1 if any is an error.
    Verify(VerifyArgs),
    /// Print a unit file as fleet's JSON option list, or its typed [X-Fleet] requirements.
    Parse(ParseArgs),
    /// Tell whether unit names are valid, and what they are made of.
    Name(NameArgs),
    /// Escape or unescape strings for use in unit names (same flags as systemd-escape).
    Escape(EscapeArgs),
    /// Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host.
    Expand(ExpandArgs),
    /// Print a unit file, optionally as an instance and with specifiers expanded.
    Cat(CatArgs),
}

impl UnitCommand {
    /// Runs the command and returns the process exit code.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            UnitCommand::Verify(args) => verify_files(&args),
            UnitCommand::Parse(args) => parse_file(&args),
            UnitCommand::Name(args) => describe_names(&args),
            UnitCommand::Escape(args) => escape(&args),
            UnitCommand::Expand(args) => expand(&args),
            UnitCommand::Cat(args) => cat(&args),
        }
    }
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Unit files to check; a directory means the unit files in it and
    /// below (by name: `*.service`, `*.socket`, …).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print diagnostics as a JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The unit file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Print fleet's JSON option list (the default).
    #[arg(long)]
    json: bool,
    /// Print the typed [X-Fleet] requirements as JSON instead.
    #[arg(long, conflicts_with = "json")]
    fleet: bool,
    /// Treat a template file as this instance (for %i in [X-Fleet]).
    #[arg(long, value_name = "INSTANCE")]
    instance: Option<String>,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    /// Unit names to describe.
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct EscapeArgs {
    /// Unescape instead of escape.
    #[arg(short = 'u', long)]
    unescape: bool,
    /// Treat the strings as file system paths.
    #[arg(short = 'p', long)]
    path: bool,
    /// Insert each result as the instance of this template unit name.
    #[arg(long, value_name = "TEMPLATE")]
    template: Option<String>,
    /// Append this unit type suffix.
    #[arg(long, value_name = "SUFFIX")]
    suffix: Option<String>,
    /// With --unescape, unescape only the instance part of a unit name.
    #[arg(long)]
    instance: bool,
    /// Mangle a string into a valid unit name (as systemctl does).
    #[arg(short = 'm', long)]
    mangle: bool,
    /// The strings to transform.
    #[arg(required = true, value_name = "STRING", allow_hyphen_values = true)]
    strings: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExpandArgs {
    /// The unit whose name, instance and prefix the specifiers refer to.
    #[arg(long, value_name = "NAME")]
    unit: String,
    /// The text to expand.
    #[arg(value_name = "STRING")]
    string: String,
}

#[derive(Debug, Args)]
pub struct CatArgs {
    /// The unit file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Show the template file as this instance.
    #[arg(long, value_name = "INSTANCE")]
    instance: Option<String>,
    /// Expand specifiers in every value (machine facts from this host).
    #[arg(long)]
    expand: bool,
}

/// A diagnostic with the file it belongs to, for output.
#[derive(Debug, Serialize)]
struct FileDiagnostic<'a> {
    file: &'a Path,
    #[serde(flatten)]
    diagnostic: Diagnostic,
}

/// `paths` with directories replaced by the unit files in them, sorted.
fn expand_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) =
            entries.into_iter().partition(|p| p.is_dir());
        out.extend(files.into_iter().filter(|f| name_of(f).is_some()));
        out.extend(expand_dirs(&dirs));
    }
    out
}

fn verify_files(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let mut all = Vec::new();
    let files = expand_dirs(&args.files);
    for file in &files {
        let diagnostics = match std::fs::read(file) {
            Err(err) => vec![Diagnostic {
                severity: Severity::Error,
                line: 0,
                column: 0,
                section: None,
                key: None,
                message: format!("cannot read file: {err}"),
            }],
            Ok(bytes) => match UnitFile::parse_bytes(&bytes) {
                Ok(unit) => verify::verify(&unit, name_of(file).as_ref()),
                Err(err) => vec![Diagnostic::from(err)],
            },
        };
        all.extend(diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
            file: file.as_path(),
            diagnostic,
        }));
    }
    let errors = all
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Error)
        .count();
    let warnings = all.len() - errors;
    if args.json {
        print_json(&all)?;
    } else {
        for d in &all {
            println!("{}: {}", d.file.display(), d.diagnostic);
        }
    }
    eprintln!(
        "{} file{} checked: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse_file(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let unit = read_unit(&args.file)?;
    if args.fleet {
        let name = unit_name_for(&args.file, args.instance.as_deref())?;
        let fleet = FleetOptions::from_unit(&unit, name.as_ref())
            .with_context(|| format!("{}: invalid [X-Fleet] section", args.file.display()))?;
        print_json(&fleet)?;
    } else {
        let options: Vec<UnitOption> = unit.to_options();
        print_json(&options)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `flotta unit name` reports for one name.
#[derive(Debug, Serialize)]
struct NameReport {
    name: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    unit_type: Option<String>,
}

impl NameReport {
    fn new(raw: &str) -> Self {
        match UnitName::parse(raw) {
            Ok(name) => NameReport {
                name: raw.to_owned(),
                valid: true,
                error: None,
                kind: Some(match name.kind() {
                    UnitKind::Plain => "plain",
                    UnitKind::Template => "template",
                    UnitKind::Instance => "instance",
                }),
                prefix: Some(name.prefix().to_owned()),
                instance: name.instance().map(str::to_owned),
                template: name.template().map(|t| t.to_string()),
                unit_type: Some(name.unit_type().to_string()),
            },
            Err(err) => NameReport {
                name: raw.to_owned(),
                valid: false,
                error: Some(err.to_string()),
                kind: None,
                prefix: None,
                instance: None,
                template: None,
                unit_type: None,
            },
        }
    }
}

fn describe_names(args: &NameArgs) -> anyhow::Result<ExitCode> {
    let reports: Vec<NameReport> = args.names.iter().map(|n| NameReport::new(n)).collect();
    if args.json {
        print_json(&reports)?;
    } else {
        for r in &reports {
            match &r.error {
                Some(err) => println!("{}: invalid: {err}", r.name),
                None => {
                    println!("{}: valid {}", r.name, r.kind.unwrap_or("unit"));
                    let fields = [
                        ("prefix", &r.prefix),
                        ("instance", &r.instance),
                        ("template", &r.template),
                        ("type", &r.unit_type),
                    ];
                    for (label, value) in fields {
                        if let Some(value) = value {
                            println!("  {label:<9} {value}");
                        }
                    }
                }
            }
        }
    }
    Ok(if reports.iter().all(|r| r.valid) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn escape(args: &EscapeArgs) -> anyhow::Result<ExitCode> {
    let escaper = SystemdEscape {
        unescape: args.unescape,
        path: args.path,
        template: args.template.clone(),
        suffix: args.suffix.clone(),
        instance: args.instance,
        mangle: args.mangle,
    };
    let mut out = Vec::with_capacity(args.strings.len());
    for s in &args.strings {
        if let Some(warning) = escaper.warning(s) {
            eprintln!("{warning}");
        }
        match escaper.run(s) {
            Ok(escaped) => out.push(escaped),
            // systemd-escape's own words, without a prefix, so scripts see the same.
            Err(err) => {
                eprintln!("{err}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    println!("{}", out.join(" "));
    Ok(ExitCode::SUCCESS)
}

fn expand(args: &ExpandArgs) -> anyhow::Result<ExitCode> {
    let name = UnitName::parse(&args.unit).with_context(|| format!("--unit {:?}", args.unit))?;
    let ctx = SpecifierContext::from_host(&name);
    let text = specifier::expand(&args.string, &ctx)?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn cat(args: &CatArgs) -> anyhow::Result<ExitCode> {
    let unit = read_unit(&args.file)?;
    if !args.expand {
        print!("{unit}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(name) = unit_name_for(&args.file, args.instance.as_deref())? else {
        bail!(
            "{}: --expand needs a unit name: name the file like a unit (foo@.service) and pass --instance for a template",
            args.file.display()
        );
    };
    if name.kind() == UnitKind::Template {
        bail!(
            "{} is a template: pass --instance to expand %i",
            args.file.display()
        );
    }
    let ctx = SpecifierContext::from_host(&name);
    let mut options = unit.to_options();
    for option in &mut options {
        option.value = specifier::expand(&option.value, &ctx).with_context(|| {
            format!(
                "{}: [{}] {}=",
                args.file.display(),
                option.section,
                option.name
            )
        })?;
    }
    print!("{}", UnitFile::from_options(&options)?);
    Ok(ExitCode::SUCCESS)
}

fn read_unit(path: &Path) -> anyhow::Result<UnitFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(UnitFile::parse_bytes(&bytes).map_err(|e| e.with_file(path))?)
}

/// The unit name a file stands for, from its file name, if it is a valid one.
fn name_of(path: &Path) -> Option<UnitName> {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| UnitName::parse(n).ok())
}

/// The file's unit name, instantiated when `instance` is given.
fn unit_name_for(path: &Path, instance: Option<&str>) -> anyhow::Result<Option<UnitName>> {
    let Some(name) = name_of(path) else {
        return Ok(None);
    };
    match instance {
        None => Ok(Some(name)),
        Some(instance) => {
            let template = name.template().unwrap_or(name);
            Ok(Some(template.instantiate(instance).with_context(|| {
                format!("--instance {instance:?} for {}", path.display())
            })?))
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
