//! Property tests: escaping round-trips, and no parser panics on any input.

use flotta_unit_spec::escape::{escape, escape_path, mangle, unescape, unescape_path};
use flotta_unit_spec::exec::{ExecCommand, parse_environment, parse_environment_file};
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::specifier::{SpecifierContext, expand, expand_fleet};
use flotta_unit_spec::timespan::parse_timespan;
use proptest::prelude::*;

/// Strings rich in the characters escaping cares about.
fn tricky() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[a-zA-Z0-9./\\@:_ %$;'\x22ä€😀\-\t-]{0,24}").unwrap()
}

/// Normalized absolute paths (no `.`/`..` components, no empty components).
fn path() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::string::string_regex(r"[a-zA-Z0-9._ ä\\-]{1,12}")
            .unwrap()
            .prop_filter("no dot components", |c| c != "." && c != ".."),
        0..6,
    )
    .prop_map(|parts| format!("/{}", parts.join("/")))
}

proptest! {
    #[test]
    fn escape_then_unescape_is_identity(s in tricky()) {
        let e = escape(&s);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b":_.\\-".contains(&b)), "{e}");
        prop_assert_eq!(unescape(&e).unwrap(), s);
    }

    #[test]
    fn escaped_strings_are_valid_instances(s in tricky().prop_filter("non-empty", |s| !s.is_empty())) {
        let t = UnitName::parse("t@.service").unwrap();
        let n = t.instantiate(&escape(&s)).unwrap();
        prop_assert_eq!(n.kind(), UnitKind::Instance);
        prop_assert_eq!(unescape(n.instance().unwrap()).unwrap(), s);
    }

    #[test]
    fn path_escape_then_unescape_is_identity(p in path()) {
        let e = escape_path(&p).unwrap();
        prop_assert_eq!(unescape_path(&e).unwrap(), p);
    }

    #[test]
    fn no_panics(s in any::<String>()) {
        let _ = unescape(&s);
        let _ = escape_path(&s);
        let _ = unescape_path(&s);
        let _ = mangle(&s);
        let _ = UnitName::parse(&s);
        let _ = UnitName::from_path(&s, "mount");
        let _ = ExecCommand::parse(&s).map(|c| c.substitute_env(&|k: &str| Some(k.to_owned())));
        let _ = parse_environment(&s);
        let _ = parse_environment_file(&s);
        let _ = parse_timespan(&s);
        let unit = UnitName::parse("a@b-c.service").unwrap();
        let _ = expand(&s, &SpecifierContext::for_unit(&unit));
        let _ = expand_fleet(&s, &unit);
        if let Ok(n) = UnitName::parse(&s) {
            let _ = n.template();
            let _ = n.instantiate(&s);
            let _ = n.validate_fleet();
            let _ = expand("%f%I%J%P", &SpecifierContext::for_unit(&n));
        }
    }

    #[test]
    fn no_panics_on_tricky(s in tricky()) {
        let _ = ExecCommand::parse(&s).map(|c| c.substitute_env(&|k: &str| Some(format!("{k} \"x"))));
        let _ = parse_environment(&s);
        let _ = parse_environment_file(&s);
        let _ = parse_timespan(&s);
        let _ = unescape_path(&s);
        let unit = UnitName::parse("a@b-c.service").unwrap();
        let _ = expand(&s, &SpecifierContext::for_unit(&unit));
    }

    #[test]
    fn timespans_round_trip(us in 0u64..(1u64 << 50)) {
        let span = flotta_unit_spec::TimeSpan::Finite(std::time::Duration::from_micros(us));
        prop_assert_eq!(parse_timespan(&span.to_string()).unwrap(), span);
    }
}

proptest! {
    #[test]
    fn exec_display_round_trips(
        prefix in "(@|-|:|\\+|!|!!|-@|:-){0,1}",
        path in "/[a-z/]{1,10}[a-z]",
        args in proptest::collection::vec(any::<String>(), 1..5),
    ) {
        let args: Vec<String> = args.into_iter().map(|a| a.replace('\0', "")).collect();
        let line = {
            let mut c = ExecCommand::parse(&format!("{prefix}{path} x")).unwrap();
            c.argv.truncate(if c.prefixes.separate_argv0 { 0 } else { 1 });
            c.argv.extend(args);
            c
        };
        let text = line.to_string();
        let back = ExecCommand::parse(&text).unwrap();
        prop_assert_eq!(back, line, "{}", text);
    }
}

proptest! {
    #[test]
    fn doubled_percent_signs_expand_to_the_text(s in any::<String>()) {
        let unit = UnitName::parse("a@b.service").unwrap();
        let ctx = SpecifierContext::for_unit(&unit);
        prop_assert_eq!(expand(&s.replace('%', "%%"), &ctx).unwrap(), s);
    }
}
