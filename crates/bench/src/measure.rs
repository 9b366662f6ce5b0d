//! What the bench measures with: a clock both processes share, CPU time, the daemon's memory
//! from procfs, and a latency histogram.

use std::collections::BTreeMap;

use serde::Serialize;

/// `CLOCK_MONOTONIC` in nanoseconds. It is system-wide on Linux, so a time the replay agent
/// writes into a delta can be compared with the time the SSE client receives it.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// User plus system CPU time of this process (all its threads), in seconds.
pub fn self_cpu_s() -> f64 {
    // SAFETY: getrusage fills the struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// User plus system CPU time of another process (`/proc/<pid>/stat`), in seconds.
pub fn proc_cpu_s(pid: u32) -> Option<f64> {
    stat_cpu_s(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?).map(|(_, cpu)| cpu)
}

/// A `stat` file's command name and CPU seconds.
fn stat_cpu_s(stat: &str) -> Option<(String, f64)> {
    // The command name may hold spaces; fields after its closing parenthesis are fixed.
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
    let (utime, stime): (f64, f64) = (fields.get(11)?.parse().ok()?, fields.get(12)?.parse().ok()?);
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some((stat[open + 1..close].to_string(), (utime + stime) / ticks))
}

/// CPU seconds of a process's threads, summed by thread name (`store-writer`,
/// `tokio-runtime-w`, …).
pub fn proc_threads_cpu_s(pid: u32) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        if let Some((name, cpu)) = stat_cpu_s(&stat) {
            *out.entry(name).or_insert(0.0) += cpu;
        }
    }
    out
}

/// Resident memory of a process, from `/proc/<pid>/status`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rss {
    /// Current resident set (VmRSS), KiB.
    pub rss_kb: u64,
    /// Peak resident set since start (VmHWM), KiB.
    pub peak_kb: u64,
}

pub fn proc_rss(pid: u32) -> Option<Rss> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some(Rss { rss_kb: field("VmRSS:")?, peak_kb: field("VmHWM:")? })
}

/// The 1-minute load average, to judge how noisy a figure is.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// Log-linear histogram of nanosecond values: exact below 128, then 64 buckets per power of
/// two (at most 1.6% off). Fixed size, so a million samples cost nothing extra.
#[derive(Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

const LINEAR: u64 = 128;
const SUB_BITS: u32 = 6;
const BUCKETS: usize = LINEAR as usize + (64 - 7) * (1 << SUB_BITS);

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: vec![0; BUCKETS], total: 0, max: 0 }
    }
}

impl Histogram {
    fn index(v: u64) -> usize {
        if v < LINEAR {
            return v as usize;
        }
        let exp = 63 - v.leading_zeros(); // ≥ 7
        let sub = (v >> (exp - SUB_BITS)) - (1 << SUB_BITS);
        LINEAR as usize + (exp as usize - 7) * (1 << SUB_BITS) + sub as usize
    }

    /// The middle of bucket `i`.
    fn value(i: usize) -> u64 {
        if i < LINEAR as usize {
            return i as u64;
        }
        let exp = (i - LINEAR as usize) as u32 / (1 << SUB_BITS) + 7;
        let sub = (i - LINEAR as usize) as u64 % (1 << SUB_BITS);
        let width = 1u64 << (exp - SUB_BITS);
        ((1 << SUB_BITS) + sub) * width + width / 2
    }

    pub fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.total += 1;
        self.max = self.max.max(v);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// The value at quantile `q` (0..=1); 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::value(i).min(self.max);
            }
        }
        self.max
    }

    /// p50, p99 and max in microseconds (None when nothing was recorded).
    pub fn summary_us(&self) -> Option<Latency> {
        let us = |ns: u64| (ns as f64 / 100.0).round() / 10.0;
        (self.total > 0).then(|| Latency {
            samples: self.total,
            p50: us(self.quantile(0.50)),
            p99: us(self.quantile(0.99)),
            max: us(self.max),
        })
    }
}

/// Latency figures, microseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    pub samples: u64,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// Percentiles of a handful of timings (start-up runs), milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread {
    pub runs: usize,
    pub min: f64,
    pub p50: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(ms: &[f64]) -> Option<Spread> {
        if ms.is_empty() {
            return None;
        }
        let mut v = ms.to_vec();
        v.sort_by(f64::total_cmp);
        let round = |x: f64| (x * 100.0).round() / 100.0;
        Some(Spread { runs: v.len(), min: round(v[0]), p50: round(v[(v.len() - 1) / 2]), max: round(v[v.len() - 1]) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_within_two_percent() {
        let mut h = Histogram::default();
        for v in 1..=100_000u64 {
            h.record(v * 1000);
        }
        for (q, want) in [(0.5, 50_000_000.0), (0.99, 99_000_000.0)] {
            let got = h.quantile(q) as f64;
            assert!((got - want).abs() / want < 0.02, "q{q}: {got} vs {want}");
        }
        assert_eq!(h.quantile(1.0), 100_000_000);
        assert_eq!(h.count(), 100_000);
        let mut small = Histogram::default();
        small.record(5);
        assert_eq!(small.quantile(0.5), 5);
        let mut merged = Histogram::default();
        merged.merge(&h);
        merged.merge(&small);
        assert_eq!(merged.count(), 100_001);
    }

    #[test]
    fn procfs_readings_of_this_process() {
        let me = std::process::id();
        let rss = proc_rss(me).unwrap();
        assert!(rss.rss_kb > 0 && rss.peak_kb >= rss.rss_kb);
        assert!(proc_cpu_s(me).unwrap() >= 0.0);
        assert!(!proc_threads_cpu_s(me).is_empty());
        assert!(now_ns() > 0 && self_cpu_s() >= 0.0);
    }
}
