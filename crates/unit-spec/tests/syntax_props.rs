//! Property tests: printing what was parsed gives the input back, and no input
//! makes the parser panic.

use flotta_unit_spec::syntax::UnitFile;
use proptest::prelude::*;

/// Lines that look like unit files, including the awkward parts.
fn unitish_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z-]{1,12}".prop_map(|s| format!("[{s}]")),
        "[#;][ -~]{0,20}".prop_map(|s| s),
        (
            "[ \t]{0,2}[A-Za-z][A-Za-z0-9]{0,10}[ \t]{0,2}",
            "[ -~é☃]{0,30}"
        )
            .prop_map(|(k, v)| format!("{k}={v}")),
        ("[A-Za-z]{1,8}", "[ -~]{0,10}").prop_map(|(k, v)| format!("{k}={v}\\")),
        "[ \t]{0,3}".prop_map(|s| s),
    ]
}

fn unitish_text() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(unitish_line(), 0..40),
        any::<bool>(),
    )
        .prop_map(|(bom, crlf, lines, final_newline)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str("[Service]");
            text.push_str(eol);
            text.push_str(&lines.join(eol));
            if final_newline {
                text.push_str(eol);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn print_of_parse_is_identity(text in unitish_text()) {
        if let Ok(unit) = UnitFile::parse(&text) {
            prop_assert_eq!(unit.to_string(), text);
            // The canonical form parses back to the same options, except for a
            // value ending in a backslash, which no unit-file line can carry.
            prop_assume!(!unit.to_options().iter().any(|o| o.value.ends_with('\\')));
            // (Repeated sections are grouped, as go-systemd's serializer does.)
            let canonical = UnitFile::parse(&unit.canonical()).expect("canonical form parses");
            prop_assert_eq!(canonical.canonical(), unit.canonical());
            prop_assert_eq!(canonical.hash(), unit.hash());
        }
    }

    #[test]
    fn any_text_round_trips_or_errors(text in "\\PC{0,400}") {
        if let Ok(unit) = UnitFile::parse(&text) {
            prop_assert_eq!(unit.to_string(), text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..65536)) {
        match UnitFile::parse_bytes(&bytes) {
            Ok(unit) => prop_assert_eq!(unit.to_string().into_bytes(), bytes),
            Err(e) => prop_assert!(e.line >= 1 && e.column >= 1),
        }
    }
}
