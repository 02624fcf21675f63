//! A local user who is not the cluster's owner, on the same machine as a dev
//! cluster and a real agent: it can reach the API's port but has no token
//! and cannot read one, so it cannot submit, start, read journals or write
//! keys, and it cannot open the agent's unix socket. The owner needs no
//! extra step. Runs as root (to make the user), as `scripts/test` does.

mod common;

use common::Daemon;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(30);
const USER: &str = "flotta-hostile";

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < LIMIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The unprivileged user, made for the test and removed after it.
struct Hostile {
    uid: u32,
    gid: u32,
    made: bool,
}

impl Hostile {
    fn new() -> Hostile {
        assert!(
            nix::unistd::geteuid().is_root(),
            "this test makes a user: run it as root (scripts/test does)"
        );
        let existing = nix::unistd::User::from_name(USER).expect("user database");
        let made = existing.is_none();
        if made {
            let out = Command::new("useradd")
                .args(["--system", "--no-create-home", "--user-group"])
                .args(["--shell", "/usr/sbin/nologin", USER])
                .output()
                .expect("useradd (Debian's passwd package)");
            assert!(out.status.success(), "useradd: {}", text(&out));
        }
        let user = nix::unistd::User::from_name(USER)
            .expect("user database")
            .expect("the user exists");
        Hostile {
            uid: user.uid.as_raw(),
            gid: user.gid.as_raw(),
            made,
        }
    }

    /// `program` run as the user (its own group only), with a clean
    /// environment and a home of its own.
    fn run(&self, program: &Path, args: &[&str], home: &Path) -> Output {
        // setpriv (util-linux) drops root's supplementary groups too.
        Command::new("setpriv")
            .args([
                "--reuid",
                &self.uid.to_string(),
                "--regid",
                &self.gid.to_string(),
            ])
            .args(["--clear-groups", "--"])
            .arg(program)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("HOME", home)
            .output()
            .expect("setpriv (util-linux)")
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        if self.made {
            let _ = Command::new("userdel").arg(USER).output();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// The owner's command; it must succeed.
fn owner(bin: &Path, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .env_remove("FLOTTA_ETCD")
        .env_remove("FLOTTA_TOKEN")
        .output()
        .expect("flotta");
    assert!(out.status.success(), "flotta {args:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn world_readable(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_local_user_without_the_token_changes_nothing_and_reads_no_journal() {
    let hostile = Hostile::new();
    // Everything here is open to the user except what flotta itself guards:
    // the token files' own mode, the socket's, the owner's token dir.
    let dir = tempfile::tempdir().expect("tempdir");
    world_readable(dir.path(), 0o755);
    let bin: PathBuf = dir.path().join("flotta");
    std::fs::copy(env!("CARGO_BIN_EXE_flotta"), &bin).expect("copy the binary");
    world_readable(&bin, 0o755);
    let home = dir.path().join("hostile-home");
    std::fs::create_dir(&home).expect("home");
    std::os::unix::fs::chown(&home, Some(hostile.uid), Some(hostile.gid)).expect("chown");
    let unit = dir.path().join("hello.service");
    std::fs::write(
        &unit,
        "[Service]\nExecStart=/bin/sh -c 'echo hello; exec sleep 600'\n",
    )
    .expect("unit");
    world_readable(&unit, 0o644);

    let state = dir.path().join("state");
    let api = format!("127.0.0.1:{}", free_port());
    let endpoint = format!("http://{api}");
    let _cluster = Daemon(
        Command::new(&bin)
            .args(["agent", "--dev", "--machines", "1", "--registry", "memory"])
            .args(["--api-listen", &api, "--state-dir"])
            .arg(&state)
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    eventually("the API", || std::net::TcpStream::connect(&api).is_ok());
    world_readable(&state, 0o755);

    // The owner: no flag, no variable beyond the endpoint.
    let e = ["--endpoint", endpoint.as_str()];
    let unit_path = unit.to_str().expect("path");
    owner(&bin, &[&["start", unit_path][..], &e].concat());
    eventually("the unit's journal", || {
        owner(&bin, &[&["journal", "hello.service"][..], &e].concat()).contains("hello")
    });
    let units_before = owner(&bin, &[&["list-unit-files"][..], &e].concat());

    // The user: every change and every journal refused for want of a token.
    let refused: [&[&str]; 6] = [
        &["submit", unit_path],
        &["start", "hello.service"],
        &["stop", "hello.service"],
        &["destroy", "hello.service"],
        &["journal", "hello.service"],
        &["kv", "set", "/applications/sample/x", "127.0.0.1:1"],
    ];
    for args in refused {
        let out = hostile.run(&bin, &[args, &e].concat(), &home);
        assert!(!out.status.success(), "{args:?} succeeded: {}", text(&out));
        assert!(
            text(&out).contains("401") || text(&out).contains("token"),
            "{args:?}: {}",
            text(&out)
        );
    }
    // It cannot read a token: not the state dir's, not the one left for
    // the owner's clients.
    let left = flotta_api::discover::token_dir()
        .expect("a token dir")
        .join(&api);
    assert!(left.exists(), "the owner's clients find {}", left.display());
    for file in [
        state.join("api.token"),
        state.join("api-read.token"),
        left.clone(),
    ] {
        let out = hostile.run(
            Path::new("/bin/cat"),
            &[file.to_str().expect("path")],
            &home,
        );
        assert!(
            !out.status.success() && text(&out).contains("Permission denied"),
            "{}: {}",
            file.display(),
            text(&out)
        );
        let mode = std::fs::metadata(&file)
            .expect("token file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{} is mode {mode:o}", file.display());
    }
    // Nothing changed.
    assert_eq!(
        owner(&bin, &[&["list-unit-files"][..], &e].concat()),
        units_before
    );
    let kv = Command::new(&bin)
        .args(["kv", "get", "/applications/sample/x"])
        .args(e)
        .output()
        .expect("flotta");
    assert!(!kv.status.success(), "the key was written: {}", text(&kv));

    // A real agent's API is a unix socket only its owner can open.
    let real = dir.path().join("real");
    let _agent = Daemon(
        Command::new(&bin)
            .args(["agent", "--registry", "memory", "--state-dir"])
            .arg(&real)
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent"),
    );
    let socket = real.join("flotta.sock");
    eventually("the agent's socket", || socket.exists());
    world_readable(&real, 0o755);
    let at = format!("unix:{}", socket.display());
    owner(&bin, &["list-machines", "--endpoint", &at]);
    let out = hostile.run(&bin, &["list-machines", "--endpoint", &at], &home);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).to_lowercase().contains("permission denied"),
        "{}",
        text(&out)
    );
    let mode = std::fs::metadata(&socket)
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the socket is mode {mode:o}");
}
