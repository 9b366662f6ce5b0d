//! Packument lookup and streaming tarball download with integrity checking.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use reqwest::{header, StatusCode, Url};
use sha2::Digest as _;

use crate::error::{chain, Error, IoContext, Result};
use crate::registry::Registry;

const ABBREVIATED: &str = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

/// A version's `dist` entry: where its tarball is and what it must hash to.
#[derive(Clone, Debug)]
pub(crate) struct Dist {
    pub tarball: Url,
    pub integrity: Integrity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Algo {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// Expected digest, from `dist.integrity` (SRI) or the legacy `dist.shasum`.
#[derive(Clone, Debug)]
pub(crate) struct Integrity {
    algo: Algo,
    digest: Vec<u8>,
    /// `true` when it came from `dist.shasum` (reported as hex).
    hex: bool,
}

impl Integrity {
    /// Strongest supported hash of an SRI string (`sha512-<b64> sha1-<b64>`).
    pub fn from_sri(sri: &str) -> Option<Self> {
        sri.split_whitespace()
            .filter_map(|part| {
                let (name, rest) = part.split_once('-')?;
                let algo = match name {
                    "sha512" => Algo::Sha512,
                    "sha384" => Algo::Sha384,
                    "sha256" => Algo::Sha256,
                    "sha1" => Algo::Sha1,
                    _ => return None,
                };
                let b64 = rest.split('?').next()?; // SRI options
                let digest = B64.decode(b64).ok()?;
                Some(Integrity { algo, digest, hex: false })
            })
            .max_by_key(|i| i.algo)
    }

    pub fn from_shasum(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 40 || !hex.is_ascii() {
            return None;
        }
        let digest =
            (0..40).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect::<Option<Vec<u8>>>()?;
        Some(Integrity { algo: Algo::Sha1, digest, hex: true })
    }

    fn render(&self, digest: &[u8]) -> String {
        if self.hex {
            return digest.iter().map(|b| format!("{b:02x}")).collect();
        }
        let name = match self.algo {
            Algo::Sha1 => "sha1",
            Algo::Sha256 => "sha256",
            Algo::Sha384 => "sha384",
            Algo::Sha512 => "sha512",
        };
        format!("{name}-{}", B64.encode(digest))
    }

    /// The expected value, as recorded in `install.json`.
    pub fn expected(&self) -> String {
        self.render(&self.digest)
    }
}

enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn new(algo: Algo) -> Self {
        match algo {
            Algo::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algo::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algo::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Algo::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }
    fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

fn request(http: &reqwest::Client, registry: &Registry, url: &Url) -> reqwest::RequestBuilder {
    let mut req = http.get(url.clone());
    if let Some(auth) = registry.authorization(url) {
        req = req.header(header::AUTHORIZATION, auth);
    }
    req
}

fn send_error(err: reqwest::Error, url: &Url) -> Error {
    let detail = chain(&err);
    if err.is_connect() || err.is_timeout() {
        // Report the registry base, not the full URL.
        let mut base = url.clone();
        base.set_path("/");
        Error::RegistryUnreachable { url: base.to_string(), detail }
    } else {
        Error::Download { url: url.to_string(), detail }
    }
}

/// Fetch the (abbreviated) packument and pick `version`'s `dist`.
pub(crate) async fn resolve(http: &reqwest::Client, registry: &Registry, package: &str, version: &str) -> Result<Dist> {
    let url = registry.packument_url(package)?;
    let base = registry.url_for(package).to_string();
    let resp = request(http, registry, &url)
        .header(header::ACCEPT, ABBREVIATED)
        .timeout(Duration::from_secs(120))
        .send()
        .await
        .map_err(|e| match send_error(e, &url) {
            Error::RegistryUnreachable { detail, .. } => Error::RegistryUnreachable { url: base.clone(), detail },
            other => other,
        })?;
    match resp.status() {
        s if s.is_success() => {}
        StatusCode::NOT_FOUND => {
            return Err(Error::PackageNotFound { package: package.into(), registry: base });
        }
        s => return Err(Error::Http { url: url.to_string(), status: s.as_u16() }),
    }
    let bad = |detail: String| Error::BadMetadata { package: package.into(), detail };
    let doc: serde_json::Value = resp.json().await.map_err(|e| bad(chain(&e)))?;
    let Some(dist) = doc.get("versions").and_then(|v| v.get(version)).map(|v| &v["dist"]) else {
        let latest = doc["dist-tags"]["latest"].as_str().map(str::to_string);
        return Err(Error::VersionNotFound {
            package: package.into(),
            version: version.into(),
            registry: base,
            latest,
        });
    };
    let tarball = dist["tarball"].as_str().ok_or_else(|| bad(format!("{version}: no dist.tarball")))?;
    let tarball = url.join(tarball).map_err(|e| bad(format!("dist.tarball {tarball:?}: {e}")))?;
    let integrity = match (dist["integrity"].as_str(), dist["shasum"].as_str()) {
        (Some(sri), _) => Integrity::from_sri(sri).ok_or_else(|| bad(format!("unsupported dist.integrity {sri:?}")))?,
        (None, Some(sha)) => Integrity::from_shasum(sha).ok_or_else(|| bad(format!("bad dist.shasum {sha:?}")))?,
        (None, None) => return Err(bad(format!("{version}: neither dist.integrity nor dist.shasum"))),
    };
    Ok(Dist { tarball, integrity })
}

/// Stream the tarball into `dest`, hashing as it arrives; `progress(received,
/// total)` is called every ~256 KiB. Returns after the hash has been checked
/// (the `Verifying` step is reported by the caller through `verifying`).
pub(crate) async fn download(
    http: &reqwest::Client,
    registry: &Registry,
    dist: &Dist,
    dest: PathBuf,
    stall_timeout: Duration,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    verifying: &(dyn Fn() + Send + Sync),
) -> Result<()> {
    let url = &dist.tarball;
    let mut resp = request(http, registry, url).send().await.map_err(|e| send_error(e, url))?;
    if !resp.status().is_success() {
        return Err(Error::Http { url: url.to_string(), status: resp.status().as_u16() });
    }
    let total = resp.content_length();
    progress(0, total);

    // Writing and hashing happen on a blocking thread; chunks flow through a
    // bounded channel so a slow disk applies back-pressure to the socket.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(32);
    let algo = dist.integrity.algo;
    let path = dest.clone();
    let writer = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
        let file = std::fs::File::create(&path).ctx(|| format!("creating {}", path.display()))?;
        let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut hasher = Hasher::new(algo);
        while let Some(chunk) = rx.blocking_recv() {
            hasher.update(&chunk);
            file.write_all(&chunk).ctx(|| format!("writing {}", path.display()))?;
        }
        let file = file.into_inner().map_err(|e| e.into_error()).ctx(|| format!("writing {}", path.display()))?;
        file.sync_all().ctx(|| format!("syncing {}", path.display()))?;
        Ok(hasher.finish())
    });

    let mut received: u64 = 0;
    let mut reported: u64 = 0;
    let mut failure = None;
    loop {
        let chunk = match tokio::time::timeout(stall_timeout, resp.chunk()).await {
            Err(_) => {
                failure =
                    Some(Error::Download { url: url.to_string(), detail: format!("no data for {stall_timeout:?}") });
                break;
            }
            Ok(Err(e)) => {
                failure = Some(Error::Download { url: url.to_string(), detail: chain(&e) });
                break;
            }
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => chunk,
        };
        received += chunk.len() as u64;
        if tx.send(chunk).await.is_err() {
            break; // the writer failed; its error is reported below
        }
        if received - reported >= 256 * 1024 {
            reported = received;
            progress(received, total);
        }
    }
    drop(tx);
    let written = writer.await.map_err(|e| Error::Io {
        context: "download writer task".into(),
        source: std::io::Error::other(e.to_string()),
    });
    if let Some(err) = failure {
        return Err(err);
    }
    let digest = written??;
    progress(received, total);
    verifying();
    if digest != dist.integrity.digest {
        return Err(Error::IntegrityMismatch {
            expected: dist.integrity.expected(),
            actual: dist.integrity.render(&digest),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_picks_strongest() {
        let data = b"hello";
        let s512 = B64.encode(sha2::Sha512::digest(data));
        let s1 = B64.encode(sha1::Sha1::digest(data));
        let i = Integrity::from_sri(&format!("sha1-{s1} sha512-{s512}")).unwrap();
        assert_eq!(i.algo, Algo::Sha512);
        assert_eq!(i.expected(), format!("sha512-{s512}"));
        assert!(Integrity::from_sri("md5-AAAA").is_none());
        let hex = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"; // sha1("hello")
        let i = Integrity::from_shasum(hex).unwrap();
        assert_eq!(i.digest, sha1::Sha1::digest(data).to_vec());
        assert_eq!(i.expected(), hex);
        assert!(Integrity::from_shasum("xyz").is_none());
    }
}
