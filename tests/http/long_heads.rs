//! Request heads over 8 KiB take turns (`--max-large-heads`), so that slow
//! clients cannot each make the server hold a head at the 32 KiB cap.

use super::connections::{address, exchange, get_with_headers};
use pathways_test_support::server::quiet;
use pathways_test_support::TestServer;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn one_turn() -> pathways_server::config::ServerConfig {
    let mut config = quiet();
    config.connections.max_large_heads = 1;
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_turns_a_long_head_gets_431_while_short_ones_and_the_holder_are_served() {
    for server in TestServer::each(one_turn).await {
        let label = &server.label;
        let long = vec![("x-pad".to_owned(), "b".repeat(20 * 1024))];
        // A long head alone is served: a turn is free.
        let answer = exchange(&server, get_with_headers(&long)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{label}: {answer:.200}");

        // A slow client takes the one turn: 20 KiB of headers, not yet ended.
        let mut holder = TcpStream::connect(address(&server)).await.unwrap();
        let head = format!(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n",
            "a".repeat(20 * 1024)
        );
        holder.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;

        // Another long head is refused at once, with the reason, and closed.
        let answer = exchange(&server, get_with_headers(&long)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 431"), "{label}: {answer:.200}");
        assert!(answer.contains("headers over 8 KiB"), "{label}: {answer}");
        assert_eq!(
            server.metric("pathways_large_heads_refused_total").await,
            1,
            "{label}"
        );
        // A short head with a long body (sent with it, in one write) is
        // served meanwhile: a body needs no turn.
        let body = serde_json::json!({ "query": format!("{{ release {{ id }} }}\n#{}", "p".repeat(20 * 1024)) }).to_string();
        let post = format!(
            "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let answer = exchange(&server, post.into_bytes()).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{label}: {answer:.300}");
        assert!(
            answer.contains(r#""release":{"id":"#),
            "{label}: {answer:.300}"
        );
        // A short one is served meanwhile.
        let short = vec![("x-pad".to_owned(), "c".repeat(4 * 1024))];
        let answer = exchange(&server, get_with_headers(&short)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{label}: {answer:.200}");

        // The holder ends its head and is answered; its turn goes back.
        holder
            .write_all(b"Connection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(5), holder.read_to_string(&mut answer))
            .await
            .expect("the holder is answered")
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{label}: {answer:.200}");
        let answer = exchange(&server, get_with_headers(&long)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{label}: {answer:.200}");
        assert_eq!(
            server.metric("pathways_large_heads_refused_total").await,
            1,
            "{label}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keep_alive_connection_gives_its_turn_back_with_each_request() {
    let server = TestServer::sqlite(one_turn()).await;
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    // Three long heads one after another on one connection, all served: the
    // turn taken by each is given back when its request begins.
    for i in 0..3 {
        let close = if i == 2 { "Connection: close\r\n" } else { "" };
        let request = format!(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n{close}\r\n",
            "d".repeat(20 * 1024)
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = vec![0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
            .await
            .expect("answered")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer[..n]).into_owned();
        assert!(answer.starts_with("HTTP/1.1 200"), "request {i}: {answer}");
        // Meanwhile, another connection's long head finds the turn free.
        let long = vec![("x-pad".to_owned(), "e".repeat(20 * 1024))];
        let other = exchange(&server, get_with_headers(&long)).await.unwrap();
        assert!(
            other.starts_with("HTTP/1.1 200"),
            "beside request {i}: {other:.200}"
        );
    }
}
