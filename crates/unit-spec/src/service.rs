//! Typed `[Unit]` and `[Service]`: the subset of systemd.service(5) flotta runs.
//!
//! Values are specifier-expanded with the full systemd table
//! ([`crate::specifier::expand`]) before they are parsed, as systemd does when it
//! loads a unit. Errors name the section, key, line and column. Keys this module
//! does not know are left alone here and reported as warnings by [`crate::verify`].
//!
//! Defaults are systemd's: `Type=simple`, `Restart=no`, `RestartSec=100ms`,
//! `TimeoutStartSec=`/`TimeoutStopSec=` 90 s (no start timeout for
//! `Type=oneshot` unless one is set), `KillMode=control-group`,
//! `KillSignal=SIGTERM`, `StartLimitIntervalSec=10s`, `StartLimitBurst=5`.
//!
//! ```
//! use std::time::Duration;
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::service::{ServiceConfig, ServiceType};
//! use flotta_unit_spec::specifier::SpecifierContext;
//! use flotta_unit_spec::syntax::UnitFile;
//! use flotta_unit_spec::timespan::TimeSpan;
//!
//! let unit = UnitFile::parse("[Service]\nType=oneshot\nExecStart=/bin/echo %i\nTimeoutSec=120min\n").unwrap();
//! let name = UnitName::parse("app@8080.service").unwrap();
//! let svc = ServiceConfig::from_unit(&unit, &SpecifierContext::for_unit(&name)).unwrap();
//! assert_eq!(svc.service_type, ServiceType::Oneshot);
//! assert_eq!(svc.exec_start[0].argv, ["/bin/echo", "8080"]);
//! assert_eq!(svc.timeout_stop, TimeSpan::Finite(Duration::from_secs(7200)));
//! ```

use std::borrow::Cow;
use std::time::Duration;

use serde::Serialize;
use thiserror::Error;

use crate::exec::{ExecCommand, parse_environment};
use crate::specifier::{SpecifierContext, expand};
use crate::syntax::{Entry, UnitFile};
use crate::timespan::{TimeSpan, parse_timespan};

/// Keys of `[Service]` that [`ServiceConfig`] reads.
pub const SERVICE_KEYS: &[&str] = &[
    "Type",
    "ExecStartPre",
    "ExecStart",
    "ExecStartPost",
    "ExecReload",
    "ExecStop",
    "ExecStopPost",
    "Environment",
    "EnvironmentFile",
    "WorkingDirectory",
    "User",
    "Group",
    "Restart",
    "RestartSec",
    "TimeoutStartSec",
    "TimeoutStopSec",
    "TimeoutSec",
    "KillMode",
    "KillSignal",
    "SuccessExitStatus",
    "RemainAfterExit",
    "PIDFile",
    "StartLimitIntervalSec",
    "StartLimitInterval",
    "StartLimitBurst",
];

/// Keys of `[Unit]` that [`UnitSection`] reads.
pub const UNIT_KEYS: &[&str] = &[
    "Description",
    "Documentation",
    "Requires",
    "Wants",
    "After",
    "Before",
    "StartLimitIntervalSec",
    "StartLimitBurst",
];

/// `Type=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceType {
    /// Started as soon as the main process is forked.
    #[default]
    Simple,
    /// Started once the main binary was executed.
    Exec,
    /// Started when the main process exits and leaves a daemon behind.
    Forking,
    /// Started when the main process exits successfully.
    Oneshot,
    /// Started when the process sends `READY=1` on `$NOTIFY_SOCKET`.
    Notify,
    /// Started when the process takes its D-Bus name (not supported by flotta's agent).
    Dbus,
    /// Like simple, delayed until other jobs are dispatched.
    Idle,
}

