//! Specifier expansion (`%n`, `%i`, `%H`, ...) as in systemd.unit(5) "SPECIFIERS".
//!
//! [`expand`] implements systemd's full table against a [`SpecifierContext`];
//! [`expand_fleet`] implements fleet's much smaller `unitPrintf` used on
//! `[X-Fleet]` values (coreos/fleet `job/job.go`).
//!
//! A specifier whose value the context does not know (say `%m` when no
//! machine ID was set) is an error naming it and its column, never an empty
//! string; so are unknown specifiers and a trailing lone `%`, which systemd
//! itself copies through literally (`%,` stays `%,`) — flotta refuses them so
//! typos surface. The deprecated cgroup specifiers `%c %r %R` are unknown. Values that
//! systemd itself defines as empty stay empty: `%i` of a plain unit, and
//! os-release fields the host's os-release lacks (set by
//! [`SpecifierContext::from_host`] as empty strings).
//!
//! ```
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::specifier::{expand, expand_fleet, SpecifierContext};
//! let unit = UnitName::parse("mount@home-me.service").unwrap();
//! let ctx = SpecifierContext::for_unit(&unit).hostname("node1.example.com");
//! assert_eq!(expand("%p on %l: %I (%f) 100%%", &ctx).unwrap(), "mount on node1: home/me (/home/me) 100%");
//! assert!(expand("%m", &ctx).unwrap_err().to_string().contains("%m"));
//! assert_eq!(expand_fleet("%N-%i", &unit), "mount@home-me-home-me");
//! ```

use std::fmt;

use crate::escape::{unescape, unescape_path};
use crate::name::UnitName;

/// Why a specifier could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecifierError {
    /// The text being expanded.
    pub input: String,
    /// Byte offset of the `%`.
    pub column: usize,
    /// What went wrong.
    pub kind: SpecifierErrorKind,
}

/// The kinds of [`SpecifierError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpecifierErrorKind {
    /// `%x` is not a systemd specifier.
    Unknown(char),
    /// The context does not know this specifier's value.
    Unavailable {
        /// The specifier letter.
        specifier: char,
        /// What it stands for, e.g. "machine ID".
        what: &'static str,
        /// The [`SpecifierContext`] setter that provides it.
        setter: &'static str,
    },
    /// The text ends with a single `%`.
    TrailingPercent,
    /// The unit name part cannot be unescaped (for `%I`, `%P`, `%J`, `%f`).
    Unescape {
        /// The specifier letter.
        specifier: char,
        /// Why unescaping failed.
        reason: String,
    },
}

impl fmt::Display for SpecifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = self.column;
        match &self.kind {
            SpecifierErrorKind::Unknown(c) => write!(
                f,
                "column {column}: unknown specifier %{c}; write %% for a literal percent sign"
            ),
            SpecifierErrorKind::Unavailable {
                specifier,
                what,
                setter,
            } => write!(
                f,
                "column {column}: specifier %{specifier} ({what}) is not known here; provide it with SpecifierContext::{setter}"
            ),
            SpecifierErrorKind::TrailingPercent => write!(
                f,
                "column {column}: the text ends with a lone '%'; write %% for a literal percent sign"
            ),
            SpecifierErrorKind::Unescape { specifier, reason } => write!(
                f,
                "column {column}: specifier %{specifier} cannot be expanded: {reason}"
            ),
        }
    }
}

impl std::error::Error for SpecifierError {}

/// Host and unit facts specifiers expand to. Start with
/// [`SpecifierContext::for_unit`] and add what you know with the setters, or
/// read this host with [`SpecifierContext::from_host`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecifierContext {
    unit: UnitName,
    machine_id: Option<String>,
    boot_id: Option<String>,
    hostname: Option<String>,
    short_hostname: Option<String>,
    pretty_hostname: Option<String>,
    os_id: Option<String>,
    os_version_id: Option<String>,
    os_build_id: Option<String>,
    os_variant_id: Option<String>,
    os_image_id: Option<String>,
    os_image_version: Option<String>,
    kernel_release: Option<String>,
    architecture: Option<String>,
    user_name: Option<String>,
    uid: Option<u32>,
    group_name: Option<String>,
    gid: Option<u32>,
    home: Option<String>,
    shell: Option<String>,
    runtime_dir: Option<String>,
    state_dir: Option<String>,
    cache_dir: Option<String>,
    logs_dir: Option<String>,
    config_dir: Option<String>,
    tmp_dir: Option<String>,
    var_tmp_dir: Option<String>,
    credentials_dir: Option<String>,
    fragment_path: Option<String>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.$name = Some(value.into());
                self
            }
        )*
    };
}

