//! A connection's stream as hyper sees it, and how it closes after a refusal.

use super::heads::{LargeHeads, REFUSAL};
use super::{Activity, LINGER};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The connection's stream, noting in its [`Activity`] when the client sends
/// and, between requests, how long the head coming in has grown.
pub(super) struct Tracked {
    pub(super) stream: TcpStream,
    pub(super) activity: Arc<Activity>,
    pub(super) large_heads: LargeHeads,
}

impl tokio::io::AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        let n = buf.filled().len() - before;
        if matches!(read, Poll::Ready(Ok(()))) && n > 0 {
            this.activity.touch();
            // No response is being written: a refusal cuts none short.
            let may_refuse = this.activity.in_flight.load(Ordering::Relaxed) == 0;
            let bytes = &buf.filled()[before..];
            if !this
                .activity
                .head
                .read(bytes, &this.large_heads, may_refuse)
            {
                let refused = "a request head over 8 KiB with no turn free";
                return Poll::Ready(Err(std::io::Error::other(refused)));
            }
        }
        read
    }
}

impl tokio::io::AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Shuts the sending side (the answer is sent, and first the 431 of a long
/// head that found no turn, which hyper did not answer), then reads and
/// discards what the client still sends until it closes, at most [`LINGER`]
/// and 1 MiB.
pub(super) async fn close_lingering(mut stream: TcpStream, head_refused: bool) {
    if head_refused {
        let _ = tokio::time::timeout(LINGER, stream.write_all(REFUSAL)).await;
    }
    let _ = stream.shutdown().await;
    let mut sink = vec![0u8; 16 * 1024];
    let mut left = 1usize << 20;
    let _ = tokio::time::timeout(LINGER, async {
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    })
    .await;
}

/// A response's body, holding its connection busy until it has been sent.
pub(super) struct Sending {
    pub(super) body: axum::body::Body,
    pub(super) _busy: super::BusyGuard,
}

impl hyper::body::Body for Sending {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}
