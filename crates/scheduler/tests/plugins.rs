//! Placement plugins: a custom rule changes placement, the built-in
//! constraints behave the same as plugins, and failing plugins follow their
//! failure policy without crashing the scheduler.

use flotta_scheduler::placement::{MachineIdx, UnitIdx};
use flotta_scheduler::plugin::builtin;
use flotta_scheduler::{
    Desired, FailurePolicy, Machine, Observed, Placement, PlacementPlugin, PluginError, Rejections,
    UnitSpec, plan, plan_with_plugins,
};

fn cluster() -> Desired {
    Desired {
        machines: vec![
            Machine::new("m1").with("rack", "r1"),
            Machine::new("m2").with("rack", "r1"),
            Machine::new("m3").with("rack", "r2").with("drain", "true"),
            Machine::new("m4").with("rack", "r2"),
        ],
        units: (1..=4)
            .map(|n| UnitSpec::new(format!("web@{n}.service")))
            .collect(),
    }
}

#[test]
fn a_plugin_changes_placement() {
    let plain = plan(&cluster(), &Observed::default());
    assert!(plain.assignments.values().any(|m| m == "m3"));
    let with = plan_with_plugins(
        &cluster(),
        &Observed::default(),
        vec![(
            Box::new(builtin::SpreadAndDrain::new("rack")),
            FailurePolicy::FailClosed,
            true,
        )],
    );
    assert!(
        !with.assignments.values().any(|m| m == "m3"),
        "{:?}",
        with.assignments
    );
    let r2 = with.assignments.values().filter(|m| *m == "m4").count();
    assert_eq!(
        r2, 2,
        "two of four instances on rack r2: {:?}",
        with.assignments
    );
}

#[test]
fn built_in_constraints_as_plugins_agree_with_the_core() {
    let mut d = cluster();
    for u in &mut d.units {
        u.requirements.conflicts.push("web@[12].service".into());
    }
    let core = plan(&d, &Observed::default());
    let chain: Vec<flotta_scheduler::plan::PluginUse> = vec![
        (
            Box::new(builtin::MachineIdConstraint),
            FailurePolicy::FailClosed,
            true,
        ),
        (
            Box::new(builtin::MetadataConstraint),
            FailurePolicy::FailClosed,
            true,
        ),
        (
            Box::new(builtin::PeerConstraint),
            FailurePolicy::FailClosed,
            true,
        ),
        (
            Box::new(builtin::ConflictConstraint),
            FailurePolicy::FailClosed,
            true,
        ),
        (
            Box::new(builtin::ResourceConstraint),
            FailurePolicy::FailClosed,
            true,
        ),
        (
            Box::new(builtin::LeastLoaded),
            FailurePolicy::FailClosed,
            true,
        ),
    ];
    let plugged = plan_with_plugins(&d, &Observed::default(), chain);
    assert_eq!(core.assignments, plugged.assignments);
}

struct Broken {
    wrong_length: bool,
}

impl PlacementPlugin for Broken {
    fn name(&self) -> &str {
        "broken"
    }

    fn filter(
        &self,
        _view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Rejections, PluginError> {
        if self.wrong_length {
            let mut out = Rejections::none();
            out.reject(candidates.len(), "past the end");
            return Ok(out);
        }
        Err(PluginError {
            plugin: "broken".into(),
            unit: unit.to_string(),
            message: "trap: unreachable executed".into(),
        })
    }
}

#[test]
fn failing_plugins_follow_their_policy() {
    for wrong_length in [false, true] {
        let closed = plan_with_plugins(
            &cluster(),
            &Observed::default(),
            vec![(
                Box::new(Broken { wrong_length }),
                FailurePolicy::FailClosed,
                false,
            )],
        );
        // Only units naming the plugin are affected; none does here.
        assert_eq!(closed.assignments.len(), 4);

        let mut d = cluster();
        d.units[0].placement.push("broken".into());
        let closed = plan_with_plugins(
            &d,
            &Observed::default(),
            vec![(
                Box::new(Broken { wrong_length }),
                FailurePolicy::FailClosed,
                false,
            )],
        );
        let why = closed
            .explain("web@1.service")
            .expect("fail-closed leaves it unplaced");
        let text = why.to_string();
        assert!(
            text.contains("placement plugin broken failed for web@1.service"),
            "{text}"
        );
        assert_eq!(closed.assignments.len(), 3);

        let open = plan_with_plugins(
            &d,
            &Observed::default(),
            vec![(
                Box::new(Broken { wrong_length }),
                FailurePolicy::FailOpen,
                false,
            )],
        );
        assert_eq!(open.assignments.len(), 4, "fail-open ignores the plugin");
    }
}
