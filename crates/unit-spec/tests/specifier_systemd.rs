//! Specifier vectors ported from systemd's `src/test/test-unit-name.c`
//! `TEST(unit_printf)` (github.com/systemd/systemd) and fleet's `unitPrintf`
//! (coreos/fleet job/job.go).

use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::specifier::{SpecifierContext, SpecifierErrorKind, expand, expand_fleet};

fn full_context(unit: &str) -> SpecifierContext {
    let unit = UnitName::parse(unit).unwrap();
    SpecifierContext::for_unit(&unit)
        .machine_id("0123456789abcdef0123456789abcdef")
        .boot_id("fedcba9876543210fedcba9876543210")
        .hostname("node1.example.com")
        .pretty_hostname("Node One")
        .os_release("ID=debian\nVERSION_ID=\"12\"\nIMAGE_ID='img'\n")
        .kernel_release("6.1.0-1-amd64")
        .architecture("x86-64")
        .user_name("root")
        .uid(0)
        .group_name("root")
        .gid(0)
        .home("/root")
        .shell("/bin/sh")
        .runtime_dir("/run")
        .state_dir("/var/lib")
        .cache_dir("/var/cache")
        .logs_dir("/var/log")
        .config_dir("/etc")
        .tmp_dir("/tmp")
        .var_tmp_dir("/var/tmp")
        .credentials_dir("/run/credentials/x")
        .fragment_path("/etc/systemd/system/unit.service")
}

/// (unit, pattern, expected): test-unit-name.c `TEST(unit_printf)`.
const UNIT_PRINTF: &[(&str, &str, &str)] = &[
    ("blah.service", "%%", "%"),
    ("blah.service", "%%s", "%s"),
    ("blah.service", "%i", ""),
    ("blah.service", "%I", ""),
    ("blah.service", "%j", "blah"),
    ("blah.service", "%J", "blah"),
    ("blah.service", "%n", "blah.service"),
    ("blah.service", "%N", "blah"),
    ("blah.service", "%p", "blah"),
    ("blah.service", "%P", "blah"),
    ("blah.service", "%f", "/blah"),
    ("blah@foo-foo.service", "%i", "foo-foo"),
    ("blah@foo-foo.service", "%I", "foo/foo"),
    ("blah@foo-foo.service", "%j", "blah"),
    ("blah@foo-foo.service", "%J", "blah"),
    ("blah@foo-foo.service", "%n", "blah@foo-foo.service"),
    ("blah@foo-foo.service", "%N", "blah@foo-foo"),
    ("blah@foo-foo.service", "%p", "blah"),
    ("blah@foo-foo.service", "%P", "blah"),
    ("blah@foo-foo.service", "%f", "/foo/foo"),
    (r"blah-blah\x2d.slice", "%i", ""),
    (r"blah-blah\x2d.slice", "%j", r"blah\x2d"),
    (r"blah-blah\x2d.slice", "%J", "blah-"),
    (r"blah-blah\x2d.slice", "%n", r"blah-blah\x2d.slice"),
    (r"blah-blah\x2d.slice", "%N", r"blah-blah\x2d"),
    (r"blah-blah\x2d.slice", "%p", r"blah-blah\x2d"),
    (r"blah-blah\x2d.slice", "%P", "blah/blah-"),
    (r"blah-blah\x2d.slice", "%f", "/blah/blah-"),
];

#[test]
fn unit_printf() {
    for &(unit, pattern, want) in UNIT_PRINTF {
        let ctx = full_context(unit);
        assert_eq!(expand(pattern, &ctx).unwrap(), want, "{unit} {pattern}");
    }
}

