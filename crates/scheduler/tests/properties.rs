//! Property tests over random clusters: placements never violate a
//! constraint, unplaced units truly have no machine (checked by brute force
//! with an independent checker), plans are deterministic, and losing a machine
//! moves only that machine's units.

use std::collections::BTreeMap;

use flotta_scheduler::{Action, Desired, Machine, Observed, Plan, UnitSpec, plan};
use flotta_unit_spec::glob::glob_match;
use proptest::prelude::*;

const ZONES: &[&str] = &["a", "b", "c"];

fn machine(i: usize, zone: usize) -> Machine {
    Machine::new(format!("{i:032x}")).with("zone", ZONES[zone % ZONES.len()])
}

#[derive(Debug, Clone)]
struct UnitGen {
    port: u16,
    conflict: u8,
    zone: Option<usize>,
    peer: Option<usize>,
    global: bool,
    pin: Option<usize>,
}

fn unit_gen() -> impl Strategy<Value = UnitGen> {
    (
        0u16..6,
        0u8..5,
        prop::option::weighted(0.3, 0usize..3),
        prop::option::weighted(0.15, 0usize..64),
        prop::bool::weighted(0.05),
        prop::option::weighted(0.05, 0usize..64),
    )
        .prop_map(|(port, conflict, zone, peer, global, pin)| UnitGen {
            port,
            conflict,
            zone,
            peer,
            global,
            pin,
        })
}

fn build(machines: usize, zones: &[usize], gens: &[UnitGen]) -> Desired {
    let machines: Vec<Machine> = (0..machines)
        .map(|i| machine(i, zones.get(i).copied().unwrap_or(i)))
        .collect();
    let mut units = Vec::new();
    for (i, g) in gens.iter().enumerate() {
        let mut u = UnitSpec::new(format!("app{i}@{}.service", 8080 + g.port));
        match g.conflict {
            0 => u
                .requirements
                .conflicts
                .push(format!("*@{}.service", 8080 + g.port)),
            1 => u.requirements.conflicts.push(format!("app{}@*", i / 2)),
            2 => u.requirements.conflicts.push("app1?@*.service".into()),
            _ => {}
        }
        if let Some(z) = g.zone {
            u.requirements
                .metadata
                .insert("zone".into(), vec![ZONES[z].into()]);
        }
        if g.global {
            u.requirements.global = true;
        } else if let Some(p) = g.peer.filter(|&p| p < i) {
            u.requirements
                .machine_of
                .push(format!("app{p}@{}.service", 8080 + gens[p].port));
            u.requirements.conflicts.clear();
        } else if let Some(m) = g.pin.filter(|&m| m < machines.len()) {
            u.requirements.machine_id = Some(machines[m].id.clone());
            u.requirements.conflicts.clear();
        }
        units.push(u);
    }
    Desired { machines, units }
}

/// An independent, brute-force reading of fleet's rules: can `u` run on `m`
/// next to the units `placed` there?
fn feasible(d: &Desired, u: &UnitSpec, m: &Machine, on: &[&UnitSpec]) -> bool {
    let r = &u.requirements;
    if let Some(id) = &r.machine_id
        && !m.matches_id(id)
    {
        return false;
    }
    for (k, vs) in &r.metadata {
        if !m.metadata.get(k).is_some_and(|v| vs.contains(v)) {
            return false;
        }
    }
    for peer in &r.machine_of {
        if !on.iter().any(|o| &o.name == peer) {
            return false;
        }
    }
    let _ = d;
    !on.iter().any(|o| {
        o.name != u.name
            && (r.conflicts.iter().any(|p| glob_match(p, &o.name))
                || o.requirements
                    .conflicts
                    .iter()
                    .any(|p| glob_match(p, &u.name)))
    })
}

/// Units on each machine, global ones included.
fn by_machine<'a>(d: &'a Desired, p: &Plan) -> BTreeMap<&'a str, Vec<&'a UnitSpec>> {
    let mut out: BTreeMap<&str, Vec<&UnitSpec>> = BTreeMap::new();
    for m in &d.machines {
        out.insert(m.id.as_str(), Vec::new());
    }
    for u in &d.units {
        let mut machines: Vec<&String> = p.assignments.get(&u.name).into_iter().collect();
        machines.extend(p.global.get(&u.name).into_iter().flatten());
        for m in machines {
            if let Some(list) = d
                .machines
                .iter()
                .find(|x| &x.id == m)
                .and_then(|x| out.get_mut(x.id.as_str()))
            {
                list.push(u);
            }
        }
    }
    out
}

fn check_plan(d: &Desired, p: &Plan) -> Result<(), TestCaseError> {
    let on = by_machine(d, p);
    for m in &d.machines {
        let here = &on[m.id.as_str()];
        for u in here {
            let others: Vec<&UnitSpec> =
                here.iter().copied().filter(|o| o.name != u.name).collect();
            prop_assert!(
                feasible(d, u, m, &others),
                "{} violates a constraint on {}",
                u.name,
                m.id
            );
        }
    }
    for unplaced in &p.unplaced {
        if unplaced.explanation.blocked.is_some() {
            continue;
        }
        let u = d
            .units
            .iter()
            .find(|u| u.name == unplaced.unit)
            .expect("unit");
        for m in &d.machines {
            prop_assert!(
                !feasible(d, u, m, &on[m.id.as_str()]),
                "{} left unplaced but fits on {}",
                u.name,
                m.id
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn small_clusters(
        machines in 1usize..8,
        zones in prop::collection::vec(0usize..3, 8),
        gens in prop::collection::vec(unit_gen(), 0..40),
        lost in 0usize..8,
    ) {
        let d = build(machines, &zones, &gens);
        let p = plan(&d, &Observed::default());
        check_plan(&d, &p)?;

        // Determinism, whatever the input order.
        let mut shuffled = d.clone();
        shuffled.units.reverse();
        shuffled.machines.reverse();
        prop_assert_eq!(&plan(&shuffled, &Observed::default()), &p);

        // Losing a machine moves only its units.
        let lost_id = d.machines[lost % machines].id.clone();
        let mut after = d.clone();
        after.machines.retain(|m| m.id != lost_id);
        let observed = Observed { assignments: p.assignments.clone() };
        let p2 = plan(&after, &observed);
        check_plan(&after, &p2)?;
        // A MachineOf follower moves with its peer (fleet's rule); nothing else moves.
        let follows_moved = |unit: &str| {
            d.units.iter().find(|u| u.name == unit).is_some_and(|u| {
                u.requirements
                    .machine_of
                    .iter()
                    .any(|peer| p.assignments.get(peer) != p2.assignments.get(peer))
            })
        };
        for action in &p2.actions {
            match action {
                Action::Move { unit, from, .. } | Action::Unschedule { unit, machine: from, .. } => {
                    prop_assert!(from == &lost_id || follows_moved(unit), "{:?}", action)
                }
                Action::Place { .. } => {}
            }
        }
        let kept: BTreeMap<_, _> = p.assignments.iter().filter(|(_, m)| **m != lost_id).collect();
        for (u, m) in kept {
            if !follows_moved(u) {
                prop_assert_eq!(p2.assignments.get(u), Some(m));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn large_clusters(
        machines in 100usize..200,
        zones in prop::collection::vec(0usize..3, 200),
        gens in prop::collection::vec(unit_gen(), 1000..2000),
    ) {
        let d = build(machines, &zones, &gens);
        let p = plan(&d, &Observed::default());
        check_plan(&d, &p)?;
        prop_assert_eq!(plan(&d, &Observed::default()), p);
    }
}
