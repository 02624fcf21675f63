//! flotta's crates as a library, the way a `cargo add` user starts: parse a
//! unit template, expand instances, plan their placement on a described
//! cluster, and render the load balancer config for the placed instances.
//!
//! ```text
//! cargo run -p flotta-embed-example                      # the seed's template
//! cargo run -p flotta-embed-example -- my-app@.service 8080 8080 8081
//! ```

use std::error::Error;
use std::process::ExitCode;

use flotta_balancer::backend::{Backend, Pool};
use flotta_balancer::template::{Params, Renderer};
use flotta_scheduler::{Desired, Machine, Observed, UnitSpec, plan};
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::ServiceConfig;
use flotta_unit_spec::specifier::SpecifierContext;
use flotta_unit_spec::syntax::UnitFile;
use flotta_unit_spec::verify::{Severity, verify};

/// The seed's template, used when no file is given.
const SEED_NAME: &str = "sample.application@.service";
const SEED_TEXT: &str = include_str!("../../seed/units/sample.application@.service");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("flotta-embed-example: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (path, text) = match args.next() {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            (path, text)
        }
        None => (SEED_NAME.to_owned(), SEED_TEXT.to_owned()),
    };
    let ports: Vec<String> = args.collect();
    let ports = if ports.is_empty() {
        ["8080", "8080", "8080", "8081", "8080"]
            .map(String::from)
            .to_vec()
    } else {
        ports
    };

    // 1. Parse and check the template; diagnostics carry line and column.
    let file_name = path.rsplit('/').next().unwrap_or(&path);
    let template = UnitName::parse(file_name).map_err(|e| format!("{path}: {e}"))?;
    let unit = UnitFile::parse(&text).map_err(|e| e.with_file(&path))?;
    let diagnostics = verify(&unit, Some(&template));
    for d in &diagnostics {
        eprintln!("{path}: {d}");
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(format!("{path} has errors").into());
    }
    println!(
        "template {template}: {} bytes, hash {}",
        text.len(),
        unit.hash()
    );

    // 2. Expand instances, named as the seed names them: `prefix.N@PORT.service`.
    let base = template.prefix();
    let suffix = template.unit_type();
    let mut units = Vec::new();
    for (n, port) in ports.iter().enumerate() {
        let name = UnitName::parse(&format!("{base}.{}@{port}.{suffix}", n + 1))?;
        let service = ServiceConfig::from_unit(&unit, &SpecifierContext::for_unit(&name))?;
        let spec = UnitSpec::from_unit(&unit, &name)?;
        let start = service.exec_start.first().map(|c| c.argv.join(" "));
        println!("  {name}: conflicts {:?}", spec.requirements.conflicts);
        println!("    ExecStart={}", start.unwrap_or_default());
        units.push(spec);
    }

    // 3. Plan placement on a described cluster (the seed's three machines).
    let machines = vec![
        machine("4468cdab2f3a4c6e9f1b7a0d5e8c2b91", "127.0.0.1", "a"),
        machine("6348bfb05d7e4a2c8b1f9e0a3c5d7f12", "127.0.0.2", "b"),
        machine("0092d846a1b3c5e7f9d2b4a6c8e0f135", "127.0.0.3", "c"),
    ];
    let placed = plan(
        &Desired {
            machines: machines.clone(),
            units,
        },
        &Observed::default(),
    );
    println!("\nplan:\n{placed}");

    // 4. Render the balancer config for what was placed, as flotta-balancer
    // would once the instances register their endpoints.
    let mut backends = Vec::new();
    for (unit, machine_id) in &placed.assignments {
        let Some(port) = UnitName::parse(unit)?
            .instance()
            .and_then(|i| i.parse().ok())
        else {
            continue;
        };
        let Some(address) = machines
            .iter()
            .find(|m| &m.id == machine_id)
            .and_then(|m| m.public_ip.clone())
        else {
            continue;
        };
        backends.push(Backend {
            id: unit.clone(),
            address,
            port,
            weight: 1,
            backup: false,
        });
    }
    let pool = Pool {
        service: base.to_owned(),
        backends,
        revision: 1,
    };
    let mut params = Params::new();
    params.insert("health_path".into(), serde_json::Value::from("/"));
    let config = Renderer::new().render("haproxy-backend", &pool, &params)?;
    println!(
        "haproxy backend for {} instances:\n{config}",
        pool.backends.len()
    );
    Ok(())
}

fn machine(id: &str, ip: &str, zone: &str) -> Machine {
    let mut m = Machine::new(id).with("zone", zone);
    m.public_ip = Some(ip.to_owned());
    m
}
