//! fleet's `[X-Fleet]` accessor tests, ported as data.
//!
//! Source: github.com/coreos/fleet, `job/job_test.go` (TestJobPeers,
//! TestJobConflicts, TestJobReplaces, TestParseRequirementsInstanceUnit,
//! TestJobConditionMachineID, TestJobRequiredMetadata, TestUnitIsGlobal,
//! TestUnitIsTruthy). fleet's accessors did not validate combinations, so these
//! use [`FleetOptions::read`].

use flotta_unit_spec::fleet::FleetOptions;
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::syntax::UnitFile;

fn read(name: &str, contents: &str) -> FleetOptions {
    let unit = UnitFile::parse(contents).expect("unit parses");
    let name = UnitName::parse(name).expect("valid name");
    FleetOptions::read(&unit, Some(&name))
}

#[test]
fn peers() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("[X-Fleet]\nMachineOf=\"lol.service\"\n", &["lol.service"]),
        (
            "[X-Fleet]\nMachineOf=\"foo.service\" \"bar.service\"\n",
            &["foo.service", "bar.service"],
        ),
    ];
    for (contents, want) in cases {
        assert_eq!(
            read("echo.service", contents).machine_of,
            *want,
            "{contents:?}"
        );
    }
}

#[test]
fn conflicts() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        (
            "[Unit]\nDescription=Testing\n\n[X-Fleet]\nConflicts=*bar*\n",
            &["*bar*"],
        ),
        (
            "[Unit]\nDescription=Testing\n\n[X-Fleet]\nConflicts=*bar* *foo*\n",
            &["*bar*", "*foo*"],
        ),
        (
            "[Unit]\nDescription=Testing\n\n[X-Fleet]\nConflicts=*bar*\nConflicts=*foo*\n",
            &["*bar*", "*foo*"],
        ),
    ];
    for (contents, want) in cases {
        assert_eq!(
            read("echo.service", contents).conflicts,
            *want,
            "{contents:?}"
        );
    }
}

#[test]
fn replaces() {
    let f = read(
        "echo.service",
        "[Unit]\nDescription=Testing\n\n[X-Fleet]\nReplaces=*bar*\n",
    );
    assert_eq!(f.replaces, ["*bar*"]);
    assert!(read("echo.service", "").replaces.is_empty());
}

#[test]
fn specifiers_in_requirements() {
    // fleet substitutes %n %N %p %i in every [X-Fleet] value.
    let contents = "[X-Fleet]\nMachineOf=%n\nMachineOf=%N\nMachineOf=%p\nMachineOf=x%i\n";
    let f = read("test.service", contents);
    assert_eq!(f.machine_of, ["test.service", "test", "test", "x"]);
    let f = read("ssh@2.service", contents);
    assert_eq!(f.machine_of, ["ssh@2.service", "ssh@2", "ssh", "x2"]);
}

#[test]
fn machine_id() {
    let cases: &[(&str, Option<&str>)] = &[
        ("[X-Fleet]", None),
        ("[X-Fleet]\nMachineID=123\n", Some("123")),
        ("[X-Fleet]\nMachineID=\"123\" \"456\"\n", Some("123")),
        (
            "[X-Fleet]\nX-ConditionMachineID=\"123\" \"456\"\n",
            Some("123"),
        ),
        (
            "[X-Fleet]\nX-ConditionMachineID=\"456\"\nMachineID=\"123\"\n",
            Some("123"),
        ),
        (
            "[X-Fleet]\nMachineID=\"123\"\nX-ConditionMachineID=\"456\"\n",
            Some("123"),
        ),
        ("[X-Fleet]\nX-ConditionMachineBootID=123\n", Some("123")),
        (
            "[X-Fleet]\nX-ConditionMachineBootID=123\nX-ConditionMachineID=456\n",
            Some("456"),
        ),
        (
            "[X-Fleet]\nX-ConditionMachineBootID=123\nMachineID=456\n",
            Some("456"),
        ),
    ];
    for (contents, want) in cases {
        assert_eq!(
            read("echo.service", contents).machine_id.as_deref(),
            *want,
            "{contents:?}"
        );
    }
}