#[test]
fn host_and_path_specifiers() {
    let ctx = full_context("web@8080.service");
    let cases: &[(&str, &str)] = &[
        ("%m", "0123456789abcdef0123456789abcdef"),
        ("%b", "fedcba9876543210fedcba9876543210"),
        ("%H", "node1.example.com"),
        ("%l", "node1"),
        ("%q", "Node One"),
        ("%o %w %M", "debian 12 img"),
        ("[%B][%W][%A]", "[][][]"),
        ("%v %a", "6.1.0-1-amd64 x86-64"),
        ("%u:%U %g:%G %h %s", "root:0 root:0 /root /bin/sh"),
        (
            "%t %S %C %L %E %T %V %d",
            "/run /var/lib /var/cache /var/log /etc /tmp /var/tmp /run/credentials/x",
        ),
        (
            "%y %Y",
            "/etc/systemd/system/unit.service /etc/systemd/system",
        ),
        (
            "ExecStart=/bin/app --port=%i --id=%m",
            "ExecStart=/bin/app --port=8080 --id=0123456789abcdef0123456789abcdef",
        ),
        ("ünïcode %i ✓", "ünïcode 8080 ✓"),
        ("", ""),
        ("no specifiers", "no specifiers"),
    ];
    for &(pattern, want) in cases {
        assert_eq!(expand(pattern, &ctx).unwrap(), want, "{pattern}");
    }
}

#[test]
fn errors_name_specifier_and_column() {
    let unit = UnitName::parse("web@8080.service").unwrap();
    let ctx = SpecifierContext::for_unit(&unit);
    let err = expand("id=%m", &ctx).unwrap_err();
    assert_eq!(err.column, 3);
    assert!(matches!(
        err.kind,
        SpecifierErrorKind::Unavailable { specifier: 'm', .. }
    ));
    assert!(err.to_string().contains("machine_id"), "{err}");
    let err = expand("ok %% then %x", &ctx).unwrap_err();
    assert_eq!(
        (err.column, &err.kind),
        (11, &SpecifierErrorKind::Unknown('x'))
    );
    let err = expand("100%", &ctx).unwrap_err();
    assert_eq!(
        (err.column, &err.kind),
        (3, &SpecifierErrorKind::TrailingPercent)
    );
    let err = expand("ü%ß", &ctx).unwrap_err();
    assert_eq!(
        (err.column, &err.kind),
        (2, &SpecifierErrorKind::Unknown('ß'))
    );
    // %f needs an instance that unescapes to a normalized path.
    let bad = UnitName::parse("m@a--b.service").unwrap();
    let err = expand("%f", &SpecifierContext::for_unit(&bad)).unwrap_err();
    assert!(matches!(
        err.kind,
        SpecifierErrorKind::Unescape { specifier: 'f', .. }
    ));
}

#[test]
fn from_host_reads_this_machine() {
    let unit = UnitName::parse("probe.service").unwrap();
    let ctx = SpecifierContext::from_host(&unit);
    // Directory roots and the unit's own parts are always known.
    assert_eq!(
        expand("%n %t %S %d", &ctx).unwrap(),
        "probe.service /run /var/lib /run/credentials/probe.service"
    );
    // The kernel release is always readable on Linux.
    let v = expand("%v", &ctx).unwrap();
    assert_eq!(
        v,
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap()
            .trim()
    );
    assert!(!expand("%a %U", &ctx).unwrap().is_empty());
}

/// fleet unitPrintf: literal replacement of %n, %N, %p, %i in that order.
#[test]
fn fleet_unit_printf() {
    let cases: &[(&str, &str, &str)] = &[
        ("foo@bar.service", "%n", "foo@bar.service"),
        ("foo@bar.service", "%N", "foo@bar"),
        ("foo@bar.service", "%p", "foo"),
        ("foo@bar.service", "%i", "bar"),
        (
            "foo@bar.service",
            "Conflicts=%p@*.service",
            "Conflicts=foo@*.service",
        ),
        ("foo.service", "%p-%i-%N", "foo--foo"),
        ("foo@bar.service", "%% %m %H", "%% %m %H"),
        ("foo@bar.service", "%%n", "%foo@bar.service"),
        ("foo@bar.service", "%i%n", "barfoo@bar.service"),
    ];
    for &(unit, text, want) in cases {
        let unit = UnitName::parse(unit).unwrap();
        assert_eq!(expand_fleet(text, &unit), want, "{unit} {text}");
    }
}
