//! `flotta plugin check` and `flotta plan --plugin` with the example guests
//! that `bindings/guest/build` compiles (scripts/test runs it first).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn guest(lang: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/plugins")
        .join(format!("spread-{lang}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run bindings/guest/build",
        path.display()
    );
    path
}

fn flotta(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(args)
        .env(
            "FLOTTA_WASM_CACHE",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/plugins/cache"),
        )
        .output()
        .expect("run flotta")
}

#[test]
fn check_prints_the_exports() {
    let c = guest("c");
    let out = flotta(&[
        "plugin".as_ref(),
        "check".as_ref(),
        c.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let exports: Vec<&str> = info["exports"]
        .as_array()
        .expect("exports")
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    for f in ["init", "on-machines", "filter", "score"] {
        let name = format!("flotta:placement/plugin@0.1.0#{f}");
        assert!(exports.contains(&name.as_str()), "{name} in {exports:?}");
    }
}

#[test]
fn check_refuses_what_is_not_a_plugin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("empty.wat");
    std::fs::write(&file, "(component)").expect("write");
    let out = flotta(&["plugin".as_ref(), "check".as_ref(), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a flotta placement plugin"), "{err}");
    assert!(err.contains("empty.wat"), "names the file: {err}");
}

#[test]
fn a_unit_plugin_applies_to_units_that_name_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let units = dir.path().join("units");
    std::fs::create_dir(&units).expect("mkdir");
    std::fs::write(
        units.join("web@.service"),
        "[Service]\nExecStart=/bin/true\n\n[X-Flotta]\nPlacement=spread-c\n",
    )
    .expect("unit");
    std::fs::write(
        units.join("db@.service"),
        "[Service]\nExecStart=/bin/true\n",
    )
    .expect("unit");
    let machines = dir.path().join("machines.json");
    std::fs::write(
        &machines,
        r#"[{"id":"m1","metadata":{"rack":"a","drain":"true"}},
            {"id":"m2","metadata":{"rack":"a"}},
            {"id":"m3","metadata":{"rack":"b"}}]"#,
    )
    .expect("machines");
    let c = guest("c");
    let out = flotta(&[
        "plan".as_ref(),
        "--units".as_ref(),
        units.as_os_str(),
        "--machines".as_ref(),
        machines.as_os_str(),
        "--unit-plugin".as_ref(),
        c.as_os_str(),
        "--json".as_ref(),
        "web@1.service".as_ref(),
        "web@2.service".as_ref(),
        "web@3.service".as_ref(),
        "db@1.service".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let a = &plan["assignments"];
    for n in 1..=3 {
        assert_ne!(
            a[format!("web@{n}.service")],
            "m1",
            "web units skip the draining machine"
        );
    }
    assert_eq!(
        a["db@1.service"], "m1",
        "db does not name the plugin: least loaded m1"
    );
}
