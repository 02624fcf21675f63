//! go-systemd's escape vectors (github.com/coreos/go-systemd `unit/escape_test.go`)
//! with what go-systemd returns and what flotta returns. flotta follows
//! systemd: every flotta result here is also checked against the real
//! `systemd-escape` (this test fails if it is missing; `scripts/test` installs it).

use std::process::Command;

use flotta_unit_spec::escape::{escape, escape_path, unescape, unescape_path};

#[derive(Clone, Copy, Debug)]
enum Mode {
    Escape,
    EscapePath,
    Unescape,
    UnescapePath,
}

/// (mode, input, go-systemd output, flotta output or None for an error).
const VECTORS: &[(Mode, &str, &str, Option<&str>)] = &[
    (Mode::EscapePath, "", "-", Some("-")),
    (Mode::EscapePath, "/////////", "-", Some("-")),
    (
        Mode::EscapePath,
        "///foo////bar/////tail//////",
        "foo-bar-tail",
        Some("foo-bar-tail"),
    ),
    (Mode::Escape, "", "", Some("")),
    // go-systemd keeps "." components; systemd drops them ("." alone is refused).
    (Mode::EscapePath, ".", r"\x2e", None),
    (Mode::EscapePath, "/.", r"\x2e", Some("-")),
    (Mode::EscapePath, "/////////.", r"\x2e", Some("-")),
    (
        Mode::EscapePath,
        "/////////.///////////////",
        r"\x2e",
        Some("-"),
    ),
    (Mode::EscapePath, ".....", r"\x2e....", Some(r"\x2e....")),
    (
        Mode::EscapePath,
        "/.foo/.bar",
        r"\x2efoo-.bar",
        Some(r"\x2efoo-.bar"),
    ),
    (
        Mode::EscapePath,
        ".foo/.bar",
        r"\x2efoo-.bar",
        Some(r"\x2efoo-.bar"),
    ),
    (
        Mode::Escape,
        ".foo/.bar",
        r"\x2efoo-.bar",
        Some(r"\x2efoo-.bar"),
    ),
    (
        Mode::Escape,
        r"///..\-!#??///",
        r"---..\x5c\x2d\x21\x23\x3f\x3f---",
        Some(r"---..\x5c\x2d\x21\x23\x3f\x3f---"),
    ),
    (
        Mode::EscapePath,
        r"///..\-!#??///",
        r"\x2e.\x5c\x2d\x21\x23\x3f\x3f",
        Some(r"\x2e.\x5c\x2d\x21\x23\x3f\x3f"),
    ),
    (
        Mode::Escape,
        "user-cloudinit@/var/lib/coreos/vagrant/vagrantfile-user-data.service",
        r"user\x2dcloudinit\x40-var-lib-coreos-vagrant-vagrantfile\x2duser\x2ddata.service",
        Some(r"user\x2dcloudinit\x40-var-lib-coreos-vagrant-vagrantfile\x2duser\x2ddata.service"),
    ),
    // go-systemd escapes a ".." component; systemd refuses it.
    (Mode::EscapePath, "/a/../b", "a-..-b", None),
    // go-systemd pads no zero: a tab is `\x9` there, `\x09` in systemd.
    (Mode::Escape, "\t", r"\x9", Some(r"\x09")),
    // go-systemd's path unescape never fails; systemd refuses these.
    (Mode::UnescapePath, "", "/", None),
    (Mode::Unescape, "", "", Some("")),
    (Mode::UnescapePath, "---------", "/////////", None),
    (
        Mode::Unescape,
        r"---..\x5c\x2d\x21\x23\x3f\x3f---",
        r"///..\-!#??///",
        Some(r"///..\-!#??///"),
    ),
    (
        Mode::UnescapePath,
        r"\x2e.\x5c\x2d\x21\x23\x3f\x3f",
        r"/..\-!#??",
        Some(r"/..\-!#??"),
    ),
    (
        Mode::UnescapePath,
        r"\x2e.\x5c\x2d\xaZ\x.o\x21\x23\x3f\x3f",
        r"/..\-\xaZ\x.o!#??",
        None,
    ),
    (
        Mode::Unescape,
        r"\x2e.\x5c\x2d\xaZ\x.o\x21",
        r"..\-\xaZ\x.o!",
        None,
    ),
    (Mode::Unescape, r"a\x3", r"a\x3", None),
    (Mode::Unescape, r"a\", r"a\", None),
    (
        Mode::Unescape,
        r"user\x2dcloudinit\x40-var-lib-coreos-vagrant-vagrantfile\x2duser\x2ddata.service",
        "user-cloudinit@/var/lib/coreos/vagrant/vagrantfile-user-data.service",
        Some("user-cloudinit@/var/lib/coreos/vagrant/vagrantfile-user-data.service"),
    ),
    // go-systemd parses \xNN as a signed 8-bit number, so it leaves non-ASCII
    // bytes escaped; systemd decodes them.
    (Mode::Unescape, r"\xc3\xa4", r"\xc3\xa4", Some("ä")),
];

#[test]
fn go_systemd_vectors_follow_systemd() {
    for &(mode, input, _go, want) in VECTORS {
        let (flags, ours): (&[&str], _) = match mode {
            Mode::Escape => (&[], Ok(escape(input))),
            Mode::EscapePath => (&["--path"], escape_path(input)),
            Mode::Unescape => (&["--unescape"], unescape(input)),
            Mode::UnescapePath => (&["--unescape", "--path"], unescape_path(input)),
        };
        assert_eq!(ours.as_deref().ok(), want, "{mode:?} {input:?}");
        let out = Command::new("systemd-escape")
            .args(flags)
            .arg("--")
            .arg(input)
            .output()
            .expect("systemd-escape must be installed (scripts/test installs it)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let systemd = out.status.success().then(|| stdout.trim_end_matches('\n'));
        assert_eq!(systemd, want, "systemd-escape {flags:?} {input:?}");
    }
}
