//! The files API over HTTP: a round trip of every route, the limits, paths that try to leave
//! their root (a symlink planted inside the workspace by a process in it among them), and what
//! session tokens may do.

use futures_util::StreamExt;
use sandbox_agent_client::Client;
use sandbox_agent_schema::*;

use crate::common::*;

fn at(path: &str, session: &str) -> FsPathQuery {
    FsPathQuery { path: path.into(), session_id: Some(session.into()) }
}

async fn read_all(c: &Client, q: &FsPathQuery) -> Result<Vec<u8>, sandbox_agent_client::ClientError> {
    let mut stream = c.fs_read(q).await?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

fn code(err: sandbox_agent_client::ClientError) -> (u16, String) {
    let p = err.problem().cloned().unwrap_or_else(|| panic!("not a problem: {err}"));
    (p.status, p.type_.rsplit(':').next().unwrap_or_default().to_string())
}

/// A tar archive with `files` (path, content).
fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap()
}

#[tokio::test]
async fn every_route_round_trips_in_a_session_workspace() {
    let d = Daemon::start().await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let dir = c.get_session(&id).await.unwrap().directory;

    // Every byte value survives the trip, both ways.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let put = c.fs_write(&at("src/data.bin", &id), bytes.clone()).await.unwrap();
    assert_eq!((put.path.clone(), put.bytes, put.created), (format!("{dir}/src/data.bin"), 300_000, true));
    assert_eq!(std::fs::read(format!("{dir}/src/data.bin")).unwrap(), bytes);
    assert_eq!(read_all(&c, &at("src/data.bin", &id)).await.unwrap(), bytes);
    // An absolute path inside the workspaces needs no session.
    let abs = FsPathQuery { path: put.path.clone(), session_id: None };
    assert_eq!(read_all(&c, &abs).await.unwrap().len(), 300_000);

    let st = c.fs_stat(&at("src/data.bin", &id)).await.unwrap();
    assert_eq!((st.entry_type, st.size, st.name.as_str()), (FsEntryType::File, 300_000, "data.bin"));
    let made = c
        .fs_mkdir(&FsSessionQuery { session_id: Some(id.clone()) }, &FsMkdirRequest { path: "a/b".into() })
        .await
        .unwrap();
    assert!(made.created && made.path.ends_with("/a/b"));
    let moved = c
        .fs_move(
            &FsSessionQuery { session_id: Some(id.clone()) },
            &FsMoveRequest { from: "src/data.bin".into(), to: "a/b/data.bin".into(), overwrite: false },
        )
        .await
        .unwrap();
    assert!(moved.path.ends_with("/a/b/data.bin"));
    let up = c.fs_upload_batch(&at("pkg", &id), tar_of(&[("x/one.txt", b"1"), ("two.txt", b"22")])).await.unwrap();
    assert_eq!((up.files.clone(), up.bytes), (vec!["x/one.txt".to_string(), "two.txt".to_string()], 3));
    assert_eq!(std::fs::read_to_string(format!("{dir}/pkg/x/one.txt")).unwrap(), "1");

    let list = c.fs_entries(&at(".", &id)).await.unwrap();
    let names: Vec<(&str, FsEntryType)> = list.entries.iter().map(|e| (e.name.as_str(), e.entry_type)).collect();
    assert_eq!(
        names,
        [("a", FsEntryType::Directory), ("pkg", FsEntryType::Directory), ("src", FsEntryType::Directory)]
    );
    assert_eq!(list.path, dir);

    let err = c
        .fs_delete(&FsDeleteQuery { path: "a".into(), session_id: Some(id.clone()), recursive: None })
        .await
        .unwrap_err();
    assert_eq!(code(err), (409, "conflict".into()));
    c.fs_delete(&FsDeleteQuery { path: "a".into(), session_id: Some(id.clone()), recursive: Some(true) })
        .await
        .unwrap();
    assert!(!std::path::Path::new(&format!("{dir}/a")).exists());
    let err = c.fs_stat(&at("a", &id)).await.unwrap_err();
    assert_eq!(code(err), (404, "not_found".into()));
    let err = c.fs_stat(&at("a", "no-such-session")).await.unwrap_err();
    assert_eq!(code(err), (404, "session_not_found".into()));

    // An archived session's files can be read, not changed.
    c.archive_session(&id).await.unwrap();
    assert_eq!(read_all(&c, &at("pkg/two.txt", &id)).await.unwrap(), b"22");
    let err = c.fs_write(&at("late.txt", &id), "x").await.unwrap_err();
    assert_eq!(code(err), (409, "session_archived".into()));
}

