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

/// Wraps a core module (WAT text) into a `placement-plugin` component with
/// `wasm-tools` (which `scripts/test` installs, as the guest builds need it).
/// A CLI rather than the `wit-component` crate: as a dev-dependency that crate
/// changes the features of wasmtime's own dependencies, and the test build
/// would stop sharing its compiled wasmtime with the `flotta` binary's.
pub fn component(core_wat: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let core = dir.path().join("core.wat");
    let embedded = dir.path().join("embedded.wasm");
    let out = dir.path().join("component.wasm");
    std::fs::write(&core, core_wat).expect("write core module");
    let wit = root().join("bindings/wit");
    wasm_tools(&[
        "component".as_ref(),
        "embed".as_ref(),
        wit.as_os_str(),
        "--world".as_ref(),
        "placement-plugin".as_ref(),
        core.as_os_str(),
        "-o".as_ref(),
        embedded.as_os_str(),
    ]);
    wasm_tools(&[
        "component".as_ref(),
        "new".as_ref(),
        embedded.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    std::fs::read(&out).expect("read component")
}

fn wasm_tools(args: &[&std::ffi::OsStr]) {
    let status = std::process::Command::new("wasm-tools")
        .args(args)
        .status()
        .unwrap_or_else(|e| {
            panic!("wasm-tools: {e}; install it with `cargo install wasm-tools@1.263.0` (scripts/test does)")
        });
    assert!(status.success(), "wasm-tools {args:?}: {status}");
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
    // `(component)`: the preamble alone (magic, component version 0x0d, layer 1).
    b"\0asm\x0d\0\x01\0".to_vec()
}
