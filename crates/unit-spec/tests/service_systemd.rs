//! Where systemd's reading of `[Unit]`/`[Service]` bites real units: each
//! case is what systemd does (systemd.service(5), systemd.exec(5)).

use std::time::Duration;

use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::{ServiceConfig, TypedError};
use flotta_unit_spec::specifier::SpecifierContext;
use flotta_unit_spec::syntax::UnitFile;
use flotta_unit_spec::timespan::TimeSpan;
use flotta_unit_spec::verify::{Severity, verify_text};

fn svc(body: &str) -> Result<ServiceConfig, TypedError> {
    let unit = UnitFile::parse(&format!("[Service]\n{body}")).expect("syntax");
    let name = UnitName::parse("app.service").expect("name");
    ServiceConfig::from_unit(&unit, &SpecifierContext::for_unit(&name))
}

fn warnings(text: &str) -> Vec<(usize, Option<String>, String)> {
    verify_text(Some("app.service"), text)
        .into_iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning, "{d}");
            (d.line, d.key, d.message)
        })
        .collect()
}

/// systemd.service: TimeoutStartSec= "defaults to infinity" for oneshot.
#[test]
fn oneshot_has_no_start_timeout_unless_set() {
    let s = svc("Type=oneshot\nExecStart=/bin/true\n").expect("valid");
    assert_eq!(s.timeout_start, TimeSpan::Infinity);
    assert_eq!(s.timeout_stop, TimeSpan::Finite(Duration::from_secs(90)));
    let s = svc("TimeoutStartSec=5\nType=oneshot\nExecStart=/bin/true\n").expect("valid");
    assert_eq!(s.timeout_start, TimeSpan::Finite(Duration::from_secs(5)));
    let s = svc("Type=oneshot\nTimeoutSec=7\nExecStart=/bin/true\n").expect("valid");
    assert_eq!(s.timeout_start, TimeSpan::Finite(Duration::from_secs(7)));
    let s = svc("ExecStart=/bin/true\n").expect("valid");
    assert_eq!(s.timeout_start, TimeSpan::Finite(Duration::from_secs(90)));
}

/// systemd refuses a second ExecStart= unless Type=oneshot; so does loading
/// (the agent reports `load: error`) and verify.
#[test]
fn a_second_exec_start_needs_oneshot() {
    let e = svc("ExecStart=/bin/a\nExecStart=/bin/b\n").expect_err("refused");
    assert_eq!(
        (e.line, e.column, e.key.as_str()),
        (3, 1, "ExecStart"),
        "{e}"
    );
    assert!(e.message.contains("Type=oneshot"), "{e}");
    // Type= may come after the commands.
    let e = svc("ExecStart=/bin/a\nExecStart=/bin/b\nExecStart=/bin/c\nType=forking\n")
        .expect_err("refused");
    assert_eq!(e.line, 3, "{e}");
    let s = svc("ExecStart=/bin/a\nExecStart=/bin/b\nType=oneshot\n").expect("oneshot");
    assert_eq!(s.exec_start.len(), 2);
    // A reset in between leaves one command.
    assert!(svc("ExecStart=/bin/a\nExecStart=\nExecStart=/bin/b\n").is_ok());

    let d = verify_text(
        Some("app.service"),
        "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].severity, d[0].line), (Severity::Error, 3), "{d:?}");
    assert!(d[0].message.contains("ExecStart"), "{d:?}");
}

#[test]
fn keys_flotta_does_not_act_on_are_named() {
    let w = warnings(
        "[Unit]\nBindsTo=db.service\nPartOf=app.target\n[Service]\nExecStart=/bin/true\nLimitNOFILE=65536\nNice=5\n",
    );
    let keys: Vec<(usize, &str)> = w
        .iter()
        .map(|(line, key, _)| (*line, key.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        keys,
        [
            (2, "BindsTo"),
            (3, "PartOf"),
            (6, "LimitNOFILE"),
            (7, "Nice")
        ],
        "{w:?}"
    );
    for (_, key, message) in &w {
        let key = key.as_deref().unwrap_or("");
        assert!(message.starts_with(&format!("{key}= ")), "{message}");
        assert!(message.contains("not acted on"), "{message}");
    }
}

/// The agent runs RemainAfterExit= (for every type, as systemd does), so
/// verify does not call it unknown.
#[test]
fn remain_after_exit_is_known() {
    for ty in ["oneshot", "simple", "forking"] {
        let text = format!("[Service]\nType={ty}\nRemainAfterExit=yes\nExecStart=/bin/true\n");
        assert_eq!(warnings(&text), [], "{ty}");
    }
}

/// The agent reads the daemon's pid from PIDFile= (systemd: a relative path
/// is under /run/), so verify does not call it ignored.
#[test]
fn pid_file_is_read() {
    let s = svc("Type=forking\nPIDFile=app.pid\nExecStart=/usr/sbin/appd\n").expect("valid");
    assert_eq!(s.pid_file.as_deref(), Some("/run/app.pid"));
    let s =
        svc("Type=forking\nPIDFile=/var/run/app.pid\nExecStart=/usr/sbin/appd\n").expect("valid");
    assert_eq!(s.pid_file.as_deref(), Some("/var/run/app.pid"));
    assert_eq!(
        warnings("[Service]\nType=forking\nPIDFile=/run/app.pid\nExecStart=/usr/sbin/appd\n"),
        []
    );
}
