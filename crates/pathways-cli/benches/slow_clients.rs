//! `cargo bench -p pathways-cli --bench slow_clients` (or `just bench-slow-clients`):
//! what slow clients that never finish their headers cost a server in memory.
//! `pathways serve` (the binary this benchmark was built with, on SQLite,
//! the seeds) gets `BENCH_CONNECTIONS` connections (default 500), each
//! sending a request line and then header lines a little at a time (one
//! line every 10 ms), and then holding the connection open (the header-read
//! and keep-alive timeouts are raised to 60 s so none is closed meanwhile).
//! Prints the server's resident memory (VmRSS) before, with every connection
//! held (or refused), and the growth in all and per connection.
//!
//! Rows, with the header cap `BENCH_CAP` (default 32 KiB) and the default 64
//! turns for heads over 8 KiB: clients sending just under the cap (the
//! first 64 hold a turn, the rest must get 431), clients sending just under
//! 8 KiB (the most every client can make the server hold), clients sending
//! four short lines (a classic slowloris); then without the turns (as many
//! as connections), clients sending just under the cap; last, *before*: a cap
//! as large as hyper's own read buffer limit (~400 KiB, what the server had
//! before the cap), clients sending just under it. `BENCH_ONLY=after` keeps
//! the first three. After each row with the cap, one client sending past it
//! must get 431.
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!
#![allow(clippy::print_stdout)]

mod common;

use pathways_test_support::process::{serve_command_at, Starting};
use pathways_test_support::Served;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BINARY: &str = env!("CARGO_BIN_EXE_pathways");

