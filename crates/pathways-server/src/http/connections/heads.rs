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
//!
//! What counts is the bytes of heads only: a connection's bytes are followed
//! as they are read, and when hyper has parsed a head its length and its
//! body's framing say which of the bytes read so far were the head, which the
//! body (never counted: a body is limited by `--body-limit`, and hyper holds
//! it in no buffer of this kind), and which already belong to the next head
//! (a client that pipelines).

use std::sync::atomic::{AtomicBool, Ordering};
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

/// How the body of a parsed head is framed, as far as the count goes; in a
/// count, the body still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Framing {
    /// No body: what follows the head is the next head.
    #[default]
    None,
    /// `Content-Length`: that many bytes follow the head (in a count, are
    /// still to come).
    Length(u64),
    /// Chunked: its end is not followed; nothing is counted until the
    /// response has gone out.
    Chunked,
}

/// One connection's count: the bytes of the head coming in, the body still
/// to come, and the turn the head holds.
#[derive(Default)]
pub struct Head {
    count: Mutex<Count>,
    refused: AtomicBool,
    /// The connection was upgraded (a WebSocket): what it reads is no head.
    upgraded: AtomicBool,
}

#[derive(Default)]
struct Count {
    /// Bytes of the head coming in.
    head: usize,
    /// Its end (a blank line) has been read: what follows is body or the
    /// next head, which hyper tells apart once it has parsed this one.
    ended: bool,
    /// Bytes read after the end, waiting for that.
    pending: usize,
    /// How much of `\r\n\r\n` the last bytes were, and whether the head has
    /// had anything but line ends (empty lines before a request line are
    /// skipped, by hyper too).
    matched: u8,
    content: bool,
    body: Framing,
    turn: Option<OwnedSemaphorePermit>,
}

impl Head {
    /// Counts `bytes` read from the client. False when they take a head
    /// past [`LARGE`] with no turn free and `may_refuse` (no response is
    /// being written); otherwise the head is refused at a later read.
    pub fn read(&self, bytes: &[u8], large: &LargeHeads, may_refuse: bool) -> bool {
        if self.upgraded.load(Ordering::Relaxed) {
            return true;
        }
        let mut count = self.lock();
        let left = count.body_takes(bytes.len());
        let bytes = &bytes[bytes.len() - left..];
        if count.ended {
            count.pending += bytes.len();
            return true;
        }
        match count.end_in(bytes) {
            Some(end) => {
                count.head += end;
                count.ended = true;
                count.pending += bytes.len() - end;
            }
            None => count.head += bytes.len(),
        }
        if count.head <= LARGE || count.turn.is_some() {
            return true;
        }
        if let Ok(permit) = large.0.clone().try_acquire_owned() {
            count.turn = Some(permit);
            return true;
        }
        if may_refuse {
            self.refused.store(true, Ordering::Relaxed);
        }
        !may_refuse
    }

    /// hyper has parsed a head of about `length` bytes whose body is framed
    /// as `framing`: what was read past it is body, then the next head.
    pub fn parsed(&self, length: usize, framing: Framing) {
        let mut count = self.lock();
        // Where the end was read, the bytes past it are known; a head that
        // came in behind another (pipelined) is measured from the request.
        let past = if count.ended {
            count.pending
        } else {
            count.head.saturating_sub(length)
        };
        let turn = count.turn.take();
        *count = Count {
            body: framing,
            ..Count::default()
        };
        count.head = count.body_takes(past);
        count.content = count.head > 0;
        if count.head > LARGE {
            count.turn = turn;
        }
    }

    /// A response has gone out: a chunked body has ended by now, or will
    /// never be read (hyper then closes the connection).
    pub fn responded(&self) {
        let mut count = self.lock();
        if count.body == Framing::Chunked {
            count.body = Framing::None;
        }
    }

    /// From now on the connection carries something else than requests.
    pub fn upgraded(&self) {
        self.upgraded.store(true, Ordering::Relaxed);
        self.release();
    }

    /// Gives the turn back (a connection about to close).
    pub fn release(&self) {
        self.lock().turn = None;
    }

    /// Whether a head of this connection was refused for want of a turn.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Count> {
        self.count.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Count {
    /// Where in `bytes` the head ends (just past its blank line), if it does.
    fn end_in(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &byte) in bytes.iter().enumerate() {
            self.matched = match (self.matched, byte) {
                (0 | 2, b'\r') | (1 | 3, b'\n') => self.matched + 1,
                (_, b'\r') => 1,
                _ => 0,
            };
            if byte != b'\r' && byte != b'\n' {
                self.content = true;
            } else if self.matched == 4 && self.content {
                return Some(i + 1);
            }
        }
        None
    }

    /// Of `n` bytes read, how many are left once the body still to come
    /// has taken its own.
    fn body_takes(&mut self, n: usize) -> usize {
        match &mut self.body {
            Framing::None => n,
            Framing::Chunked => 0,
            Framing::Length(left) => {
                let taken = (*left).min(n as u64);
                *left -= taken;
                if *left == 0 {
                    self.body = Framing::None;
                }
                n - usize::try_from(taken).unwrap_or(n)
            }
        }
    }
}

/// About how many bytes `request`'s head took on the wire: its request line
/// and header lines as hyper read them. A client that writes `name:value`
/// without the space sent a byte less per line than this, so a head it
/// pipelines behind may be counted that many bytes short: a few hundred at
/// most, against the 8 KiB a turn is for.
pub fn length_of<B>(request: &hyper::Request<B>) -> usize {
    let uri = request.uri();
    let target = uri.path_and_query().map_or(1, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| {
            a.as_str().len() + uri.scheme_str().map_or(0, str::len) + 3
        });
    let line = request.method().as_str().len() + 1 + target + " HTTP/1.1\r\n".len();
    let fields: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
        .sum();
    line + fields + 2
}