impl SpecifierContext {
    /// A context that knows only the unit name (`%n %N %p %P %i %I %f %j %J`).
    pub fn for_unit(unit: &UnitName) -> Self {
        SpecifierContext {
            unit: unit.clone(),
            machine_id: None,
            boot_id: None,
            hostname: None,
            short_hostname: None,
            pretty_hostname: None,
            os_id: None,
            os_version_id: None,
            os_build_id: None,
            os_variant_id: None,
            os_image_id: None,
            os_image_version: None,
            kernel_release: None,
            architecture: None,
            user_name: None,
            uid: None,
            group_name: None,
            gid: None,
            home: None,
            shell: None,
            runtime_dir: None,
            state_dir: None,
            cache_dir: None,
            logs_dir: None,
            config_dir: None,
            tmp_dir: None,
            var_tmp_dir: None,
            credentials_dir: None,
            fragment_path: None,
        }
    }

    /// The unit the context describes.
    pub fn unit(&self) -> &UnitName {
        &self.unit
    }

    /// Sets the host name (`%H`); also sets the short host name (`%l`, up to
    /// the first dot) unless it was set explicitly.
    pub fn hostname(mut self, value: impl Into<String>) -> Self {
        let value = value.into();
        if self.short_hostname.is_none() {
            self.short_hostname = Some(value.split('.').next().unwrap_or_default().to_owned());
        }
        self.hostname = Some(value);
        self
    }

    /// Sets the numeric user ID (`%U`).
    pub fn uid(mut self, value: u32) -> Self {
        self.uid = Some(value);
        self
    }

    /// Sets the numeric group ID (`%G`).
    pub fn gid(mut self, value: u32) -> Self {
        self.gid = Some(value);
        self
    }

