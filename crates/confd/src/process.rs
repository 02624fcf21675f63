//! One run of one template resource, as confd's `process` does it: fill the
//! store from the snapshot, render the template, stage the result next to
//! the destination (mode and owner set), compare, run `check_cmd` on the
//! staged file, rename it over the destination, run `reload_cmd`.
//!
//! A render or check failure leaves the destination untouched; a failed
//! reload puts the previous file back (confd leaves the new one, which the
//! service did not take; putting the last good one back means a restart
//! later does not load a config that failed to load now).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flotta_gotemplate::{Template, Value};

use crate::error::ConfdError;
use crate::funcs::func_map;
use crate::keyspace::{Snapshot, covers};
use crate::resource::TemplateResource;
use crate::store::Store;

/// What a run may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// Render and compare only (`noop`).
    pub noop: bool,
    /// Replace without `check_cmd` and `reload_cmd` (`sync-only`).
    pub sync_only: bool,
    /// Leave the staged file (`keep-stage-file`).
    pub keep_stage_file: bool,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The destination already matches.
    InSync,
    /// It differs, and noop mode left it.
    WouldChange,
    /// It was replaced; `reloaded` when a reload command ran.
    Updated {
        /// Whether `reload_cmd` ran (and succeeded).
        reloaded: bool,
    },
}

/// The store a resource's template reads: its keys from `snapshot`, the
/// prefix taken off.
pub fn store_for(resource: &TemplateResource, snapshot: &Snapshot) -> Store {
    let keys = resource.prefixed_keys();
    snapshot
        .kvs
        .iter()
        .filter(|(k, _)| keys.iter().any(|q| covers(q, k)))
        .map(|(k, v)| (resource.template_key(k), v.clone()))
        .collect()
}

/// Renders `resource`'s template over `store`. The template is named by
/// its path, so errors read `template: /etc/confd/templates/x.tmpl:3:9: …`.
///
/// # Errors
/// A missing template file, or its parse or execution error.
pub fn render(resource: &TemplateResource, store: Store) -> Result<String, ConfdError> {
    let text = match std::fs::read_to_string(&resource.src) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfdError::MissingTemplate {
                resource: resource.file.clone(),
                src: resource.src.clone(),
            });
        }
        Err(e) => {
            return Err(ConfdError::io(format!(
                "reading {}",
                resource.src.display()
            ))(e));
        }
    };
    let name = resource.src.display().to_string();
    let mut t = Template::new(&name);
    t.funcs(func_map(Arc::new(store)));
    let template_error = |source| ConfdError::Template {
        resource: resource.file.clone(),
        source,
    };
    t.parse(&text).map_err(template_error)?;
    // confd executes with nil data.
    t.execute(&Value::Missing).map_err(template_error)
}

/// Renders a command (`check_cmd`, `reload_cmd`) as confd does: a Go
/// template where `{{.src}}` is the staged file and `{{.dest}}` the
/// destination.
fn command(resource: &TemplateResource, cmd: &str, staged: &Path) -> Result<String, ConfdError> {
    let mut t = Template::new("checkcmd");
    let data = Value::typed_map(
        "map[string]string",
        Value::from(""),
        [
            ("src", Value::from(staged.display().to_string())),
            ("dest", Value::from(resource.dest.display().to_string())),
        ],
    );
    let error = |source| ConfdError::Template {
        resource: resource.file.clone(),
        source,
    };
    t.parse(cmd).map_err(error)?;
    t.execute(&data).map_err(error)
}

