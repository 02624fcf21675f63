//! go-systemd's deserializer tests, ported as data.
//!
//! Source: github.com/coreos/go-systemd, `unit/deserialize_test.go`
//! (`TestDeserialize`, `TestDeserializeFail`). Where go-systemd and systemd
//! disagree, the expected value here is systemd's and the case says so.

use flotta_unit_spec::options::UnitOption;
use flotta_unit_spec::syntax::UnitFile;

fn opts(list: &[(&str, &str, &str)]) -> Vec<UnitOption> {
    list.iter()
        .map(|&(s, n, v)| UnitOption::new(s, n, v))
        .collect()
}

struct Case {
    name: &'static str,
    input: &'static str,
    /// `None`: flotta refuses the file (with line and column).
    want: Option<&'static [(&'static str, &'static str, &'static str)]>,
}

const CASES: &[Case] = &[
    Case {
        name: "multiple options underneath a section",
        input: "[Unit]\nDescription=Foo\nDescription=Bar\nRequires=baz.service\nAfter=baz.service\n",
        want: Some(&[
            ("Unit", "Description", "Foo"),
            ("Unit", "Description", "Bar"),
            ("Unit", "Requires", "baz.service"),
            ("Unit", "After", "baz.service"),
        ]),
    },
    Case {
        name: "multiple sections",
        input: "[Unit]\nDescription=Foo\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n\n[X-Third-Party]\nPants=on\n\n",
        want: Some(&[
            ("Unit", "Description", "Foo"),
            ("Service", "ExecStart", "/usr/bin/sleep infinity"),
            ("X-Third-Party", "Pants", "on"),
        ]),
    },
    Case {
        name: "multiple sections with no options",
        input: "[Unit]\n[Service]\n[X-Third-Party]\n",
        want: Some(&[]),
    },
    Case {
        name: "multiple values not special-cased",
        input: "[Service]\nEnvironment= \"FOO=BAR\" \"BAZ=QUX\"\n",
        want: Some(&[("Service", "Environment", "\"FOO=BAR\" \"BAZ=QUX\"")]),
    },
    Case {
        // go-systemd keeps "\\\n" in the value; systemd turns the backslash
        // into a space and joins the lines.
        name: "line continuations (systemd joins them)",
        input: "[Unit]\nDescription= Unnecessarily wrapped \\\n    words here\n",
        want: Some(&[(
            "Unit",
            "Description",
            "Unnecessarily wrapped      words here",
        )]),
    },
    Case {
        name: "comments ignored",
        input: "; comment alpha\n# comment bravo\n[Unit]\n; comment charlie\n# comment delta\n#Description=Foo\nDescription=Bar\n; comment echo\n# comment foxtrot\n",
        want: Some(&[("Unit", "Description", "Bar")]),
    },
    Case {
        // go-systemd keeps comment lines inside a continuation; systemd skips them.
        name: "comment lines inside continuations (systemd skips them)",
        input: "[Unit]\nDescription=Bar\\\n# comment alpha\n\nDescription=Bar\\\n# comment bravo \\\nBaz\n",
        want: Some(&[
            ("Unit", "Description", "Bar"),
            ("Unit", "Description", "Bar Baz"),
        ]),
    },
    Case {
        // go-systemd and systemd ignore it; flotta refuses so nothing is lost silently.
        name: "options outside of sections",
        input: "Description=Foo\n[Unit]\nDescription=Bar\n",
        want: None,
    },
    Case {
        name: "garbage outside of sections",
        input: "<<<<<<<<\n[Unit]\nDescription=Bar\n",
        want: None,
    },
    Case {
        name: "garbage used as unit option",
        input: "[Unit]\n<<<<<<<<=Bar\n",
        want: Some(&[("Unit", "<<<<<<<<", "Bar")]),
    },
    Case {
        name: "option name with spaces are valid",
        input: "[Unit]\nSome Thing = Bar\n",
        want: Some(&[("Unit", "Some Thing", "Bar")]),
    },
    Case {
        name: "lack of trailing newline",
        input: "[Unit]\nDescription=Bar",
        want: Some(&[("Unit", "Description", "Bar")]),
    },
    Case {
        // go-systemd keeps the backslash; systemd turns it into a space.
        name: "continuation but no following line",
        input: "[Unit]\nDescription=Bar \\",
        want: Some(&[("Unit", "Description", "Bar")]),
    },
    Case {
        name: "utf8 characters are preserved",
        input: "[©]\nµ☃=ÇôrèÕ$",
        want: Some(&[("©", "µ☃", "ÇôrèÕ$")]),
    },
    Case {
        name: "whitespace removed around option name",
        input: "[Unit]\n Description   =words here\n",
        want: Some(&[("Unit", "Description", "words here")]),
    },
    Case {
        name: "whitespace around option value stripped",
        input: "[Unit]\nDescription= words here ",
        want: Some(&[("Unit", "Description", "words here")]),
    },
    Case {
        name: "whitespace around option value stripped, regardless of continuation",
        input: "[Unit]\nDescription= words here \\\n  ",
        want: Some(&[("Unit", "Description", "words here")]),
    },
    Case {
        name: "backslash not considered continuation if followed by text",
        input: "[Service]\nExecStart=/bin/bash -c \"while true; do echo \\\"ping\\\"; sleep 1; done\"\n",
        want: Some(&[(
            "Service",
            "ExecStart",
            "/bin/bash -c \"while true; do echo \\\"ping\\\"; sleep 1; done\"",
        )]),
    },
    Case {
        name: "backslash not considered continuation if followed by whitespace, but still trimmed",
        input: "[Service]\nExecStart=/bin/bash echo poof \\  ",
        want: Some(&[("Service", "ExecStart", "/bin/bash echo poof \\")]),
    },
    // TestDeserializeFail
    Case {
        name: "malformed section header",
        input: "[Unit\nDescription=Foo\n",
        want: None,
    },
    Case {
        name: "garbage following section header",
        input: "[Unit] pants\nDescription=Foo\n",
        want: None,
    },
    Case {
        name: "option without value",
        input: "[Unit]\nDescription\n",
        want: None,
    },
    Case {
        name: "garbage inside of section",
        input: "[Unit]\n<<<<<<\nDescription=Foo\n",
        want: None,
    },
];

#[test]
fn go_systemd_deserialize_cases() {
    for case in CASES {
        let parsed = UnitFile::parse(case.input);
        match (case.want, parsed) {
            (Some(want), Ok(unit)) => {
                assert_eq!(unit.to_options(), opts(want), "case {:?}", case.name);
                assert_eq!(unit.to_string(), case.input, "round trip {:?}", case.name);
            }
            (None, Err(e)) => {
                assert!(e.line >= 1 && e.column >= 1, "case {:?}: {e}", case.name);
            }
            (want, got) => panic!("case {:?}: want {want:?}, got {got:?}", case.name),
        }
    }
}

#[test]
fn a_long_line_at_go_systemds_limit_and_far_beyond() {
    let dots = ".".repeat(2000);
    let text = format!("[Service]\nExecStart=/bin/bash -c \"echo {dots}\"\nOption=value\n");
    let unit = UnitFile::parse(&text).expect("2 KiB lines are fine");
    assert_eq!(unit.value("Service", "Option"), Some("value"));
    let dots = ".".repeat(100_000);
    let text = format!("[Service]\nExecStart=/bin/echo {dots}\n");
    assert!(UnitFile::parse(&text).is_ok(), "systemd allows up to 1 MiB");
}