fn main() {
    let connections: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let cap: usize = std::env::var("BENCH_CAP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(32 * 1024);
    let runtime = common::runtime(2);
    println!("{connections} connections, each holding an unfinished header");
    println!(
        "{:<52} {:>9} {:>9} {:>10} {:>15} {:>5} {:>5}",
        "server, clients", "RSS before", "RSS held", "growth", "per connection", "held", "431"
    );
    let all = connections.to_string();
    let rows = [
        (
            "after: clients send {cap} - 1 KiB",
            cap,
            cap - 1024,
            1024,
            "64",
        ),
        ("after: clients send 7 KiB", cap, 7 * 1024, 1024, "64"),
        ("after: clients send 4 short lines", cap, 4 * 40, 40, "64"),
        (
            "no turns: clients send {cap} - 1 KiB",
            cap,
            cap - 1024,
            1024,
            all.as_str(),
        ),
        (
            "before: cap ~400 KiB, clients send ~399 KiB",
            408 * 1024,
            407 * 1024,
            1024,
            all.as_str(),
        ),
    ];
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for (name, limit, bytes, line, turns) in rows {
        if !name.starts_with(only.as_str()) {
            continue;
        }
        let name = name.replace("{cap}", &format!("{} KiB", cap / 1024));
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let server = serve(scratch.path(), limit, turns);
        let address = server.address.clone();
        runtime.block_on(warm_up(&address));
        let before = rss_kib(server.pid());
        let clients = runtime.block_on(hold(&address, connections, bytes, line));
        let during = rss_kib(server.pid());
        let growth = during.saturating_sub(before);
        println!(
            "{name:<52} {:>6} MiB {:>6} MiB {:>6.1} MiB {:>11.1} KiB {:>5} {:>5}",
            before / 1024,
            during / 1024,
            growth as f64 / 1024.0,
            growth as f64 / connections as f64,
            clients.held.len(),
            clients.refused,
        );
        if clients.held.len() + clients.refused < connections {
            for log in server.logs().iter().rev().take(20) {
                eprintln!("{log}");
            }
        }
        // Those past the turns, and only those, are refused.
        let turns: usize = turns.parse().expect("a count");
        let expected = if bytes > 8 * 1024 && limit == cap {
            connections.saturating_sub(turns)
        } else {
            0
        };
        assert_eq!(clients.refused, expected, "refused with 431");
        assert_eq!(clients.held.len(), connections - expected, "held");
        drop(clients);
        if limit == cap {
            let answer = runtime.block_on(past_the_cap(&address, cap));
            assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
        }
        drop(server);
    }
    println!("a client past the cap gets 431 Request Header Fields Too Large");
}

/// `pathways serve` on a new SQLite file with the header cap `cap` and
/// `turns` turns for heads over 8 KiB.
fn serve(dir: &Path, cap: usize, turns: &str) -> Served {
    let url = format!("sqlite://{}/slow.db", dir.display());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = serve_command_at(Path::new(BINARY), repo, &url);
    command.args([
        "--max-header-bytes",
        &cap.to_string(),
        "--header-read-timeout",
        "60s",
        // The idle timeout also ends a connection whose first request's
        // headers are still coming in.
        "--keep-alive-timeout",
        "60s",
        "--max-connections",
        "4096",
        "--max-large-heads",
        turns,
    ]);
    Starting::new(command).wait()
}

/// A few ordinary requests first, so what is made once is made.
async fn warm_up(address: &str) {
    for _ in 0..20 {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream
            .write_all(b"GET /graphql?query=%7Brelease%7Bid%7D%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("send");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// The clients of a row: those the server holds, and how many it refused
/// with 431.
struct Clients {
    held: Vec<TcpStream>,
    refused: usize,
}

/// Opens `connections` connections, each sending `bytes` of headers that
/// never end, in lines of `line` bytes, one every 10 ms; returns them once all
/// have sent it all or been refused with 431 (any other ending panics).
async fn hold(address: &str, connections: usize, bytes: usize, line: usize) -> Clients {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..connections {
        // One connection at a time: 500 at once overflow the listener's
        // backlog, and the kernel answers with SYN cookies and resets.
        let mut stream = TcpStream::connect(address).await.expect("connect");
        tasks.spawn(async move {
            stream
                .write_all(
                    format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Client: {i}\r\n").as_bytes(),
                )
                .await
                .expect("send the request line");
            let mut sent = 0;
            let line = format!("X-Pad: {}\r\n", "a".repeat(line - 9));
            while sent + line.len() <= bytes {
                if let Err(error) = stream.write_all(line.as_bytes()).await {
                    let mut answer = Vec::new();
                    let _ = stream.read_to_end(&mut answer).await;
                    let answer = String::from_utf8_lossy(&answer);
                    assert!(
                        answer.starts_with("HTTP/1.1 431"),
                        "the server closed after {sent} bytes ({error}): {answer}"
                    );
                    return None;
                }
                sent += line.len();
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Some(stream)
        });
    }
    let mut streams = Vec::new();
    let mut refused = 0;
    while let Some(client) = tasks.join_next().await {
        match client.expect("a client") {
            Some(stream) => streams.push(stream),
            None => refused += 1,
        }
    }
    // Let the server read what is sent, and answer what it refuses: a
    // refused client may have sent all its lines while the server lingered.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut clients = Clients {
        held: Vec::new(),
        refused,
    };
    for stream in streams {
        let mut answer = [0u8; 64];
        match stream.try_read(&mut answer) {
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                clients.held.push(stream)
            }
            Ok(n) if answer[..n].starts_with(b"HTTP/1.1 431") => clients.refused += 1,
            other => panic!("a held client was answered {other:?}"),
        }
    }
    eprintln!(
        "{connections} connections held or refused after {:?}",
        started.elapsed()
    );
    clients
}

/// One client sending headers past `cap`: what it is answered.
async fn past_the_cap(address: &str, cap: usize) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(cap)
    );
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = vec![0u8; 256];
    let n = stream.read(&mut answer).await.unwrap_or(0);
    String::from_utf8_lossy(&answer[..n])
        .lines()
        .next()
        .unwrap_or("nothing")
        .to_owned()
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}