#[test]
fn required_metadata() {
    type Md = &'static [(&'static str, &'static [&'static str])];
    let cases: &[(&str, Md)] = &[
        ("[X-Fleet]", &[]),
        ("[X-Fleet]\nMachineMetadata=foo=bar", &[("foo", &["bar"])]),
        (
            "[X-Fleet]\nMachineMetadata=\"foo=bar\" \"foo=baz\"",
            &[("foo", &["bar", "baz"])],
        ),
        (
            "[X-Fleet]\nMachineMetadata=foo=bar\nMachineMetadata=foo=baz\nMachineMetadata=foo=asdf",
            &[("foo", &["bar", "baz", "asdf"])],
        ),
        (
            "[X-Fleet]\nMachineMetadata=foo=bar\nMachineMetadata=dog=woof\nMachineMetadata=cat=miaow",
            &[("cat", &["miaow"]), ("dog", &["woof"]), ("foo", &["bar"])],
        ),
        (
            "[X-Fleet]\nX-ConditionMachineMetadata=foo=bar",
            &[("foo", &["bar"])],
        ),
        (
            "[X-Fleet]\nMachineMetadata=foo=bar\nX-ConditionMachineMetadata=foo=asdf",
            &[("foo", &["asdf", "bar"])],
        ),
        ("[X-Fleet]\nMachineMetadata=foo=", &[]),
        ("[X-Fleet]\nMachineMetadata==asdf", &[]),
        ("[X-Fleet]\nMachineMetadata=foo=asdf=WHAT", &[]),
        (
            "[X-Fleet]\nMachineMetadata=ignored=\nMachineMetadata=oh=yeah\nMachineMetadata=whynot=zoidberg\nX-ConditionMachineMetadata=oh=no\nX-ConditionMachineMetadata=\"one=abc\" \"two=def\"",
            &[
                ("oh", &["no", "yeah"]),
                ("one", &["abc"]),
                ("two", &["def"]),
                ("whynot", &["zoidberg"]),
            ],
        ),
    ];
    for (contents, want) in cases {
        let got = read("echo.service", contents).machine_metadata;
        // fleet keeps a set per key: compare sorted.
        let got: Vec<(String, Vec<String>)> = got
            .into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, v)
            })
            .collect();
        let want: Vec<(String, Vec<String>)> = want
            .iter()
            .map(|(k, v)| {
                let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
                v.sort();
                (k.to_string(), v)
            })
            .collect();
        assert_eq!(got, want, "{contents:?}");
    }
}

#[test]
fn is_global() {
    let cases: &[(&str, bool)] = &[
        ("", false),
        ("[Service]\nExecStart=/bin/true", false),
        ("[X-Fleet]\nMachineOf=bar", false),
        ("[Service]\nGlobal=true", false),
        ("[X-Fleet]\nMachineOf=bar\nGlobal=false", false),
        ("[X-Fleet]\nMachineOf=bar\nGlobal=what", false),
        ("[X-Fleet]\nX-Global=true", false),
        ("[X-Fleet]\nX-ConditionGlobal=true", false),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=true", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=True", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=Yes", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=On", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=1", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=t", true),
        ("[X-Fleet]\nMachineOf=foo\nGlobal=12", false),
        ("[X-Fleet]\nGlobal=true\nGlobal=false", false),
        ("[X-Fleet]\nGlobal=false\nGlobal=true", true),
    ];
    for (contents, want) in cases {
        assert_eq!(read("echo.service", contents).global, *want, "{contents:?}");
    }
    // fleet's "foobarbaz" and "Global=true" cases have text outside any section,
    // which flotta refuses instead of ignoring.
    assert!(UnitFile::parse("Global=true").is_err());
}

#[test]
fn validation_rejects_what_fleet_rejected() {
    let cases: &[(&str, &str)] = &[
        (
            "MachineID=a\nMachineOf=b.service",
            "MachineID cannot be used with Peers",
        ),
        (
            "MachineID=a\nConflicts=b*",
            "MachineID cannot be used with Conflicts",
        ),
        (
            "MachineID=a\nGlobal=true",
            "MachineID cannot be used with Global",
        ),
        (
            "MachineID=a\nReplaces=b*",
            "MachineID cannot be used with Replaces",
        ),
        (
            "Global=true\nMachineOf=b.service",
            "Global cannot be used with Peers",
        ),
        (
            "Global=true\nReplaces=b*",
            "Global cannot be used with Replaces",
        ),
        (
            "Conflicts=a*\nReplaces=b*",
            "Conflicts cannot be used with Replaces",
        ),
        (
            "MachineOf=b.service\nConflicts=b*",
            "unresolvable requirements: peer \"b.service\" matches conflict \"b*\"",
        ),
        (
            "MachineOf=b.service\nReplaces=b*",
            "unresolvable requirements: peer \"b.service\" matches replace \"b*\"",
        ),
    ];
    for (body, want) in cases {
        let unit = UnitFile::parse(&format!("[X-Fleet]\n{body}\n")).expect("parses");
        let err = FleetOptions::from_unit(&unit, None).expect_err(body);
        assert_eq!(err.kind.to_string(), *want);
    }
}
