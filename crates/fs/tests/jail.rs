//! Every path rule of the files API on a real filesystem: roots, `..`, links planted inside a
//! root that point out of it, atomic writes with a limit, and tar archives that try to escape.

use std::os::unix::fs::symlink;
use std::path::Path;

use sandbox_agent_fs::{delete, entries, mkdir, move_entry, open_read, stat, unpack, write_file, FsError, Jail};
use sandbox_agent_schema::FsEntryType;

struct Setup {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    outside: std::path::PathBuf,
}

/// A root holding `ws/a.txt`, `ws/dir/b.txt`, a link `ws/out` to a directory outside holding
/// `secret.txt`, a link `ws/inside` to `ws/dir`, and a dangling link `ws/nowhere`.
fn setup() -> (Setup, Jail) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("ws/dir")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("ws/a.txt"), "a").unwrap();
    std::fs::write(root.join("ws/dir/b.txt"), "b").unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    symlink(&outside, root.join("ws/out")).unwrap();
    symlink(root.join("ws/dir"), root.join("ws/inside")).unwrap();
    symlink(tmp.path().join("missing"), root.join("ws/nowhere")).unwrap();
    let jail = Jail::new([root.clone()], Some(root.join("ws")));
    (Setup { root: root.canonicalize().unwrap(), outside, _tmp: tmp }, jail)
}

fn not_allowed<T: std::fmt::Debug>(r: Result<T, FsError>) {
    assert!(matches!(r, Err(FsError::NotAllowed(_))), "{r:?}");
}

#[tokio::test]
async fn paths_resolve_inside_and_are_refused_outside() {
    let (s, jail) = setup();
    assert_eq!(jail.existing("a.txt").unwrap(), s.root.join("ws/a.txt"));
    assert_eq!(jail.existing(s.root.join("ws/dir/b.txt").to_str().unwrap()).unwrap(), s.root.join("ws/dir/b.txt"));
    // A link inside that stays inside is followed.
    assert_eq!(jail.existing("inside/b.txt").unwrap(), s.root.join("ws/dir/b.txt"));
    not_allowed(jail.existing("../root/ws/a.txt"));
    not_allowed(jail.existing("dir/../a.txt"));
    not_allowed(jail.existing("/etc/passwd"));
    not_allowed(jail.existing("/nonexistent/file"));
    // The planted link out of the workspace: refused for reading, listing, writing beneath it.
    not_allowed(jail.existing("out/secret.txt"));
    not_allowed(entries(&jail, "out").await);
    not_allowed(jail.creatable("out/new.txt"));
    not_allowed(write_file(&jail, "out/new.txt", &b"x"[..], 10).await);
    not_allowed(jail.creatable("nowhere/x"));
    assert!(!s.outside.join("new.txt").exists());
    let no_base = Jail::new([s.root.clone()], None);
    assert!(matches!(no_base.existing("a.txt"), Err(FsError::Invalid(_))));
    assert!(matches!(jail.existing(""), Err(FsError::Invalid(_))));
}

#[tokio::test]
async fn links_are_listed_stat_and_deleted_as_links() {
    let (s, jail) = setup();
    let list = entries(&jail, ".").await.unwrap();
    let names: Vec<(&str, FsEntryType)> = list.entries.iter().map(|e| (e.name.as_str(), e.entry_type)).collect();
    assert_eq!(
        names,
        [
            ("dir", FsEntryType::Directory),
            ("a.txt", FsEntryType::File),
            ("inside", FsEntryType::Symlink),
            ("nowhere", FsEntryType::Symlink),
            ("out", FsEntryType::Symlink)
        ]
    );
    assert_eq!(stat(&jail, "out").await.unwrap().entry_type, FsEntryType::Symlink);
    assert_eq!(stat(&jail, "a.txt").await.unwrap().size, 1);
    // Deleting the link removes the link, never what it points to.
    delete(&jail, "out", true).await.unwrap();
    assert!(!s.root.join("ws/out").exists() && s.outside.join("secret.txt").exists());
    // A root is not a client's to delete.
    let root_jail = Jail::only(s.root.join("ws"));
    not_allowed(delete(&root_jail, s.root.join("ws").to_str().unwrap(), true).await);
}

#[tokio::test]
async fn writes_are_whole_or_nothing_within_the_limit() {
    let (s, jail) = setup();
    let put = write_file(&jail, "new/deep/c.txt", &b"hello"[..], 10).await.unwrap();
    assert_eq!((put.bytes, put.created), (5, true));
    assert_eq!(std::fs::read_to_string(s.root.join("ws/new/deep/c.txt")).unwrap(), "hello");
    let again = write_file(&jail, "new/deep/c.txt", &b"bye"[..], 10).await.unwrap();
    assert!(!again.created);
    let big = write_file(&jail, "new/deep/c.txt", &[7u8; 11][..], 10).await;
    assert!(matches!(big, Err(FsError::TooLarge { limit: 10, .. })), "{big:?}");
    // The refused write changed nothing and left no temporary file.
    assert_eq!(std::fs::read_to_string(s.root.join("ws/new/deep/c.txt")).unwrap(), "bye");
    assert_eq!(std::fs::read_dir(s.root.join("ws/new/deep")).unwrap().count(), 1);
    assert!(matches!(write_file(&jail, "dir", &b"x"[..], 10).await, Err(FsError::Conflict(_))));
    let (_, len) = open_read(&jail, "new/deep/c.txt", 3).await.unwrap();
    assert_eq!(len, 3);
    assert!(matches!(open_read(&jail, "new/deep/c.txt", 2).await, Err(FsError::TooLarge { .. })));
    assert!(matches!(open_read(&jail, "dir", 100).await, Err(FsError::Conflict(_))));
    assert!(matches!(open_read(&jail, "missing.txt", 100).await, Err(FsError::NotFound(_))));
}

