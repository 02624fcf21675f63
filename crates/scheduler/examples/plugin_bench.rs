//! Placement plugins side by side: 10,000 units on 1,000 machines with no
//! plugin, the native example plugin, and the WAT, C, Python and JavaScript
//! guests, as units/s and as ratios to the no-plugin run measured here.
//!
//! ```text
//! bindings/guest/build target/plugins
//! cargo run --release -p flotta-scheduler --features wasm --example plugin_bench
//! ```
//! With `FLOTTA_BENCH_QUICK=1` the interpreted guests (Python, JavaScript)
//! place 2,000 units on 200 machines and their rate is scaled by the native
//! plugin's rate on the same small cluster, so the ratios stay comparable.

#[path = "../tests/common/guests.rs"]
mod guests;

use std::time::{Duration, Instant};

use flotta_scheduler::plan::PluginUse;
use flotta_scheduler::plugin::builtin::SpreadAndDrain;
use flotta_scheduler::wasm::{Limits, RuntimeConfig, WasmPluginOptions, WasmRuntime};
use flotta_scheduler::{Desired, FailurePolicy, Observed, PlacementPlugin, plan_with_plugins};

/// Units placed per second by one plan pass (best of `runs`).
fn rate(
    desired: &Desired,
    runs: usize,
    mut make: impl FnMut() -> Option<Box<dyn PlacementPlugin>>,
) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let plugins: Vec<PluginUse> = make()
            .map(|p| (p, FailurePolicy::FailClosed, true))
            .into_iter()
            .collect();
        let start = Instant::now();
        let plan = plan_with_plugins(desired, &Observed::default(), plugins);
        best = best.min(start.elapsed());
        if let Some(why) = plan
            .unplaced
            .iter()
            .find_map(|u| u.explanation.blocked.as_ref())
        {
            panic!("a plugin failed: {why}");
        }
    }
    desired.units.len() as f64 / best.as_secs_f64()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::var_os("FLOTTA_BENCH_QUICK").is_some();
    let (machines, units) = guests::cluster(1_000, 10_000);
    let big = Desired { machines, units };
    let (machines, units) = guests::cluster(200, 2_000);
    let small = Desired { machines, units };
    let rt = WasmRuntime::new(RuntimeConfig {
        cache_dir: Some(guests::cache_dir()),
        fuel: false,
    })?;
    let options = WasmPluginOptions {
        limits: Limits {
            timeout: Duration::from_secs(60),
            ..Limits::default()
        },
        ..WasmPluginOptions::default()
    };
    let wat = guests::component(&guests::wat_source());
    let load = |lang: &str| -> Box<dyn PlacementPlugin> {
        match lang {
            "wat" => Box::new(rt.load_bytes(&wat, options.clone()).expect("wat plugin")),
            lang => Box::new(
                rt.load_file(guests::guest(lang), options.clone())
                    .expect(lang),
            ),
        }
    };

    let none = rate(&big, 3, || None);
    let native = rate(&big, 3, || Some(Box::new(SpreadAndDrain::default())));
    let native_small = rate(&small, 3, || Some(Box::new(SpreadAndDrain::default())));
    let mut rows = vec![("none", none, ""), ("native", native, "")];
    // `--only c,wat` limits the guests (for profiling one of them).
    let only: Option<String> = std::env::args().skip_while(|a| a != "--only").nth(1);
    for lang in ["wat", "c", "py", "js"] {
        if only
            .as_ref()
            .is_some_and(|o| !o.split(',').any(|x| x == lang))
        {
            continue;
        }
        let interpreted = matches!(lang, "py" | "js");
        drop(load(lang)); // compiled (or fetched from the cache) before timing
        let r = if quick && interpreted {
            // Scaled to the big cluster by the native plugin's slowdown.
            rate(&small, 1, || Some(load(lang))) * native / native_small
        } else {
            rate(&big, if interpreted { 1 } else { 3 }, || Some(load(lang)))
        };
        let note = if quick && interpreted {
            " (scaled from 200 machines)"
        } else {
            ""
        };
        rows.push((lang, r, note));
    }
    println!("plugin_bench: 10,000 units on 1,000 machines (best run)");
    println!(
        "{:<8} {:>12} {:>10} {:>10}",
        "plugin", "units/s", "vs none", "vs native"
    );
    for (name, r, note) in &rows {
        println!(
            "{name:<8} {r:>12.0} {:>10.3} {:>10.3}{note}",
            r / none,
            r / native
        );
    }
    let c = rows.iter().find(|r| r.0 == "c").map_or(0.0, |r| r.1);
    println!(
        "{{\"bench\":\"plugin_bench\",\"none\":{none:.0},\"native\":{native:.0},\"c\":{c:.0},\"c_vs_native\":{:.3},\"c_target_50k\":{}}}",
        native / c,
        c >= 50_000.0
    );
    Ok(())
}
