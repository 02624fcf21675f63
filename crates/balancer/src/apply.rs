//! Putting a rendered config in place without ever leaving a broken one:
//! render, skip if unchanged, stage next to the destination, check the staged
//! file with the balancer's own checker, rename over the destination, reload;
//! a failed check leaves the destination alone, a failed reload restores the
//! previous file.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use tokio::process::Command;

use crate::backend::Pool;
use crate::error::BalancerError;
use crate::template::{Params, Renderer};

/// How long a check or reload command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// One rendered file: where it goes and how it is checked and loaded
/// (confd's template resource).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TemplateResource {
    /// A built-in template (`haproxy`, `nginx`, `apache`, …) or a file path.
    pub src: String,
    /// The config file to keep up to date.
    pub dest: PathBuf,
    /// File mode, octal as in `0644`.
    #[serde(default)]
    pub mode: Option<String>,
    /// File owner as numeric `UID` or `UID:GID` (applied when running as root).
    #[serde(default)]
    pub owner: Option<String>,
    /// Validates the staged file; `{{src}}` (or confd's `{{.src}}`) is its path.
    #[serde(default)]
    pub check_cmd: Option<String>,
    /// Makes the balancer load the new file.
    #[serde(default)]
    pub reload_cmd: Option<String>,
    /// Handed to the template as `params`.
    #[serde(default)]
    pub params: Params,
}

/// What an apply did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The rendered file equals the current one; nothing ran.
    Unchanged,
    /// The file was replaced (and reloaded when a reload command is set).
    Replaced,
}

/// Keeps one [`TemplateResource`] applied.
#[derive(Debug)]
pub struct Applier {
    resource: TemplateResource,
    template: String,
    reloads: u64,
}

impl Applier {
    /// Prepares a resource: a built-in name is used as is, anything else is
    /// loaded into `renderer` as a file.
    ///
    /// # Errors
    /// An unreadable or invalid template file.
    pub fn new(resource: TemplateResource, renderer: &mut Renderer) -> Result<Self, BalancerError> {
        let builtin = crate::template::BUILTINS
            .iter()
            .any(|(n, _)| *n == resource.src);
        let template = if builtin {
            resource.src.clone()
        } else {
            renderer.add_file(Path::new(&resource.src))?
        };
        Ok(Applier {
            resource,
            template,
            reloads: 0,
        })
    }

    /// The resource.
    pub fn resource(&self) -> &TemplateResource {
        &self.resource
    }

    /// Changes one template parameter (the next apply renders with it).
    pub fn set_param(&mut self, key: &str, value: serde_json::Value) {
        self.resource.params.insert(key.to_owned(), value);
    }

    /// Reloads run so far.
    pub fn reloads(&self) -> u64 {
        self.reloads
    }

