//! fleet's JSON option list: `[{"section": "...", "name": "...", "value": "..."}]`.
//!
//! This is how fleet's API (`/fleet/v1/units`) carries unit files, and what
//! [`UnitFile`] serializes to with serde. The text form of an option list is
//! go-systemd's `unit.Serialize`: sections in order of first appearance, every
//! option of a section grouped under one header, `Name=Value` lines and one
//! blank line between sections.
//!
//! ```
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! let unit = UnitFile::parse("[X-Fleet]\nConflicts=*@%i.service\n").unwrap();
//! let json = serde_json::to_string(&unit).unwrap();
//! assert_eq!(json, r#"[{"section":"X-Fleet","name":"Conflicts","value":"*@%i.service"}]"#);
//! let back: UnitFile = serde_json::from_str(&json).unwrap();
//! assert_eq!(back.value("X-Fleet", "Conflicts"), Some("*@%i.service"));
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::syntax::{ParseError, UnitFile};

/// One option of a unit file, as fleet's API and go-systemd represent it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitOption {
    /// Section name without brackets, e.g. `Service`.
    pub section: String,
    /// Option name, e.g. `ExecStart`.
    pub name: String,
    /// The logical value.
    pub value: String,
}

impl UnitOption {
    /// Builds an option.
    pub fn new(
        section: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        UnitOption {
            section: section.into(),
            name: name.into(),
            value: value.into(),
        }
    }
}

/// go-systemd's `unit.Serialize`: the text fleet stored and hashed.
///
/// A value that ends in a backslash cannot be written as a unit-file line (the
/// backslash would continue the line); it is written as is, as go-systemd did,
/// so it hashes the same but reads back without that backslash.
pub fn serialize_options<'a, I>(options: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str, &'a str)>,
{
    // Sections in first-seen order, each with its options in order.
    let mut sections: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    for (section, name, value) in options {
        match sections.iter_mut().find(|(s, _)| *s == section) {
            Some((_, opts)) => opts.push((name, value)),
            None => sections.push((section, vec![(name, value)])),
        }
    }
    let mut out = String::new();
    for (i, (section, opts)) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push('[');
        out.push_str(section);
        out.push_str("]\n");
        for (name, value) in opts {
            out.push_str(name);
            out.push('=');
            // A value with line breaks is written as a continuation so it reads back.
            if value.contains('\n') {
                out.push_str(&value.replace('\n', "\\\n"));
            } else {
                out.push_str(value);
            }
            out.push('\n');
        }
    }
    out
}

impl UnitFile {
    /// The option list, in file order (empty assignments included, as fleet kept them).
    pub fn to_options(&self) -> Vec<UnitOption> {
        self.entries()
            .map(|e| UnitOption::new(e.section, e.key, e.value))
            .collect()
    }

    /// Builds a unit file from an option list, written in go-systemd's layout.
    ///
    /// # Errors
    /// When an option cannot be written as a unit file line (an empty name, a
    /// name containing `=` or a section name containing `]`).
    pub fn from_options(options: &[UnitOption]) -> Result<UnitFile, ParseError> {
        UnitFile::parse(&serialize_options(
            options
                .iter()
                .map(|o| (o.section.as_str(), o.name.as_str(), o.value.as_str())),
        ))
    }
}

impl Serialize for UnitFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_options().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnitFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let options = Vec::<UnitOption>::deserialize(deserializer)?;
        UnitFile::from_options(&options).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialize_groups_sections_like_go_systemd() {
        let text = serialize_options([
            ("Unit", "Description", "x"),
            ("Service", "ExecStart", "/bin/a"),
            ("Unit", "After", "b.service"),
        ]);
        assert_eq!(
            text,
            "[Unit]\nDescription=x\nAfter=b.service\n\n[Service]\nExecStart=/bin/a\n"
        );
    }

    #[test]
    fn options_round_trip() {
        let unit = UnitFile::parse("[A]\nx = 1 \n# c\n[B]\ny=\\\n 2\n").unwrap();
        let opts = unit.to_options();
        assert_eq!(
            opts,
            [
                UnitOption::new("A", "x", "1"),
                UnitOption::new("B", "y", "2")
            ]
        );
        let back = UnitFile::from_options(&opts).unwrap();
        assert_eq!(back.to_options(), opts);
        let multi = [UnitOption::new("A", "x", "1\n2")];
        assert_eq!(
            UnitFile::from_options(&multi).unwrap().value("A", "x"),
            Some("1 2")
        );
        assert!(UnitFile::from_options(&[UnitOption::new("A", "", "1")]).is_err());
    }
}