    /// Sets the os-release fields from the text of an os-release file
    /// (`%o %w %B %W %M %A`); fields it lacks become empty, as in systemd.
    pub fn os_release(mut self, text: &str) -> Self {
        let mut fields = [None, None, None, None, None, None];
        const KEYS: [&str; 6] = [
            "ID",
            "VERSION_ID",
            "BUILD_ID",
            "VARIANT_ID",
            "IMAGE_ID",
            "IMAGE_VERSION",
        ];
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once('=') else {
                continue;
            };
            if let Some(i) = KEYS.iter().position(|k| *k == key.trim()) {
                let v = value.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(v);
                fields[i] = Some(v.to_owned());
            }
        }
        let [id, version, build, variant, image, image_version] =
            fields.map(|f| Some(f.unwrap_or_default()));
        self.os_id = id;
        self.os_version_id = version;
        self.os_build_id = build;
        self.os_variant_id = variant;
        self.os_image_id = image;
        self.os_image_version = image_version;
        self
    }

    setters! {
        /// Sets the machine ID (`%m`), 32 lowercase hex digits.
        machine_id,
        /// Sets the boot ID (`%b`), 32 lowercase hex digits.
        boot_id,
        /// Sets the short host name (`%l`).
        short_hostname,
        /// Sets the pretty host name (`%q`).
        pretty_hostname,
        /// Sets os-release `ID=` (`%o`).
        os_id,
        /// Sets os-release `VERSION_ID=` (`%w`).
        os_version_id,
        /// Sets os-release `BUILD_ID=` (`%B`).
        os_build_id,
        /// Sets os-release `VARIANT_ID=` (`%W`).
        os_variant_id,
        /// Sets os-release `IMAGE_ID=` (`%M`).
        os_image_id,
        /// Sets os-release `IMAGE_VERSION=` (`%A`).
        os_image_version,
        /// Sets the kernel release (`%v`), as `uname -r` prints it.
        kernel_release,
        /// Sets the architecture (`%a`) in systemd's naming (`x86-64`, `arm64`, ...).
        architecture,
        /// Sets the user name (`%u`).
        user_name,
        /// Sets the group name (`%g`).
        group_name,
        /// Sets the home directory (`%h`).
        home,
        /// Sets the login shell (`%s`).
        shell,
        /// Sets the runtime directory root (`%t`): `/run` for the system manager.
        runtime_dir,
        /// Sets the state directory root (`%S`): `/var/lib` for the system manager.
        state_dir,
        /// Sets the cache directory root (`%C`): `/var/cache` for the system manager.
        cache_dir,
        /// Sets the log directory root (`%L`): `/var/log` for the system manager.
        logs_dir,
        /// Sets the configuration directory root (`%E`): `/etc` for the system manager.
        config_dir,
        /// Sets the temporary directory (`%T`): `/tmp` unless `$TMPDIR` says otherwise.
        tmp_dir,
        /// Sets the persistent temporary directory (`%V`): `/var/tmp` unless `$TMPDIR` says otherwise.
        var_tmp_dir,
        /// Sets the credentials directory (`%d`).
        credentials_dir,
        /// Sets the unit file's path (`%y`; `%Y` is its directory).
        fragment_path,
    }

    /// Reads this host's facts for the system service manager: machine and
    /// boot ID, host names, os-release, kernel release, architecture, the
    /// current user, and systemd's system directory roots. Facts that cannot
    /// be read stay unset, so specifiers needing them fail with an error.
    pub fn from_host(unit: &UnitName) -> Self {
        let read = |p: &str| std::fs::read_to_string(p).ok().map(|s| s.trim().to_owned());
        let mut ctx = SpecifierContext::for_unit(unit)
            .runtime_dir("/run")
            .state_dir("/var/lib")
            .cache_dir("/var/cache")
            .logs_dir("/var/log")
            .config_dir("/etc")
            .credentials_dir(format!("/run/credentials/{unit}"));
        let tmp = std::env::var("TMPDIR")
            .ok()
            .filter(|t| t.starts_with('/') && !t.contains(".."));
        ctx.tmp_dir = Some(tmp.clone().unwrap_or_else(|| "/tmp".to_owned()));
        ctx.var_tmp_dir = Some(tmp.unwrap_or_else(|| "/var/tmp".to_owned()));
        ctx.machine_id = read("/etc/machine-id").filter(|s| !s.is_empty());
        ctx.boot_id = read("/proc/sys/kernel/random/boot_id").map(|s| s.replace('-', ""));
        if let Some(h) = read("/proc/sys/kernel/hostname").or_else(|| read("/etc/hostname")) {
            ctx = ctx.hostname(h);
        }
        ctx.pretty_hostname = read("/etc/machine-info")
            .and_then(|t| {
                t.lines().find_map(|l| {
                    l.strip_prefix("PRETTY_HOSTNAME=")
                        .map(|v| v.trim_matches('"').to_owned())
                })
            })
            .or_else(|| ctx.short_hostname.clone());
        if let Some(text) = read("/etc/os-release").or_else(|| read("/usr/lib/os-release")) {
            ctx = ctx.os_release(&text);
        }
        ctx.kernel_release = read("/proc/sys/kernel/osrelease");
        ctx.architecture = Some(systemd_architecture(std::env::consts::ARCH).to_owned());
        if let Some((uid, gid)) = read("/proc/self/status").and_then(|s| ids_from_status(&s)) {
            ctx.uid = Some(uid);
            ctx.gid = Some(gid);
            if let Some(pw) = read("/etc/passwd") {
                let entry = pw
                    .lines()
                    .map(|l| l.split(':').collect::<Vec<_>>())
                    .find(|f| {
                        f.len() >= 7 && f.get(2).and_then(|u| u.parse::<u32>().ok()) == Some(uid)
                    });
                if let Some(f) = entry {
                    ctx.user_name = Some(f[0].to_owned());
                    ctx.home = Some(f[5].to_owned());
                    ctx.shell = Some(f[6].to_owned());
                }
            }
            if let Some(gr) = read("/etc/group") {
                ctx.group_name = gr.lines().find_map(|l| {
                    let f: Vec<_> = l.split(':').collect();
                    (f.len() >= 3 && f[2].parse::<u32>().ok() == Some(gid)).then(|| f[0].to_owned())
                });
            }
        }
        ctx
    }
}

