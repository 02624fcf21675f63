//! WebAssembly placement plugins: the example guest in every language agrees
//! with the native plugin, and hostile guests end in their documented errors
//! while the scheduler keeps going.

mod common;

use std::time::Duration;

use common::guests;
use flotta_scheduler::plugin::builtin::SpreadAndDrain;
use flotta_scheduler::wasm::{Limits, RuntimeConfig, WasmError, WasmPluginOptions, WasmRuntime};
use flotta_scheduler::{
    Desired, FailurePolicy, Machine, Observed, PlacementPlugin, Plan, UnitSpec, plan_with_plugins,
};

fn runtime() -> WasmRuntime {
    WasmRuntime::new(RuntimeConfig {
        cache_dir: Some(guests::cache_dir()),
        fuel: true,
    })
    .expect("runtime")
}

fn run(desired: &Desired, plugin: Box<dyn PlacementPlugin>, policy: FailurePolicy) -> Plan {
    plan_with_plugins(desired, &Observed::default(), vec![(plugin, policy, true)])
}

fn small() -> Desired {
    Desired {
        machines: vec![
            Machine::new("m1").with("rack", "a"),
            Machine::new("m2").with("rack", "b"),
            Machine::new("m3").with("rack", "b").with("drain", "true"),
        ],
        units: (1..=3)
            .map(|n| UnitSpec::new(format!("web@{n}.service")))
            .collect(),
    }
}

#[test]
fn every_language_places_like_the_native_plugin() {
    let (machines, units) = guests::cluster(200, 2_000);
    let desired = Desired { machines, units };
    let native = run(
        &desired,
        Box::new(SpreadAndDrain::default()),
        FailurePolicy::FailClosed,
    );
    assert_eq!(native.assignments.len(), 2_000 - native.unplaced.len());
    assert!(
        !native.assignments.values().any(|m| m == "m00003"),
        "the native plugin skips draining machines"
    );
    let rt = runtime();
    for lang in ["c", "py", "js"] {
        let options = WasmPluginOptions {
            limits: Limits {
                timeout: Duration::from_secs(30),
                ..Limits::default()
            },
            ..WasmPluginOptions::default()
        };
        let plugin = rt.load_file(guests::guest(lang), options).expect(lang);
        assert_eq!(plugin.name(), format!("spread-{lang}"));
        let got = run(&desired, Box::new(plugin), FailurePolicy::FailClosed);
        assert_eq!(got.unplaced, native.unplaced, "{lang}: unplaced units");
        assert_eq!(got.assignments, native.assignments, "{lang}: assignments");
    }
}

#[test]
fn the_wat_plugin_ranks_least_loaded_first() {
    let plugin = runtime()
        .load_bytes(
            &guests::component(&guests::wat_source()),
            WasmPluginOptions::default(),
        )
        .expect("wat plugin");
    let plan = run(&small(), Box::new(plugin), FailurePolicy::FailClosed);
    let mut used: Vec<&String> = plan.assignments.values().collect();
    used.sort();
    assert_eq!(used, ["m1", "m2", "m3"], "one unit per machine");
}

#[test]
fn a_plugin_config_is_checked_by_init() {
    let options = WasmPluginOptions {
        config: vec![("colour".into(), "blue".into())],
        ..WasmPluginOptions::default()
    };
    match runtime().load_file(guests::guest("c"), options) {
        Err(WasmError::Init { plugin, message }) => {
            assert_eq!(plugin, "spread-c");
            assert!(message.contains("unknown config key"), "{message}");
        }
        other => panic!("expected an init error, got {other:?}"),
    }
}

#[test]
fn check_lists_the_exports_and_rejects_other_components() {
    let rt = runtime();
    let bytes = std::fs::read(guests::guest("c")).expect("read");
    let info = rt.check("spread-c", &bytes).expect("valid plugin");
    assert!(
        info.exports
            .iter()
            .any(|e| e == "flotta:placement/plugin@0.1.0#filter"),
        "{:?}",
        info.exports
    );
    let err = rt
        .check("empty", &guests::component_without_world())
        .expect_err("not a plugin");
    assert!(
        err.to_string().contains("not a flotta placement plugin"),
        "{err}"
    );
}

