//! Who this machine is: its ID, host name, addresses and metadata, and the
//! environment units see (fleet's units read `COREOS_PUBLIC_IPV4` from
//! `/etc/environment`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::AgentError;

/// The machine's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MachineIdentity {
    /// 32 lowercase hex digits, as systemd's machine ID.
    pub id: String,
    /// Host name.
    pub hostname: String,
    /// Address other machines and balancers reach it at.
    pub public_ip: Option<String>,
    /// Address inside the cluster network.
    pub private_ip: Option<String>,
    /// `key=value` metadata (`MachineMetadata=` matches these).
    pub metadata: BTreeMap<String, String>,
}

/// Parses `region=eu,disk=ssd` (fleet's `--metadata` form).
///
/// # Errors
/// The first pair that is not `key=value` with a non-empty key.
pub fn parse_metadata(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                out.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            _ => return Err(format!("metadata {pair:?}: expected key=value")),
        }
    }
    Ok(out)
}

fn valid_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The machine ID: `/etc/machine-id` when it holds one, else one generated
/// once into `state_dir/machine-id` and reused after.
///
/// # Errors
/// The state directory cannot be written.
pub fn machine_id(etc_machine_id: &Path, state_dir: &Path) -> Result<String, AgentError> {
    if let Ok(text) = std::fs::read_to_string(etc_machine_id) {
        let id = text.trim();
        if valid_id(id) {
            return Ok(id.to_owned());
        }
    }
    let own = state_dir.join("machine-id");
    if let Ok(text) = std::fs::read_to_string(&own) {
        let id = text.trim();
        if valid_id(id) {
            return Ok(id.to_owned());
        }
    }
    // 128 random bits from the kernel, as systemd-machine-id-setup does.
    let uuid = std::fs::read_to_string("/proc/sys/kernel/random/uuid")
        .map_err(AgentError::io("reading /proc/sys/kernel/random/uuid"))?;
    let id: String = uuid
        .trim()
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    std::fs::create_dir_all(state_dir)
        .map_err(AgentError::io(format!("creating {}", state_dir.display())))?;
    std::fs::write(&own, format!("{id}\n"))
        .map_err(AgentError::io(format!("writing {}", own.display())))?;
    Ok(id)
}

impl MachineIdentity {
    /// Variables every unit on this machine gets.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("FLOTTA_MACHINE_ID".to_owned(), self.id.clone()),
            ("FLOTTA_HOSTNAME".to_owned(), self.hostname.clone()),
        ];
        if let Some(ip) = &self.public_ip {
            env.push(("COREOS_PUBLIC_IPV4".into(), ip.clone()));
            env.push(("FLOTTA_PUBLIC_IP".into(), ip.clone()));
        }
        if let Some(ip) = &self.private_ip {
            env.push(("COREOS_PRIVATE_IPV4".into(), ip.clone()));
            env.push(("FLOTTA_PRIVATE_IP".into(), ip.clone()));
        }
        for (k, v) in &self.metadata {
            let key: String = k
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            env.push((format!("FLOTTA_METADATA_{key}"), v.clone()));
        }
        env
    }

    /// Writes the machine's environment file (`KEY=value` lines) to
    /// `state_dir/environment`, for units that say
    /// `EnvironmentFile=/etc/environment` on a host without one.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn write_environment_file(&self, state_dir: &Path) -> Result<PathBuf, AgentError> {
        let path = state_dir.join("environment");
        let text: String = self
            .environment()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}\n"))
            .collect();
        std::fs::create_dir_all(state_dir)
            .map_err(AgentError::io(format!("creating {}", state_dir.display())))?;
        std::fs::write(&path, text)
            .map_err(AgentError::io(format!("writing {}", path.display())))?;
        Ok(path)
    }
}

/// Where `EnvironmentFile=PATH` is read from on this machine:
/// `/etc/environment` maps to the generated file when the host has none.
pub fn map_environment_file(path: &str, generated: &Path) -> PathBuf {
    if path == "/etc/environment" && !Path::new(path).exists() {
        generated.to_owned()
    } else {
        PathBuf::from(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs() {
        let m = parse_metadata("region=eu, disk=ssd,,").expect("parses");
        assert_eq!(m.get("region").map(String::as_str), Some("eu"));
        assert_eq!(m.len(), 2);
        assert!(parse_metadata("region").is_err());
        assert!(parse_metadata("=x").is_err());
    }

    #[test]
    fn a_generated_id_is_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let missing = dir.path().join("no-machine-id");
        let a = machine_id(&missing, dir.path()).expect("id");
        assert!(valid_id(&a), "{a}");
        assert_eq!(machine_id(&missing, dir.path()).expect("again"), a);
        let etc = dir.path().join("etc-machine-id");
        std::fs::write(&etc, "0123456789abcdef0123456789abcdef\n").expect("write");
        assert_eq!(
            machine_id(&etc, dir.path()).expect("etc"),
            "0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn units_see_the_fleet_variables() {
        let m = MachineIdentity {
            id: "0".repeat(32),
            hostname: "core-01".into(),
            public_ip: Some("127.0.0.2".into()),
            private_ip: None,
            metadata: parse_metadata("disk=ssd").expect("md"),
        };
        let dir = tempfile::tempdir().expect("tmp");
        let path = m.write_environment_file(dir.path()).expect("write");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("COREOS_PUBLIC_IPV4=127.0.0.2\n"), "{text}");
        assert!(text.contains("FLOTTA_METADATA_DISK=ssd\n"));
        let parsed = flotta_unit_spec::exec::parse_environment_file(&text)
            .expect("parses as an EnvironmentFile");
        assert!(
            parsed
                .iter()
                .any(|(k, v)| k == "FLOTTA_MACHINE_ID" && v == &m.id)
        );
    }
}
