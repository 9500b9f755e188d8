//! Request heads that run long. hyper holds a request's head in a read buffer
//! that doubles as it fills (16 KiB after the first read, 32 KiB once past
//! 8 KiB under the default cap), beside about 13 KiB of its own for every
//! connection (an 8 KiB write buffer, the connection's state and task), and the
//! allocator keeps what each connection's buffer grew out of. A client that
//! sends a head just under the cap and waits costs about 50 KiB; one that stops
//! under [`LARGE`], about 20. So that slow clients cannot each make the server
//! hold the cap, at most `max_large_heads` heads at once may grow past
//! [`LARGE`]: one that does with no turn free is refused with 431 and its
//! connection closed, while heads under it, and requests under way, go on.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Past this many bytes, a head needs one of the turns of [`LargeHeads`].
pub const LARGE: usize = 8 * 1024;

/// What a client whose long head found no turn free gets before the
/// connection closes (hyper's own 431 is for a head over the cap).
pub const REFUSAL: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\ncontent-length: 59\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many requests with headers over 8 KiB: try again soon\r\n";

/// The turns for heads past [`LARGE`], shared by every connection.
#[derive(Clone)]
pub struct LargeHeads(Arc<Semaphore>);

impl LargeHeads {
    pub fn new(turns: usize) -> LargeHeads {
        LargeHeads(Arc::new(Semaphore::new(turns)))
    }
}

/// One connection's head as it comes in: its bytes so far, and its turn
/// once past [`LARGE`].
#[derive(Default)]
pub struct Head {
    bytes: AtomicUsize,
    turn: Mutex<Option<OwnedSemaphorePermit>>,
    refused: AtomicBool,
    /// The connection was upgraded (a WebSocket): what it reads is no head.
    upgraded: AtomicBool,
}

impl Head {
    /// Counts `n` more bytes of the head; false when they take it past
    /// [`LARGE`] and no turn is free (the head is then refused).
    pub fn read(&self, n: usize, large: &LargeHeads) -> bool {
        if self.upgraded.load(Ordering::Relaxed) {
            return true;
        }
        let bytes = self.bytes.fetch_add(n, Ordering::Relaxed) + n;
        if bytes <= LARGE {
            return true;
        }
        let mut turn = self.turn.lock().unwrap_or_else(|p| p.into_inner());
        if turn.is_some() {
            return true;
        }
        match large.0.clone().try_acquire_owned() {
            Ok(permit) => {
                *turn = Some(permit);
                true
            }
            Err(_) => {
                self.refused.store(true, Ordering::Relaxed);
                false
            }
        }
    }

    /// The head is complete (its request has begun): its turn goes back.
    pub fn complete(&self) {
        self.bytes.store(0, Ordering::Relaxed);
        self.turn.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// From now on the connection carries something else than requests.
    pub fn upgraded(&self) {
        self.upgraded.store(true, Ordering::Relaxed);
        self.complete();
    }

    /// Whether a head of this connection was refused for want of a turn.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_past_the_threshold_take_turns_and_give_them_back() {
        let large = LargeHeads::new(1);
        let (first, second) = (Head::default(), Head::default());
        // Under the threshold no turn is needed, however many heads.
        assert!(first.read(LARGE, &large) && second.read(LARGE, &large));
        // Past it, the one turn goes to the first; the second is refused.
        assert!(first.read(1, &large));
        assert!(first.read(4096, &large));
        assert!(!second.read(1, &large));
        assert!(second.refused() && !first.refused());
        // Its request begun, the first gives the turn back for the next head.
        first.complete();
        let third = Head::default();
        assert!(third.read(LARGE + 1, &large));
    }

    #[test]
    fn an_upgraded_connection_counts_nothing() {
        let large = LargeHeads::new(1);
        let (socket, other) = (Head::default(), Head::default());
        socket.upgraded();
        assert!(socket.read(10 * LARGE, &large));
        assert!(other.read(LARGE + 1, &large), "the turn is still free");
    }

    #[test]
    fn the_refusal_announces_its_length() {
        let text = std::str::from_utf8(REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
    }
}
