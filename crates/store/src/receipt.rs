//! What a pipelined write hands back: the answer comes once the backend has applied it.

use tokio::sync::oneshot;

use crate::{Result, StoreError};

/// Whether a queued write was stored. Dropping it is fine: the write happens regardless.
pub struct Receipt<T = ()>(oneshot::Receiver<Result<T>>);

/// The backend's end of a [`Receipt`].
pub struct Promise<T>(oneshot::Sender<Result<T>>);

impl<T> Promise<T> {
    pub fn keep(self, result: Result<T>) {
        let _ = self.0.send(result);
    }
}

impl<T> Receipt<T> {
    pub fn pair() -> (Promise<T>, Receipt<T>) {
        let (tx, rx) = oneshot::channel();
        (Promise(tx), Receipt(rx))
    }

    /// A receipt answered already (backends that apply writes at once).
    pub fn ready(result: Result<T>) -> Self {
        let (promise, receipt) = Self::pair();
        promise.keep(result);
        receipt
    }

    /// Wait for the answer.
    pub async fn wait(self) -> Result<T> {
        self.0.await.unwrap_or(Err(StoreError::Closed))
    }

    /// The answer if it has come, without waiting.
    pub fn try_take(&mut self) -> Option<Result<T>> {
        match self.0.try_recv() {
            Ok(result) => Some(result),
            Err(oneshot::error::TryRecvError::Empty) => None,
            Err(oneshot::error::TryRecvError::Closed) => Some(Err(StoreError::Closed)),
        }
    }
}
