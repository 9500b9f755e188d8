//! What a failed attempt records, against real sockets on this machine that
//! refuse, hang, reset, close halfway, speak no TLS, or answer an error.

use super::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn event() -> webhook_event::Model {
    webhook_event::Model {
        id: 1,
        event_id: "evt_1".into(),
        kind: "release.published".into(),
        release_id: 1,
        payload: "{}".into(),
        created_at: 0,
    }
}

async fn send(address: &str) -> Sent {
    let signer = Webhook::new("whsec_c2VjcmV0").unwrap();
    let transport = Signed::new(signer, Duration::from_millis(500)).unwrap();
    transport.send(&event(), address).await
}

/// A server on 127.0.0.1 that reads a request's head, then does `then` with
/// the connection; returns its address.
async fn server<F, Fut>(then: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = vec![0u8; 4096];
            let _ = stream.read(&mut head).await;
            then(stream).await;
        }
    });
    format!("127.0.0.1:{}", address.port())
}

fn error_of(sent: Sent) -> String {
    match sent {
        Sent::Failed { error, .. } => error,
        Sent::Delivered { status } => panic!("delivered with {status}"),
    }
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let error = error_of(send(&format!("http://u:hunter2@127.0.0.1:{port}/hook")).await);
    assert_eq!(error, "connection refused");
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out() {
    let at = server(|stream| async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(stream);
    })
    .await;
    let error = error_of(send(&format!("http://{at}/hook?token=abc")).await);
    assert_eq!(error, "timed out: no answer within 500ms");
}

#[tokio::test]
async fn a_reset_connection_says_so() {
    let at = server(|stream| async move {
        // Closing with linger 0 sends a reset, not a goodbye (and never
        // blocks, which is why tokio deprecates lingering).
        #[allow(deprecated)]
        let _ = stream.set_linger(Some(Duration::ZERO));
        drop(stream);
    })
    .await;
    let error = error_of(send(&format!("http://{at}/hook")).await);
    assert_eq!(error, "connection reset by the receiver");
}

#[tokio::test]
async fn a_receiver_that_closes_mid_answer_says_so() {
    let at = server(|mut stream| async move {
        let _ = stream.write_all(b"HTTP/1.1 200 O").await;
        drop(stream);
    })
    .await;
    let error = error_of(send(&format!("http://{at}/hook")).await);
    assert!(error.contains("closed the connection"), "{error}");
    // A 2xx status is the receiver saying it has the event: what follows it
    // does not matter.
    let at = server(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhalf")
            .await;
        drop(stream);
    })
    .await;
    assert_eq!(
        send(&format!("http://{at}/hook")).await,
        Sent::Delivered { status: 200 }
    );
}

#[tokio::test]
async fn an_address_that_speaks_no_tls_is_a_tls_failure() {
    let at = server(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
    })
    .await;
    let error = error_of(send(&format!("https://{at}/hook")).await);
    assert!(error.starts_with("TLS: "), "{error}");
}

#[tokio::test]
async fn an_error_status_keeps_the_first_bytes_of_the_answer() {
    let long = "x".repeat(300);
    let at = server(move |mut stream| {
        let body = format!("{{\"error\": \"no\nroom\"}} {long}");
        async move {
            let answer = format!(
                "HTTP/1.1 507 Insufficient Storage\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    match send(&format!("http://{at}/hook")).await {
        Sent::Failed {
            status: Some(507),
            error,
        } => {
            assert!(
                error.starts_with(r#"HTTP 507: {"error": "no room"} xxx"#),
                "{error}"
            );
            assert!(error.ends_with('…'), "{error}");
            assert!(error.chars().count() < 230, "{error}");
        }
        other => panic!("{other:?}"),
    }
    let at = server(|mut stream| async move {
        let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").await;
    })
    .await;
    assert_eq!(
        send(&format!("http://{at}/hook")).await,
        Sent::Delivered { status: 204 }
    );
}
