//! The conflict index: which machines a unit's `Conflicts=` excludes, by lookup.
//!
//! Every distinct pattern of the round is classified once (literal, `*suffix`,
//! `prefix*`, or general) and given an ID. For each pattern the index keeps the
//! machines holding a unit whose *name matches* it, and the machines holding a
//! unit that *declares* it. Checking a candidate machine is then a handful of
//! hash lookups, whatever the number of units: the names a pattern matches are
//! found by looking up the name's suffixes and prefixes of the lengths in use.

use std::collections::{BTreeSet, HashMap};

use flotta_unit_spec::glob::glob_match;

/// Identifies a distinct pattern.
pub(crate) type PatternId = u32;

#[derive(Debug, Default)]
pub(crate) struct ConflictIndex {
    patterns: Vec<String>,
    ids: HashMap<String, PatternId>,
    literal: HashMap<String, Vec<PatternId>>,
    suffix: HashMap<String, Vec<PatternId>>,
    suffix_lens: BTreeSet<usize>,
    prefix: HashMap<String, Vec<PatternId>>,
    prefix_lens: BTreeSet<usize>,
    general: Vec<PatternId>,
    /// Per pattern: machine -> number of held units whose name matches it.
    matching: Vec<HashMap<usize, u32>>,
    /// Per pattern: machine -> number of held units that declare it.
    declaring: Vec<HashMap<usize, u32>>,
}

fn is_literal(s: &str) -> bool {
    !s.contains(['*', '?', '[', '\\'])
}

impl ConflictIndex {
    /// Registers a pattern (idempotent) and returns its ID.
    pub(crate) fn register(&mut self, pattern: &str) -> PatternId {
        if let Some(&id) = self.ids.get(pattern) {
            return id;
        }
        let id = self.patterns.len() as PatternId;
        self.patterns.push(pattern.to_owned());
        self.ids.insert(pattern.to_owned(), id);
        self.matching.push(HashMap::new());
        self.declaring.push(HashMap::new());
        if is_literal(pattern) {
            self.literal.entry(pattern.to_owned()).or_default().push(id);
        } else if let Some(rest) = pattern.strip_prefix('*').filter(|r| is_literal(r)) {
            self.suffix.entry(rest.to_owned()).or_default().push(id);
            self.suffix_lens.insert(rest.len());
        } else if let Some(rest) = pattern.strip_suffix('*').filter(|r| is_literal(r)) {
            self.prefix.entry(rest.to_owned()).or_default().push(id);
            self.prefix_lens.insert(rest.len());
        } else {
            self.general.push(id);
        }
        id
    }

    pub(crate) fn id(&self, pattern: &str) -> Option<PatternId> {
        self.ids.get(pattern).copied()
    }

    pub(crate) fn pattern(&self, id: PatternId) -> &str {
        self.patterns.get(id as usize).map_or("", String::as_str)
    }

    /// Every registered pattern that matches `name` (Go `path.Match` rules:
    /// `*` never crosses `/`, and unit names have none).
    pub(crate) fn matches_of(&self, name: &str, out: &mut Vec<PatternId>) {
        out.clear();
        if let Some(ids) = self.literal.get(name) {
            out.extend(ids);
        }
        if !name.contains('/') {
            for &len in self.suffix_lens.range(..=name.len()) {
                if let Some(ids) = name
                    .get(name.len() - len..)
                    .and_then(|s| self.suffix.get(s))
                {
                    out.extend(ids);
                }
            }
            for &len in self.prefix_lens.range(..=name.len()) {
                if let Some(ids) = name.get(..len).and_then(|s| self.prefix.get(s)) {
                    out.extend(ids);
                }
            }
        }
        out.extend(
            self.general
                .iter()
                .filter(|&&id| glob_match(self.pattern(id), name)),
        );
    }

    /// Records that `machine` now holds a unit with `name_matches` and `declared`.
    pub(crate) fn add(
        &mut self,
        machine: usize,
        name_matches: &[PatternId],
        declared: &[PatternId],
    ) {
        for &p in name_matches {
            *self.matching[p as usize].entry(machine).or_default() += 1;
        }
        for &p in declared {
            *self.declaring[p as usize].entry(machine).or_default() += 1;
        }
    }

    /// Undoes [`ConflictIndex::add`].
    pub(crate) fn remove(
        &mut self,
        machine: usize,
        name_matches: &[PatternId],
        declared: &[PatternId],
    ) {
        for (table, ids) in [
            (&mut self.matching, name_matches),
            (&mut self.declaring, declared),
        ] {
            for &p in ids {
                let map = &mut table[p as usize];
                if let Some(n) = map.get_mut(&machine) {
                    *n -= 1;
                    if *n == 0 {
                        map.remove(&machine);
                    }
                }
            }
        }
    }

    /// The first conflict a unit would have on `machine`: one of its own
    /// patterns matching a held unit, or a held unit's pattern matching it.
    pub(crate) fn conflict(
        &self,
        machine: usize,
        name_matches: &[PatternId],
        declared: &[PatternId],
    ) -> Option<PatternId> {
        declared
            .iter()
            .find(|&&p| self.matching[p as usize].contains_key(&machine))
            .or_else(|| {
                name_matches
                    .iter()
                    .find(|&&p| self.declaring[p as usize].contains_key(&machine))
            })
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_agrees_with_glob_match() {
        let mut index = ConflictIndex::default();
        let patterns = [
            "*@8080.service",
            "sample.*",
            "exact.service",
            "a?c.service",
            "*",
            "[ab]*.service",
        ];
        for p in patterns {
            index.register(p);
        }
        let names = [
            "sample.application.1@8080.service",
            "exact.service",
            "abc.service",
            "b.service",
            "x@8081.service",
        ];
        let mut out = Vec::new();
        for name in names {
            index.matches_of(name, &mut out);
            let mut got: Vec<&str> = out.iter().map(|&id| index.pattern(id)).collect();
            got.sort_unstable();
            let mut want: Vec<&str> = patterns
                .iter()
                .copied()
                .filter(|p| glob_match(p, name))
                .collect();
            want.sort_unstable();
            assert_eq!(got, want, "{name}");
        }
    }
}
