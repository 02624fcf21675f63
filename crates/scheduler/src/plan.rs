//! Reconciliation: from what is desired and what is observed, a plan of actions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::explain::Explanation;
use crate::model::{Machine, UnitSpec};
use crate::placement::{Placement, UnitIdx};
use crate::plugin::{FailurePolicy, PlacementPlugin};

/// The cluster as it should be: machines that are up, units that exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    /// Machines currently in the cluster.
    pub machines: Vec<Machine>,
    /// Every unit with its target state.
    pub units: Vec<UnitSpec>,
}

/// The cluster as it is: current assignments, unit -> machine ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    /// Non-global units and where they are assigned.
    pub assignments: BTreeMap<String, String>,
}

/// One change to make, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "action")]
pub enum Action {
    /// Assign an unassigned unit.
    Place {
        /// Unit.
        unit: String,
        /// Machine.
        machine: String,
        /// Why.
        reason: String,
    },
    /// Reassign a unit.
    Move {
        /// Unit.
        unit: String,
        /// Old machine.
        from: String,
        /// New machine.
        to: String,
        /// Why.
        reason: String,
    },
    /// Remove an assignment.
    Unschedule {
        /// Unit.
        unit: String,
        /// Machine it was on.
        machine: String,
        /// Why.
        reason: String,
    },
}

/// A unit that stays unplaced, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    /// The unit.
    pub unit: String,
    /// What was tried.
    pub explanation: Explanation,
}

/// The result of [`plan`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Changes, in the order they were decided.
    pub actions: Vec<Action>,
    /// Units that want to run but have no machine.
    pub unplaced: Vec<Unplaced>,
    /// Where every placed non-global unit ends up (unit -> machine ID).
    pub assignments: BTreeMap<String, String>,
    /// Where every global unit runs (unit -> machine IDs).
    pub global: BTreeMap<String, Vec<String>>,
}

impl Plan {
    /// The explanation for one unit, if it is unplaced.
    pub fn explain(&self, unit: &str) -> Option<&Explanation> {
        self.unplaced
            .iter()
            .find(|u| u.unit == unit)
            .map(|u| &u.explanation)
    }
}

/// Units in an order where every `MachineOf=` peer comes before the units that
/// follow it, by name otherwise; units on a cycle are returned separately.
fn peer_order(p: &Placement) -> (Vec<UnitIdx>, BTreeMap<UnitIdx, String>) {
    let n = p.units().len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::with_capacity(n);
    let mut cyclic: BTreeMap<UnitIdx, String> = BTreeMap::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        // Iterative DFS: (unit, next peer position).
        let mut stack: Vec<(UnitIdx, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(top) = stack.last_mut() {
            let (u, next) = *top;
            let peers = &p.units()[u].requirements.machine_of;
            if let Some(peer) = peers.get(next) {
                top.1 += 1;
                let Some(q) = p.unit_index(peer) else {
                    continue;
                };
                match state[q] {
                    0 => {
                        state[q] = 1;
                        stack.push((q, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(x, _)| x == q).unwrap_or(0);
                        let mut names: Vec<&str> = stack[from..]
                            .iter()
                            .map(|&(x, _)| p.units()[x].name.as_str())
                            .collect();
                        names.push(&p.units()[q].name);
                        let cycle = format!("MachineOf cycle: {}", names.join(" -> "));
                        for &(x, _) in &stack[from..] {
                            cyclic.entry(x).or_insert_with(|| cycle.clone());
                        }
                    }
                    _ => {}
                }
            } else {
                state[u] = 2;
                order.push(u);
                stack.pop();
            }
        }
    }
    // Units waiting on a cyclic unit can never be placed either.
    order.retain(|u| !cyclic.contains_key(u));
    (order, cyclic)
}

/// Plans placements: keeps every valid assignment, unschedules what must go,
/// and places what is unplaced, deterministically.
///
/// Like fleet's engine pass: first every observed assignment is checked —
/// target `inactive`, machine gone, or a constraint no longer holding
/// unschedules it — then globals are spread, then every unplaced unit that
/// should run is placed by its strategy (fleet's least-loaded by default).
/// Units are handled in name order with `MachineOf=` peers first.
pub fn plan(desired: &Desired, observed: &Observed) -> Plan {
    plan_with_plugins(desired, observed, Vec::new())
}

/// A plugin for [`plan_with_plugins`]: the plugin, its failure policy, and
/// whether it applies to every unit (else only to units naming it).
pub type PluginUse = (Box<dyn PlacementPlugin>, FailurePolicy, bool);

/// [`plan`] with placement plugins.
pub fn plan_with_plugins(desired: &Desired, observed: &Observed, plugins: Vec<PluginUse>) -> Plan {
    let mut p = Placement::new(desired.machines.clone(), desired.units.clone());
    for (plugin, policy, cluster_wide) in plugins {
        p.add_plugin(plugin, policy, cluster_wide);
    }
    p.start_round();
    let mut out = Plan::default();
    let (order, cyclic) = peer_order(&p);
    // Where each displaced unit came from and why it left.
    let mut displaced: BTreeMap<UnitIdx, (String, String)> = BTreeMap::new();

    for (unit, machine) in &observed.assignments {
        let Some(u) = p.unit_index(unit) else {
            out.actions.push(Action::Unschedule {
                unit: unit.clone(),
                machine: machine.clone(),
                reason: "unit no longer exists".into(),
            });
            continue;
        };
        if p.units()[u].requirements.global {
            out.actions.push(Action::Unschedule {
                unit: unit.clone(),
                machine: machine.clone(),
                reason: "global units are not assigned to one machine".into(),
            });
        }
    }
    // Phase 1: keep valid assignments, in peer order.
    for &u in &order {
        let spec = &p.units()[u];
        if spec.requirements.global {
            continue;
        }
        let Some(machine_id) = observed.assignments.get(&spec.name) else {
            continue;
        };
        let name = spec.name.clone();
        let unschedule = |reason: String, out: &mut Plan| {
            out.actions.push(Action::Unschedule {
                unit: name.clone(),
                machine: machine_id.clone(),
                reason,
            });
        };
        if !p.wants_placement(u) {
            unschedule("target state inactive".into(), &mut out);
            continue;
        }
        let Some(m) = p.machine_index(machine_id) else {
            displaced.insert(
                u,
                (
                    machine_id.clone(),
                    format!("machine {machine_id} went away"),
                ),
            );
            continue;
        };
        match p.check(u, m) {
            Ok(()) => p.put(u, m),
            Err(why) => {
                displaced.insert(
                    u,
                    (
                        machine_id.clone(),
                        format!("machine {machine_id} unable to run unit: {why}"),
                    ),
                );
            }
        }
    }
    // Globals: every machine that matches and has no conflict.
    for &u in &order {
        if !p.units()[u].requirements.global || !p.wants_placement(u) {
            continue;
        }
        for m in 0..p.machines().len() {
            if p.check(u, m).is_ok() {
                p.put(u, m);
            }
        }
    }
    // Phase 2: place what is unplaced.
    let mut queue: Vec<UnitIdx> = order
        .iter()
        .copied()
        .filter(|&u| {
            !p.units()[u].requirements.global && p.wants_placement(u) && p.machine_of(u).is_none()
        })
        .collect();
    let mut moved_off: BTreeSet<UnitIdx> = BTreeSet::new();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for u in queue {
            place_one(
                &mut p,
                u,
                &mut displaced,
                &mut out,
                &mut next,
                &mut moved_off,
            );
        }
        // Units pushed off by `Replaces=` are placed again, once.
        queue = next;
    }
    for (u, cycle) in cyclic {
        if let Some((from, _)) = displaced.remove(&u) {
            out.actions.push(Action::Unschedule {
                unit: p.units()[u].name.clone(),
                machine: from,
                reason: cycle.clone(),
            });
        }
        if p.wants_placement(u) {
            out.unplaced.push(Unplaced {
                unit: p.units()[u].name.clone(),
                explanation: Explanation::blocked(cycle),
            });
        }
    }
    for (u, spec) in p.units().iter().enumerate() {
        if let Some(m) = p.machine_of(u) {
            out.assignments
                .insert(spec.name.clone(), p.machines()[m].id.clone());
        }
        if spec.requirements.global {
            let ms: Vec<String> = p
                .global_machines(u)
                .iter()
                .map(|&m| p.machines()[m].id.clone())
                .collect();
            out.global.insert(spec.name.clone(), ms);
        }
    }
    out.unplaced.sort_by(|a, b| a.unit.cmp(&b.unit));
    out
}

