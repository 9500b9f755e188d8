//! A real webhook receiver on a random port: it keeps every request (when it
//! came and when it was answered) and answers with the replies it is given,
//! in order, then with its default reply.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    /// POST for webhooks, PURGE for caches.
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub answered: u16,
    pub arrived: Instant,
    /// When the answer was sent; `None` while it is held.
    pub finished: Option<Instant>,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        self.headers[name].to_str().unwrap().to_owned()
    }
}

/// A status, sent after a wait.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    pub status: u16,
    pub after: Duration,
}

impl Reply {
    pub const OK: Reply = Reply::after(200, Duration::ZERO);
    /// Never in a test's lifetime.
    pub const NEVER: Reply = Reply::after(200, Duration::from_secs(3600));

    pub const fn after(status: u16, after: Duration) -> Reply {
        Reply { status, after }
    }
}

pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Receiver {
    /// Answers the statuses of `script` at once, in order, then 200.
    pub fn start(script: &[u16]) -> Receiver {
        let script = script.iter().map(|&s| Reply::after(s, Duration::ZERO));
        Receiver::replying(script.collect(), Reply::OK)
    }

    /// Answers with the replies of `script`, in order, then with `then`.
    pub fn replying(script: Vec<Reply>, then: Reply) -> Receiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (bound, address) = std::sync::mpsc::channel();
        let kept = received.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("receiver runtime");
            runtime.block_on(async move {
                let app = axum::Router::new().route(
                    "/hook",
                    axum::routing::any(move |method: Method, headers: HeaderMap, body: Bytes| {
                        let (kept, script) = (kept.clone(), script.clone());
                        async move {
                            let reply = {
                                let mut script = script.lock().unwrap();
                                if script.is_empty() {
                                    then
                                } else {
                                    script.remove(0)
                                }
                            };
                            let at = {
                                let mut kept = kept.lock().unwrap();
                                kept.push(Received {
                                    method,
                                    headers,
                                    body,
                                    answered: reply.status,
                                    arrived: Instant::now(),
                                    finished: None,
                                });
                                kept.len() - 1
                            };
                            tokio::time::sleep(reply.after).await;
                            kept.lock().unwrap()[at].finished = Some(Instant::now());
                            StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK)
                        }
                    }),
                );
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let _ = bound.send(listener.local_addr().expect("address"));
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        let address = address.recv().expect("the receiver listens");
        Receiver {
            url: format!("http://{address}/hook"),
            received,
            stop: Some(stop),
        }
    }

    /// Every request so far, answered or not, in the order they came.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `n` requests came in (failing after `within`).
    #[track_caller]
    pub fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        self.wait_until(within, &format!("{n} webhook requests"), |got| {
            got.len() >= n
        })
    }

    /// Waits until `done` holds of the requests so far (failing after `within`).
    #[track_caller]
    pub fn wait_until(
        &self,
        within: Duration,
        what: &str,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if done(&got) {
                return got;
            }
            assert!(
                started.elapsed() < within,
                "not {what} within {within:?}: {} request(s)",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