/// Real uid and gid from `/proc/self/status`.
fn ids_from_status(status: &str) -> Option<(u32, u32)> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    Some((field("Uid:")?, field("Gid:")?))
}

/// systemd's architecture names (`src/basic/architecture.c`) for Rust's.
fn systemd_architecture(rust_arch: &str) -> &str {
    match rust_arch {
        "x86_64" => "x86-64",
        "x86" => "x86",
        "aarch64" => "arm64",
        "arm" => "arm",
        "powerpc64" => "ppc64",
        "powerpc" => "ppc",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "loongarch64" => "loongarch64",
        "mips64" => "mips64",
        "mips" => "mips",
        "sparc64" => "sparc64",
        other => other,
    }
}

/// Expands every `%x` specifier in `text` with systemd's table.
///
/// | spec | meaning |
/// |------|---------|
/// | `%n` `%N` | full unit name, without type suffix |
/// | `%p` `%P` | prefix, unescaped |
/// | `%i` `%I` | instance, unescaped |
/// | `%j` `%J` | last `-` component of the prefix, unescaped |
/// | `%f` | `/` + unescaped instance, or prefix for plain units |
/// | `%m` `%b` | machine ID, boot ID |
/// | `%H` `%l` `%q` | host name, short host name, pretty host name |
/// | `%v` `%a` | kernel release, architecture |
/// | `%o` `%w` `%B` `%W` `%M` `%A` | os-release ID, VERSION_ID, BUILD_ID, VARIANT_ID, IMAGE_ID, IMAGE_VERSION |
/// | `%u` `%U` `%g` `%G` `%h` `%s` | user, uid, group, gid, home, shell |
/// | `%t` `%S` `%C` `%L` `%E` | runtime, state, cache, log, configuration directory roots |
/// | `%T` `%V` | temporary directories |
/// | `%d` | credentials directory |
/// | `%y` `%Y` | unit file path, its directory |
/// | `%%` | `%` |
pub fn expand(text: &str, ctx: &SpecifierContext) -> Result<String, SpecifierError> {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    let mut offset = 0;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let column = offset + pos;
        let after = &rest[pos + 1..];
        let Some(spec) = after.chars().next() else {
            return Err(error(text, column, SpecifierErrorKind::TrailingPercent));
        };
        push_specifier(&mut out, spec, ctx).map_err(|kind| error(text, column, kind))?;
        let consumed = pos + 1 + spec.len_utf8();
        rest = &rest[consumed..];
        offset += consumed;
    }
    out.push_str(rest);
    Ok(out)
}

fn error(text: &str, column: usize, kind: SpecifierErrorKind) -> SpecifierError {
    SpecifierError {
        input: text.to_owned(),
        column,
        kind,
    }
}

