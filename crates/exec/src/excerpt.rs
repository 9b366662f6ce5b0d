//! What is kept of a process's stderr: its first and last lines.

use std::collections::VecDeque;

/// Lines kept from the start of stderr.
pub const STDERR_HEAD: usize = 20;
/// Lines kept from the end of stderr.
pub const STDERR_TAIL: usize = 50;

/// The first [`STDERR_HEAD`] and the last [`STDERR_TAIL`] lines of a process's stderr (never
/// parsed: it is for people reading an exit report).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StderrExcerpt {
    head: Vec<String>,
    tail: VecDeque<String>,
    total: u64,
}

impl StderrExcerpt {
    pub fn push(&mut self, line: String) {
        self.total += 1;
        if self.head.len() < STDERR_HEAD {
            self.head.push(line);
            return;
        }
        if self.tail.len() == STDERR_TAIL {
            self.tail.pop_front();
        }
        self.tail.push_back(line);
    }

    /// How many lines were written in all.
    pub fn total_lines(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// True when lines between the head and the tail were dropped.
    pub fn truncated(&self) -> bool {
        self.total > (STDERR_HEAD + STDERR_TAIL) as u64
    }

    /// The first lines, joined by newlines (empty when nothing was written).
    pub fn head(&self) -> String {
        self.head.join("\n")
    }

    /// The lines after the head (the last ones kept), joined; None when all fit in the head.
    pub fn tail(&self) -> Option<String> {
        (!self.tail.is_empty()).then(|| self.tail.iter().map(String::as_str).collect::<Vec<_>>().join("\n"))
    }

    /// Up to the last `n` lines kept, oldest first, for error messages.
    pub fn last_lines(&self, n: usize) -> Vec<String> {
        let all: Vec<&String> = self.head.iter().chain(self.tail.iter()).collect();
        all[all.len().saturating_sub(n)..].iter().map(|l| l.to_string()).collect()
    }

    /// The last line, for error messages.
    pub fn last_line(&self) -> Option<&str> {
        self.tail.back().or_else(|| self.head.last()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(lines: usize) -> StderrExcerpt {
        let mut e = StderrExcerpt::default();
        (1..=lines).for_each(|i| e.push(format!("l{i}")));
        e
    }

    #[test]
    fn keeps_head_and_tail_and_counts_everything() {
        let empty = excerpt(0);
        assert!(empty.is_empty() && empty.last_line().is_none() && empty.tail().is_none());
        let short = excerpt(3);
        assert_eq!(short.head(), "l1\nl2\nl3");
        assert_eq!(short.tail(), None);
        assert!(!short.truncated());
        assert_eq!(short.last_line(), Some("l3"));

        let exact = excerpt(STDERR_HEAD + STDERR_TAIL);
        assert!(!exact.truncated());
        let long = excerpt(200);
        assert_eq!(long.total_lines(), 200);
        assert!(long.truncated());
        let head: Vec<String> = (1..=20).map(|i| format!("l{i}")).collect();
        assert_eq!(long.head(), head.join("\n"));
        let tail: Vec<String> = (151..=200).map(|i| format!("l{i}")).collect();
        assert_eq!(long.tail(), Some(tail.join("\n")));
        assert_eq!(long.last_lines(2), ["l199", "l200"]);
        assert_eq!(short.last_lines(10), ["l1", "l2", "l3"]);
    }
}
