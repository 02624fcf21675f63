//! `flotta plugin`: WebAssembly placement plugins.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use flotta_scheduler::FailurePolicy;
use flotta_scheduler::plan::PluginUse;
use flotta_scheduler::wasm::{PluginConfig, RuntimeConfig, WasmPluginOptions, WasmRuntime};

use crate::output::print_json;

/// `flotta plugin …`
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Validate a component against the `flotta:placement` world and print
    /// its imports and exports (without running it).
    Check {
        /// The component (`.wasm`, or component `.wat` text).
        file: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

impl PluginCommand {
    /// Runs the subcommand.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            PluginCommand::Check { file, json } => check(&file, json),
        }
    }
}

fn check(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let info = runtime()?.check(&name, &bytes)?;
    if json {
        print_json(&info)?;
    } else {
        println!("{name}: a flotta:placement plugin ({} bytes)", info.size);
        println!("imports:");
        for i in &info.imports {
            println!("  {i}");
        }
        println!("exports:");
        for e in &info.exports {
            println!("  {e}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Plugin flags shared by commands that plan.
#[derive(Debug, Args)]
pub struct PluginArgs {
    /// A WebAssembly placement plugin applied to every unit (repeatable).
    #[arg(long = "plugin", value_name = "FILE.wasm")]
    cluster_wide: Vec<PathBuf>,
    /// A plugin applied only to units naming it (its file stem) in
    /// `[X-Flotta] Placement=` (repeatable).
    #[arg(long = "unit-plugin", value_name = "FILE.wasm")]
    per_unit: Vec<PathBuf>,
    /// `KEY=VALUE` handed to every plugin's `init` (repeatable).
    #[arg(long = "plugin-config", value_name = "KEY=VALUE", value_parser = parse_pair)]
    config: Vec<(String, String)>,
    /// Ignore a failing plugin for the unit instead of leaving it unplaced.
    #[arg(long)]
    plugin_fail_open: bool,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))
}

impl PluginArgs {
    /// Loads the plugins named on the command line.
    pub fn load(&self) -> anyhow::Result<Vec<PluginUse>> {
        if self.cluster_wide.is_empty() && self.per_unit.is_empty() {
            return Ok(Vec::new());
        }
        let rt = runtime()?;
        let configs = self
            .cluster_wide
            .iter()
            .map(|p| (p, true))
            .chain(self.per_unit.iter().map(|p| (p, false)));
        let mut out = Vec::new();
        for (path, cluster_wide) in configs {
            let config = PluginConfig {
                path: path.clone(),
                cluster_wide,
                failure_policy: if self.plugin_fail_open {
                    FailurePolicy::FailOpen
                } else {
                    FailurePolicy::FailClosed
                },
                options: WasmPluginOptions {
                    config: self.config.clone(),
                    ..WasmPluginOptions::default()
                },
            };
            out.push(rt.load_config(&config)?);
        }
        Ok(out)
    }
}

/// The engine, caching compiled plugins under `$FLOTTA_WASM_CACHE` or
/// `~/.cache/flotta/wasm`.
fn runtime() -> anyhow::Result<WasmRuntime> {
    let cache_dir = std::env::var_os("FLOTTA_WASM_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/flotta/wasm")));
    Ok(WasmRuntime::new(RuntimeConfig {
        cache_dir,
        fuel: false,
    })?)
}