/// `Restart=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    /// Never restart.
    #[default]
    No,
    /// After a clean exit.
    OnSuccess,
    /// After an unclean exit, a signal, a timeout or a watchdog.
    OnFailure,
    /// After a signal, a timeout or a watchdog.
    OnAbnormal,
    /// After a watchdog timeout.
    OnWatchdog,
    /// After an uncaught signal.
    OnAbort,
    /// Always.
    Always,
}

/// `KillMode=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KillMode {
    /// Every process of the unit.
    #[default]
    ControlGroup,
    /// SIGTERM to the main process, SIGKILL to the rest.
    Mixed,
    /// Only the main process.
    Process,
    /// Nothing is killed.
    None,
}

/// A signal by number, with its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Signal {
    /// The number (Linux x86-64/aarch64 numbering).
    pub number: i32,
    /// The name, e.g. `SIGTERM`.
    pub name: &'static str,
}

const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGCHLD", 17),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGTTIN", 21),
    ("SIGTTOU", 22),
    ("SIGURG", 23),
    ("SIGXCPU", 24),
    ("SIGXFSZ", 25),
    ("SIGVTALRM", 26),
    ("SIGPROF", 27),
    ("SIGWINCH", 28),
    ("SIGIO", 29),
    ("SIGPWR", 30),
    ("SIGSYS", 31),
];

impl Signal {
    /// SIGTERM.
    pub const TERM: Signal = Signal {
        number: 15,
        name: "SIGTERM",
    };

    /// Parses `SIGTERM`, `TERM` or `15`.
    pub fn parse(s: &str) -> Option<Signal> {
        let upper = s.trim().to_ascii_uppercase();
        let by_name = |n: &str| SIGNALS.iter().find(|(name, _)| *name == n);
        let found = match upper.parse::<i32>() {
            Ok(n) => SIGNALS.iter().find(|(_, num)| *num == n),
            Err(_) => by_name(&upper).or_else(|| by_name(&format!("SIG{upper}"))),
        };
        found.map(|&(name, number)| Signal { number, name })
    }
}

/// `EnvironmentFile=`: a path, optional when written with a leading `-`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvironmentFile {
    /// The file.
    pub path: String,
    /// A missing file is not an error.
    pub optional: bool,
}

/// `SuccessExitStatus=`: extra exit codes and signals that count as success.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SuccessExitStatus {
    /// Exit codes.
    pub codes: Vec<u8>,
    /// Signals.
    pub signals: Vec<Signal>,
}

