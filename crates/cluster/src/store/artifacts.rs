//! Artifacts in the cluster's object store (`P_artifacts`): files a session keeps that must
//! reach every node (checked contract reports), chunked by JetStream, so their size is not
//! bound by a message's. Object `<session token>/<name>`.

use async_nats::jetstream::object_store::{self, GetErrorKind, ObjectStore};
use futures_util::StreamExt;
use sandbox_agent_store::{Result, StoreError};
use tokio::io::AsyncReadExt;

use super::{backend, Inner};
use crate::names::token;

fn object(session_id: &str, name: &str) -> String {
    format!("{}/{name}", token(session_id))
}

pub(super) async fn bucket(js: &async_nats::jetstream::Context, name: String) -> Result<ObjectStore> {
    let config = object_store::Config { bucket: name.clone(), ..Default::default() };
    match js.create_object_store(config).await {
        Ok(store) => Ok(store),
        // Made by another node (or an earlier run) already.
        Err(_) => js.get_object_store(name).await.map_err(backend),
    }
}

pub(super) async fn put(inner: &Inner, session_id: &str, name: &str, bytes: &[u8]) -> Result<()> {
    if inner.index.read().unwrap().get(session_id).is_none() {
        return Err(StoreError::NotFound(session_id.to_string()));
    }
    let mut reader = bytes;
    inner.artifacts.put(object(session_id, name).as_str(), &mut reader).await.map_err(backend)?;
    Ok(())
}

pub(super) async fn read(inner: &Inner, session_id: &str, name: &str) -> Result<Option<Vec<u8>>> {
    let mut object = match inner.artifacts.get(object(session_id, name)).await {
        Ok(object) => object,
        Err(err) if err.kind() == GetErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(backend(err)),
    };
    let mut bytes = Vec::with_capacity(object.info().size);
    object.read_to_end(&mut bytes).await.map_err(backend)?;
    Ok(Some(bytes))
}

/// Delete every artifact of a session. The bucket is listed whole (object names are not
/// subjects), which is fine for a delete.
pub(super) async fn delete_all(inner: &Inner, session_id: &str) -> Result<()> {
    let prefix = format!("{}/", token(session_id));
    let mut list = inner.artifacts.list().await.map_err(backend)?;
    let mut names = Vec::new();
    while let Some(info) = list.next().await {
        let info = info.map_err(backend)?;
        if info.name.starts_with(&prefix) {
            names.push(info.name);
        }
    }
    for name in names {
        inner.artifacts.delete(&name).await.map_err(backend)?;
    }
    Ok(())
}