#[tokio::test]
async fn files_past_the_limit_are_refused_and_leave_nothing() {
    let d = Daemon::start_with(&["--max-file-bytes", "1000"]).await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let dir = c.get_session(&id).await.unwrap().directory;
    let err = c.fs_write(&at("big.bin", &id), vec![0u8; 1001]).await.unwrap_err();
    assert_eq!(code(err), (413, "payload_too_large".into()));
    // Streamed without a length, the limit still holds, and no partial file is left.
    let chunks = futures_util::stream::iter((0..4).map(|_| Ok::<_, std::io::Error>(vec![1u8; 400])));
    let err = c.fs_write(&at("big.bin", &id), reqwest::Body::wrap_stream(chunks)).await.unwrap_err();
    assert_eq!(code(err), (413, "payload_too_large".into()));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing left in {dir}");
    std::fs::write(format!("{dir}/large.bin"), vec![0u8; 1001]).unwrap();
    assert_eq!(code(read_all(&c, &at("large.bin", &id)).await.unwrap_err()), (413, "payload_too_large".into()));
    let err = c.fs_upload_batch(&at("u", &id), tar_of(&[("a", &[0u8; 600]), ("b", &[0u8; 600])])).await.unwrap_err();
    assert_eq!(code(err), (413, "payload_too_large".into()));
}

#[tokio::test]
async fn paths_that_leave_their_root_are_refused() {
    let d = Daemon::start().await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    // A process in the session's sandbox plants a link to a directory outside the workspace.
    let target = outside.path().to_str().unwrap();
    let run = RunRequest {
        command: vec!["ln".into(), "-s".into(), target.into(), "escape".into()],
        session_id: Some(id.clone()),
        ..Default::default()
    };
    assert_eq!(c.run(&run).await.unwrap().exit_code, Some(0));
    assert_eq!(c.fs_stat(&at("escape", &id)).await.unwrap().entry_type, FsEntryType::Symlink);

    for path in ["escape/secret.txt", "../x", "a/../../x", "/etc/passwd", target] {
        let err = read_all(&c, &at(path, &id)).await.unwrap_err();
        assert_eq!(code(err), (403, "path_not_allowed".into()), "{path}");
    }
    let err = c.fs_entries(&at("escape", &id)).await.unwrap_err();
    assert_eq!(code(err), (403, "path_not_allowed".into()));
    let err = c.fs_write(&at("escape/planted.txt", &id), "x").await.unwrap_err();
    assert_eq!(code(err), (403, "path_not_allowed".into()));
    let err = c.fs_upload_batch(&at("escape", &id), tar_of(&[("p.txt", b"x")])).await.unwrap_err();
    assert_eq!(code(err), (403, "path_not_allowed".into()));
    assert!(!outside.path().join("planted.txt").exists() && !outside.path().join("p.txt").exists());
    let err = c.fs_entries(&FsPathQuery { path: "relative".into(), session_id: None }).await.unwrap_err();
    assert_eq!(code(err), (400, "invalid_request".into()));
    // Removing the link removes the link only.
    c.fs_delete(&FsDeleteQuery { path: "escape".into(), session_id: Some(id.clone()), recursive: Some(true) })
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(outside.path().join("secret.txt")).unwrap(), "top secret");

    // A root given with --fs-root is reachable with the daemon token, by absolute path.
    let d2 = Daemon::start_with(&["--fs-root", target]).await;
    let q = FsPathQuery { path: format!("{target}/secret.txt"), session_id: None };
    assert_eq!(read_all(&d2.client(), &q).await.unwrap(), b"top secret");
}