/// Loads a hostile variant of the WAT plugin, fails closed on every unit with
/// the expected message, then shows the scheduler still places with
/// `fail-open`.
fn hostile(export: &str, code: &str, limits: Limits, expected: &str) {
    let rt = runtime();
    let bytes = guests::hostile(export, code);
    let options = WasmPluginOptions {
        name: Some("hostile".into()),
        limits,
        ..WasmPluginOptions::default()
    };
    let closed = rt.load_bytes(&bytes, options.clone()).expect("loads");
    let plan = run(&small(), Box::new(closed), FailurePolicy::FailClosed);
    assert!(plan.assignments.is_empty(), "{:?}", plan.assignments);
    assert_eq!(plan.unplaced.len(), 3, "every unit met the failure");
    for u in &plan.unplaced {
        let why = u.explanation.to_string();
        assert!(why.contains("hostile"), "names the plugin: {why}");
        assert!(why.contains(&u.unit), "names the unit: {why}");
        assert!(why.contains(expected), "says {expected:?}: {why}");
    }
    let open = rt.load_bytes(&bytes, options).expect("loads");
    let plan = run(&small(), Box::new(open), FailurePolicy::FailOpen);
    assert_eq!(plan.assignments.len(), 3, "fail-open ignores the plugin");
}

#[test]
fn an_infinite_loop_times_out() {
    hostile(
        "filter",
        "(loop $spin (br $spin))",
        Limits {
            timeout: Duration::from_millis(50),
            ..Limits::default()
        },
        "timed out",
    );
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    hostile(
        "filter",
        "(loop $spin (br $spin))",
        Limits {
            fuel: Some(1_000_000),
            ..Limits::default()
        },
        "out of fuel",
    );
}

#[test]
fn growing_memory_to_the_limit_is_out_of_memory() {
    hostile(
        "filter",
        "(loop $more (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))",
        Limits {
            memory_bytes: 8 << 20,
            ..Limits::default()
        },
        "out of memory",
    );
}

#[test]
fn a_trap_is_reported() {
    hostile("filter", "unreachable", Limits::default(), "trapped");
}

#[test]
fn a_score_of_the_wrong_length_is_rejected() {
    hostile(
        "score",
        "(i32.store8 (i32.const 16) (i32.const 0)) (i32.store (i32.const 20) (i32.const 0)) \
         (i32.store (i32.const 24) (i32.const 0)) (return (i32.const 16))",
        Limits::default(),
        "score returned 0 values for",
    );
}

#[test]
fn an_out_of_range_candidate_is_rejected() {
    // One rejection at 600: candidates [9999] (at 640), reason "nope" (at 512).
    hostile(
        "filter",
        "(i32.store (i32.const 640) (i32.const 9999)) \
         (i32.store (i32.const 600) (i32.const 640)) (i32.store (i32.const 604) (i32.const 1)) \
         (i32.store (i32.const 608) (i32.const 512)) (i32.store (i32.const 612) (i32.const 4)) \
         (i32.store8 (i32.const 16) (i32.const 0)) (i32.store (i32.const 20) (i32.const 600)) \
         (i32.store (i32.const 24) (i32.const 1)) (return (i32.const 16))",
        Limits::default(),
        "filter rejected candidate 9999 but there are only",
    );
}

#[test]
fn ten_megabytes_of_log_exhaust_the_budget() {
    // 1,000 messages of 10,000 bytes (zeros from 8192 are valid UTF-8).
    hostile(
        "filter",
        "(local.set $args (i32.const 1000)) \
         (loop $spam (call $log (i32.const 2) (i32.const 8192) (i32.const 10000)) \
           (local.set $args (i32.sub (local.get $args) (i32.const 1))) \
           (br_if $spam (local.get $args)))",
        Limits::default(),
        "log budget exceeded",
    );
}
