//! `flotta`: run systemd-style units across a cluster.

fn main() {
    println!("flotta");
}