#[tokio::test]
async fn session_tokens_reach_their_own_workspace_and_observers_only_read() {
    let d = Daemon::start_with(&["--token", "daemon-secret"]).await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let other = c.create_session(&mock()).await.unwrap().session_id;
    c.fs_write(&at("notes.txt", &id), "mine").await.unwrap();
    let other_dir = c.get_session(&other).await.unwrap().directory;
    c.fs_write(&at("theirs.txt", &other), "theirs").await.unwrap();

    let token = |role| {
        let c = c.clone();
        let id = id.clone();
        async move { c.create_token(&id, &TokenRequest { name: "t".into(), role, ttl_seconds: None }).await.unwrap().token }
    };
    let observer = Client::new(d.url.clone(), Some(token(ParticipantRole::Observer).await));
    let controller = Client::new(d.url.clone(), Some(token(ParticipantRole::Controller).await));

    assert_eq!(read_all(&observer, &at("notes.txt", &id)).await.unwrap(), b"mine");
    assert_eq!(observer.fs_entries(&at(".", &id)).await.unwrap().entries.len(), 1);
    for err in [
        observer.fs_write(&at("x.txt", &id), "x").await.unwrap_err(),
        observer
            .fs_delete(&FsDeleteQuery { path: "notes.txt".into(), session_id: Some(id.clone()), recursive: None })
            .await
            .unwrap_err(),
        observer
            .fs_mkdir(&FsSessionQuery { session_id: Some(id.clone()) }, &FsMkdirRequest { path: "d".into() })
            .await
            .unwrap_err(),
        // Another session, or none at all.
        read_all(&observer, &at("theirs.txt", &other)).await.unwrap_err(),
        read_all(&observer, &FsPathQuery { path: format!("{other_dir}/theirs.txt"), session_id: None })
            .await
            .unwrap_err(),
    ] {
        assert_eq!(code(err).0, 403);
    }
    // Its own session named, but a path into another workspace: outside its root.
    let q = FsPathQuery { path: format!("{other_dir}/theirs.txt"), session_id: Some(id.clone()) };
    assert_eq!(code(read_all(&observer, &q).await.unwrap_err()), (403, "path_not_allowed".into()));
    let w = controller.fs_write(&at("x.txt", &id), "by the controller").await.unwrap();
    assert!(w.created);
    assert_eq!(read_all(&c, &at("x.txt", &id)).await.unwrap(), b"by the controller");
}

#[tokio::test]
async fn the_cli_streams_files_both_ways() {
    let d = Daemon::start().await;
    let id = d.client().create_session(&mock()).await.unwrap().session_id;
    let local = tempfile::tempdir().unwrap();
    let src = local.path().join("in.bin");
    let data: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&src, &data).unwrap();
    let cli = |args: Vec<String>| {
        let mut cmd = tokio::process::Command::new(bin());
        cmd.arg("api").args(args).env("SANDBOX_AGENT_ENDPOINT", &d.url).env_remove("SANDBOX_AGENT_TOKEN");
        cmd
    };
    let s = |v: &str| v.to_string();
    let out =
        cli(vec![s("fs"), s("write"), s("d/in.bin"), s("-s"), id.clone(), s("--from"), src.display().to_string()])
            .output();
    let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(70000 bytes)"));
    let out = tokio::time::timeout(WAIT, cli(vec![s("fs"), s("read"), s("d/in.bin"), s("-s"), id.clone()]).output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.stdout, data);
    let out = tokio::time::timeout(WAIT, cli(vec![s("fs"), s("ls"), s("d"), s("-s"), id.clone()]).output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("- 0644      70000 "),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out =
        tokio::time::timeout(WAIT, cli(vec![s("fs"), s("read"), s("../etc/passwd"), s("-s"), id.clone()]).output())
            .await
            .unwrap()
            .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("path_not_allowed"));
}
