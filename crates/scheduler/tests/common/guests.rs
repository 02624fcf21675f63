//! Plugin components for tests and benchmarks: the WAT fixture (wrapped into
//! a component here, in-process) and the C, Python and JavaScript example
//! guests that `bindings/guest/build` compiles into `target/plugins/`.

#![allow(dead_code)]

use std::path::PathBuf;

use flotta_scheduler::{Machine, UnitSpec};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The least-loaded WAT plugin's source.
pub fn wat_source() -> String {
    std::fs::read_to_string(root().join("bindings/guest/wat/least-loaded.wat"))
        .expect("bindings/guest/wat/least-loaded.wat")
}

/// Wraps a core module (WAT text) into a `placement-plugin` component.
pub fn component(core_wat: &str) -> Vec<u8> {
    let mut module = wat::parse_str(core_wat).expect("core module parses");
    let mut resolve = wit_parser::Resolve::default();
    let (pkg, _) = resolve
        .push_dir(root().join("bindings/wit"))
        .expect("WIT package");
    let world = resolve
        .select_world(&[pkg], Some("placement-plugin"))
        .expect("world");
    wit_component::embed_component_metadata(
        &mut module,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
        false,
    )
    .expect("embed");
    wit_component::ComponentEncoder::default()
        .module(&module)
        .expect("module")
        .validate(true)
        .encode()
        .expect("component")
}

/// The WAT plugin with the body of `filter` or `score` prefixed by `code`
/// (it runs first and may never return).
pub fn hostile(export: &str, code: &str) -> Vec<u8> {
    let marker = match export {
        "filter" => ";; FILTER",
        "score" => ";; SCORE",
        other => panic!("no marker for {other}"),
    };
    component(&wat_source().replacen(marker, code, 1))
}

/// A built example guest (`c`, `py` or `js`); fails, never skips, when the
/// build step did not run.
pub fn guest(lang: &str) -> PathBuf {
    let dir = std::env::var_os("FLOTTA_PLUGIN_DIR")
        .map_or_else(|| root().join("target/plugins"), PathBuf::from);
    let path = dir.join(format!("spread-{lang}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run bindings/guest/build (scripts/test does)",
        path.display()
    );
    path
}

/// Where compiled plugins are cached between test runs.
pub fn cache_dir() -> PathBuf {
    root().join("target/plugins/cache")
}

/// A cluster for comparing plugins: `machines` machines over 10 racks (every
/// 7th draining) and `units` instances of 20 templates, some conflicting.
pub fn cluster(machines: usize, units: usize) -> (Vec<Machine>, Vec<UnitSpec>) {
    let ms = (0..machines)
        .map(|i| {
            let m = Machine::new(format!("m{i:05}")).with("rack", format!("r{}", i % 10));
            if i % 7 == 3 {
                m.with("drain", "true")
            } else {
                m
            }
        })
        .collect();
    let us = (0..units)
        .map(|i| {
            let u = UnitSpec::new(format!("app{}@{}.service", i % 20, i / 20));
            if i % 20 == 0 {
                u.conflicts(format!("app0@{}.service", i / 20 + 1))
            } else {
                u
            }
        })
        .collect();
    (ms, us)
}

/// A valid component that exports nothing.
pub fn component_without_world() -> Vec<u8> {
    wat::parse_str("(component)").expect("empty component")
}
