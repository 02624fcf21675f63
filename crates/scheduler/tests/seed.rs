//! The seed walkthrough's placement, and the plan's stability rules.

use flotta_scheduler::{Action, Desired, Machine, Observed, Strategy, UnitSpec, plan};

fn app(n: u32, port: u32) -> UnitSpec {
    UnitSpec::new(format!("sample.application.{n}@{port}.service"))
        .conflicts(format!("*@{port}.service"))
}

fn three_machines() -> Vec<Machine> {
    ["m1", "m2", "m3"].map(Machine::new).to_vec()
}

#[test]
fn seed_scenario() {
    let units = vec![app(1, 8080), app(2, 8080), app(3, 8080), app(4, 8081)];
    let p = plan(
        &Desired {
            machines: three_machines(),
            units: units.clone(),
        },
        &Observed::default(),
    );
    let mut hosts: Vec<&str> = (1..=3)
        .map(|n| p.assignments[&format!("sample.application.{n}@8080.service")].as_str())
        .collect();
    hosts.sort_unstable();
    assert_eq!(hosts, ["m1", "m2", "m3"]);
    assert_eq!(p.assignments["sample.application.4@8081.service"], "m1");

    // A fourth 8080 instance, with the first placement as the observed state.
    let mut more = units;
    more.push(app(5, 8080));
    let p2 = plan(
        &Desired {
            machines: three_machines(),
            units: more,
        },
        &Observed {
            assignments: p.assignments.clone(),
        },
    );
    let why = p2
        .explain("sample.application.5@8080.service")
        .expect("unplaceable");
    assert_eq!(why.machines_evaluated, 3);
    let text = why.to_string();
    assert!(text.starts_with("3 machines: conflicts with "), "{text}");
    assert!(text.ends_with("via *@8080.service"), "{text}");
    // Nothing that was placed moves.
    assert!(p2.actions.is_empty(), "{:?}", p2.actions);
}

