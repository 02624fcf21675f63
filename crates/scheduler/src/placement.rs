//! The placement state: who runs where, indexed so each decision is cheap.
//!
//! [`Placement`] holds the machines (sorted by ID), the units (sorted by name),
//! which machine each unit is on, each machine's load in a load-ordered set, the
//! [`ConflictIndex`] and resource use. Deciding a unit walks machines in
//! strategy order and runs the checks in fleet's `AbleToRun` order, cheapest
//! first, stopping at the first feasible machine; the rejections it meets on
//! the way are the explanation if it finds none.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use flotta_unit_spec::glob::glob_match;

use crate::conflicts::{ConflictIndex, PatternId};
use crate::explain::{Explanation, Rejection};
use crate::model::{Machine, Strategy, TargetState, UnitSpec};
use crate::plugin::{FailurePolicy, PlacementPlugin, PluginError, PluginSlot, Rejections};

/// Index of a unit in [`Placement::units`].
pub type UnitIdx = usize;
/// Index of a machine in [`Placement::machines`].
pub type MachineIdx = usize;

/// A rejection without names: cheap to make for every machine tried.
#[derive(Debug, Clone, Copy)]
enum Reject {
    MachineId,
    Metadata(usize),
    Peer(usize),
    Conflict(PatternId),
    ReplacedBy(UnitIdx),
    Cpu,
    Memory,
}

/// Placement state for one cluster.
#[derive(Debug)]
pub struct Placement {
    machines: Vec<Machine>,
    machine_idx: HashMap<String, MachineIdx>,
    live: Vec<bool>,
    units: Vec<UnitSpec>,
    unit_idx: HashMap<String, UnitIdx>,
    /// Per unit: patterns its name matches, patterns it declares.
    patterns: Vec<(Vec<PatternId>, Vec<PatternId>)>,
    assigned: Vec<Option<MachineIdx>>,
    /// Machines a global unit runs on.
    global_on: Vec<Vec<MachineIdx>>,
    held: Vec<Vec<UnitIdx>>,
    load: Vec<u32>,
    order: BTreeSet<(u32, MachineIdx)>,
    used: Vec<(u64, u64)>,
    /// Instances per (template, metadata value) for the spread strategy.
    spread_count: HashMap<(String, String), u32>,
    /// Per unit: its template group (units of one template share it).
    group: Vec<usize>,
    /// Per template group: instances per machine, for plugins.
    group_on: Vec<BTreeMap<MachineIdx, u32>>,
    /// Whether any unit declares `Replaces=` (else that check is skipped).
    any_replaces: bool,
    conflicts: ConflictIndex,
    plugins: Vec<PluginSlot>,
}

