//! Reading a child's stdout line by line into one reused buffer.

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::ChildStdout;

/// A line longer than this does not keep its buffer (one huge tool result must not pin its
/// memory for the rest of the session).
const KEEP_CAPACITY: usize = 64 * 1024;

/// Lines of a reader, each lent as `&str` from one buffer that is reused, so reading a line
/// allocates nothing once the buffer has grown (unlike `tokio::io::Lines`, which hands out a
/// new `String` per line). `\n` and `\r\n` are stripped; a last line without a newline is
/// still a line. Invalid UTF-8 is an `InvalidData` error, as with `tokio::io::Lines`.
///
/// Cancel safe: [`Lines::next_line`] may be a `select!` branch. A partly read line stays in
/// the buffer and the next call completes it.
pub struct Lines<R = ChildStdout> {
    reader: BufReader<R>,
    buf: Vec<u8>,
    /// The buffer holds a complete line that was handed out: clear it before reading on.
    lent: bool,
}

impl<R: AsyncRead + Unpin> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines { reader: BufReader::new(reader), buf: Vec::new(), lent: false }
    }

    /// The next line, or None at the end of the stream.
    pub async fn next_line(&mut self) -> std::io::Result<Option<&str>> {
        if self.lent {
            self.lent = false;
            self.buf.clear();
            if self.buf.capacity() > KEEP_CAPACITY {
                self.buf = Vec::new();
            }
        }
        // read_until keeps what it read in `buf` when cancelled, so nothing is lost.
        let read = self.reader.read_until(b'\n', &mut self.buf).await?;
        if read == 0 && self.buf.is_empty() {
            return Ok(None);
        }
        self.lent = true;
        let mut line = &self.buf[..];
        if let Some(rest) = line.strip_suffix(b"\n") {
            line = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        std::str::from_utf8(line).map(Some).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn strips_newlines_and_keeps_a_last_partial_line() {
        let mut lines = Lines::new(&b"one\r\ntwo\n\nthree"[..]);
        let mut got = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            got.push(line.to_string());
        }
        assert_eq!(got, ["one", "two", "", "three"]);
        assert!(lines.next_line().await.unwrap().is_none(), "stays at the end");
    }

    #[tokio::test]
    async fn invalid_utf8_is_an_error() {
        let mut lines = Lines::new(&b"ok\n\xff\xfe\n"[..]);
        assert_eq!(lines.next_line().await.unwrap(), Some("ok"));
        assert_eq!(lines.next_line().await.unwrap_err().kind(), std::io::ErrorKind::InvalidData);
    }

    #[tokio::test]
    async fn a_cancelled_read_loses_nothing() {
        let (mut tx, rx) = tokio::io::duplex(64);
        let mut lines = Lines::new(rx);
        tx.write_all(b"hal").await.unwrap();
        // Polled once, the read takes the partial line and waits for the rest; then it is dropped.
        tokio::select! {
            biased;
            line = lines.next_line() => panic!("a line without its newline: {line:?}"),
            _ = std::future::ready(()) => {}
        }
        tx.write_all(b"f a line\nnext\n").await.unwrap();
        assert_eq!(lines.next_line().await.unwrap(), Some("half a line"));
        assert_eq!(lines.next_line().await.unwrap(), Some("next"));
        drop(tx);
        assert_eq!(lines.next_line().await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_huge_line_does_not_keep_its_buffer() {
        let mut input = vec![b'x'; 4 * KEEP_CAPACITY];
        input.extend_from_slice(b"\nsmall\n");
        let mut lines = Lines::new(&input[..]);
        assert_eq!(lines.next_line().await.unwrap().map(str::len), Some(4 * KEEP_CAPACITY));
        assert_eq!(lines.next_line().await.unwrap(), Some("small"));
        assert!(lines.buf.capacity() <= KEEP_CAPACITY);
    }
}