#[test]
fn losing_a_machine_moves_only_its_units() {
    let units: Vec<UnitSpec> = (1..=9)
        .map(|n| UnitSpec::new(format!("u{n}.service")))
        .collect();
    let machines: Vec<Machine> = ["a", "b", "c", "d"].map(Machine::new).to_vec();
    let first = plan(
        &Desired {
            machines: machines.clone(),
            units: units.clone(),
        },
        &Observed::default(),
    );
    let lost = "b";
    let second = plan(
        &Desired {
            machines: machines.into_iter().filter(|m| m.id != lost).collect(),
            units,
        },
        &Observed {
            assignments: first.assignments.clone(),
        },
    );
    for action in &second.actions {
        match action {
            Action::Move { from, reason, .. } => {
                assert_eq!(from, lost);
                assert_eq!(reason, "machine b went away");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let moved = first.assignments.values().filter(|m| *m == lost).count();
    assert_eq!(second.actions.len(), moved);
    for (unit, machine) in &first.assignments {
        if machine != lost {
            assert_eq!(&second.assignments[unit], machine, "{unit} moved");
        }
    }
}

#[test]
fn target_inactive_and_metadata_changes_unschedule_with_reasons() {
    let mut pinned = UnitSpec::new("db.service");
    pinned
        .requirements
        .metadata
        .insert("disk".into(), vec!["ssd".into()]);
    let mut idle = UnitSpec::new("idle.service");
    idle.target = flotta_scheduler::TargetState::Inactive;
    let machines = vec![
        Machine::new("a").with("disk", "hdd"),
        Machine::new("b").with("disk", "ssd"),
    ];
    let observed = Observed {
        assignments: [("db.service", "b"), ("idle.service", "a")]
            .map(|(u, m)| (u.to_string(), m.to_string()))
            .into(),
    };
    // b's disk changes: db has nowhere to go.
    let machines_after = vec![
        Machine::new("a").with("disk", "hdd"),
        Machine::new("b").with("disk", "hdd"),
    ];
    let p = plan(
        &Desired {
            machines: machines_after,
            units: vec![pinned.clone(), idle.clone()],
        },
        &observed,
    );
    assert!(
        p.actions
            .iter()
            .any(|a| matches!(a, Action::Unschedule { unit, reason, .. }
        if unit == "idle.service" && reason == "target state inactive"))
    );
    assert!(p.actions.iter().any(|a| matches!(a, Action::Unschedule { unit, reason, .. }
        if unit == "db.service" && reason.starts_with("machine b unable to run unit: metadata disk=ssd"))));
    assert_eq!(
        p.explain("db.service").map(|e| e.to_string()).as_deref(),
        Some("2 machines: metadata disk=ssd not matched")
    );
    // Unchanged cluster: a stable plan.
    let p = plan(
        &Desired {
            machines,
            units: vec![pinned],
        },
        &Observed {
            assignments: [("db.service".to_string(), "b".to_string())].into(),
        },
    );
    assert!(p.actions.is_empty());
}

#[test]
fn machine_of_chains_cycles_and_globals() {
    let mut web = UnitSpec::new("web.service");
    web.requirements.machine_of = vec!["cache.service".into()];
    let mut cache = UnitSpec::new("cache.service");
    cache.requirements.machine_of = vec!["db.service".into()];
    let db = UnitSpec::new("db.service");
    let mut a = UnitSpec::new("a.service");
    a.requirements.machine_of = vec!["b.service".into()];
    let mut b = UnitSpec::new("b.service");
    b.requirements.machine_of = vec!["a.service".into()];
    let mut agent = UnitSpec::new("agent.service");
    agent.requirements.global = true;
    let machines: Vec<Machine> = ["m1", "m2"].map(Machine::new).to_vec();
    let p = plan(
        &Desired {
            machines,
            units: vec![web, cache, db, a, b, agent],
        },
        &Observed::default(),
    );
    let m = &p.assignments["db.service"];
    assert_eq!(&p.assignments["cache.service"], m);
    assert_eq!(&p.assignments["web.service"], m);
    assert_eq!(p.global["agent.service"], ["m1", "m2"]);
    let why = p.explain("a.service").expect("cycle").to_string();
    assert!(why.starts_with("MachineOf cycle: "), "{why}");
    assert!(
        why.contains("a.service") && why.contains("b.service"),
        "{why}"
    );
}

#[test]
fn replaces_moves_the_replaced_unit() {
    let old = UnitSpec::new("old.service");
    let mut new = UnitSpec::new("new.service");
    new.requirements.replaces = vec!["old.service".into()];
    new.requirements.machine_id = Some("m1".into());
    let machines: Vec<Machine> = ["m1", "m2"].map(Machine::new).to_vec();
    let p = plan(
        &Desired {
            machines,
            units: vec![old, new],
        },
        &Observed {
            assignments: [("old.service".to_string(), "m1".to_string())].into(),
        },
    );
    assert_eq!(p.assignments["new.service"], "m1");
    assert_eq!(p.assignments["old.service"], "m2");
    assert!(
        p.actions
            .iter()
            .any(|a| matches!(a, Action::Move { unit, reason, .. }
        if unit == "old.service" && reason == "replaced by new.service"))
    );
}

#[test]
fn strategies_and_resources() {
    let machines = vec![
        Machine::new("a").with("zone", "z1"),
        Machine::new("b").with("zone", "z1"),
        Machine::new("c").with("zone", "z2"),
    ];
    let units: Vec<UnitSpec> = (1..=4)
        .map(|n| {
            let mut u = UnitSpec::new(format!("web@{n}.service"));
            u.strategy = Strategy::Spread("zone".into());
            u
        })
        .collect();
    let p = plan(
        &Desired {
            machines: machines.clone(),
            units,
        },
        &Observed::default(),
    );
    let zone = |u: &str| if p.assignments[u] == "c" { "z2" } else { "z1" };
    let z2 = (1..=4)
        .filter(|n| zone(&format!("web@{n}.service")) == "z2")
        .count();
    assert_eq!(z2, 2, "{:?}", p.assignments);

    let units: Vec<UnitSpec> = (1..=3)
        .map(|n| {
            let mut u = UnitSpec::new(format!("job{n}.service"));
            u.strategy = Strategy::Binpack;
            u.requests.memory_bytes = Some(600);
            u
        })
        .collect();
    let machines: Vec<Machine> = ["a", "b"]
        .map(|id| {
            let mut m = Machine::new(id);
            m.capacity.memory_bytes = Some(1000);
            m
        })
        .to_vec();
    let p = plan(&Desired { machines, units }, &Observed::default());
    assert_eq!(p.assignments.len(), 2);
    assert_eq!(
        p.explain("job3.service").map(|e| e.to_string()).as_deref(),
        Some("2 machines: insufficient memory")
    );
}
