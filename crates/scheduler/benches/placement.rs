//! Plan passes of growing size, against the time to clone the input (the floor
//! any plan pays) measured in the same run.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use flotta_scheduler::{Desired, Machine, Observed, UnitSpec, plan};

fn cluster(machines: usize, units: usize) -> Desired {
    let ports = (units / 10).max(1);
    Desired {
        machines: (0..machines)
            .map(|i| Machine::new(format!("{i:032x}")).with("zone", format!("z{}", i % 3)))
            .collect(),
        units: (0..units)
            .map(|k| {
                let port = 8000 + k % ports;
                UnitSpec::new(format!("app.{}@{port}.service", k / ports))
                    .conflicts(format!("*@{port}.service"))
            })
            .collect(),
    }
}

fn plans(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    for (machines, units) in [(3, 5), (100, 1_000), (1_000, 10_000)] {
        let d = cluster(machines, units);
        group.throughput(Throughput::Elements(units as u64));
        group.bench_with_input(
            BenchmarkId::new("baseline: clone input", units),
            &d,
            |b, d| b.iter(|| black_box(d.clone())),
        );
        group.bench_with_input(BenchmarkId::new("plan", units), &d, |b, d| {
            b.iter(|| plan(black_box(d), &Observed::default()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = plans
}
criterion_main!(benches);
