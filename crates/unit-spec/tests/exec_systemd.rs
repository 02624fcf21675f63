//! Command-line, environment and time-span vectors. Sources: systemd's
//! `src/test/test-load-fragment.c` (config_parse_exec), `src/test/test-extract-word.c`,
//! `src/test/test-env-util.c` (replace_env, replace_env_argv),
//! `src/test/test-env-file.c` and `src/test/test-time-util.c` (parse_sec),
//! all from github.com/systemd/systemd; documented semantics from
//! systemd.service(5) and systemd.time(7).

use std::time::Duration;

use flotta_unit_spec::exec::{
    ExecCommand, ExecErrorKind, ExecPrefixes, parse_environment, parse_environment_file,
};
use flotta_unit_spec::timespan::{TimeSpan, TimeSpanErrorKind, parse_timespan};

/// (line, path, argv) for lines that parse.
const EXEC_OK: &[(&str, &str, &[&str])] = &[
    ("/RValue r1", "/RValue", &["/RValue", "r1"]),
    (
        "/RValue///slashes r1///",
        "/RValue/slashes",
        &["/RValue///slashes", "r1///"],
    ),
    (
        "@/RValue///slashes2 ///argv0 r1",
        "/RValue/slashes2",
        &["///argv0", "r1"],
    ),
    ("-@/RValue argv0 r1", "/RValue", &["argv0", "r1"]),
    (
        "\"/path with spaces\" a",
        "/path with spaces",
        &["/path with spaces", "a"],
    ),
    ("/bin/echo \\;", "/bin/echo", &["/bin/echo", ";"]),
    ("/bin/echo \\; x", "/bin/echo", &["/bin/echo", ";", "x"]),
    ("/bin/echo ';' x", "/bin/echo", &["/bin/echo", ";", "x"]),
    (
        "/bin/echo a\\x20b \\101 \\u00e4 \\s \\t",
        "/bin/echo",
        &["/bin/echo", "a b", "A", "ä", " ", "\t"],
    ),
    ("/bin/echo \"\" ''", "/bin/echo", &["/bin/echo", "", ""]),
    (
        "/bin/echo a\"b c\"d 'e \"f' \"g 'h\"",
        "/bin/echo",
        &["/bin/echo", "ab cd", "e \"f", "g 'h"],
    ),
    ("/bin/echo '\\n'", "/bin/echo", &["/bin/echo", "\n"]),
    ("   echo   hi  ", "echo", &["echo", "hi"]),
    (
        "/bin/echo $FOO ${BAR}",
        "/bin/echo",
        &["/bin/echo", "$FOO", "${BAR}"],
    ),
    // Unknown escapes in arguments are kept (EXTRACT_UNESCAPE_RELAX).
    (
        "/bin/echo \\q \\x00 \\xZZ",
        "/bin/echo",
        &["/bin/echo", "\\q", "\\x00", "\\xZZ"],
    ),
    ("/bin/echo x \\", "/bin/echo", &["/bin/echo", "x", "\\"]),
    (
        "/bin/echo \"\\;\" x\\;",
        "/bin/echo",
        &["/bin/echo", "\\;", "x\\;"],
    ),
    // test-load-fragment.c config_parse_exec vectors.
    (
        "-@/RValue///slashes3 argv0a r1",
        "/RValue/slashes3",
        &["argv0a", "r1"],
    ),
    ("/sbin/find \\;x", "/sbin/find", &["/sbin/find", "\\;x"]),
    ("/bin/find \\073", "/bin/find", &["/bin/find", ";"]),
    ("/bin/find \";\"", "/bin/find", &["/bin/find", ";"]),
    (
        "/sbin/find \";\" /x",
        "/sbin/find",
        &["/sbin/find", ";", "/x"],
    ),
    (
        "\"/PATH WITH SPACES/daemon\" -1 -2",
        "/PATH WITH SPACES/daemon",
        &["/PATH WITH SPACES/daemon", "-1", "-2"],
    ),
    (
        "\"/PATH WITH SPACES/daemon -1 -2\"",
        "/PATH WITH SPACES/daemon -1 -2",
        &["/PATH WITH SPACES/daemon -1 -2"],
    ),
    (
        "\"/PATH WITH SPACES/daemon\" \"-1\" '-2'",
        "/PATH WITH SPACES/daemon",
        &["/PATH WITH SPACES/daemon", "-1", "-2"],
    ),
    (
        "\"/PATH\\sWITH\\sSPACES/daemon\" '-1 -2'",
        "/PATH WITH SPACES/daemon",
        &["/PATH WITH SPACES/daemon", "-1 -2"],
    ),
    (
        "\"/PATH\\x20WITH\\x20SPACES/daemon\" \"-1 -2\"",
        "/PATH WITH SPACES/daemon",
        &["/PATH WITH SPACES/daemon", "-1 -2"],
    ),
    ("/path\\s", "/path ", &["/path "]),
    (
        "/bin/grep '\\w+\\K'",
        "/bin/grep",
        &["/bin/grep", "\\w+\\K"],
    ),
];