/// How `request`'s body is framed.
pub fn framing_of<B>(request: &hyper::Request<B>) -> Framing {
    let headers = request.headers();
    let chunked = headers
        .get_all(hyper::header::TRANSFER_ENCODING)
        .iter()
        .any(|v| {
            v.to_str()
                .is_ok_and(|v| v.to_ascii_lowercase().contains("chunked"))
        });
    if chunked {
        return Framing::Chunked;
    }
    headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.trim().parse().ok())
        .map_or(Framing::None, Framing::Length)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole head of `len` bytes.
    fn head(len: usize) -> Vec<u8> {
        let start = b"GET / HTTP/1.1\r\nx: ";
        let mut bytes = start.to_vec();
        bytes.resize(len - 4, b'a');
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes
    }

    /// `len` bytes of a head that has not ended, or of a body.
    fn part(len: usize) -> Vec<u8> {
        vec![b'a'; len]
    }

    #[test]
    fn heads_past_the_threshold_take_turns_and_give_them_back() {
        let large = LargeHeads::new(1);
        let (first, second) = (Head::default(), Head::default());
        // Under the threshold no turn is needed, however many heads.
        assert!(first.read(&part(LARGE), &large, true));
        assert!(second.read(&part(LARGE), &large, true));
        // Past it, the one turn goes to the first; the second is refused.
        assert!(first.read(&part(1), &large, true));
        assert!(first.read(&head(4096), &large, true));
        assert!(!second.read(&part(1), &large, true));
        assert!(second.refused() && !first.refused());
        // Its head parsed, the first gives the turn back for the next head.
        first.parsed(LARGE + 4097, Framing::None);
        let third = Head::default();
        assert!(third.read(&part(LARGE + 1), &large, true));
    }

    #[test]
    fn while_a_response_is_written_a_long_head_is_counted_not_refused() {
        let large = LargeHeads::new(0);
        let head = Head::default();
        assert!(head.read(&part(LARGE + 1), &large, false));
        assert!(!head.refused());
        // Refused at the next read once nothing is being written.
        assert!(!head.read(&part(1), &large, true));
        assert!(head.refused());
    }

    #[test]
    fn bodies_are_not_counted_and_what_follows_them_is() {
        let large = LargeHeads::new(0);
        let count = Head::default();
        // A 200-byte head and the first 8 KiB of its 40 KiB body, in one read.
        let mut first = head(200);
        first.extend(part(8 * 1024));
        assert!(count.read(&first, &large, true));
        count.parsed(200, Framing::Length(40 * 1024));
        // The rest of the body, in reads of any size: not counted.
        for _ in 0..32 {
            assert!(count.read(&part(1024), &large, true));
        }
        // Then a next head that runs long: counted from its first byte.
        assert!(count.read(&part(LARGE), &large, true));
        assert!(!count.read(&part(1), &large, true));
    }

    #[test]
    fn a_pipelined_head_counts_from_the_read_it_came_in() {
        let large = LargeHeads::new(0);
        let count = Head::default();
        // A 60-byte GET and 8,000 bytes of the next head in one read, then
        // the GET is parsed: the 8,000 bytes are the next head's.
        let mut bytes = head(60);
        bytes.extend(part(8_000));
        assert!(count.read(&bytes, &large, true));
        count.parsed(60, Framing::None);
        assert!(
            !count.read(&part(1_000), &large, true),
            "8,000 + 1,000 > 8 KiB"
        );
    }

    #[test]
    fn empty_lines_before_a_head_do_not_end_it() {
        let large = LargeHeads::new(0);
        let count = Head::default();
        let mut bytes = b"\r\n\r\n\r\n".to_vec();
        bytes.extend(part(LARGE));
        assert!(!count.read(&bytes, &large, true));
    }

    #[test]
    fn a_chunked_body_is_not_counted_until_its_response_has_gone_out() {
        let large = LargeHeads::new(0);
        let count = Head::default();
        assert!(count.read(&head(100), &large, true));
        count.parsed(100, Framing::Chunked);
        assert!(count.read(&part(64 * 1024), &large, true));
        count.responded();
        assert!(!count.read(&part(LARGE + 1), &large, true));
    }

    #[test]
    fn an_upgraded_connection_counts_nothing() {
        let large = LargeHeads::new(1);
        let (socket, other) = (Head::default(), Head::default());
        socket.upgraded();
        assert!(socket.read(&part(10 * LARGE), &large, true));
        assert!(
            other.read(&part(LARGE + 1), &large, true),
            "the turn is still free"
        );
    }

    #[test]
    fn a_head_is_measured_as_it_was_sent() {
        let request = hyper::Request::post("/graphql?x=1")
            .header("host", "example.org")
            .header("content-length", "17")
            .body(())
            .unwrap();
        let sent = "POST /graphql?x=1 HTTP/1.1\r\nhost: example.org\r\ncontent-length: 17\r\n\r\n";
        assert_eq!(length_of(&request), sent.len());
        assert_eq!(framing_of(&request), Framing::Length(17));
        let chunked = hyper::Request::post("/")
            .header("transfer-encoding", "gzip, Chunked")
            .body(())
            .unwrap();
        assert_eq!(framing_of(&chunked), Framing::Chunked);
        let get = hyper::Request::get("/healthz").body(()).unwrap();
        assert_eq!(framing_of(&get), Framing::None);
    }

    #[test]
    fn the_refusal_announces_its_length() {
        let text = std::str::from_utf8(REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
    }
}
