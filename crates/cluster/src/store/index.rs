//! Every session document of the cluster, held in memory by each node: the sessions bucket is
//! read once at start and watched after, and this node's own writes land here as they are
//! acknowledged. Listing is answered from here (JetStream has no query engine), by
//! [`SessionQuery::matches`], the reference reading every backend agrees with.

use std::collections::HashMap;

use sandbox_agent_store::{SessionIndex, SessionPage, SessionQuery};
use serde::{Deserialize, Serialize};

/// A document as the sessions bucket holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    /// The store contract's revision: 1 when first stored, +1 per replacement.
    pub rev: u64,
    /// The bucket revision that first stored it (0 in that first write): the listing's order.
    #[serde(default)]
    pub born: u64,
    pub index: SessionIndex,
    pub data: String,
    /// The session's last event sequence when it was written (the events it reflects).
    #[serde(default)]
    pub seq: u64,
}

/// A document as it rides in an events message (the batch that changed it).
#[derive(Debug, Serialize, Deserialize)]
pub struct Carried {
    pub index: SessionIndex,
    pub data: String,
}

/// A document as a node knows it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub rev: u64,
    /// Its revision in the bucket (compare-and-set and ordering of updates).
    pub kv_rev: u64,
    pub born: u64,
    pub data: String,
    pub index: SessionIndex,
    pub seq: u64,
}

impl Doc {
    pub fn from_envelope(env: Envelope, kv_rev: u64) -> Doc {
        Doc {
            rev: env.rev,
            kv_rev,
            born: if env.born == 0 { kv_rev } else { env.born },
            index: env.index,
            data: env.data,
            seq: env.seq,
        }
    }
}

#[derive(Default)]
pub struct Index {
    docs: HashMap<String, Doc>,
}

impl Index {
    /// Apply a document seen at `doc.kv_rev`; an older one than held is ignored (the watch may
    /// replay what a local write already applied). True when it changed anything.
    pub fn put(&mut self, id: &str, doc: Doc) -> bool {
        match self.docs.get(id) {
            Some(held) if held.kv_rev >= doc.kv_rev => false,
            _ => {
                self.docs.insert(id.to_string(), doc);
                true
            }
        }
    }

    /// A deletion seen at `kv_rev` (a document written after it stays).
    pub fn remove(&mut self, id: &str, kv_rev: u64) -> bool {
        match self.docs.get(id) {
            Some(held) if held.kv_rev < kv_rev => self.docs.remove(id).is_some(),
            _ => false,
        }
    }

    pub fn forget(&mut self, id: &str) {
        self.docs.remove(id);
    }

    pub fn get(&self, id: &str) -> Option<&Doc> {
        self.docs.get(id)
    }

    /// Every document, oldest first.
    pub fn all(&self) -> Vec<(String, Doc)> {
        let mut all: Vec<_> = self.docs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        all.sort_by_key(|(_, d)| d.born);
        all
    }

    pub fn list(&self, query: &SessionQuery) -> SessionPage {
        let mut hits: Vec<(&String, &Doc)> = self.docs.iter().filter(|(_, d)| query.matches(&d.index)).collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.1.born));
        let total = hits.len() as u64;
        let ids = hits.into_iter().skip(query.offset).take(query.limit).map(|(k, _)| k.clone()).collect();
        SessionPage { ids, total }
    }
}
