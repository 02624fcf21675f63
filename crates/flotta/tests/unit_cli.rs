//! `flotta unit …` as a user runs it: the real binary, real files, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn flotta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flotta"))
        .args(args)
        .output()
        .expect("run flotta")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn seed_units() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed/units");
    let mut units: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/seed/units")
        .map(|e| e.expect("dir entry").path())
        .collect();
    units.sort();
    assert!(units.len() >= 2, "seed units missing: {units:?}");
    units
}

#[test]
fn verify_accepts_the_seed_units() {
    let units = seed_units();
    let mut args = vec!["unit", "verify"];
    args.extend(units.iter().map(|p| p.to_str().expect("utf-8 path")));
    let out = flotta(&args);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("0 errors"), "{}", stderr(&out));
}

#[test]
fn verify_names_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad@.service");
    std::fs::write(
        &bad,
        "[Unit]\nDescription=x\n[Service\nExecStart=/bin/true\n",
    )
    .expect("write");
    let out = flotta(&["unit", "verify", bad.to_str().expect("path"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let first = &json[0];
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 1);
    assert!(
        first["file"]
            .as_str()
            .expect("file")
            .ends_with("bad@.service")
    );
    let text = flotta(&["unit", "verify", bad.to_str().expect("path")]);
    assert!(
        stdout(&text).contains("line 3, column 1"),
        "{}",
        stdout(&text)
    );
}

/// An address that would rewrite a balancer config is an error, not a unit.
#[test]
fn verify_refuses_an_address_that_is_not_a_host() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("web@.service");
    std::fs::write(
        &bad,
        "[Service]\nExecStart=/bin/true\n[X-Flotta]\nService=web\nPort=%i\nAddress=1.2.3.4:80; } server {\n",
    )
    .expect("write");
    let out = flotta(&["unit", "verify", bad.to_str().expect("path"), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let first = &json[0];
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(6), Some(1)),
        "{json}"
    );
    assert!(first.to_string().contains("Address"), "{json}");
}

#[test]
fn parse_prints_fleet_options_and_requirements() {
    let units = seed_units();
    let app = units
        .iter()
        .find(|p| p.ends_with("sample.application@.service"))
        .expect("template");
    let out = flotta(&["unit", "parse", app.to_str().expect("path"), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let options: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        options
            .as_array()
            .expect("array")
            .iter()
            .any(|o| o["section"] == "X-Fleet"
                && o["name"] == "Conflicts"
                && o["value"] == "*@%i.service")
    );

    let out = flotta(&[
        "unit",
        "parse",
        app.to_str().expect("path"),
        "--fleet",
        "--instance",
        "8080",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fleet: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(fleet["conflicts"][0], "*@8080.service");
}

#[test]
fn parse_fleet_refuses_invalid_combinations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = dir.path().join("pinned.service");
    std::fs::write(&unit, "[X-Fleet]\nMachineID=abc\nGlobal=true\n").expect("write");
    let out = flotta(&["unit", "parse", unit.to_str().expect("path"), "--fleet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("MachineID"), "{}", stderr(&out));
}

#[test]
fn name_describes_kinds_and_refuses_bad_names() {
    let out = flotta(&[
        "unit",
        "name",
        "sample.application.1@8080.service",
        "sample.application@.service",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["kind"], "instance");
    assert_eq!(json[0]["prefix"], "sample.application.1");
    assert_eq!(json[0]["instance"], "8080");
    assert_eq!(json[0]["template"], "sample.application.1@.service");
    assert_eq!(json[0]["type"], "service");
    assert_eq!(json[1]["kind"], "template");

    let out = flotta(&["unit", "name", "bad name.service"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("invalid"), "{}", stdout(&out));
}

#[test]
fn escape_matches_systemd_escape() {
    let cases: &[&[&str]] = &[
        &["--path", "/var/lib/my app"],
        &["hello/world-x"],
        &["--unescape", "hello-world\\x2dx"],
        &["--template", "foo@.service", "a/b"],
        &["--suffix", "mount", "--path", "/mnt/data"],
    ];
    for args in cases {
        let ours = flotta(&[&["unit", "escape"], *args].concat());
        let theirs = Command::new("systemd-escape")
            .args(*args)
            .output()
            .expect("systemd-escape must be installed (scripts/test installs it)");
        assert_eq!(
            stdout(&ours),
            stdout(&theirs),
            "args {args:?}: {}",
            stderr(&ours)
        );
        assert_eq!(
            ours.status.success(),
            theirs.status.success(),
            "args {args:?}"
        );
    }
}

#[test]
fn expand_uses_the_unit_name() {
    let out = flotta(&[
        "unit",
        "expand",
        "--unit",
        "sample.application.1@8080.service",
        "%p on %i (%n)",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "sample.application.1 on 8080 (sample.application.1@8080.service)\n"
    );
    let out = flotta(&["unit", "expand", "--unit", "a.service", "%z"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("%z"), "{}", stderr(&out));
}

#[test]
fn cat_prints_the_file_exactly_and_expands_instances() {
    let units = seed_units();
    let app = units
        .iter()
        .find(|p| p.ends_with("sample.application@.service"))
        .expect("template");
    let out = flotta(&["unit", "cat", app.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, std::fs::read(app).expect("read"));

    let out = flotta(&[
        "unit",
        "cat",
        app.to_str().expect("path"),
        "--instance",
        "8080",
        "--expand",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Conflicts=*@8080.service"), "{text}");
    assert!(
        text.contains("--name sample.application --expose 8080 -p 8080:8080"),
        "{text}"
    );
}
