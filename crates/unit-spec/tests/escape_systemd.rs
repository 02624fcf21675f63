//! Compares `flotta_unit_spec::escape` with the real `systemd-escape` over a
//! generated corpus, in every mode. This test fails (it does not skip) when
//! `systemd-escape` is missing: `scripts/test` installs it.

mod common;

use std::process::Command;

use common::Lcg;
use flotta_unit_spec::escape::{EscapeErrorKind, escape, escape_path, unescape, unescape_path};

const PLAIN: &[&str] = &[
    "a", "Z", "0", "9", ".", "/", "-", "\\", " ", "\t", ":", "_", "@", "%", "ä", "€", "😀", "x",
    "\"", "'", "*", "~", "..", "//", "a.b", "\u{7f}", "\u{1}", "é",
];

const ESCAPED: &[&str] = &[
    "a",
    "-",
    ".",
    "\\x2d",
    "\\x2e",
    "\\x41",
    "\\xc3\\xa4",
    "\\x",
    "\\xZ",
    "\\xg1",
    "\\x4",
    "\\n",
    "\\\\",
    "\\xff",
    "\\xFF",
    "\\xe2\\x82\\xac",
    "x",
    ":",
    "_",
    "@",
    "..",
    "--",
    " ",
];

fn systemd_escape(args: &[&str], inputs: &[&str]) -> (bool, Vec<u8>) {
    let out = Command::new("systemd-escape")
        .args(args)
        .arg("--")
        .args(inputs)
        .output()
        .unwrap_or_else(|e| {
            panic!("systemd-escape must be installed for this test (scripts/test installs it): {e}")
        });
    let mut stdout = out.stdout;
    if stdout.last() == Some(&b'\n') {
        stdout.pop();
    }
    (out.status.success(), stdout)
}

#[test]
fn systemd_escape_is_installed() {
    let (ok, out) = systemd_escape(&[], &["a/b"]);
    assert!(ok);
    assert_eq!(out, b"a-b");
}

#[test]
fn escape_matches_systemd() {
    let mut rng = Lcg(1);
    let corpus: Vec<String> = (0..2000).map(|_| rng.string(PLAIN, 12)).collect();
    // Escaped strings contain no whitespace, so one call handles a whole chunk.
    for chunk in corpus.chunks(250) {
        let inputs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let (ok, out) = systemd_escape(&[], &inputs);
        assert!(ok);
        let ours: Vec<String> = inputs.iter().map(|s| escape(s)).collect();
        assert_eq!(String::from_utf8_lossy(&out), ours.join(" "));
    }
}

#[test]
fn escape_path_matches_systemd() {
    let mut rng = Lcg(2);
    let long = "l".repeat(256);
    let mut alphabet = PLAIN.to_vec();
    alphabet.extend(["/", "/", "/..", "/.", "./", "../"]);
    alphabet.push(&long);
    let mut corpus: Vec<String> = (0..600).map(|_| rng.string(&alphabet, 8)).collect();
    corpus.extend(
        [
            "",
            "/",
            "///",
            ".",
            "./",
            "/.",
            "/..",
            "a/../b",
            "/foo/./bar/",
            "//a//b//",
        ]
        .map(String::from),
    );
    for input in &corpus {
        let (ok, out) = systemd_escape(&["--path"], &[input]);
        match escape_path(input) {
            Ok(ours) => {
                assert!(
                    ok,
                    "systemd-escape --path refused {input:?}, flotta gave {ours:?}"
                );
                assert_eq!(String::from_utf8_lossy(&out), ours, "input {input:?}");
            }
            Err(e) => assert!(!ok, "systemd-escape --path accepted {input:?}, flotta: {e}"),
        }
    }
}

fn compare_unescape(
    args: &[&str],
    input: &str,
    ours: Result<String, flotta_unit_spec::EscapeError>,
) {
    let (ok, out) = systemd_escape(args, &[input]);
    match ours {
        Ok(ours) => {
            assert!(
                ok,
                "systemd-escape {args:?} refused {input:?}, flotta gave {ours:?}"
            );
            assert_eq!(out, ours.as_bytes(), "input {input:?}");
        }
        // Deliberate differences: systemd truncates at NUL and emits raw bytes.
        Err(e) if matches!(e.kind, EscapeErrorKind::NulByte { .. }) => {}
        Err(e) if e.kind == EscapeErrorKind::InvalidUtf8 => {
            assert!(!ok || std::str::from_utf8(&out).is_err(), "input {input:?}");
        }
        Err(e) => assert!(
            !ok,
            "systemd-escape {args:?} accepted {input:?}, flotta: {e}"
        ),
    }
}

#[test]
fn unescape_matches_systemd() {
    let mut rng = Lcg(3);
    for _ in 0..700 {
        let input = rng.string(ESCAPED, 6);
        compare_unescape(&["--unescape"], &input, unescape(&input));
    }
}

#[test]
fn unescape_path_matches_systemd() {
    let mut rng = Lcg(4);
    let mut corpus: Vec<String> = (0..500).map(|_| rng.string(ESCAPED, 5)).collect();
    corpus.extend(["", "-", "a-", "-a", "a--b", "a-.-b", "a-..-b", "."].map(String::from));
    for input in &corpus {
        compare_unescape(&["--unescape", "--path"], input, unescape_path(input));
    }
}

