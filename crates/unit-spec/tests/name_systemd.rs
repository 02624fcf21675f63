//! Unit name vectors ported from systemd's `src/test/test-unit-name.c`
//! (github.com/systemd/systemd) and fleet's `ValidateName` rules.

use flotta_unit_spec::escape::{escape, mangle, unescape_path};
use flotta_unit_spec::name::{NameErrorKind, UnitKind, UnitName, UnitType};

/// test-unit-name.c `TEST(unit_name_is_valid)`: (name, Some(kind) if valid).
const IS_VALID: &[(&str, Option<UnitKind>)] = &[
    ("foo.service", Some(UnitKind::Plain)),
    ("foo@bar.service", Some(UnitKind::Instance)),
    ("foo@bar@bar.service", Some(UnitKind::Instance)),
    ("foo@.service", Some(UnitKind::Template)),
    (".test.service", Some(UnitKind::Plain)),
    (".test@.service", Some(UnitKind::Template)),
    ("_strange::::.service", Some(UnitKind::Plain)),
    (".service", None),
    ("", None),
    ("foo.waldo", None),
    ("@.service", None),
    ("@piep.service", None),
    ("user@1000.slice", Some(UnitKind::Instance)),
    ("foo@%i.service", None),
    ("foo@%%i.service", None),
    ("foo@%%i%f.service", None),
    ("foo@%F.service", None),
    ("foo.target.wants/plain.service", None),
    ("foo.target.conf/foo.conf", None),
    ("foo.target.requires/plain.socket", None),
];

#[test]
fn unit_name_is_valid() {
    for &(name, kind) in IS_VALID {
        let parsed = UnitName::parse(name);
        assert_eq!(
            parsed.as_ref().ok().map(UnitName::kind),
            kind,
            "{name:?}: {parsed:?}"
        );
    }
}

#[test]
fn length_limit_is_255_bytes() {
    let ok = format!("{}.service", "a".repeat(255 - 8));
    assert!(UnitName::parse(&ok).is_ok());
    let long = format!("{}.service", "a".repeat(256 - 8));
    let err = UnitName::parse(&long).unwrap_err();
    assert_eq!(err.kind, NameErrorKind::TooLong { len: 256 });
}

#[test]
fn errors_name_the_character_and_column() {
    let err = UnitName::parse("web server.service").unwrap_err();
    assert_eq!(err.kind, NameErrorKind::InvalidChar { ch: ' ', column: 3 });
    let msg = err.to_string();
    assert!(
        msg.contains("column 3") && msg.contains("systemd-escape") && msg.contains("\\x20"),
        "{msg}"
    );
    let err = UnitName::parse("foo.waldo").unwrap_err();
    assert!(err.to_string().contains("\"waldo\""));
    let err = UnitName::parse("foo").unwrap_err();
    assert_eq!(err.kind, NameErrorKind::MissingType);
}

/// test-unit-name.c `TEST(unit_name_replace_instance)`.
const REPLACE_INSTANCE: &[(&str, &str, Option<&str>)] = &[
    ("foo@.service", "waldo", Some("foo@waldo.service")),
    ("foo@xyz.service", "waldo", Some("foo@waldo.service")),
    ("xyz", "waldo", None),
    ("", "waldo", None),
    ("foo.service", "waldo", None),
    (".service", "waldo", None),
    ("foo@", "waldo", None),
    ("@bar", "waldo", None),
];

#[test]
fn unit_name_replace_instance() {
    for &(pattern, instance, expected) in REPLACE_INSTANCE {
        let got = UnitName::parse(pattern)
            .ok()
            .and_then(|n| n.instantiate(instance).ok());
        assert_eq!(got.as_ref().map(UnitName::as_str), expected, "{pattern:?}");
    }
}

/// test-unit-name.c `TEST(unit_instance_is_valid)`.
#[test]
fn unit_instance_is_valid() {
    let t = UnitName::parse("t@.service").unwrap();
    for ok in [
        "fooBar",
        "foo-bar",
        "foo.stUff",
        "fOo123.stuff",
        "@f_oo123.Stuff",
    ] {
        assert!(t.instantiate(ok).is_ok(), "{ok:?}");
    }
    for bad in ["$¢£", "", "foo bar", "foo/bar"] {
        assert!(t.instantiate(bad).is_err(), "{bad:?}");
    }
}

/// test-unit-name.c `TEST(unit_name_from_path)` (without the hashed long name,
/// which flotta refuses) and `TEST(unit_name_mangle)`'s path cases.
const FROM_PATH: &[(&str, &str, Option<&str>)] = &[
    ("/waldo", ".mount", Some("waldo.mount")),
    ("/waldo/quuix", ".mount", Some("waldo-quuix.mount")),
    ("/waldo/quuix/", ".mount", Some("waldo-quuix.mount")),
    ("", ".mount", Some("-.mount")),
    ("/", ".mount", Some("-.mount")),
    ("///", ".mount", Some("-.mount")),
    ("/foo/../bar", ".mount", None),
    ("/foo/./bar", ".mount", Some("foo-bar.mount")),
    ("/dev/sda", ".device", Some("dev-sda.device")),
    ("/home", "mount", Some("home.mount")),
    ("/foo", ".waldi", None),
];

#[test]
fn unit_name_from_path() {
    for &(path, suffix, expected) in FROM_PATH {
        let got = UnitName::from_path(path, suffix);
        assert_eq!(
            got.as_ref().ok().map(UnitName::as_str),
            expected,
            "{path:?}: {got:?}"
        );
        if let Ok(n) = got {
            let back = unescape_path(n.without_suffix()).unwrap();
            let want =
                flotta_unit_spec::escape::simplify_path(if path.is_empty() { "/" } else { path });
            assert_eq!(back, want, "{path:?}");
        }
    }
}

