//! Compares `flotta_unit_spec::timespan` with `systemd-analyze timespan` (from
//! the same `systemd` package as `systemd-escape`, which `scripts/test`
//! installs) over a generated corpus: acceptance, the value in microseconds
//! and the formatted ("Human") form. Fails, not skips, when it is missing.

mod common;

use std::process::Command;

use common::Lcg;
use flotta_unit_spec::timespan::{TimeSpan, parse_timespan};

const PIECES: &[&str] = &[
    "1", "5", "90", "0", "2.5", ".5", "12", "3.", " ", " ", "s", "sec", "seconds", "min", "m",
    "ms", "msec", "us", "μs", "h", "hr", "hours", "d", "days", "w", "weeks", "M", "month", "y",
    "years", "x", "secs", "-", "+", "minute", "usec", "1.0005",
];

/// systemd-analyze's verdict: `Some((usec, human))` or `None` if refused.
fn systemd(input: &str) -> Option<(u64, String)> {
    let out = Command::new("systemd-analyze")
        .args(["timespan", "--", input])
        .output()
        .unwrap_or_else(|e| {
            panic!("systemd-analyze must be installed (scripts/test installs systemd): {e}")
        });
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim_start().strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap()
    };
    Some((field("μs:").parse().unwrap(), field("Human:")))
}

#[test]
fn timespans_match_systemd_analyze() {
    let mut rng = Lcg(7);
    let mut corpus: Vec<String> = (0..400)
        .map(|_| {
            let n = 1 + rng.next() % 5;
            (0..n).map(|_| rng.pick(PIECES)).collect()
        })
        .collect();
    corpus.extend(
        [
            "infinity",
            " infinity ",
            "1h 30s",
            "1h30s",
            "120min",
            "5",
            "1y 12month",
            "61.0005s",
            "0.1us",
            "1.5ms",
            "3 weeks 2 days",
            "1 2",
            "",
            "  ",
        ]
        .map(String::from),
    );
    for input in &corpus {
        // systemd-analyze reads a leading '-' as an option despite "--" in some
        // versions' argument handling; both sides refuse negatives anyway.
        let ours = parse_timespan(input);
        let theirs = systemd(input);
        match (&ours, &theirs) {
            (Ok(TimeSpan::Infinity), Some((usec, human))) => {
                assert_eq!((*usec, human.as_str()), (u64::MAX, "infinity"), "{input:?}");
            }
            (Ok(span @ TimeSpan::Finite(d)), Some((usec, human))) => {
                assert_eq!(d.as_micros(), u128::from(*usec), "{input:?}");
                assert_eq!(&span.to_string(), human, "{input:?}");
            }
            (Err(_), None) => {}
            _ => panic!("{input:?}: flotta {ours:?}, systemd-analyze {theirs:?}"),
        }
    }
}