#[test]
fn round_trips_agree_with_systemd() {
    let mut rng = Lcg(5);
    for _ in 0..200 {
        let s = rng.string(PLAIN, 10);
        let e = escape(&s);
        compare_unescape(&["--unescape"], &e, unescape(&e));
        assert_eq!(unescape(&e).ok(), Some(s));
    }
}

/// `systemd-escape` flag combinations: flotta's [`SystemdEscape`] must accept
/// and refuse the same invocations and print the same results.
#[test]
fn cli_modes_match_systemd() {
    use flotta_unit_spec::SystemdEscape;
    let t = |s: &str| Some(s.to_owned());
    let cases: Vec<(Vec<&str>, SystemdEscape)> = vec![
        (vec![], SystemdEscape::default()),
        (
            vec!["--path"],
            SystemdEscape {
                path: true,
                ..Default::default()
            },
        ),
        (
            vec!["--template=getty@.service"],
            SystemdEscape {
                template: t("getty@.service"),
                ..Default::default()
            },
        ),
        (
            vec!["--path", "--template=mnt@.mount"],
            SystemdEscape {
                path: true,
                template: t("mnt@.mount"),
                ..Default::default()
            },
        ),
        (
            vec!["--suffix=timer"],
            SystemdEscape {
                suffix: t("timer"),
                ..Default::default()
            },
        ),
        (
            vec!["--suffix=bogus"],
            SystemdEscape {
                suffix: t("bogus"),
                ..Default::default()
            },
        ),
        (
            vec!["--template=plain.service"],
            SystemdEscape {
                template: t("plain.service"),
                ..Default::default()
            },
        ),
        (
            vec!["--suffix=service", "--template=a@.service"],
            SystemdEscape {
                suffix: t("service"),
                template: t("a@.service"),
                ..Default::default()
            },
        ),
        (
            vec!["--mangle"],
            SystemdEscape {
                mangle: true,
                ..Default::default()
            },
        ),
        (
            vec!["--mangle", "--path"],
            SystemdEscape {
                mangle: true,
                path: true,
                ..Default::default()
            },
        ),
        (
            vec!["--mangle", "--suffix=service"],
            SystemdEscape {
                mangle: true,
                suffix: t("service"),
                ..Default::default()
            },
        ),
        (
            vec!["--unescape", "--suffix=service"],
            SystemdEscape {
                unescape: true,
                suffix: t("service"),
                ..Default::default()
            },
        ),
        (
            vec!["--instance"],
            SystemdEscape {
                instance: true,
                ..Default::default()
            },
        ),
        (
            vec!["--unescape", "--instance"],
            SystemdEscape {
                unescape: true,
                instance: true,
                ..Default::default()
            },
        ),
        (
            vec!["--unescape", "--instance", "--path"],
            SystemdEscape {
                unescape: true,
                instance: true,
                path: true,
                ..Default::default()
            },
        ),
        (
            vec!["--unescape", "--instance", "--template=a@.service"],
            SystemdEscape {
                unescape: true,
                instance: true,
                template: t("a@.service"),
                ..Default::default()
            },
        ),
        (
            vec!["--unescape", "--template=a@.service"],
            SystemdEscape {
                unescape: true,
                template: t("a@.service"),
                ..Default::default()
            },
        ),
    ];
    let inputs = [
        "tty/1",
        "",
        "a@b-c.service",
        "a@.service",
        "b@x.service",
        "a.service",
        "/dev/sda",
        "/home/me",
        "foo bar",
        "_____##@;;;,,,##----.....service",
        "üxknürz.service",
        "foo",
        "a@home-me.service",
        "x.y.z",
        "/",
        "a@\\x2d.service",
    ];
    for (args, cli) in &cases {
        for input in inputs {
            let (ok, out) = systemd_escape(args, &[input]);
            match cli.run(input) {
                Ok(ours) => {
                    assert!(
                        ok,
                        "systemd-escape {args:?} {input:?} failed, flotta gave {ours:?}"
                    );
                    assert_eq!(String::from_utf8_lossy(&out), ours, "{args:?} {input:?}");
                }
                Err(e) => assert!(
                    !ok,
                    "systemd-escape {args:?} {input:?} gave {out:?}, flotta: {e}"
                ),
            }
        }
    }
}

#[test]
fn mangle_matches_systemd() {
    let mut rng = Lcg(6);
    let mut alphabet = PLAIN.to_vec();
    alphabet.extend([".service", ".mount", "/dev/", "@"]);
    for _ in 0..300 {
        let input = rng.string(&alphabet, 6);
        let (ok, out) = systemd_escape(&["--mangle"], &[&input]);
        match flotta_unit_spec::escape::mangle(&input) {
            Ok(ours) => {
                assert!(
                    ok,
                    "systemd-escape --mangle {input:?} failed, flotta gave {ours:?}"
                );
                assert_eq!(String::from_utf8_lossy(&out), ours, "input {input:?}");
            }
            Err(e) => assert!(
                !ok,
                "systemd-escape --mangle {input:?} gave {out:?}, flotta: {e}"
            ),
        }
    }
}

#[test]
fn path_warnings_match_systemd() {
    use flotta_unit_spec::SystemdEscape;
    let cli = SystemdEscape {
        path: true,
        ..Default::default()
    };
    for input in ["/a/b", "a/b", "", "//a/./b/", "/a", "./x", "/x/"] {
        let out = Command::new("systemd-escape")
            .args(["--path", "--", input])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let systemd = Some(stderr.trim_end()).filter(|s| !s.is_empty());
        assert_eq!(cli.warning(input).as_deref(), systemd, "{input:?}");
    }
}
