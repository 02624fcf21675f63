//! fleet's scheduler and agent-state tests, ported as data.
//!
//! Sources: github.com/coreos/fleet `engine/scheduler_test.go`
//! (TestSchedulerDecisions, TestAgentStateSorting) and `agent/state_test.go`
//! (TestHasConflicts).

use flotta_scheduler::{Desired, Machine, Observed, Rejection, UnitSpec, plan};

fn place(
    machines: &[&str],
    existing: &[(&str, &str)],
    units: Vec<UnitSpec>,
) -> flotta_scheduler::Plan {
    let observed = Observed {
        assignments: existing
            .iter()
            .map(|(u, m)| (u.to_string(), m.to_string()))
            .collect(),
    };
    let desired = Desired {
        machines: machines.iter().map(|m| Machine::new(*m)).collect(),
        units,
    };
    plan(&desired, &observed)
}

#[test]
fn scheduler_decisions() {
    // No machines to receive the job.
    let p = place(&[], &[], vec![UnitSpec::new("foo.service")]);
    assert_eq!(
        p.explain("foo.service").map(|e| e.to_string()).as_deref(),
        Some("no machines available")
    );
    // Multiple machines: pick the first one.
    let p = place(&["XXX", "YYY"], &[], vec![UnitSpec::new("foo.service")]);
    assert_eq!(p.assignments["foo.service"], "XXX");
}

#[test]
fn agent_state_sorting() {
    // Fewer units first.
    let existing: Vec<(String, &str)> = (1..=5)
        .map(|i| (format!("{i}.service"), "A"))
        .chain((6..=7).map(|i| (format!("{i}.service"), "B")))
        .collect();
    let refs: Vec<(&str, &str)> = existing.iter().map(|(u, m)| (u.as_str(), *m)).collect();
    let mut units: Vec<UnitSpec> = existing
        .iter()
        .map(|(u, _)| UnitSpec::new(u.clone()))
        .collect();
    units.push(UnitSpec::new("new.service"));
    let p = place(&["A", "B"], &refs, units);
    assert_eq!(p.assignments["new.service"], "B");

    // Equal load: alphabetical by machine ID.
    let refs = [
        ("1.service", "B"),
        ("2.service", "B"),
        ("3.service", "A"),
        ("4.service", "A"),
    ];
    let mut units: Vec<UnitSpec> = refs.iter().map(|(u, _)| UnitSpec::new(*u)).collect();
    units.push(UnitSpec::new("new.service"));
    let p = place(&["B", "A"], &refs, units);
    assert_eq!(p.assignments["new.service"], "A");
}

/// (existing unit, its Conflicts, new unit, its Conflicts, conflict expected)
type ConflictCase = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
    bool,
);

const HAS_CONFLICTS: &[ConflictCase] = &[
    // empty current state causes no conflicts
    ("", &[], "foo.service", &["bar.service"], false),
    // existing job has conflict with new job
    ("bar.service", &["foo.service"], "foo.service", &[], true),
    // new job has conflict with existing job
    ("bar.service", &[], "foo.service", &["bar.service"], true),
    // existing: one of multiple conflicts on a line
    (
        "bar.service",
        &["foo.service", "bar.service"],
        "foo.service",
        &[],
        true,
    ),
    // new: one of multiple conflicts on a line
    (
        "bar.service",
        &[],
        "foo.service",
        &["foo.service", "bar.service"],
        true,
    ),
];

#[test]
fn has_conflicts() {
    for &(existing, existing_conflicts, new, new_conflicts, want) in HAS_CONFLICTS {
        let mut units = Vec::new();
        let mut assigned = Vec::new();
        if !existing.is_empty() {
            let mut u = UnitSpec::new(existing);
            u.requirements.conflicts = existing_conflicts.iter().map(|s| s.to_string()).collect();
            units.push(u);
            assigned.push((existing, "XXX"));
        }
        let mut u = UnitSpec::new(new);
        u.requirements.conflicts = new_conflicts.iter().map(|s| s.to_string()).collect();
        units.push(u);
        let p = place(&["XXX"], &assigned, units);
        let placed = p.assignments.contains_key(new);
        assert_eq!(
            !placed, want,
            "{existing} {existing_conflicts:?} vs {new} {new_conflicts:?}"
        );
        if want {
            let why = p.explain(new).expect("explained");
            assert!(matches!(
                why.per_machine["XXX"],
                Rejection::Conflict { ref with, .. } if with == "bar.service"
            ));
        }
    }
}