impl Placement {
    /// Builds an empty placement for these machines and units (sorted here).
    pub fn new(mut machines: Vec<Machine>, mut units: Vec<UnitSpec>) -> Self {
        machines.sort_by(|a, b| a.id.cmp(&b.id));
        machines.dedup_by(|a, b| a.id == b.id);
        units.sort_by(|a, b| a.name.cmp(&b.name));
        units.dedup_by(|a, b| a.name == b.name);
        let mut conflicts = ConflictIndex::default();
        for u in &units {
            for p in &u.requirements.conflicts {
                conflicts.register(p);
            }
        }
        let mut scratch = Vec::new();
        let patterns = units
            .iter()
            .map(|u| {
                conflicts.matches_of(&u.name, &mut scratch);
                let declared = u
                    .requirements
                    .conflicts
                    .iter()
                    .filter_map(|p| conflicts.id(p))
                    .collect();
                (scratch.clone(), declared)
            })
            .collect();
        let mut groups: HashMap<String, usize> = HashMap::new();
        let group: Vec<usize> = units
            .iter()
            .map(|u| {
                let key = u.template().unwrap_or_else(|| u.name.clone());
                let next = groups.len();
                *groups.entry(key).or_insert(next)
            })
            .collect();
        let n = machines.len();
        Placement {
            any_replaces: units.iter().any(|u| !u.requirements.replaces.is_empty()),
            group_on: vec![BTreeMap::new(); groups.len()],
            group,
            machine_idx: machines
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id.clone(), i))
                .collect(),
            live: vec![true; n],
            unit_idx: units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.name.clone(), i))
                .collect(),
            assigned: vec![None; units.len()],
            global_on: vec![Vec::new(); units.len()],
            held: vec![Vec::new(); n],
            load: vec![0; n],
            order: (0..n).map(|i| (0, i)).collect(),
            used: vec![(0, 0); n],
            spread_count: HashMap::new(),
            plugins: Vec::new(),
            patterns,
            machines,
            units,
            conflicts,
        }
    }

    /// The machines, sorted by ID.
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }

    /// The units, sorted by name.
    pub fn units(&self) -> &[UnitSpec] {
        &self.units
    }

    /// Looks a unit up by name.
    pub fn unit_index(&self, name: &str) -> Option<UnitIdx> {
        self.unit_idx.get(name).copied()
    }

    /// Looks a machine up by ID.
    pub fn machine_index(&self, id: &str) -> Option<MachineIdx> {
        self.machine_idx.get(id).copied()
    }

    /// The machine a non-global unit is on.
    pub fn machine_of(&self, unit: UnitIdx) -> Option<MachineIdx> {
        self.assigned.get(unit).copied().flatten()
    }

    /// The machines a global unit runs on.
    pub fn global_machines(&self, unit: UnitIdx) -> &[MachineIdx] {
        self.global_on.get(unit).map_or(&[], Vec::as_slice)
    }

    /// Units (global ones included) on a machine.
    pub fn units_on(&self, machine: MachineIdx) -> &[UnitIdx] {
        self.held.get(machine).map_or(&[], Vec::as_slice)
    }

    /// Whether a machine is still part of the cluster.
    pub fn is_live(&self, machine: MachineIdx) -> bool {
        self.live.get(machine).copied().unwrap_or(false)
    }

    /// Where instances of the unit's template (or the unit itself, for a
    /// plain unit) run now: `(machine, count)` in machine order.
    pub fn siblings(&self, unit: UnitIdx) -> impl Iterator<Item = (MachineIdx, u32)> + '_ {
        self.group
            .get(unit)
            .and_then(|&g| self.group_on.get(g))
            .into_iter()
            .flat_map(|on| on.iter().map(|(&m, &c)| (m, c)))
    }

    fn spread_key(&self, unit: UnitIdx, machine: MachineIdx) -> Option<(String, String)> {
        let u = &self.units[unit];
        let Strategy::Spread(key) = &u.strategy else {
            return None;
        };
        let value = self.machines[machine]
            .metadata
            .get(key)
            .cloned()
            .unwrap_or_default();
        Some((
            u.template().unwrap_or_else(|| u.name.clone()),
            format!("{key}={value}"),
        ))
    }

    /// Puts `unit` on `machine` without checks (the caller decided).
    pub(crate) fn put(&mut self, unit: UnitIdx, machine: MachineIdx) {
        let (matches, declared) = &self.patterns[unit];
        self.conflicts.add(machine, matches, declared);
        self.held[machine].push(unit);
        self.order.remove(&(self.load[machine], machine));
        self.load[machine] += 1;
        self.order.insert((self.load[machine], machine));
        let r = self.units[unit].requests;
        self.used[machine].0 += r.cpu_millis.unwrap_or(0);
        self.used[machine].1 += r.memory_bytes.unwrap_or(0);
        if let Some(k) = self.spread_key(unit, machine) {
            *self.spread_count.entry(k).or_default() += 1;
        }
        *self.group_on[self.group[unit]].entry(machine).or_default() += 1;
        if self.units[unit].requirements.global {
            self.global_on[unit].push(machine);
        } else {
            self.assigned[unit] = Some(machine);
        }
    }

    /// Takes `unit` off `machine`.
    pub(crate) fn take(&mut self, unit: UnitIdx, machine: MachineIdx) {
        let Some(pos) = self.held[machine].iter().position(|&u| u == unit) else {
            return;
        };
        self.held[machine].swap_remove(pos);
        let (matches, declared) = &self.patterns[unit];
        self.conflicts.remove(machine, matches, declared);
        if self.live[machine] {
            self.order.remove(&(self.load[machine], machine));
        }
        self.load[machine] = self.load[machine].saturating_sub(1);
        if self.live[machine] {
            self.order.insert((self.load[machine], machine));
        }
        let r = self.units[unit].requests;
        self.used[machine].0 = self.used[machine]
            .0
            .saturating_sub(r.cpu_millis.unwrap_or(0));
        self.used[machine].1 = self.used[machine]
            .1
            .saturating_sub(r.memory_bytes.unwrap_or(0));
        if let Some(k) = self.spread_key(unit, machine)
            && let Some(n) = self.spread_count.get_mut(&k)
        {
            *n = n.saturating_sub(1);
        }
        let on = &mut self.group_on[self.group[unit]];
        if let Some(c) = on.get_mut(&machine) {
            *c -= 1;
            if *c == 0 {
                on.remove(&machine);
            }
        }
        if self.units[unit].requirements.global {
            self.global_on[unit].retain(|&m| m != machine);
        } else if self.assigned[unit] == Some(machine) {
            self.assigned[unit] = None;
        }
    }

    /// Removes a machine: its units become unplaced; returns them (sorted).
    pub fn remove_machine(&mut self, machine: MachineIdx) -> Vec<UnitIdx> {
        if !self.is_live(machine) {
            return Vec::new();
        }
        let mut lost: Vec<UnitIdx> = self.held[machine].clone();
        for &u in &lost {
            self.take(u, machine);
        }
        self.order.remove(&(self.load[machine], machine));
        self.live[machine] = false;
        lost.retain(|&u| !self.units[u].requirements.global);
        lost.sort_unstable();
        lost
    }

    /// fleet's `AbleToRun`, in its order: machine ID, metadata, peers,
    /// conflicts (both directions), then flotta's replaced-by and resources.
    ///
    /// # Errors
    /// The first check that fails, described.
    pub fn check(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.check_fast(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// [`Placement::check`] without allocating: the hot path of every decision.
    #[inline]
    fn check_fast(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        self.fast_machine_id(unit, machine)?;
        self.fast_metadata(unit, machine)?;
        self.fast_peers(unit, machine)?;
        self.fast_conflicts(unit, machine)?;
        self.fast_replaced(unit, machine)?;
        self.fast_resources(unit, machine)
    }

    #[inline]
    fn fast_machine_id(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        match &self.units[unit].requirements.machine_id {
            Some(wanted) if !self.machines[machine].matches_id(wanted) => Err(Reject::MachineId),
            _ => Ok(()),
        }
    }

    #[inline]
    fn fast_metadata(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        let m = &self.machines[machine];
        for (i, (key, wanted)) in self.units[unit].requirements.metadata.iter().enumerate() {
            if !m.metadata.get(key).is_some_and(|v| wanted.contains(v)) {
                return Err(Reject::Metadata(i));
            }
        }
        Ok(())
    }

    #[inline]
    fn fast_peers(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        for (i, peer) in self.units[unit].requirements.machine_of.iter().enumerate() {
            let here = self.unit_index(peer).is_some_and(|p| {
                self.assigned[p] == Some(machine) || self.global_on[p].contains(&machine)
            });
            if !here {
                return Err(Reject::Peer(i));
            }
        }
        Ok(())
    }

    #[inline]
    fn fast_conflicts(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        let (matches, declared) = &self.patterns[unit];
        match self.conflicts.conflict(machine, matches, declared) {
            Some(p) => Err(Reject::Conflict(p)),
            None => Ok(()),
        }
    }

    #[inline]
    fn fast_replaced(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        if !self.any_replaces {
            return Ok(());
        }
        let name = &self.units[unit].name;
        let by = self.held[machine].iter().find(|&&o| {
            o != unit
                && self.units[o]
                    .requirements
                    .replaces
                    .iter()
                    .any(|p| glob_match(p, name))
        });
        match by {
            Some(&by) => Err(Reject::ReplacedBy(by)),
            None => Ok(()),
        }
    }

    #[inline]
    fn fast_resources(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Reject> {
        let u = &self.units[unit];
        // Most units request nothing: skip touching the machine at all.
        if u.requests.cpu_millis.is_none() && u.requests.memory_bytes.is_none() {
            return Ok(());
        }
        let m = &self.machines[machine];
        let (cpu, mem) = self.used[machine];
        if let (Some(cap), Some(want)) = (m.capacity.cpu_millis, u.requests.cpu_millis)
            && cpu + want > cap
        {
            return Err(Reject::Cpu);
        }
        if let (Some(cap), Some(want)) = (m.capacity.memory_bytes, u.requests.memory_bytes)
            && mem + want > cap
        {
            return Err(Reject::Memory);
        }
        Ok(())
    }

    /// The `MachineID=` check alone.
    ///
    /// # Errors
    /// The rejection, described.
    pub fn check_machine_id(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.fast_machine_id(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// The `MachineMetadata=` check alone.
    ///
    /// # Errors
    /// The rejection, described.
    pub fn check_metadata(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.fast_metadata(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// The `MachineOf=` check alone.
    ///
    /// # Errors
    /// The rejection, described.
    pub fn check_peers(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.fast_peers(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// The `Conflicts=` check alone (both directions).
    ///
    /// # Errors
    /// The rejection, described.
    pub fn check_conflicts(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.fast_conflicts(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// The CPU and memory check alone.
    ///
    /// # Errors
    /// The rejection, described.
    pub fn check_resources(&self, unit: UnitIdx, machine: MachineIdx) -> Result<(), Rejection> {
        self.fast_resources(unit, machine)
            .map_err(|r| self.describe(unit, machine, r))
    }

    /// Units on a machine, global ones included (fleet's load).
    pub fn load(&self, machine: MachineIdx) -> u32 {
        self.load.get(machine).copied().unwrap_or(0)
    }

    /// Turns a compact rejection into the full, named one.
    fn describe(&self, unit: UnitIdx, machine: MachineIdx, r: Reject) -> Rejection {
        let req = &self.units[unit].requirements;
        match r {
            Reject::MachineId => Rejection::MachineId {
                wanted: req.machine_id.clone().unwrap_or_default(),
            },
            Reject::Metadata(i) => {
                // `i` came from iterating this map, so the entry is there.
                let (key, wanted) = req
                    .metadata
                    .iter()
                    .nth(i)
                    .map(|(k, w)| (k.clone(), w.clone()))
                    .unwrap_or_default();
                Rejection::Metadata { key, wanted }
            }
            Reject::Peer(i) => Rejection::Peer {
                peer: req.machine_of.get(i).cloned().unwrap_or_default(),
            },
            Reject::Conflict(p) => {
                let pattern = self.conflicts.pattern(p).to_owned();
                let with = self.conflicting_unit(unit, machine, &pattern);
                Rejection::Conflict { pattern, with }
            }
            Reject::ReplacedBy(by) => Rejection::ReplacedBy {
                unit: self.units[by].name.clone(),
            },
            Reject::Cpu => Rejection::Resources {
                resource: "cpu".into(),
            },
            Reject::Memory => Rejection::Resources {
                resource: "memory".into(),
            },
        }
    }

    /// The unit on `machine` that `pattern` makes `unit` conflict with.
    fn conflicting_unit(&self, unit: UnitIdx, machine: MachineIdx, pattern: &str) -> String {
        let u = &self.units[unit];
        self.held[machine]
            .iter()
            .map(|&o| &self.units[o])
            .find(|o| {
                o.name != u.name
                    && ((u.requirements.conflicts.iter().any(|p| p == pattern)
                        && glob_match(pattern, &o.name))
                        || (o.requirements.conflicts.iter().any(|p| p == pattern)
                            && glob_match(pattern, &u.name)))
            })
            .map_or_else(String::new, |o| o.name.clone())
    }

    /// Chooses a machine for `unit` (not placed yet) by its strategy, or says
    /// why none fits. `exclude` is skipped (a machine being left).
    pub fn decide(
        &self,
        unit: UnitIdx,
        exclude: Option<MachineIdx>,
    ) -> Result<MachineIdx, Explanation> {
        let plugins: Vec<&PluginSlot> = self
            .plugins
            .iter()
            .filter(|p| {
                p.cluster_wide
                    || self.units[unit]
                        .placement
                        .iter()
                        .any(|n| n == p.plugin.name())
            })
            .collect();
        if !plugins.is_empty() {
            return self.decide_with_plugins(unit, exclude, &plugins);
        }
        let mut tried = Vec::new();
        match self.search(unit, exclude, &mut tried) {
            Ok(m) => Ok(m),
            Err(Some(blocked)) => Err(blocked),
            Err(None) => {
                // Only now, when nothing fits, are the rejections spelled out.
                let mut why = Explanation {
                    machines_evaluated: tried.len(),
                    ..Explanation::default()
                };
                for (m, r) in tried.into_iter().filter_map(|(m, r)| r.map(|r| (m, r))) {
                    why.record(&self.machines[m].id, self.describe(unit, m, r));
                }
                Err(why)
            }
        }
    }

    /// Adds a plugin. A cluster-wide plugin applies to every unit; otherwise
    /// only to units that name it in `placement`. Call
    /// [`Placement::start_round`] before deciding.
    pub fn add_plugin(
        &mut self,
        plugin: Box<dyn PlacementPlugin>,
        policy: FailurePolicy,
        cluster_wide: bool,
    ) {
        self.plugins.push(PluginSlot {
            plugin,
            policy,
            cluster_wide,
            broken: None,
        });
    }

    /// Hands every plugin the machine table for this round.
    pub fn start_round(&mut self) {
        // Plugins see the placement while they are out of it.
        let mut plugins = std::mem::take(&mut self.plugins);
        for slot in &mut plugins {
            slot.broken = slot.plugin.on_round(self).err().map(|e| e.to_string());
        }
        self.plugins = plugins;
    }

    /// The plugin path: every machine passing the built-in checks is a
    /// candidate; plugins filter the batch, then their scores (summed) pick
    /// the winner, ties going to the strategy's order. Rejections are kept
    /// compact and spelled out only when nothing fits.
    fn decide_with_plugins(
        &self,
        unit: UnitIdx,
        exclude: Option<MachineIdx>,
        plugins: &[&PluginSlot],
    ) -> Result<MachineIdx, Explanation> {
        let u = &self.units[unit];
        let name = &u.name;
        // Candidates go to plugins in machine-table order; the strategy only
        // breaks ties between equal scores (below).
        let unconstrained = u.requirements.machine_id.is_none()
            && u.requirements.metadata.is_empty()
            && u.requirements.machine_of.is_empty()
            && u.requests.cpu_millis.is_none()
            && u.requests.memory_bytes.is_none()
            && !self.any_replaces
            && self.patterns[unit].0.is_empty()
            && self.patterns[unit].1.is_empty();
        let mut evaluated = 0;
        let mut core_rejected: Vec<(MachineIdx, Reject)> = Vec::new();
        // Per filtering plugin: its rejections and the candidates it saw.
        let mut plugin_rejected: Vec<(&str, Rejections, Vec<MachineIdx>)> = Vec::new();
        let mut candidates = Vec::with_capacity(self.order.len());
        for m in (0..self.machines.len()).filter(|&m| self.live[m] && Some(m) != exclude) {
            evaluated += 1;
            if unconstrained {
                candidates.push(m);
                continue;
            }
            match self.check_fast(unit, m) {
                Ok(()) => candidates.push(m),
                Err(r) => core_rejected.push((m, r)),
            }
        }
        let mut scores = vec![0.0f64; candidates.len()];
        for slot in plugins {
            let plugin = slot.plugin.name();
            let fail = |message: String| PluginError {
                plugin: plugin.to_owned(),
                unit: name.clone(),
                message,
            };
            let filtered = match &slot.broken {
                Some(e) => Err(fail(e.clone())),
                // The scheduler names the plugin and the unit, whatever the plugin said.
                None => slot
                    .plugin
                    .filter(self, unit, &candidates)
                    .map_err(|e| fail(e.message))
                    .and_then(|r| {
                        let past = r.iter().map(|(i, _)| i).find(|&i| i >= candidates.len());
                        match past {
                            Some(i) => Err(fail(format!(
                                "filter rejected candidate {i} but there are only {}",
                                candidates.len()
                            ))),
                            None => Ok(r),
                        }
                    }),
            };
            let rejections = match (filtered, slot.policy) {
                (Ok(r), _) => r,
                (Err(e), FailurePolicy::FailClosed) => {
                    return Err(Explanation::blocked(e.to_string()));
                }
                (Err(_), FailurePolicy::FailOpen) => continue,
            };
            if !rejections.is_empty() {
                let mut keep = vec![true; candidates.len()];
                for (i, _) in rejections.iter() {
                    keep[i] = false;
                }
                let mut n = 0;
                for i in 0..candidates.len() {
                    if keep[i] {
                        candidates[n] = candidates[i];
                        scores[n] = scores[i];
                        n += 1;
                    }
                }
                plugin_rejected.push((plugin, rejections, candidates.clone()));
                candidates.truncate(n);
                scores.truncate(n);
            }
            let scored = slot
                .plugin
                .score(self, unit, &candidates)
                .map_err(|e| fail(e.message))
                .and_then(|s| {
                    if s.len() == candidates.len() && s.iter().all(|x| x.is_finite()) {
                        Ok(s)
                    } else {
                        Err(fail(format!(
                            "score returned {} values for {} candidates (all must be finite)",
                            s.len(),
                            candidates.len()
                        )))
                    }
                });
            match (scored, slot.policy) {
                (Ok(s), _) => {
                    for (total, x) in scores.iter_mut().zip(s) {
                        *total += x;
                    }
                }
                (Err(e), FailurePolicy::FailClosed) => {
                    return Err(Explanation::blocked(e.to_string()));
                }
                (Err(_), FailurePolicy::FailOpen) => {}
            }
        }
        // Highest score; among equals the first in strategy order: least
        // loaded (then lowest ID), or for binpack the most loaded (then highest).
        let binpack = matches!(u.strategy, Strategy::Binpack);
        let earlier = |a: MachineIdx, b: MachineIdx| {
            let (ka, kb) = ((self.load[a], a), (self.load[b], b));
            if binpack { ka > kb } else { ka < kb }
        };
        let mut best: Option<(f64, MachineIdx)> = None;
        for (&m, &score) in candidates.iter().zip(&scores) {
            if best.is_none_or(|(b, bm)| score > b || (score == b && earlier(m, bm))) {
                best = Some((score, m));
            }
        }
        if let Some((_, m)) = best {
            return Ok(m);
        }
        let mut why = Explanation {
            machines_evaluated: evaluated,
            ..Explanation::default()
        };
        for (m, r) in core_rejected {
            why.record(&self.machines[m].id, self.describe(unit, m, r));
        }
        for (plugin, rejections, seen) in plugin_rejected {
            for (i, reason) in rejections.iter() {
                why.record(
                    &self.machines[seen[i]].id,
                    Rejection::Plugin {
                        plugin: plugin.to_owned(),
                        reason: reason.to_owned(),
                    },
                );
            }
        }
        Err(why)
    }

    /// Walks candidates in strategy order; `tried` gets every machine looked at
    /// with its rejection (`None` for the chosen one).
    fn search(
        &self,
        unit: UnitIdx,
        exclude: Option<MachineIdx>,
        tried: &mut Vec<(MachineIdx, Option<Reject>)>,
    ) -> Result<MachineIdx, Option<Explanation>> {
        let u = &self.units[unit];
        let mut consider = |m: MachineIdx| -> bool {
            if Some(m) == exclude {
                return false;
            }
            let r = self.check_fast(unit, m).err();
            tried.push((m, r));
            r.is_none()
        };
        // A pinned or co-located unit has at most a few candidates: look there.
        let pinned: Option<Vec<MachineIdx>> = if let Some(id) = &u.requirements.machine_id {
            Some(
                self.order
                    .iter()
                    .map(|&(_, m)| m)
                    .filter(|&m| self.machines[m].matches_id(id))
                    .collect(),
            )
        } else {
            u.requirements.machine_of.first().map(|peer| {
                self.unit_index(peer).map_or_else(Vec::new, |p| {
                    let mut ms: Vec<MachineIdx> = self.assigned[p].into_iter().collect();
                    ms.extend(&self.global_on[p]);
                    ms
                })
            })
        };
        if let Some(candidates) = pinned {
            if candidates.is_empty() {
                return Err(Some(
                    match (
                        &u.requirements.machine_id,
                        u.requirements.machine_of.first(),
                    ) {
                        (Some(id), _) => Explanation::blocked(format!("no machine has ID {id}")),
                        (None, Some(peer)) => Explanation::blocked(format!(
                            "waiting for MachineOf peer {peer}, which is not placed"
                        )),
                        (None, None) => Explanation::default(),
                    },
                ));
            }
            return candidates.into_iter().find(|&m| consider(m)).ok_or(None);
        }
        match &u.strategy {
            Strategy::LeastLoaded => self
                .order
                .iter()
                .map(|&(_, m)| m)
                .find(|&m| consider(m))
                .ok_or(None),
            Strategy::Binpack => self
                .order
                .iter()
                .rev()
                .map(|&(_, m)| m)
                .find(|&m| consider(m))
                .ok_or(None),
            Strategy::Spread(_) => {
                // Every feasible machine is ranked: fewest instances of this
                // template on the machine's value of the key, then least loaded.
                let mut best: Option<(u32, u32, MachineIdx)> = None;
                for &(load, m) in &self.order {
                    if consider(m) {
                        let count = self
                            .spread_key(unit, m)
                            .and_then(|k| self.spread_count.get(&k).copied())
                            .unwrap_or(0);
                        if best.is_none_or(|(c, l, _)| (count, load) < (c, l)) {
                            best = Some((count, load, m));
                        }
                    }
                }
                best.map(|(_, _, m)| m).ok_or(None)
            }
        }
    }

    /// Decides and assigns one unplaced unit; the incremental form of a plan
    /// pass, for callers that keep a `Placement` between events.
    ///
    /// # Errors
    /// Why no machine fits.
    pub fn place(&mut self, unit: UnitIdx) -> Result<MachineIdx, Explanation> {
        let m = self.decide(unit, None)?;
        self.put(unit, m);
        Ok(m)
    }

    /// Whether a unit should be placed at all.
    pub(crate) fn wants_placement(&self, unit: UnitIdx) -> bool {
        self.units[unit].target != TargetState::Inactive
    }

    /// Units a newly placed `unit` pushes off `machine` (its `Replaces=` globs).
    pub(crate) fn replaced_by(&self, unit: UnitIdx, machine: MachineIdx) -> Vec<UnitIdx> {
        let u = &self.units[unit];
        let mut out: Vec<UnitIdx> = self.held[machine]
            .iter()
            .copied()
            .filter(|&o| {
                o != unit
                    && !self.units[o].requirements.global
                    && u.requirements
                        .replaces
                        .iter()
                        .any(|p| glob_match(p, &self.units[o].name))
            })
            .collect();
        out.sort_unstable();
        out
    }
}
