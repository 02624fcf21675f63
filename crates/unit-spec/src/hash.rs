//! The canonical form of a unit and its content hash.
//!
//! fleet identified unit contents by `unit.Hash()`: the SHA-1 of go-systemd's
//! serialization of the option list (see [`crate::options`]). flotta computes
//! the same thing, so comments, blank lines, whitespace around `=` and line
//! continuations do not change a unit's hash, and two submissions of the same
//! unit compare equal.
//!
//! ```
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! let a = UnitFile::parse("[Unit]\nDescription=x\n").unwrap();
//! let b = UnitFile::parse("# same unit\n[Unit]\nDescription = x\n\n").unwrap();
//! assert_eq!(a.hash(), b.hash());
//! assert_eq!(a.hash().to_string().len(), 40);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha1::{Digest, Sha1};
use thiserror::Error;

use crate::options::serialize_options;
use crate::syntax::UnitFile;

/// SHA-1 of a unit's canonical form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitHash([u8; 20]);

/// A string that is not 40 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid unit hash {0:?}: expected 40 hexadecimal digits")]
pub struct HashParseError(pub String);

impl UnitHash {
    /// The hash of `canonical` text.
    pub fn of(canonical: &str) -> UnitHash {
        UnitHash(Sha1::digest(canonical.as_bytes()).into())
    }

    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The first 7 hex digits, as `fleetctl list-unit-files` shows them.
    pub fn short(&self) -> String {
        let mut s = self.to_string();
        s.truncate(7);
        s
    }
}

impl fmt::Display for UnitHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for UnitHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnitHash({self})")
    }
}

impl FromStr for UnitHash {
    type Err = HashParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HashParseError(s.to_owned());
        if s.len() != 40 || !s.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 20];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(UnitHash(out))
    }
}

impl Serialize for UnitHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UnitHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl UnitFile {
    /// The canonical text: go-systemd's serialization of the option list.
    pub fn canonical(&self) -> String {
        serialize_options(self.entries().map(|e| (e.section, e.key, e.value)))
    }

    /// SHA-1 of [`UnitFile::canonical`], as fleet computed it.
    pub fn hash(&self) -> UnitHash {
        UnitHash::of(&self.canonical())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let h = UnitHash::of("[Unit]\nDescription=x\n");
        let s = h.to_string();
        assert_eq!(s.parse::<UnitHash>().unwrap(), h);
        assert_eq!(h.short().len(), 7);
        assert!("xyz".parse::<UnitHash>().is_err());
        assert_eq!(
            UnitHash::of("").to_string(),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }
}
