//! Parse + typed extraction + specifier expansion of the seed template, once per
//! instance, against a baseline of `str::lines().count()` over the same bytes.
//!
//! Two views are measured per instance: the *place view* (what the engine reads
//! to place an instance: name, parse, typed `[X-Fleet]` and `[X-Flotta]` with
//! fleet's specifiers) and the *agent view* (also `[Unit]` and `[Service]` with
//! the full systemd specifier table and every `Exec*=` line split into argv).
//! The headline run prints one JSON line with instances/s, MB/s and the ratio to
//! the baseline; criterion then measures the pieces. With
//! `FLOTTA_BENCH_QUICK=1` the headline uses 100,000 instances instead of 1,000,000.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use flotta_unit_spec::fleet::FleetOptions;
use flotta_unit_spec::flotta_options::FlottaOptions;
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::{ServiceConfig, UnitSection};
use flotta_unit_spec::specifier::SpecifierContext;
use flotta_unit_spec::syntax::UnitFile;

const TEMPLATE: &str = include_str!("sample.application@.service");

/// What the cluster reads for one instance to place it: the instance name, the
/// parsed unit, typed `[X-Fleet]` and `[X-Flotta]` with fleet's specifiers.
fn place_view(template: &UnitName, n: usize) -> Option<(UnitName, UnitFile, usize)> {
    let mut buf = itoa_buf(8080 + n % 16);
    let name = template.instantiate(&buf).ok()?;
    buf.clear();
    let unit = UnitFile::parse(TEMPLATE).ok()?;
    let fleet = FleetOptions::from_unit(&unit, Some(&name)).ok()?;
    let flotta = FlottaOptions::from_unit(&unit, Some(&name)).ok()?;
    let checked = fleet.conflicts.len() + flotta.placement.len();
    Some((name, unit, checked))
}

/// Everything, as the agent that runs the instance also reads `[Unit]` and
/// `[Service]` with the full systemd specifier table.
fn agent_view(template: &UnitName, n: usize) -> usize {
    let Some((name, unit, checked)) = place_view(template, n) else {
        return 0;
    };
    let ctx = SpecifierContext::for_unit(&name).machine_id("4468cdab2f3a4c6e9f1b7a0d5e8c2b91");
    let service = ServiceConfig::from_unit(&unit, &ctx).map_or(0, |s| s.exec_start.len());
    let section = UnitSection::from_unit(&unit, &ctx).map_or(0, |u| u.after.len());
    checked + service + section
}

fn itoa_buf(n: usize) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(8);
    let _ = write!(s, "{n}");
    s
}

fn baseline(n: usize) -> usize {
    (0..n).map(|_| black_box(TEMPLATE).lines().count()).sum()
}

fn timed(f: impl FnOnce() -> usize) -> (Duration, usize) {
    let start = Instant::now();
    let out = black_box(f());
    (start.elapsed(), out)
}

fn headline() {
    let quick = std::env::var_os("FLOTTA_BENCH_QUICK").is_some();
    let n = if quick { 100_000 } else { 1_000_000 };
    let Ok(template) = UnitName::parse("sample.application@.service") else {
        eprintln!("seed template name does not parse");
        return;
    };
    let (base, _) = timed(|| baseline(n));
    let (place, placed) = timed(|| {
        (0..n)
            .filter_map(|i| place_view(&template, i).map(|v| v.2))
            .sum()
    });
    let (agent, checked) = timed(|| (0..n).map(|i| agent_view(&template, i)).sum());
    let bytes = (TEMPLATE.len() * n) as f64;
    breakdown(&template, n / 10);
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let mbs = |d: Duration| bytes / d.as_secs_f64() / 1e6;
    println!(
        "{{\"bench\":\"unit-spec/instantiate\",\"instances\":{n},\"place_view_instances_per_s\":{:.0},\"place_view_mb_per_s\":{:.1},\"agent_view_instances_per_s\":{:.0},\"agent_view_mb_per_s\":{:.1},\"baseline_lines_count_mb_per_s\":{:.1},\"place_view_ratio_to_baseline\":{:.3},\"agent_view_ratio_to_baseline\":{:.3},\"checked\":{}}}",
        rate(place),
        mbs(place),
        rate(agent),
        mbs(agent),
        mbs(base),
        base.as_secs_f64() / place.as_secs_f64(),
        base.as_secs_f64() / agent.as_secs_f64(),
        placed + checked,
    );
}

/// Where an instance's time goes, per piece, in ns.
fn breakdown(template: &UnitName, n: usize) {
    let Ok(unit) = UnitFile::parse(TEMPLATE) else {
        return;
    };
    let per = |d: Duration| d.as_nanos() as f64 / n as f64;
    let (name, _) = timed(|| {
        (0..n)
            .filter_map(|i| template.instantiate(&format!("{}", 8080 + i % 16)).ok())
            .count()
    });
    let Ok(inst) = template.instantiate("8080") else {
        return;
    };
    let (parse, _) = timed(|| (0..n).filter(|_| UnitFile::parse(TEMPLATE).is_ok()).count());
    let (fleet, _) = timed(|| {
        (0..n)
            .filter(|_| FleetOptions::from_unit(&unit, Some(&inst)).is_ok())
            .count()
    });
    let (service, _) = timed(|| {
        (0..n)
            .filter(|_| ServiceConfig::from_unit(&unit, &SpecifierContext::for_unit(&inst)).is_ok())
            .count()
    });
    println!(
        "{{\"bench\":\"unit-spec/breakdown\",\"ns_name\":{:.0},\"ns_parse\":{:.0},\"ns_fleet\":{:.0},\"ns_service\":{:.0}}}",
        per(name),
        per(parse),
        per(fleet),
        per(service)
    );
}

fn pieces(c: &mut Criterion) {
    let Ok(template) = UnitName::parse("sample.application@.service") else {
        return;
    };
    let mut group = c.benchmark_group("seed-template");
    group.throughput(Throughput::Bytes(TEMPLATE.len() as u64));
    group.bench_function("baseline: lines().count()", |b| {
        b.iter(|| black_box(TEMPLATE).lines().count())
    });
    group.bench_function("parse", |b| b.iter(|| UnitFile::parse(black_box(TEMPLATE))));
    group.bench_function("place view: parse + [X-Fleet] + [X-Flotta]", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            place_view(&template, i).map(|v| v.2)
        })
    });
    group.bench_function("agent view: + [Unit] + [Service]", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            agent_view(&template, i)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = pieces
}

fn main() {
    headline();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
