//! `flotta plan` on the seed's units and a machines file.

use std::path::Path;
use std::process::Command;

fn seed() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed")
}

fn plan(extra: &[&str]) -> std::process::Output {
    let seed = seed();
    Command::new(env!("CARGO_BIN_EXE_flotta"))
        .arg("plan")
        .arg("--units")
        .arg(seed.join("units"))
        .arg("--machines")
        .arg(seed.join("machines.json"))
        .args([
            "sample.application.1@8080.service",
            "sample.application.2@8080.service",
            "sample.application.3@8080.service",
            "sample.application.4@8081.service",
            "sample.application.5@8080.service",
        ])
        .args(extra)
        .output()
        .expect("run flotta plan")
}

#[test]
fn seed_plan_as_json() {
    let out = plan(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let a = json["assignments"].as_object().expect("assignments");
    let mut hosts: Vec<&str> = (1..=3)
        .map(|n| {
            a[&format!("sample.application.{n}@8080.service")]
                .as_str()
                .expect("id")
        })
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    assert_eq!(hosts.len(), 3, "three 8080 instances on three machines");
    assert!(a.contains_key("sample.application.4@8081.service"));
    assert_eq!(
        json["unplaced"][0]["unit"],
        "sample.application.5@8080.service"
    );
}

#[test]
fn explain_names_every_machine() {
    let out = plan(&["--explain", "sample.application.5@8080.service"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 machines: conflicts with"), "{text}");
    assert_eq!(text.matches("via *@8080.service").count(), 4, "{text}");
}
