//! A command's output: its streams read to their end but kept only up to a cap, and how bytes
//! are given back (text when they are UTF-8, base64 when not).

use base64::Engine;
use sandbox_agent_schema::{Encoding, OutputStream};

use crate::{Chunk, Progress};
use tokio::io::{AsyncRead, AsyncReadExt};

/// What a stream held, up to the cap.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Captured {
    pub bytes: Vec<u8>,
    /// The stream said more than the cap (the rest was read and dropped).
    pub truncated: bool,
}

/// Read `reader` to its end, keeping the first `cap` bytes — or, with a sink, sending them to
/// it as they come and keeping none (the caller streamed them). Reading on past the cap keeps
/// the command from blocking on a full pipe; a sink that is gone is left alone.
pub async fn capture<R: AsyncRead + Unpin>(
    mut reader: R,
    cap: usize,
    mut sink: Option<(OutputStream, crate::Sink)>,
) -> Captured {
    let streaming = sink.is_some();
    let mut out = Captured::default();
    let mut taken = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => return out,
            Ok(n) => {
                let room = cap.saturating_sub(taken);
                let kept = &buf[..n.min(room)];
                taken += kept.len();
                out.truncated |= n > room;
                if !streaming {
                    out.bytes.extend_from_slice(kept);
                } else if let Some((stream, tx)) = &sink {
                    let chunk = Progress::Output(Chunk { stream: *stream, bytes: kept.to_vec() });
                    if !kept.is_empty() && tx.send(chunk).await.is_err() {
                        sink = None;
                    }
                }
            }
        }
    }
}

/// Streamed output as text where it is UTF-8: a character cut between two chunks waits for
/// the rest; bytes that are not UTF-8 go as base64.
#[derive(Debug, Default)]
pub struct Utf8Chunks {
    carry: Vec<u8>,
}

impl Utf8Chunks {
    pub fn push(&mut self, bytes: &[u8]) -> Option<(String, Encoding)> {
        let mut all = std::mem::take(&mut self.carry);
        all.extend_from_slice(bytes);
        match std::str::from_utf8(&all) {
            Ok(text) => (!text.is_empty()).then(|| (text.to_string(), Encoding::Utf8)),
            Err(err) if err.error_len().is_none() => {
                self.carry = all.split_off(err.valid_up_to());
                (!all.is_empty()).then(|| (String::from_utf8(all).unwrap_or_default(), Encoding::Utf8))
            }
            Err(_) => Some((base64(&all), Encoding::Base64)),
        }
    }

    /// What is still waiting at the end (an incomplete character), as base64.
    pub fn finish(&mut self) -> Option<(String, Encoding)> {
        let rest = std::mem::take(&mut self.carry);
        (!rest.is_empty()).then(|| (base64(&rest), Encoding::Base64))
    }
}

/// Text when the bytes are UTF-8 (a cut in the middle of a character drops that character),
/// base64 otherwise.
pub fn encode(captured: &Captured) -> (String, Encoding) {
    let bytes = &captured.bytes;
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        // Only an incomplete last character, from the cut: still text.
        Err(err) if captured.truncated && err.error_len().is_none() => {
            (String::from_utf8_lossy(&bytes[..err.valid_up_to()]).into_owned(), Encoding::Utf8)
        }
        Err(_) => (base64::engine::general_purpose::STANDARD.encode(bytes), Encoding::Base64),
    }
}

pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| format!("not base64: {e}"))
}

pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_past_the_cap_is_cut_and_read_to_its_end() {
        let data = vec![b'x'; 200_000];
        let got = capture(&data[..], 1000, None).await;
        assert_eq!((got.bytes.len(), got.truncated), (1000, true));
        let got = capture(&b"small"[..], 1000, None).await;
        assert_eq!((got.bytes.as_slice(), got.truncated), (&b"small"[..], false));
    }

    #[test]
    fn text_stays_text_and_bytes_become_base64() {
        let text = Captured { bytes: "héllo".as_bytes().to_vec(), truncated: false };
        assert_eq!(encode(&text), ("héllo".to_string(), Encoding::Utf8));
        let cut = Captured { bytes: "hé".as_bytes()[..2].to_vec(), truncated: true };
        assert_eq!(encode(&cut), ("h".to_string(), Encoding::Utf8));
        let binary = Captured { bytes: vec![0xff, 0x00, 0x01], truncated: false };
        assert_eq!(encode(&binary), ("/wAB".to_string(), Encoding::Base64));
        assert_eq!(decode_base64("/wAB").unwrap(), [0xff, 0, 1]);
    }

    #[test]
    fn a_character_split_between_chunks_is_sent_whole() {
        let mut chunks = Utf8Chunks::default();
        let e = "é".as_bytes();
        assert_eq!(chunks.push(&[b'a', e[0]]), Some(("a".to_string(), Encoding::Utf8)));
        assert_eq!(chunks.push(&[e[1], b'b']), Some(("éb".to_string(), Encoding::Utf8)));
        assert_eq!(chunks.push(&[0xff]), Some(("/w==".to_string(), Encoding::Base64)));
        assert_eq!(chunks.push(&[e[0]]), None);
        assert_eq!(chunks.finish(), Some(("ww==".to_string(), Encoding::Base64)));
    }
}
