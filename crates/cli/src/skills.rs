//! `sessions create --skill DIR`: a skill folder on disk (`SKILL.md` with `name` and
//! `description` in its frontmatter, and files beside it) as the create request's `Skill`.

use std::path::Path;

use base64::Engine;
use sandbox_agent_schema::{Skill, SkillFile};

/// Most bytes of one skill folder the CLI sends (the daemon's body limit is what binds).
const MAX_SKILL_BYTES: u64 = 8 * 1024 * 1024;

pub fn read(dir: &Path) -> Result<Skill, String> {
    let md_path = dir.join("SKILL.md");
    let md = std::fs::read_to_string(&md_path).map_err(|e| format!("{}: {e}", md_path.display()))?;
    let (front, body) = frontmatter(&md).ok_or_else(|| format!("{}: no `---` frontmatter", md_path.display()))?;
    let field = |key: &str| front.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let folder = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    let name = field("name").or(folder).ok_or_else(|| format!("{}: no name", md_path.display()))?;
    let description = field("description").ok_or_else(|| format!("{}: no description", md_path.display()))?;
    let mut files = Vec::new();
    let mut total = 0;
    collect(dir, dir, &mut files, &mut total)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Skill { name, description, content: body.trim_start_matches('\n').to_string(), files })
}

/// `key: value` lines between the leading `---` lines, and the rest. Values may be quoted
/// (`"…"` as JSON, `'…'` as YAML); block scalars are not read.
fn frontmatter(md: &str) -> Option<(Vec<(String, String)>, &str)> {
    let rest = md.strip_prefix("---\n").or_else(|| md.strip_prefix("---\r\n"))?;
    let end = rest.find("\n---")?;
    let body = rest[end + 4..].trim_start_matches(['\r', '-']);
    let body = body.strip_prefix('\n').unwrap_or(body);
    let pairs = rest[..end]
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let value = value.trim();
            let value = if value.starts_with('"') {
                serde_json::from_str::<String>(value).ok()?
            } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                inner.replace("''", "'")
            } else {
                value.to_string()
            };
            Some((key.trim().to_string(), value))
        })
        .collect();
    Some((pairs, body))
}

/// Every regular file under `dir` but the top `SKILL.md`, by path relative to `root`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<SkillFile>, total: &mut u64) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
        let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
        if kind.is_dir() {
            collect(root, &path, files, total)?;
        } else if kind.is_file() && rel != "SKILL.md" {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            *total += bytes.len() as u64;
            if *total > MAX_SKILL_BYTES {
                return Err(format!("{}: more than {MAX_SKILL_BYTES} bytes", root.display()));
            }
            files
                .push(SkillFile { path: rel, content_base64: base64::engine::general_purpose::STANDARD.encode(bytes) });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_skill_folder_is_read_with_its_frontmatter_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let skill = dir.path().join("pdf-tools");
        std::fs::create_dir_all(skill.join("scripts")).unwrap();
        std::fs::write(
            skill.join("SKILL.md"),
            "---\nname: pdf-tools\ndescription: \"Fills PDF forms: use for .pdf\"\nlicense: 'it''s MIT'\n---\n\n# PDF\nbody\n",
        )
        .unwrap();
        std::fs::write(skill.join("scripts/fill.py"), "print(1)\n").unwrap();
        let read = super::read(&skill).unwrap();
        assert_eq!(read.name, "pdf-tools");
        assert_eq!(read.description, "Fills PDF forms: use for .pdf");
        assert_eq!(read.content, "# PDF\nbody\n");
        assert_eq!(read.files.len(), 1);
        assert_eq!(read.files[0].path, "scripts/fill.py");
        assert_eq!(read.files[0].content_base64, "cHJpbnQoMSkK");

        std::fs::write(skill.join("SKILL.md"), "# no frontmatter\n").unwrap();
        assert!(super::read(&skill).unwrap_err().contains("frontmatter"));
    }
}