/// test-unit-name.c `TEST(unit_name_to_instance)` and
/// `TEST(unit_name_template)`, plus prefixes.
/// (name, prefix, instance, template, name without suffix)
type Parts = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const PARTS: &[Parts] = &[
    // (name, prefix, instance, template, without suffix)
    (
        "foo@bar.service",
        "foo",
        Some("bar"),
        Some("foo@.service"),
        "foo@bar",
    ),
    (
        "foo@.service",
        "foo",
        Some(""),
        Some("foo@.service"),
        "foo@",
    ),
    (
        "fo0-stUff_b@b.service",
        "fo0-stUff_b",
        Some("b"),
        Some("fo0-stUff_b@.service"),
        "fo0-stUff_b@b",
    ),
    ("foo.service", "foo", None, None, "foo"),
    ("foo.mount", "foo", None, None, "foo"),
    (
        "foo@bar@baz.socket",
        "foo",
        Some("bar@baz"),
        Some("foo@.socket"),
        "foo@bar@baz",
    ),
    ("a.b.c.timer", "a.b.c", None, None, "a.b.c"),
];

#[test]
fn unit_name_parts() {
    for &(name, prefix, instance, template, stem) in PARTS {
        let n = UnitName::parse(name).unwrap();
        assert_eq!(n.prefix(), prefix, "{name}");
        assert_eq!(n.instance(), instance, "{name}");
        assert_eq!(
            n.template().as_ref().map(UnitName::as_str),
            template,
            "{name}"
        );
        assert_eq!(n.without_suffix(), stem, "{name}");
        assert_eq!(n.to_string(), name);
    }
    for bad in ["fooj@unk", "foo@"] {
        assert!(UnitName::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(
        UnitName::parse("x.automount").unwrap().unit_type(),
        UnitType::Automount
    );
}

/// test-unit-name.c `TEST(unit_name_escape)`.
#[test]
fn unit_name_escape() {
    assert_eq!(
        escape("ab+-c.a/bc@foo.service"),
        r"ab\x2b\x2dc.a-bc\x40foo.service"
    );
}

/// test-unit-name.c `TEST(unit_name_path_unescape)`.
const PATH_UNESCAPE: &[(&str, Option<&str>)] = &[
    ("foo", Some("/foo")),
    ("foo-bar", Some("/foo/bar")),
    ("foo-.bar", Some("/foo/.bar")),
    ("foo-bar-baz", Some("/foo/bar/baz")),
    ("-", Some("/")),
    ("--", None),
    ("-foo-bar", None),
    ("foo--bar", None),
    ("foo-bar-", None),
    (".-bar", None),
    ("foo-..", None),
    ("", None),
];

#[test]
fn unit_name_path_unescape() {
    for &(name, path) in PATH_UNESCAPE {
        assert_eq!(unescape_path(name).ok().as_deref(), path, "{name:?}");
    }
}

/// test-unit-name.c `TEST(unit_name_mangle)` without globs.
const MANGLE: &[(&str, Option<&str>)] = &[
    ("foo.service", Some("foo.service")),
    ("/home", Some("home.mount")),
    ("/dev/sda", Some("dev-sda.device")),
    ("üxknürz.service", Some(r"\xc3\xbcxkn\xc3\xbcrz.service")),
    (
        "foobar-meh...waldi.service",
        Some("foobar-meh...waldi.service"),
    ),
    (
        "_____####----.....service",
        Some(r"_____\x23\x23\x23\x23----.....service"),
    ),
    (
        "_____##@;;;,,,##----.....service",
        Some(r"_____\x23\x23@\x3b\x3b\x3b\x2c\x2c\x2c\x23\x23----.....service"),
    ),
    (
        r"xxx@@@@/////\\\\\yyy.service",
        Some(r"xxx@@@@-----\\\\\yyy.service"),
    ),
    ("", None),
];

#[test]
fn unit_name_mangle() {
    for &(input, expected) in MANGLE {
        let got = mangle(input);
        assert_eq!(got.as_deref().ok(), expected, "{input:?}: {got:?}");
        if let Ok(m) = got {
            assert_eq!(mangle(&m).unwrap(), m, "mangling is idempotent");
        }
    }
}

/// fleet `api/units.go` `ValidateName`: templates only for path, service,
/// socket, target and timer units.
#[test]
fn fleet_template_types() {
    for ok in [
        "a@.service",
        "a@b.socket",
        "a@.path",
        "a@.target",
        "a@x.timer",
        "a.mount",
        "a.slice",
    ] {
        assert!(
            UnitName::parse(ok).unwrap().validate_fleet().is_ok(),
            "{ok}"
        );
    }
    for bad in ["a@.mount", "user@1000.slice", "a@.device", "a@x.scope"] {
        let err = UnitName::parse(bad).unwrap().validate_fleet().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid unit type for template"),
            "{err}"
        );
    }
}

#[test]
fn serde_round_trip_validates() {
    let n = UnitName::parse("web@1.service").unwrap();
    let json = serde_json::to_string(&n).unwrap();
    assert_eq!(json, "\"web@1.service\"");
    assert_eq!(serde_json::from_str::<UnitName>(&json).unwrap(), n);
    let err = serde_json::from_str::<UnitName>("\"bad name.service\"").unwrap_err();
    assert!(err.to_string().contains("column 3"), "{err}");
}
