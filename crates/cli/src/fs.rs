//! `sandbox-agent api fs <verb>`: the files API. `-s SESSION` resolves relative paths in that
//! session's workspace; file bodies stream from a file or stdin and to a file or stdout.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use sandbox_agent_client::{reqwest, Client, ClientError};
use sandbox_agent_schema::*;

use crate::output::Out;

#[derive(Args)]
pub struct Where {
    /// Absolute, or relative to the session's workspace with --session.
    path: String,
    /// The session whose workspace relative paths start in.
    #[arg(short, long)]
    session: Option<String>,
}

impl Where {
    fn query(self) -> FsPathQuery {
        FsPathQuery { path: self.path, session_id: self.session }
    }
}

#[derive(Subcommand)]
pub enum FsCmd {
    /// GET /v1/fs/entries
    Ls(Where),
    /// GET /v1/fs/stat
    Stat(Where),
    /// GET /v1/fs/file (to stdout, or --out FILE)
    Read {
        #[command(flatten)]
        at: Where,
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// PUT /v1/fs/file (from --from FILE, or stdin)
    Write {
        #[command(flatten)]
        at: Where,
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// DELETE /v1/fs/entry
    Rm {
        #[command(flatten)]
        at: Where,
        /// A directory with everything in it.
        #[arg(short, long)]
        recursive: bool,
    },
    /// POST /v1/fs/mkdir (parents too)
    Mkdir(Where),
    /// POST /v1/fs/move
    Mv {
        from: String,
        to: String,
        #[arg(short, long)]
        session: Option<String>,
        /// Replace what is at TO.
        #[arg(long)]
        overwrite: bool,
    },
    /// POST /v1/fs/upload-batch: a tar archive (--tar FILE, or stdin) unpacked into PATH
    Upload {
        #[command(flatten)]
        at: Where,
        #[arg(long)]
        tar: Option<PathBuf>,
    },
}

/// A local file, or stdin, as a streamed request body.
async fn body_from(path: Option<PathBuf>) -> Result<reqwest::Body, ClientError> {
    let reader: Box<dyn tokio::io::AsyncRead + Send + Unpin> = match path {
        Some(path) => Box::new(
            tokio::fs::File::open(&path).await.map_err(|e| crate::api::usage(format!("{}: {e}", path.display())))?,
        ),
        None => Box::new(tokio::io::stdin()),
    };
    Ok(reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader)))
}

pub async fn run(client: &Client, out: Out, cmd: FsCmd) -> Result<(), ClientError> {
    match cmd {
        FsCmd::Ls(at) => out.value(&client.fs_entries(&at.query()).await?, |list| {
            list.entries.iter().map(entry_line).collect::<Vec<_>>().join("\n")
        }),
        FsCmd::Stat(at) => out.value(&client.fs_stat(&at.query()).await?, entry_line),
        FsCmd::Read { at, out: file } => {
            let mut stream = client.fs_read(&at.query()).await?;
            let mut sink: Box<dyn Write> = match file {
                Some(path) => Box::new(
                    std::fs::File::create(&path).map_err(|e| crate::api::usage(format!("{}: {e}", path.display())))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            while let Some(chunk) = stream.next().await {
                sink.write_all(&chunk?).map_err(|e| crate::api::usage(format!("writing: {e}")))?;
            }
            sink.flush().map_err(|e| crate::api::usage(format!("writing: {e}")))?;
        }
        FsCmd::Write { at, from } => {
            let body = body_from(from).await?;
            out.value(&client.fs_write(&at.query(), body).await?, |w| format!("{} ({} bytes)", w.path, w.bytes));
        }
        FsCmd::Rm { at, recursive } => {
            let q = FsDeleteQuery { path: at.path, session_id: at.session, recursive: Some(recursive) };
            client.fs_delete(&q).await?;
            out.done(&format!("{} removed", q.path));
        }
        FsCmd::Mkdir(at) => {
            let q = FsSessionQuery { session_id: at.session };
            out.value(&client.fs_mkdir(&q, &FsMkdirRequest { path: at.path }).await?, |w| w.path.clone());
        }
        FsCmd::Mv { from, to, session, overwrite } => {
            let q = FsSessionQuery { session_id: session };
            out.value(&client.fs_move(&q, &FsMoveRequest { from, to, overwrite }).await?, |w| w.path.clone());
        }
        FsCmd::Upload { at, tar } => {
            let body = body_from(tar).await?;
            out.value(&client.fs_upload_batch(&at.query(), body).await?, |u| {
                format!("{} files, {} bytes into {}", u.files.len(), u.bytes, u.path)
            });
        }
    }
    Ok(())
}

/// `d 0755       4096 2026-12-04T10:00:00Z name` (`d` directory, `-` file, `l` link, `?` other).
fn entry_line(e: &FsEntry) -> String {
    let kind = match e.entry_type {
        FsEntryType::Directory => 'd',
        FsEntryType::File => '-',
        FsEntryType::Symlink => 'l',
        FsEntryType::Other => '?',
    };
    format!("{kind} {:04o} {:>10} {} {}", e.mode, e.size, e.modified.as_deref().unwrap_or("-"), e.path)
}