fn place_one(
    p: &mut Placement,
    u: UnitIdx,
    displaced: &mut BTreeMap<UnitIdx, (String, String)>,
    out: &mut Plan,
    requeue: &mut Vec<UnitIdx>,
    moved_off: &mut BTreeSet<UnitIdx>,
) {
    let name = p.units()[u].name.clone();
    match p.decide(u, None) {
        Ok(m) => {
            let to = p.machines()[m].id.clone();
            p.put(u, m);
            match displaced.remove(&u) {
                // Displaced only while a peer was being moved, and back where it was.
                Some((from, _)) if from == to => {}
                Some((from, reason)) => out.actions.push(Action::Move {
                    unit: name,
                    from,
                    to,
                    reason,
                }),
                None => out.actions.push(Action::Place {
                    unit: name,
                    machine: to,
                    reason: format!(
                        "target state {:?} and unit not scheduled",
                        p.units()[u].target
                    )
                    .to_lowercase(),
                }),
            }
            for r in p.replaced_by(u, m) {
                if !moved_off.insert(r) {
                    continue;
                }
                p.take(r, m);
                let reason = format!("replaced by {}", p.units()[u].name);
                displaced.insert(r, (p.machines()[m].id.clone(), reason));
                requeue.push(r);
            }
        }
        Err(explanation) => {
            if let Some((from, reason)) = displaced.remove(&u) {
                out.actions.push(Action::Unschedule {
                    unit: name.clone(),
                    machine: from,
                    reason,
                });
            }
            out.unplaced.push(Unplaced {
                unit: name,
                explanation,
            });
        }
    }
}

impl fmt::Display for Plan {
    /// A placement table and the explanations, as `flotta plan` prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .assignments
            .keys()
            .chain(self.global.keys())
            .chain(self.unplaced.iter().map(|u| &u.unit))
            .map(String::len)
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(f, "{:<width$}  MACHINE", "UNIT")?;
        for (unit, machine) in &self.assignments {
            writeln!(f, "{unit:<width$}  {machine}")?;
        }
        for (unit, machines) in &self.global {
            writeln!(f, "{unit:<width$}  global: {}", machines.join(","))?;
        }
        for u in &self.unplaced {
            writeln!(f, "{:<width$}  -", u.unit)?;
        }
        if !self.unplaced.is_empty() {
            writeln!(f)?;
            for u in &self.unplaced {
                writeln!(f, "{} not placed: {}", u.unit, u.explanation)?;
            }
        }
        Ok(())
    }
}
