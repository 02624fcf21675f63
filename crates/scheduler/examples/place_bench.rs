//! Placement throughput: N template instances with `Conflicts=*@%i.service` and
//! metadata requirements onto M machines, against a naive per-unit full scan
//! measured in the same run on a smaller size. Prints one JSON line.
//!
//! ```text
//! cargo run --release -p flotta-scheduler --example place_bench -- --machines 10000 --units 1000000
//! ```
//! With `FLOTTA_BENCH_QUICK=1` the defaults are 1,000 machines and 100,000 units.

use std::collections::BTreeMap;
use std::time::Instant;

use flotta_scheduler::{Desired, Machine, Observed, Placement, UnitSpec, plan};
use flotta_unit_spec::glob::glob_match;

const ZONES: usize = 4;

fn cluster(machines: usize, units: usize) -> Desired {
    let ports = (units / 100).max(1);
    let machines = (0..machines)
        .map(|i| Machine::new(format!("{i:032x}")).with("zone", format!("z{}", i % ZONES)))
        .collect();
    let units = (0..units)
        .map(|k| {
            let port = 8000 + k % ports;
            let mut u = UnitSpec::new(format!("app.{}@{port}.service", k / ports))
                .conflicts(format!("*@{port}.service"));
            // A quarter of the instances need one zone.
            if k % 4 == 0 {
                u.requirements
                    .metadata
                    .insert("zone".into(), vec![format!("z{}", (k / 4) % ZONES)]);
            }
            u
        })
        .collect();
    Desired { machines, units }
}

/// fleet's algorithm done naively: for every unit, sort all machines by load
/// and check each against every unit on it.
fn naive(d: &Desired) -> BTreeMap<String, String> {
    let mut machines: Vec<&Machine> = d.machines.iter().collect();
    machines.sort_by(|a, b| a.id.cmp(&b.id));
    let mut units: Vec<&UnitSpec> = d.units.iter().collect();
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let mut on: Vec<Vec<&UnitSpec>> = vec![Vec::new(); machines.len()];
    let mut out = BTreeMap::new();
    for u in units {
        let mut order: Vec<usize> = (0..machines.len()).collect();
        order.sort_by_key(|&m| (on[m].len(), m));
        for m in order {
            let md = &u.requirements.metadata;
            let meta_ok = md
                .iter()
                .all(|(k, vs)| machines[m].metadata.get(k).is_some_and(|v| vs.contains(v)));
            let conflict = on[m].iter().any(|o| {
                u.requirements
                    .conflicts
                    .iter()
                    .any(|p| glob_match(p, &o.name))
                    || o.requirements
                        .conflicts
                        .iter()
                        .any(|p| glob_match(p, &u.name))
            });
            if meta_ok && !conflict {
                on[m].push(u);
                out.insert(u.name.clone(), machines[m].id.clone());
                break;
            }
        }
    }
    out
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = std::env::var_os("FLOTTA_BENCH_QUICK").is_some();
    let machines = arg(&args, "--machines", if quick { 1_000 } else { 10_000 });
    let units = arg(&args, "--units", if quick { 100_000 } else { 1_000_000 });

    // Baseline: naive vs indexed on the same smaller cluster; same answers.
    let (bm, bu) = if quick { (200, 5_000) } else { (1_000, 20_000) };
    let small = cluster(bm, bu);
    let t = Instant::now();
    let naive_out = naive(&small);
    let naive_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let indexed_out = plan(&small, &Observed::default()).assignments;
    let indexed_small_s = t.elapsed().as_secs_f64();
    let same = naive_out == indexed_out;

    // The full size: the whole plan() (what the engine and the Python
    // package call: placement plus actions, reasons and explanations)...
    let big = cluster(machines, units);
    let t = Instant::now();
    let planned = plan(&big, &Observed::default()).assignments.len();
    let plan_s = t.elapsed().as_secs_f64();

    // ...and the incremental API alone.
    let t = Instant::now();
    let mut placement = Placement::new(big.machines, big.units);
    let build_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut placed = 0usize;
    for u in 0..placement.units().len() {
        if placement.place(u).is_ok() {
            placed += 1;
        }
    }
    let place_s = t.elapsed().as_secs_f64();

    // Lose the busiest machine and place its units again.
    let victim = (0..placement.machines().len())
        .max_by_key(|&m| (placement.units_on(m).len(), std::cmp::Reverse(m)))
        .unwrap_or(0);
    let t = Instant::now();
    let lost = placement.remove_machine(victim);
    let replaced = lost.iter().filter(|&&u| placement.place(u).is_ok()).count();
    let resched_ms = t.elapsed().as_secs_f64() * 1e3;

    let rate = units as f64 / place_s;
    println!(
        "{{\"bench\":\"scheduler/place\",\"machines\":{machines},\"units\":{units},\"placed\":{placed},\"placements_per_s\":{rate:.0},\"placements_per_s_incl_index_build\":{:.0},\"index_build_s\":{build_s:.3},\"peak_rss_mib\":{:.1},\"reschedule_units\":{},\"rescheduled\":{replaced},\"reschedule_ms\":{resched_ms:.3},\"plan_per_s\":{:.0},\"plan_placed\":{planned},\"baseline\":{{\"machines\":{bm},\"units\":{bu},\"naive_per_s\":{:.0},\"indexed_per_s\":{:.0},\"speedup\":{:.1},\"same_assignments\":{same}}}}}",
        units as f64 / (place_s + build_s),
        peak_rss_kib() as f64 / 1024.0,
        lost.len(),
        units as f64 / plan_s,
        bu as f64 / naive_s,
        bu as f64 / indexed_small_s,
        naive_s / indexed_small_s,
    );
    if !same {
        eprintln!("naive and indexed placements differ");
        std::process::exit(1);
    }
}