fn push_specifier(
    out: &mut String,
    spec: char,
    ctx: &SpecifierContext,
) -> Result<(), SpecifierErrorKind> {
    let unit = &ctx.unit;
    let unescaped = |s: &str| {
        unescape(s).map_err(|e| SpecifierErrorKind::Unescape {
            specifier: spec,
            reason: e.to_string(),
        })
    };
    let last_component = || {
        let p = unit.prefix();
        p.rsplit_once('-').map_or(p, |(_, last)| last)
    };
    fn known<'c>(
        v: &'c Option<String>,
        spec: char,
        what: &'static str,
        setter: &'static str,
    ) -> Result<&'c str, SpecifierErrorKind> {
        v.as_deref().ok_or(SpecifierErrorKind::Unavailable {
            specifier: spec,
            what,
            setter,
        })
    }
    let value: std::borrow::Cow<'_, str> = match spec {
        '%' => "%".into(),
        'n' => unit.as_str().into(),
        'N' => unit.without_suffix().into(),
        'p' => unit.prefix().into(),
        'P' => unescaped(unit.prefix())?.into(),
        'i' => unit.instance().unwrap_or_default().into(),
        'I' => unescaped(unit.instance().unwrap_or_default())?.into(),
        'j' => last_component().into(),
        'J' => unescaped(last_component())?.into(),
        'f' => {
            let part = unit
                .instance()
                .filter(|i| !i.is_empty())
                .unwrap_or(unit.prefix());
            unescape_path(part)
                .map_err(|e| SpecifierErrorKind::Unescape {
                    specifier: spec,
                    reason: e.to_string(),
                })?
                .into()
        }
        'm' => known(&ctx.machine_id, spec, "machine ID", "machine_id")?.into(),
        'b' => known(&ctx.boot_id, spec, "boot ID", "boot_id")?.into(),
        'H' => known(&ctx.hostname, spec, "host name", "hostname")?.into(),
        'l' => known(
            &ctx.short_hostname,
            spec,
            "short host name",
            "short_hostname",
        )?
        .into(),
        'q' => known(
            &ctx.pretty_hostname,
            spec,
            "pretty host name",
            "pretty_hostname",
        )?
        .into(),
        'v' => known(
            &ctx.kernel_release,
            spec,
            "kernel release",
            "kernel_release",
        )?
        .into(),
        'a' => known(&ctx.architecture, spec, "architecture", "architecture")?.into(),
        'o' => known(&ctx.os_id, spec, "os-release ID", "os_release")?.into(),
        'w' => known(
            &ctx.os_version_id,
            spec,
            "os-release VERSION_ID",
            "os_release",
        )?
        .into(),
        'B' => known(&ctx.os_build_id, spec, "os-release BUILD_ID", "os_release")?.into(),
        'W' => known(
            &ctx.os_variant_id,
            spec,
            "os-release VARIANT_ID",
            "os_release",
        )?
        .into(),
        'M' => known(&ctx.os_image_id, spec, "os-release IMAGE_ID", "os_release")?.into(),
        'A' => known(
            &ctx.os_image_version,
            spec,
            "os-release IMAGE_VERSION",
            "os_release",
        )?
        .into(),
        'u' => known(&ctx.user_name, spec, "user name", "user_name")?.into(),
        'U' => ctx
            .uid
            .map(|u| u.to_string())
            .ok_or(SpecifierErrorKind::Unavailable {
                specifier: spec,
                what: "user ID",
                setter: "uid",
            })?
            .into(),
        'g' => known(&ctx.group_name, spec, "group name", "group_name")?.into(),
        'G' => ctx
            .gid
            .map(|g| g.to_string())
            .ok_or(SpecifierErrorKind::Unavailable {
                specifier: spec,
                what: "group ID",
                setter: "gid",
            })?
            .into(),
        'h' => known(&ctx.home, spec, "home directory", "home")?.into(),
        's' => known(&ctx.shell, spec, "user shell", "shell")?.into(),
        't' => known(&ctx.runtime_dir, spec, "runtime directory", "runtime_dir")?.into(),
        'S' => known(&ctx.state_dir, spec, "state directory", "state_dir")?.into(),
        'C' => known(&ctx.cache_dir, spec, "cache directory", "cache_dir")?.into(),
        'L' => known(&ctx.logs_dir, spec, "log directory", "logs_dir")?.into(),
        'E' => known(
            &ctx.config_dir,
            spec,
            "configuration directory",
            "config_dir",
        )?
        .into(),
        'T' => known(&ctx.tmp_dir, spec, "temporary directory", "tmp_dir")?.into(),
        'V' => known(
            &ctx.var_tmp_dir,
            spec,
            "persistent temporary directory",
            "var_tmp_dir",
        )?
        .into(),
        'd' => known(
            &ctx.credentials_dir,
            spec,
            "credentials directory",
            "credentials_dir",
        )?
        .into(),
        'y' => known(&ctx.fragment_path, spec, "unit file path", "fragment_path")?.into(),
        'Y' => {
            let path = known(&ctx.fragment_path, spec, "unit file path", "fragment_path")?;
            match path.rfind('/') {
                Some(0) => "/",
                Some(i) => &path[..i],
                None => ".",
            }
            .into()
        }
        other => return Err(SpecifierErrorKind::Unknown(other)),
    };
    out.push_str(&value);
    Ok(())
}

/// fleet's `unitPrintf` for `[X-Fleet]` values: literal replacement of `%n`
/// (full name), `%N` (name without suffix), `%p` (prefix) and `%i`
/// (instance), in that order, each over the result of the previous one.
/// Everything else, `%%` included, is left alone.
pub fn expand_fleet(text: &str, name: &UnitName) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    text.replace("%n", name.as_str())
        .replace("%N", name.without_suffix())
        .replace("%p", name.prefix())
        .replace("%i", name.instance().unwrap_or_default())
}