/// Runs `resource` once on `snapshot`.
///
/// # Errors
/// A render failure, [`ConfdError::Check`] (destination untouched),
/// [`ConfdError::Reload`] (previous file restored), or I/O.
pub async fn process(
    resource: &TemplateResource,
    snapshot: &Snapshot,
    mode: Mode,
) -> Result<Outcome, ConfdError> {
    let text = render(resource, store_for(resource, snapshot))?;
    let dest = &resource.dest;
    let current = std::fs::read(dest).ok();
    let current_meta = std::fs::metadata(dest).ok();
    let file_mode = resource
        .mode
        .or_else(|| {
            current_meta
                .as_ref()
                .map(|m| m.permissions().mode() & 0o7777)
        })
        .unwrap_or(0o644);
    let uid = resource
        .uid
        .unwrap_or_else(|| nix::unistd::geteuid().as_raw());
    let gid = resource
        .gid
        .unwrap_or_else(|| nix::unistd::getegid().as_raw());
    let staged = stage(dest, text.as_bytes(), file_mode, uid, gid)?;
    let cleanup = |staged: &Path| {
        if mode.keep_stage_file {
            tracing::info!("keeping staged file {}", staged.display());
        } else {
            let _ = std::fs::remove_file(staged);
        }
    };
    let same = match (&current, &current_meta) {
        (Some(c), Some(m)) => {
            c.as_slice() == text.as_bytes()
                && m.permissions().mode() & 0o7777 == file_mode
                && m.uid() == uid
                && m.gid() == gid
        }
        _ => false,
    };
    if same {
        cleanup(&staged);
        tracing::debug!(dest = %dest.display(), "target config in sync");
        return Ok(Outcome::InSync);
    }
    if mode.noop {
        tracing::warn!(dest = %dest.display(), "noop mode: {} would change", dest.display());
        cleanup(&staged);
        return Ok(Outcome::WouldChange);
    }
    tracing::info!(dest = %dest.display(), "target config out of sync");
    if let (false, Some(check)) = (mode.sync_only, &resource.check_cmd) {
        let cmd = match command(resource, check, &staged) {
            Ok(c) => c,
            Err(e) => {
                cleanup(&staged);
                return Err(e);
            }
        };
        if let Err((status, output)) = flotta_balancer::apply::run(&cmd).await {
            cleanup(&staged);
            return Err(ConfdError::Check {
                dest: dest.clone(),
                command: cmd,
                status,
                output,
            });
        }
    }
    // The staged file becomes the destination (keep-stage-file keeps only
    // the ones not used, as in confd).
    replace(&staged, dest, text.as_bytes(), file_mode)?;
    let mut reloaded = false;
    if let (false, Some(reload)) = (mode.sync_only, &resource.reload_cmd) {
        let cmd = command(resource, reload, &staged)?;
        if let Err((status, output)) = flotta_balancer::apply::run(&cmd).await {
            restore(dest, current.as_deref(), current_meta.as_ref())?;
            return Err(ConfdError::Reload {
                dest: dest.clone(),
                command: cmd,
                status,
                output,
            });
        }
        reloaded = true;
    }
    tracing::info!(dest = %dest.display(), "target config has been updated");
    Ok(Outcome::Updated { reloaded })
}

/// Writes `bytes` to a new file beside `dest` (so the rename is atomic),
/// with its mode and owner, synced.
fn stage(dest: &Path, bytes: &[u8], mode: u32, uid: u32, gid: u32) -> Result<PathBuf, ConfdError> {
    use std::io::Write;
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let base = dest
        .file_name()
        .map_or_else(|| "config".into(), |f| f.to_string_lossy().into_owned());
    let staged = tempfile::Builder::new()
        .prefix(&format!(".{base}"))
        .tempfile_in(dir)
        .map_err(ConfdError::io(format!(
            "staging next to {}",
            dest.display()
        )))?;
    let (mut file, path) = staged
        .keep()
        .map_err(|e| ConfdError::io(format!("staging next to {}", dest.display()))(e.error))?;
    let io = ConfdError::io(format!("writing {}", path.display()));
    let written = file
        .write_all(bytes)
        .and_then(|()| file.set_permissions(std::fs::Permissions::from_mode(mode)))
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&path);
        return Err(io(e));
    }
    // As confd: the owner is set when allowed (a non-root user can only
    // keep its own).
    if let Err(e) = std::os::unix::fs::chown(&path, Some(uid), Some(gid)) {
        tracing::debug!("chown {}: {e}", path.display());
    }
    Ok(path)
}

/// Renames the staged file over `dest`; a mount point (`EBUSY`, as with a
/// file bind-mounted into a container) is written in place instead.
fn replace(staged: &Path, dest: &Path, bytes: &[u8], mode: u32) -> Result<(), ConfdError> {
    match std::fs::rename(staged, dest) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(nix::libc::EBUSY) => {
            tracing::debug!(
                "rename failed (a mount?); writing {} in place",
                dest.display()
            );
            std::fs::write(dest, bytes)
                .and_then(|()| {
                    std::fs::set_permissions(dest, std::fs::Permissions::from_mode(mode))
                })
                .map_err(ConfdError::io(format!("writing {}", dest.display())))?;
            let _ = std::fs::remove_file(staged);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(staged);
            Err(ConfdError::io(format!("replacing {}", dest.display()))(e))
        }
    }
}

/// Puts the previous file back after a failed reload (or removes the new
/// one when there was none).
fn restore(
    dest: &Path,
    previous: Option<&[u8]>,
    meta: Option<&std::fs::Metadata>,
) -> Result<(), ConfdError> {
    match (previous, meta) {
        (Some(bytes), Some(m)) => {
            let back = stage(
                dest,
                bytes,
                m.permissions().mode() & 0o7777,
                m.uid(),
                m.gid(),
            )?;
            std::fs::rename(&back, dest)
                .map_err(ConfdError::io(format!("restoring {}", dest.display())))
        }
        _ => {
            let _ = std::fs::remove_file(dest);
            Ok(())
        }
    }
}
