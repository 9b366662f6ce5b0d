//! `GET /v1/agents/{agent}/models`, cached per agent binary.
//!
//! Listing can start the agent (claude and codex: a process that lives 0.5–4 s and takes
//! 150–300 MB; OpenCode: a shared server that then stays up), while the answer changes only
//! with the agent's binary (part of the key: an install or upgrade lists afresh), the
//! daemon's environment (fixed for its life) and the account's credentials. So a list is kept
//! for [`MODELS_TTL`], which bounds how long a new login takes to show. Failures are not kept.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sandbox_agent_agents::{Agent, ModelsError, ModelsSpec};
use sandbox_agent_schema::AgentModelsResponse;

pub const MODELS_TTL: Duration = Duration::from_secs(600);

type Slot = Arc<tokio::sync::Mutex<Option<(Instant, AgentModelsResponse)>>>;

pub struct ModelCache {
    /// `<data dir>`: listings get a private directory under `<data dir>/models-tmp/`.
    data_dir: PathBuf,
    ttl: Duration,
    /// One slot per agent binary (`id`, install path, version).
    slots: Mutex<HashMap<String, Slot>>,
}

impl ModelCache {
    pub fn new(data_dir: PathBuf) -> Self {
        ModelCache { data_dir, ttl: MODELS_TTL, slots: Mutex::default() }
    }

    /// The agent's models, from the cache or listed now. Concurrent callers for one agent wait
    /// for a single listing.
    pub async fn get(&self, agent: Arc<dyn Agent>) -> Result<AgentModelsResponse, ModelsError> {
        let status = agent.install_status();
        let key = format!("{}\0{:?}\0{:?}", agent.id(), status.path, status.version);
        let slot = self.slots.lock().unwrap().entry(key).or_default().clone();
        let (ttl, data_dir) = (self.ttl, self.data_dir.clone());
        // In a task of its own: a caller that goes away mid-listing neither kills the agent
        // half-way nor leaves its directory behind, and whoever waits on the slot gets the list.
        let listing = tokio::spawn(async move {
            let mut cached = slot.lock().await;
            if let Some((at, list)) = cached.as_ref().filter(|(at, _)| at.elapsed() < ttl) {
                tracing::debug!(agent = agent.id(), age_ms = at.elapsed().as_millis() as u64, "models from the cache");
                return Ok(list.clone());
            }
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
            let state_dir = data_dir.join("models-tmp").join(format!("{}-{nanos:x}", agent.id()));
            std::fs::create_dir_all(&state_dir)
                .map_err(|e| ModelsError::Failed { message: format!("{}: {e}", state_dir.display()), stderr: None })?;
            let listed = agent.models(ModelsSpec { state_dir: state_dir.clone(), data_dir }).await;
            if let Err(err) = std::fs::remove_dir_all(&state_dir) {
                tracing::warn!(dir = %state_dir.display(), %err, "could not remove a model listing's directory");
            }
            if let Ok(list) = &listed {
                *cached = Some((Instant::now(), list.clone()));
            }
            listed
        });
        listing.await.unwrap_or_else(|e| {
            Err(ModelsError::Failed { message: format!("the model listing failed: {e}"), stderr: None })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sandbox_agent_agents::{AgentHandle, InstallStatus, ModelsFuture, OutputSender, SessionSpec, StartFuture};
    use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo, AgentModelInfo};

    use super::*;

    /// Counts its listings; fails while `fail` is set; its install path is `path`.
    #[derive(Default)]
    struct Counting {
        listings: AtomicUsize,
        fail: std::sync::atomic::AtomicBool,
        path: Mutex<String>,
        dirs: Mutex<Vec<PathBuf>>,
    }

    impl Agent for Counting {
        fn id(&self) -> &str {
            "counting"
        }
        fn capabilities(&self) -> AgentCapabilities {
            AgentCapabilities::default()
        }
        fn modes(&self) -> Vec<AgentModeInfo> {
            Vec::new()
        }
        fn permission_modes(&self) -> &'static [&'static str] {
            &["default"]
        }
        fn install_status(&self) -> InstallStatus {
            InstallStatus {
                installed: true,
                path: Some(self.path.lock().unwrap().clone().into()),
                ..Default::default()
            }
        }
        fn start(&self, _spec: SessionSpec, _output: OutputSender) -> StartFuture {
            Box::pin(async { Err::<AgentHandle, _>(sandbox_agent_agents::AgentError::NotImplemented("no".into())) })
        }
        fn models(&self, spec: ModelsSpec) -> ModelsFuture<'_> {
            Box::pin(async move {
                assert!(spec.state_dir.is_dir(), "the listing gets its directory");
                self.dirs.lock().unwrap().push(spec.state_dir.clone());
                let n = self.listings.fetch_add(1, Ordering::SeqCst) + 1;
                if self.fail.load(Ordering::SeqCst) {
                    return Err(ModelsError::Failed { message: "boom".into(), stderr: None });
                }
                let model = AgentModelInfo {
                    id: format!("m{n}"),
                    name: "M".into(),
                    description: None,
                    default: true,
                    variants: Vec::new(),
                    default_variant: None,
                };
                Ok(AgentModelsResponse { models: vec![model], default_model: None, note: None })
            })
        }
    }

    fn first_id(list: &AgentModelsResponse) -> &str {
        &list.models[0].id
    }

    #[tokio::test]
    async fn lists_once_per_binary_and_keeps_no_failures() {
        let data = std::env::temp_dir().join(format!("models-cache-{}", std::process::id()));
        let cache = ModelCache::new(data.clone());
        let agent = Arc::new(Counting::default());
        agent.fail.store(true, Ordering::SeqCst);
        assert!(cache.get(agent.clone()).await.is_err());
        agent.fail.store(false, Ordering::SeqCst);
        // A failure was not cached; concurrent callers get one listing.
        let (a, b) = tokio::join!(cache.get(agent.clone()), cache.get(agent.clone()));
        assert_eq!((first_id(&a.unwrap()), first_id(&b.unwrap())), ("m2", "m2"));
        assert_eq!(first_id(&cache.get(agent.clone()).await.unwrap()), "m2", "cached");
        assert_eq!(agent.listings.load(Ordering::SeqCst), 2);
        // Another binary (an install) lists again.
        *agent.path.lock().unwrap() = "/other".into();
        assert_eq!(first_id(&cache.get(agent.clone()).await.unwrap()), "m3");
        // Every listing's directory is gone, and so is an expired entry.
        assert!(agent.dirs.lock().unwrap().iter().all(|d| !d.exists()));
        let short = ModelCache { ttl: Duration::ZERO, ..ModelCache::new(data.clone()) };
        short.get(agent.clone()).await.unwrap();
        short.get(agent.clone()).await.unwrap();
        assert_eq!(agent.listings.load(Ordering::SeqCst), 5);
        let _ = std::fs::remove_dir_all(&data);
    }
}