/// The `[Service]` settings flotta's agent runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// `Type=`.
    pub service_type: ServiceType,
    /// `ExecStartPre=`.
    pub exec_start_pre: Vec<ExecCommand>,
    /// `ExecStart=`.
    pub exec_start: Vec<ExecCommand>,
    /// `ExecStartPost=`.
    pub exec_start_post: Vec<ExecCommand>,
    /// `ExecReload=`.
    pub exec_reload: Vec<ExecCommand>,
    /// `ExecStop=`.
    pub exec_stop: Vec<ExecCommand>,
    /// `ExecStopPost=`.
    pub exec_stop_post: Vec<ExecCommand>,
    /// `Environment=` assignments in order (later ones win).
    pub environment: Vec<(String, String)>,
    /// `EnvironmentFile=`.
    pub environment_files: Vec<EnvironmentFile>,
    /// `WorkingDirectory=` (a leading `-` makes a missing directory not an error).
    pub working_directory: Option<String>,
    /// `User=`.
    pub user: Option<String>,
    /// `Group=`.
    pub group: Option<String>,
    /// `Restart=`.
    pub restart: RestartPolicy,
    /// `RestartSec=`.
    pub restart_sec: Duration,
    /// `TimeoutStartSec=` (or `TimeoutSec=`); infinity for `Type=oneshot`
    /// unless set, as in systemd.
    pub timeout_start: TimeSpan,
    /// `TimeoutStopSec=` (or `TimeoutSec=`).
    pub timeout_stop: TimeSpan,
    /// `KillMode=`.
    pub kill_mode: KillMode,
    /// `KillSignal=`.
    pub kill_signal: Signal,
    /// `SuccessExitStatus=`.
    pub success_exit_status: SuccessExitStatus,
    /// `StartLimitIntervalSec=` (`[Unit]` or, as older systemd, `[Service]`).
    pub start_limit_interval: Duration,
    /// `StartLimitBurst=`.
    pub start_limit_burst: u32,
    /// `RemainAfterExit=`: a unit whose main process exited cleanly (a
    /// oneshot whose commands succeeded) stays `active (exited)` until
    /// stopped.
    pub remain_after_exit: bool,
    /// `PIDFile=`: where a `Type=forking` daemon writes its pid (a relative
    /// path is under `/run/`, as in systemd).
    pub pid_file: Option<String>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        let ninety = TimeSpan::Finite(Duration::from_secs(90));
        ServiceConfig {
            service_type: ServiceType::Simple,
            exec_start_pre: Vec::new(),
            exec_start: Vec::new(),
            exec_start_post: Vec::new(),
            exec_reload: Vec::new(),
            exec_stop: Vec::new(),
            exec_stop_post: Vec::new(),
            environment: Vec::new(),
            environment_files: Vec::new(),
            working_directory: None,
            user: None,
            group: None,
            restart: RestartPolicy::No,
            restart_sec: Duration::from_millis(100),
            timeout_start: ninety,
            timeout_stop: ninety,
            kill_mode: KillMode::ControlGroup,
            kill_signal: Signal::TERM,
            success_exit_status: SuccessExitStatus::default(),
            start_limit_interval: Duration::from_secs(10),
            start_limit_burst: 5,
            remain_after_exit: false,
            pid_file: None,
        }
    }
}

/// The `[Unit]` settings flotta reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitSection {
    /// `Description=`.
    pub description: Option<String>,
    /// `Documentation=` URLs.
    pub documentation: Vec<String>,
    /// `Requires=`.
    pub requires: Vec<String>,
    /// `Wants=`.
    pub wants: Vec<String>,
    /// `After=`.
    pub after: Vec<String>,
    /// `Before=`.
    pub before: Vec<String>,
}

/// A value of a typed option that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}, column {column}: [{section}] {key}: {message}")]
pub struct TypedError {
    /// The section.
    pub section: String,
    /// The key.
    pub key: String,
    /// 1-based line of the assignment.
    pub line: usize,
    /// 1-based column of the problem.
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Where a value starts in its line, for error columns.
fn value_column(e: &Entry<'_>) -> usize {
    e.column + e.key.chars().count() + 1
}

fn error(e: &Entry<'_>, column: usize, message: impl Into<String>) -> TypedError {
    TypedError {
        section: e.section.to_owned(),
        key: e.key.to_owned(),
        line: e.line,
        column,
        message: message.into(),
    }
}

/// Expands specifiers in an entry's value; errors point at the `%`.
fn expanded<'a>(e: &Entry<'a>, ctx: &SpecifierContext) -> Result<Cow<'a, str>, TypedError> {
    if !e.value.contains('%') {
        return Ok(Cow::Borrowed(e.value));
    }
    expand(e.value, ctx).map(Cow::Owned).map_err(|err| {
        let col = value_column(e) + e.value.get(..err.column).map_or(0, |p| p.chars().count());
        let msg = err.to_string();
        let msg = msg.split_once(": ").map_or(msg.as_str(), |(_, m)| m);
        error(e, col, msg.to_owned())
    })
}

fn choice<T: Copy>(e: &Entry<'_>, v: &str, options: &[(&str, T)]) -> Result<T, TypedError> {
    options
        .iter()
        .find(|(name, _)| *name == v)
        .map(|&(_, t)| t)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            error(
                e,
                value_column(e),
                format!("unknown value {v:?}; expected one of: {}", names.join(", ")),
            )
        })
}