#[test]
fn parse_command_lines() {
    for &(line, path, argv) in EXEC_OK {
        let cmd = ExecCommand::parse(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(cmd.path, path, "{line:?}");
        assert_eq!(cmd.argv, argv, "{line:?}");
    }
}

/// (line, prefixes as Display string).
const PREFIXES: &[(&str, &str)] = &[
    ("/bin/true", ""),
    ("-/bin/true", "-"),
    ("@/bin/true true", "@"),
    (":/bin/true", ":"),
    ("+/bin/true", "+"),
    ("!/bin/true", "!"),
    ("!!/bin/true", "!!"),
    ("-@:+/bin/true x", "@-:+"),
    ("!!-:/bin/true", "-:!!"),
    (":-!/bin/true", "-:!"),
];

#[test]
fn parse_prefixes() {
    for &(line, want) in PREFIXES {
        let cmd = ExecCommand::parse(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(cmd.prefixes.to_string(), want, "{line:?}");
        assert_eq!(cmd.path, "/bin/true");
    }
    let p = ExecCommand::parse("-/bin/true").unwrap().prefixes;
    assert_eq!(
        p,
        ExecPrefixes {
            ignore_failure: true,
            ..Default::default()
        }
    );
}

/// (line, expected error kind, column).
fn exec_errors() -> Vec<(&'static str, ExecErrorKind, usize)> {
    vec![
        ("", ExecErrorKind::Empty, 0),
        ("   ", ExecErrorKind::Empty, 3),
        ("-", ExecErrorKind::Empty, 1),
        ("-@", ExecErrorKind::Empty, 2),
        ("--/bin/true", ExecErrorKind::RepeatedPrefix('-'), 1),
        ("+!/bin/true", ExecErrorKind::ConflictingPrefixes, 1),
        ("!!+/bin/true", ExecErrorKind::ConflictingPrefixes, 2),
        ("/bin/echo ; /bin/true", ExecErrorKind::Semicolon, 10),
        ("/bin/echo a ;", ExecErrorKind::Semicolon, 12),
        ("; /bin/true", ExecErrorKind::Semicolon, 0),
        ("/bin/echo \"abc", ExecErrorKind::UnterminatedQuote('"'), 10),
        (
            "/bin/echo x 'abc",
            ExecErrorKind::UnterminatedQuote('\''),
            12,
        ),
        // EXTRACT_CUNESCAPE without EXTRACT_UNESCAPE_SEPARATORS: no "\ ".
        ("/path\\ with\\ spaces", ExecErrorKind::BadEscape, 5),
        ("/bin/echo \\xff", ExecErrorKind::InvalidUtf8, 14),
        // test-load-fragment.c: invalid characters in the executable.
        (
            "/RValue/ argv0 r1",
            ExecErrorKind::InvalidExecutable("/RValue/".into()),
            0,
        ),
        ("-@-/RValue argv0 r1", ExecErrorKind::RepeatedPrefix('-'), 2),
        ("- /path", ExecErrorKind::Empty, 1),
        (
            "/path\\a",
            ExecErrorKind::InvalidExecutable("/path\u{7}".into()),
            0,
        ),
        (
            "/path\\\\",
            ExecErrorKind::InvalidExecutable("/path\\".into()),
            0,
        ),
        (
            "/path\\'",
            ExecErrorKind::InvalidExecutable("/path'".into()),
            0,
        ),
        ("/path\\x", ExecErrorKind::BadEscape, 5),
        ("/path\\", ExecErrorKind::TrailingBackslash, 5),
        ("/path 'foo", ExecErrorKind::UnterminatedQuote('\''), 6),
        ("/path 'foo\\", ExecErrorKind::TrailingBackslash, 10),
        ("@/bin/true", ExecErrorKind::MissingArgv0, 10),
        ("/bin/", ExecErrorKind::InvalidExecutable("/bin/".into()), 0),
        (
            "bin/true",
            ExecErrorKind::InvalidExecutable("bin/true".into()),
            0,
        ),
        ("-..", ExecErrorKind::InvalidExecutable("..".into()), 1),
    ]
}

#[test]
fn command_line_errors() {
    for (line, kind, column) in exec_errors() {
        let err = ExecCommand::parse(line).expect_err(line);
        assert_eq!((&err.kind, err.column), (&kind, column), "{line:?}: {err}");
        assert!(err.to_string().starts_with(&format!("column {column}: ")));
    }
    let msg = ExecCommand::parse("/bin/a ; /bin/b")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("one per command") || msg.contains("once per command"),
        "{msg}"
    );
}

fn env(name: &str) -> Option<String> {
    match name {
        "FOO" => Some("foo".into()),
        "BAR" => Some("bar  waldo".into()),
        "QUOTED" => Some("a \"b c\" 'd e'".into()),
        "EMPTY" => Some(String::new()),
        _ => None,
    }
}

/// test-env-util.c `TEST(replace_env_argv)`-style cases: (line, argv after substitution).
const SUBSTITUTE: &[(&str, &[&str])] = &[
    ("/bin/x $FOO", &["/bin/x", "foo"]),
    ("/bin/x $BAR", &["/bin/x", "bar", "waldo"]),
    ("/bin/x ${BAR}", &["/bin/x", "bar  waldo"]),
    ("/bin/x $QUOTED", &["/bin/x", "a", "b c", "d e"]),
    ("/bin/x $UNSET end", &["/bin/x", "end"]),
    ("/bin/x ${UNSET} end", &["/bin/x", "", "end"]),
    ("/bin/x $EMPTY end", &["/bin/x", "end"]),
    ("/bin/x ${EMPTY} end", &["/bin/x", "", "end"]),
    ("/bin/x a${FOO}b", &["/bin/x", "afoob"]),
    ("/bin/x a$FOO", &["/bin/x", "a$FOO"]),
    ("/bin/x $$FOO", &["/bin/x", "$FOO"]),
    ("/bin/x $${FOO}", &["/bin/x", "${FOO}"]),
    ("/bin/x a$$b", &["/bin/x", "a$b"]),
    ("/bin/x ${FOO", &["/bin/x", "${FOO"]),
    // A lone "$" looks up the empty name, which is never set: no word.
    ("/bin/x $", &["/bin/x"]),
    ("/bin/x ${FOO}${BAR}", &["/bin/x", "foobar  waldo"]),
    (":/bin/x $FOO ${FOO}", &["/bin/x", "$FOO", "${FOO}"]),
];

#[test]
fn substitute_env() {
    for &(line, want) in SUBSTITUTE {
        let cmd = ExecCommand::parse(line).unwrap();
        assert_eq!(cmd.substitute_env(&env), want, "{line:?}");
    }
}

#[test]
fn environment_assignments() {
    let vars = parse_environment(r#"A=1 B="x y" "C=z w" D= E=a\x20b F='q"r'"#).unwrap();
    let want = [
        ("A", "1"),
        ("B", "x y"),
        ("C", "z w"),
        ("D", ""),
        ("E", "a b"),
        ("F", "q\"r"),
    ];
    let got: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(got, want);
    for bad in ["1A=x", "=x", "NOEQUALS", "A-B=1", "A=1 B"] {
        let err = parse_environment(bad).unwrap_err();
        assert!(
            matches!(err.kind, ExecErrorKind::InvalidAssignment(_)),
            "{bad}: {err}"
        );
    }
    assert_eq!(parse_environment("A=1 B").unwrap_err().column, 4);
    assert!(parse_environment("").unwrap().is_empty());
}

/// test-env-file.c-style input (its `env_file_1`..`env_file_6` shapes).
#[test]
fn environment_files() {
    let text = "a=a\nb=b\\\nc\nd=d\\\n\\\ne\\\\\n\\\\\ng=g\\ \nh= ąęół\\ śćńźżμ \ni=i\\\n\n; comment\n  # indented comment\nj='single \"quoted\" $x'\nk=\"double \\\"esc\\\" \\$HOME \\n\"\nnoequals\nl = spaced  \nb=again\n";
    let vars = parse_environment_file(text).unwrap();
    let got: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got,
        [
            ("a", "a"),
            ("d", "de\\"),
            ("g", "g "),
            ("h", "ąęół śćńźżμ"),
            ("i", "i"),
            ("j", "single \"quoted\" $x"),
            ("k", "double \"esc\" $HOME \\n"),
            ("l", "spaced"),
            ("b", "again"),
        ]
    );
    let err = parse_environment_file("ok=1\nexport FOO=bar\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("export"), "{err}");
}

fn secs(s: u64) -> TimeSpan {
    TimeSpan::Finite(Duration::from_secs(s))
}

fn usecs(us: u64) -> TimeSpan {
    TimeSpan::Finite(Duration::from_micros(us))
}

/// test-time-util.c `TEST(parse_sec)` and systemd.time(7) examples.
fn parse_sec_cases() -> Vec<(&'static str, TimeSpan)> {
    vec![
        ("5s", secs(5)),
        ("5s500ms", usecs(5_500_000)),
        (" 5s 500ms  ", usecs(5_500_000)),
        (" 5.5s  ", usecs(5_500_000)),
        (" 5.5s 0.5ms ", usecs(5_500_500)),
        (" .22s ", usecs(220_000)),
        (" .50y ", usecs(31_557_600 * 1_000_000 / 2)),
        ("2.5", usecs(2_500_000)),
        (".7", usecs(700_000)),
        ("23us", usecs(23)),
        ("23μs", usecs(23)),
        ("23µs", usecs(23)),
        ("0.1us", usecs(0)),
        ("5", secs(5)),
        ("120min", secs(7200)),
        ("1h 30s", secs(3630)),
        ("1h30s", secs(3630)),
        ("2 h", secs(7200)),
        ("1y 12month", secs(31_557_600 + 12 * 2_629_800)),
        ("3 weeks", secs(3 * 7 * 86400)),
        ("1d", secs(86400)),
        ("2hr", secs(7200)),
        ("4 minutes 1 second", secs(241)),
        ("1M", secs(2_629_800)),
        ("1m", secs(60)),
        ("12msec", usecs(12_000)),
        ("infinity", TimeSpan::Infinity),
        (" infinity ", TimeSpan::Infinity),
        ("0", secs(0)),
    ]
}

#[test]
fn parse_sec() {
    for (input, want) in parse_sec_cases() {
        assert_eq!(parse_timespan(input), Ok(want), "{input:?}");
    }
}

#[test]
fn parse_sec_errors() {
    let cases: &[(&str, usize)] = &[
        ("", 0),
        (" ", 0),
        ("-5s", 0),
        (" -5s", 1),
        ("5s -5s", 3),
        ("5secs", 1),
        ("5 parsecs", 2),
        ("3.+1s", 1),
        ("3.s", 1),
        ("infinityx", 0),
        ("1h inf", 3),
        (".s", 0),
        ("99999999999999999999s", 0),
    ];
    for &(input, column) in cases {
        let err = parse_timespan(input).expect_err(input);
        if !matches!(err.kind, TimeSpanErrorKind::Empty) {
            assert_eq!(err.column, column, "{input:?}: {err}");
        }
    }
    let err = parse_timespan("5 parsecs").unwrap_err();
    assert_eq!(err.kind, TimeSpanErrorKind::UnknownUnit("parsecs".into()));
}

/// test-time-util.c `TEST(format_timespan)`-style outputs at 1us accuracy.
#[test]
fn format_timespan() {
    let cases: &[(TimeSpan, &str)] = &[
        (secs(0), "0"),
        (usecs(1), "1us"),
        (usecs(1500), "1.500ms"),
        (usecs(2_500_000), "2.500000s"),
        (secs(90), "1min 30s"),
        (secs(3630), "1h 30s"),
        (secs(86400 + 3600), "1d 1h"),
        (usecs(61_000_500), "1min 1.000500s"),
        (TimeSpan::Infinity, "infinity"),
    ];
    for (span, want) in cases {
        assert_eq!(span.to_string(), *want);
        assert_eq!(parse_timespan(want).as_ref(), Ok(span), "{want} reparses");
    }
}