    /// Renders `pool` and puts it in place.
    ///
    /// # Errors
    /// A render failure, [`BalancerError::Check`] (destination untouched),
    /// [`BalancerError::Reload`] (previous file restored), or I/O.
    pub async fn apply(
        &mut self,
        renderer: &Renderer,
        pool: &Pool,
    ) -> Result<Applied, BalancerError> {
        let text = renderer.render(&self.template, pool, &self.resource.params)?;
        let dest = &self.resource.dest;
        let previous = match tokio::fs::read_to_string(dest).await {
            Ok(p) => Some(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(BalancerError::io(format!("reading {}", dest.display()))(e)),
        };
        if previous.as_deref() == Some(text.as_str()) {
            return Ok(Applied::Unchanged);
        }
        let staged = stage(dest, &text, self.resource.mode.as_deref()).await?;
        if let Some(owner) = &self.resource.owner {
            chown(&staged, owner, dest)?;
        }
        if let Some(check) = &self.resource.check_cmd {
            let command = check
                .replace("{{.src}}", &staged.display().to_string())
                .replace("{{src}}", &staged.display().to_string());
            if let Err((status, output)) = run(&command).await {
                let _ = tokio::fs::remove_file(&staged).await;
                return Err(BalancerError::Check {
                    dest: dest.clone(),
                    command,
                    status,
                    output,
                });
            }
        }
        tokio::fs::rename(&staged, dest)
            .await
            .map_err(BalancerError::io(format!("replacing {}", dest.display())))?;
        if let Some(reload) = &self.resource.reload_cmd {
            self.reloads += 1;
            if let Err((status, output)) = run(reload).await {
                match &previous {
                    Some(p) => {
                        let back = stage(dest, p, self.resource.mode.as_deref()).await?;
                        tokio::fs::rename(&back, dest)
                            .await
                            .map_err(BalancerError::io(format!("restoring {}", dest.display())))?;
                    }
                    None => {
                        let _ = tokio::fs::remove_file(dest).await;
                    }
                }
                return Err(BalancerError::Reload {
                    dest: dest.clone(),
                    command: reload.clone(),
                    status,
                    output,
                });
            }
        }
        tracing::info!(dest = %dest.display(), backends = pool.backends.len(), "config replaced");
        Ok(Applied::Replaced)
    }
}

/// Writes `text` to a temporary file in `dest`'s directory (so the rename is
/// atomic) and syncs it.
async fn stage(dest: &Path, text: &str, mode: Option<&str>) -> Result<PathBuf, BalancerError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let file = dest
        .file_name()
        .map_or_else(|| "config".into(), |f| f.to_string_lossy().into_owned());
    let staged = dir.join(format!(".{file}.flotta-{}", std::process::id()));
    let mode = match mode {
        Some(m) => Some(
            u32::from_str_radix(m.trim_start_matches("0o"), 8).map_err(|_| {
                BalancerError::Config {
                    file: dest.to_owned(),
                    message: format!("mode {m:?} is not octal"),
                }
            })?,
        ),
        None => None,
    };
    let write = {
        let staged = staged.clone();
        let text = text.to_owned();
        move || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&staged)?;
            f.write_all(text.as_bytes())?;
            if let Some(mode) = mode {
                f.set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
            f.sync_all()
        }
    };
    tokio::task::spawn_blocking(write)
        .await
        .map_err(|e| BalancerError::io("staging")(std::io::Error::other(e)))?
        .map_err(BalancerError::io(format!("writing {}", staged.display())))?;
    Ok(staged)
}

/// Sets a staged file's owner from `UID` or `UID:GID`.
fn chown(path: &Path, owner: &str, dest: &Path) -> Result<(), BalancerError> {
    let bad = || BalancerError::Config {
        file: dest.to_owned(),
        message: format!("owner {owner:?}: expected UID or UID:GID (numbers)"),
    };
    let (uid, gid) = match owner.split_once(':') {
        Some((u, g)) => (
            u.parse().map_err(|_| bad())?,
            Some(g.parse().map_err(|_| bad())?),
        ),
        None => (owner.parse().map_err(|_| bad())?, None),
    };
    std::os::unix::fs::chown(path, Some(uid), gid)
        .map_err(BalancerError::io(format!("chown {}", path.display())))
}

/// Runs a shell command (`sh -c`, at most 30 s); on failure, its status
/// and combined output. Check and reload commands run this way (confd's
/// `runCommand`; flotta-confd uses it too).
///
/// # Errors
/// `(status, output)`: the exit status (or why it did not start or
/// finish) and what it printed.
pub async fn run(command: &str) -> Result<(), (String, String)> {
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(COMMAND_TIMEOUT, child).await {
        Err(_) => Err((
            format!("timed out after {COMMAND_TIMEOUT:?}"),
            String::new(),
        )),
        Ok(Err(e)) => Err((format!("could not start: {e}"), String::new())),
        Ok(Ok(out)) if out.status.success() => Ok(()),
        Ok(Ok(out)) => {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            Err((out.status.to_string(), text.trim_end().to_owned()))
        }
    }
}