fn timespan(e: &Entry<'_>, v: &str) -> Result<TimeSpan, TypedError> {
    parse_timespan(v).map_err(|err| error(e, value_column(e) + err.column, err.to_string()))
}

fn finite(e: &Entry<'_>, v: &str) -> Result<Duration, TypedError> {
    match timespan(e, v)? {
        TimeSpan::Finite(d) => Ok(d),
        TimeSpan::Infinity => Ok(Duration::MAX),
    }
}

fn exec(e: &Entry<'_>, v: &str) -> Result<ExecCommand, TypedError> {
    ExecCommand::parse(v).map_err(|err| {
        let col = value_column(e) + v.get(..err.column).map_or(0, |p| p.chars().count());
        error(e, col, err.to_string())
    })
}

impl ServiceConfig {
    /// Reads `[Service]` (and the start-limit keys of `[Unit]`), expanding specifiers.
    ///
    /// # Errors
    /// The first value that does not parse, with its line and column; then a
    /// second `ExecStart=` in a unit that is not `Type=oneshot` (systemd
    /// refuses such a unit).
    pub fn from_unit(unit: &UnitFile, ctx: &SpecifierContext) -> Result<ServiceConfig, TypedError> {
        let mut svc = ServiceConfig::default();
        let mut start_timeout_set = false;
        let mut second_start = None;
        for e in unit.entries() {
            let in_unit = e.section == "Unit";
            if e.section != "Service" && !in_unit {
                continue;
            }
            if in_unit && !matches!(e.key, "StartLimitIntervalSec" | "StartLimitBurst") {
                continue;
            }
            svc.apply(&e, ctx)?;
            match e.key {
                "TimeoutStartSec" | "TimeoutSec" => start_timeout_set = true,
                "ExecStart" => match svc.exec_start.len() {
                    0 => second_start = None,
                    2 => {
                        second_start = Some(error(
                            &e,
                            e.column,
                            "only Type=oneshot may have more than one ExecStart=; \
                             use ExecStartPre=/ExecStartPost= for the other commands",
                        ))
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        if svc.service_type == ServiceType::Oneshot {
            if !start_timeout_set {
                svc.timeout_start = TimeSpan::Infinity;
            }
        } else if let Some(e) = second_start {
            return Err(e);
        }
        Ok(svc)
    }

    fn apply(&mut self, e: &Entry<'_>, ctx: &SpecifierContext) -> Result<(), TypedError> {
        let list = match e.key {
            "ExecStartPre" => Some(&mut self.exec_start_pre),
            "ExecStart" => Some(&mut self.exec_start),
            "ExecStartPost" => Some(&mut self.exec_start_post),
            "ExecReload" => Some(&mut self.exec_reload),
            "ExecStop" => Some(&mut self.exec_stop),
            "ExecStopPost" => Some(&mut self.exec_stop_post),
            _ => None,
        };
        if let Some(list) = list {
            // An empty assignment resets the list, as in systemd.
            if e.value.is_empty() {
                list.clear();
            } else {
                let v = expanded(e, ctx)?;
                list.push(exec(e, &v)?);
            }
            return Ok(());
        }
        let v = expanded(e, ctx)?;
        let v = v.as_ref();
        match e.key {
            "Type" => {
                self.service_type = choice(
                    e,
                    v,
                    &[
                        ("simple", ServiceType::Simple),
                        ("exec", ServiceType::Exec),
                        ("forking", ServiceType::Forking),
                        ("oneshot", ServiceType::Oneshot),
                        ("notify", ServiceType::Notify),
                        ("dbus", ServiceType::Dbus),
                        ("idle", ServiceType::Idle),
                    ],
                )?
            }
            "Environment" if v.is_empty() => self.environment.clear(),
            "Environment" => {
                let pairs = parse_environment(v)
                    .map_err(|err| error(e, value_column(e) + err.column, err.to_string()))?;
                self.environment.extend(pairs);
            }
            "EnvironmentFile" if v.is_empty() => self.environment_files.clear(),
            "EnvironmentFile" => {
                let (optional, path) = match v.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, v),
                };
                if !path.starts_with('/') {
                    return Err(error(
                        e,
                        value_column(e),
                        "EnvironmentFile= needs an absolute path (prefix '-' to make it optional)",
                    ));
                }
                self.environment_files.push(EnvironmentFile {
                    path: path.to_owned(),
                    optional,
                });
            }
            "WorkingDirectory" => self.working_directory = (!v.is_empty()).then(|| v.to_owned()),
            "PIDFile" if v.is_empty() => self.pid_file = None,
            "PIDFile" if v.starts_with('/') => self.pid_file = Some(v.to_owned()),
            "PIDFile" => self.pid_file = Some(format!("/run/{v}")),
            "User" => self.user = (!v.is_empty()).then(|| v.to_owned()),
            "Group" => self.group = (!v.is_empty()).then(|| v.to_owned()),
            "Restart" => {
                self.restart = choice(
                    e,
                    v,
                    &[
                        ("no", RestartPolicy::No),
                        ("on-success", RestartPolicy::OnSuccess),
                        ("on-failure", RestartPolicy::OnFailure),
                        ("on-abnormal", RestartPolicy::OnAbnormal),
                        ("on-watchdog", RestartPolicy::OnWatchdog),
                        ("on-abort", RestartPolicy::OnAbort),
                        ("always", RestartPolicy::Always),
                    ],
                )?
            }
            "RestartSec" => self.restart_sec = finite(e, v)?,
            "TimeoutStartSec" => self.timeout_start = timespan(e, v)?,
            "TimeoutStopSec" => self.timeout_stop = timespan(e, v)?,
            "TimeoutSec" => {
                let t = timespan(e, v)?;
                self.timeout_start = t;
                self.timeout_stop = t;
            }
            "KillMode" => {
                self.kill_mode = choice(
                    e,
                    v,
                    &[
                        ("control-group", KillMode::ControlGroup),
                        ("mixed", KillMode::Mixed),
                        ("process", KillMode::Process),
                        ("none", KillMode::None),
                    ],
                )?
            }
            "KillSignal" => {
                self.kill_signal = Signal::parse(v).ok_or_else(|| {
                    error(
                        e,
                        value_column(e),
                        format!("unknown signal {v:?}; use a name like SIGTERM or a number"),
                    )
                })?
            }
            "SuccessExitStatus" if v.is_empty() => {
                self.success_exit_status = SuccessExitStatus::default()
            }
            "SuccessExitStatus" => {
                for word in v.split_whitespace() {
                    if let Ok(code) = word.parse::<u8>() {
                        self.success_exit_status.codes.push(code);
                    } else if let Some(sig) =
                        Signal::parse(word).filter(|_| word.parse::<i64>().is_err())
                    {
                        self.success_exit_status.signals.push(sig);
                    } else {
                        return Err(error(
                            e,
                            value_column(e),
                            format!("{word:?} is neither an exit code (0-255) nor a signal name"),
                        ));
                    }
                }
            }
            "StartLimitIntervalSec" | "StartLimitInterval" => {
                self.start_limit_interval = finite(e, v)?
            }
            "RemainAfterExit" => {
                self.remain_after_exit = match v.to_ascii_lowercase().as_str() {
                    "1" | "yes" | "y" | "true" | "t" | "on" => true,
                    "0" | "no" | "n" | "false" | "f" | "off" => false,
                    _ => {
                        return Err(error(
                            e,
                            value_column(e),
                            "expected a boolean: yes/no, true/false, on/off or 1/0",
                        ));
                    }
                }
            }
            "StartLimitBurst" => {
                self.start_limit_burst = v
                    .parse()
                    .map_err(|_| error(e, value_column(e), "expected a whole number of starts"))?
            }
            _ => {}
        }
        Ok(())
    }
}

impl UnitSection {
    /// Reads `[Unit]`, expanding specifiers.
    ///
    /// # Errors
    /// An unknown or unavailable specifier, with its line and column.
    pub fn from_unit(unit: &UnitFile, ctx: &SpecifierContext) -> Result<UnitSection, TypedError> {
        let mut out = UnitSection::default();
        for e in unit.entries().filter(|e| e.section == "Unit") {
            let list = match e.key {
                "Description" => {
                    out.description = Some(expanded(&e, ctx)?.into_owned());
                    continue;
                }
                "Documentation" => &mut out.documentation,
                "Requires" => &mut out.requires,
                "Wants" => &mut out.wants,
                "After" => &mut out.after,
                "Before" => &mut out.before,
                _ => continue,
            };
            if e.value.is_empty() {
                list.clear();
            } else {
                let v = expanded(&e, ctx)?;
                list.extend(v.split_whitespace().map(str::to_owned));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::UnitName;

    fn ctx(name: &str) -> SpecifierContext {
        SpecifierContext::for_unit(&UnitName::parse(name).unwrap())
    }

    fn svc(body: &str) -> Result<ServiceConfig, TypedError> {
        let unit = UnitFile::parse(&format!("[Service]\n{body}")).unwrap();
        ServiceConfig::from_unit(&unit, &ctx("sample.application.1@8080.service"))
    }

    #[test]
    fn the_seed_service() {
        let s = svc("EnvironmentFile=/etc/environment\nExecStart=/usr/bin/docker run --name %p -p %i:8080 app\nExecStop=/usr/bin/docker stop %p\nTimeoutSec=120min\n").unwrap();
        assert_eq!(
            s.exec_start[0].argv,
            [
                "/usr/bin/docker",
                "run",
                "--name",
                "sample.application.1",
                "-p",
                "8080:8080",
                "app"
            ]
        );
        assert_eq!(s.environment_files[0].path, "/etc/environment");
        assert_eq!(s.timeout_start, TimeSpan::Finite(Duration::from_secs(7200)));
    }

    #[test]
    fn lists_reset_and_environment() {
        let s = svc("ExecStart=/bin/a\nExecStart=\nExecStart=/bin/b\nEnvironment=\"A=1 2\" B=3\nEnvironmentFile=-/nope\nSuccessExitStatus=3 SIGUSR1\nKillSignal=INT\nRestart=on-failure\n").unwrap();
        assert_eq!(s.exec_start.len(), 1);
        assert_eq!(
            s.environment,
            [("A".into(), "1 2".into()), ("B".into(), "3".into())]
        );
        assert!(s.environment_files[0].optional);
        assert_eq!(s.success_exit_status.codes, [3]);
        assert_eq!(s.success_exit_status.signals[0].name, "SIGUSR1");
        assert_eq!(s.kill_signal.number, 2);
        assert_eq!(s.restart, RestartPolicy::OnFailure);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = svc("Type=simple\nType=sometimes\n").unwrap_err();
        assert_eq!((e.line, e.column, e.key.as_str()), (3, 6, "Type"));
        assert!(e.message.contains("expected one of"), "{e}");
        let e = svc("ExecStart=/bin/echo \"open\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = svc("ExecStart=/bin/echo %z\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 21), "{e}");
        assert!(e.message.contains("%z"), "{e}");
        let e = svc("TimeoutStopSec=5 parsecs\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn unit_section() {
        let unit = UnitFile::parse(
            "[Unit]\nDescription=%p app\nAfter=a.service b.service\nRequires=c.service\n",
        )
        .unwrap();
        let u = UnitSection::from_unit(&unit, &ctx("x@1.service")).unwrap();
        assert_eq!(u.description.as_deref(), Some("x app"));
        assert_eq!(u.after, ["a.service", "b.service"]);
        assert_eq!(u.requires, ["c.service"]);
    }
}