#[tokio::test]
async fn mkdir_move_and_delete() {
    let (s, jail) = setup();
    assert!(mkdir(&jail, "m/n").await.unwrap().created);
    assert!(!mkdir(&jail, "m/n").await.unwrap().created);
    assert!(matches!(mkdir(&jail, "a.txt").await, Err(FsError::Conflict(_))));
    assert!(matches!(move_entry(&jail, "a.txt", "dir/b.txt", false).await, Err(FsError::Conflict(_))));
    move_entry(&jail, "a.txt", "m/n/a2.txt", false).await.unwrap();
    assert!(s.root.join("ws/m/n/a2.txt").exists() && !s.root.join("ws/a.txt").exists());
    move_entry(&jail, "m/n/a2.txt", "dir/b.txt", true).await.unwrap();
    assert_eq!(std::fs::read_to_string(s.root.join("ws/dir/b.txt")).unwrap(), "a");
    assert!(matches!(move_entry(&jail, "m", "m/n/m", false).await, Err(FsError::Invalid(_))));
    not_allowed(move_entry(&jail, "dir/b.txt", "out/stolen.txt", false).await);
    assert!(matches!(delete(&jail, "m", false).await, Err(FsError::Conflict(_))));
    delete(&jail, "m", true).await.unwrap();
    assert!(!s.root.join("ws/m").exists());
    assert!(matches!(delete(&jail, "m", true).await, Err(FsError::NotFound(_))));
}

/// A tar archive of `(name, kind, data)` written byte by byte, so names tar::Builder would refuse
/// (`..`, absolute) can be put in.
fn archive(entries: &[(&str, tar::EntryType, &[u8])]) -> Vec<u8> {
    let mut out = tar::Builder::new(Vec::new());
    for (name, kind, data) in entries {
        let mut header = tar::Header::new_gnu();
        let raw = &mut header.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        header.set_entry_type(*kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        if *kind == tar::EntryType::Symlink {
            header.set_link_name("/etc").unwrap();
        }
        header.set_cksum();
        out.append(&header, *data).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn archives_unpack_only_plain_files_and_directories_inside() {
    use tar::EntryType::{Directory, Regular, Symlink};
    let (s, jail) = setup();
    let good =
        archive(&[("src/", Directory, b""), ("src/main.rs", Regular, b"fn main() {}"), ("./README", Regular, b"hi")]);
    let done = unpack(&jail, "up", &good[..], 1000).unwrap();
    assert_eq!(done.files, ["src/main.rs", "README"]);
    assert_eq!(done.bytes, 14);
    assert_eq!(std::fs::read_to_string(s.root.join("ws/up/src/main.rs")).unwrap(), "fn main() {}");

    for (bad, why) in [
        (archive(&[("../evil.txt", Regular, b"x")]), "plain names"),
        (archive(&[("/tmp/evil.txt", Regular, b"x")]), "plain names"),
        (archive(&[("link", Symlink, b"")]), "Symlink"),
    ] {
        let err = unpack(&jail, "bad", &bad[..], 1000).unwrap_err();
        assert!(matches!(&err, FsError::UnsafeArchive(m) if m.contains(why)), "{err:?}");
    }
    assert!(!s.root.join("evil.txt").exists() && !Path::new("/tmp/evil.txt").exists());
    // A link already in the target is neither followed for a directory nor written through.
    let through_dir = archive(&[("out/x.txt", Regular, b"x")]);
    assert!(matches!(unpack(&jail, ".", &through_dir[..], 1000), Err(FsError::UnsafeArchive(_))));
    std::fs::create_dir_all(s.root.join("ws/t")).unwrap();
    symlink(s.outside.join("secret.txt"), s.root.join("ws/t/f.txt")).unwrap();
    let through_file = archive(&[("f.txt", Regular, b"overwritten")]);
    assert!(matches!(unpack(&jail, "t", &through_file[..], 1000), Err(FsError::UnsafeArchive(_))));
    assert_eq!(std::fs::read_to_string(s.outside.join("secret.txt")).unwrap(), "secret");
    assert!(!s.outside.join("x.txt").exists());
    let big = archive(&[("a", Regular, &[1u8; 600]), ("b", Regular, &[1u8; 600])]);
    assert!(matches!(unpack(&jail, "big", &big[..], 1000), Err(FsError::TooLarge { .. })));
    assert!(matches!(
        unpack(&jail, "junk", &b"not a tar archive at all, no"[..], 1000),
        Err(FsError::UnsafeArchive(_))
    ));
}
