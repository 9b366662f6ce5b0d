//! Skills (`SessionSpec.skills`) as the agents read them: a folder per skill, named after it,
//! holding `SKILL.md` (YAML frontmatter with `name` and `description`, then the body) and the
//! skill's other files. Each adapter writes them into a directory its agent scans.

use std::path::{Component, Path};

use base64::Engine;
use sandbox_agent_schema::Skill;

/// Most skills one session takes.
pub const MAX_SKILLS: usize = 64;
/// Most characters of a description (the agents' own limit).
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Most files beside one skill's `SKILL.md`.
pub const MAX_FILES: usize = 256;

/// Why `skills` cannot be written, for a `422`.
pub fn check(skills: &[Skill]) -> Result<(), String> {
    if skills.len() > MAX_SKILLS {
        return Err(format!("skills: at most {MAX_SKILLS}"));
    }
    let mut names = std::collections::HashSet::new();
    for skill in skills {
        let name = &skill.name;
        if !sandbox_agent_schema::valid_skill_name(name) {
            return Err(format!("skills: name {name:?}: 1-64 of a-z 0-9 and single inner -"));
        }
        if !names.insert(name) {
            return Err(format!("skills: {name} is given twice"));
        }
        let chars = skill.description.trim().chars().count();
        if chars == 0 || chars > MAX_DESCRIPTION_CHARS {
            return Err(format!("skills.{name}.description: 1-{MAX_DESCRIPTION_CHARS} characters"));
        }
        if skill.files.len() > MAX_FILES {
            return Err(format!("skills.{name}.files: at most {MAX_FILES}"));
        }
        let mut paths = std::collections::HashSet::new();
        for file in &skill.files {
            let path = &file.path;
            if !relative_inside(path) || path == "SKILL.md" {
                return Err(format!(
                    "skills.{name}.files: {path:?} is not a relative path inside the skill (no .., not SKILL.md)"
                ));
            }
            if !paths.insert(path) {
                return Err(format!("skills.{name}.files: {path} is given twice"));
            }
            if base64::engine::general_purpose::STANDARD.decode(&file.content_base64).is_err() {
                return Err(format!("skills.{name}.files: {path}: contentBase64 is not base64"));
            }
        }
    }
    Ok(())
}

/// A path of normal components only: nothing absolute, no `..` or `.`.
fn relative_inside(path: &str) -> bool {
    !path.is_empty() && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// `SKILL.md` as written: the frontmatter's values are JSON strings, which YAML reads as
/// double-quoted scalars, so any description survives.
pub fn skill_md(skill: &Skill) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    format!(
        "---\nname: {}\ndescription: {}\n---\n\n{}\n",
        skill.name,
        quote(skill.description.trim()),
        skill.content.trim_end()
    )
}

/// Writes each skill as `<root>/<name>/`, replacing what an earlier start wrote there. Files
/// that start with `#!` are made executable. `skills` must have passed [`check`].
pub fn write(root: &Path, skills: &[Skill]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for skill in skills {
        let dir = root.join(&skill.name);
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("SKILL.md"), skill_md(skill))?;
        for file in &skill.files {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&file.content_base64)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", file.path)))?;
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &bytes)?;
            if bytes.starts_with(b"#!") {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use sandbox_agent_schema::{Skill, SkillFile};

    fn skill(name: &str) -> Skill {
        Skill {
            name: name.into(),
            description: "Says \"hi\": use when greeting".into(),
            content: "# Hi\n\nRun scripts/hi.sh.\n".into(),
            files: vec![SkillFile { path: "scripts/hi.sh".into(), content_base64: "IyEvYmluL3NoCmVjaG8gaGkK".into() }],
        }
    }

    #[test]
    fn written_as_a_folder_with_frontmatter_and_files() {
        let root = tempfile::tempdir().unwrap();
        let skills = [skill("greet")];
        super::check(&skills).unwrap();
        super::write(root.path(), &skills).unwrap();
        let md = std::fs::read_to_string(root.path().join("greet/SKILL.md")).unwrap();
        assert_eq!(md, "---\nname: greet\ndescription: \"Says \\\"hi\\\": use when greeting\"\n---\n\n# Hi\n\nRun scripts/hi.sh.\n");
        let script = root.path().join("greet/scripts/hi.sh");
        assert_eq!(std::fs::read_to_string(&script).unwrap(), "#!/bin/sh\necho hi\n");
        let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&script).unwrap().permissions());
        assert_eq!(mode & 0o777, 0o755);
        // A second start replaces the folder: a file the skill no longer has is gone.
        std::fs::write(root.path().join("greet/stale.txt"), "x").unwrap();
        super::write(root.path(), &skills).unwrap();
        assert!(!root.path().join("greet/stale.txt").exists());
    }

    #[test]
    fn bad_skills_are_refused_with_the_reason() {
        let with = |f: &dyn Fn(&mut Skill)| {
            let mut s = skill("greet");
            f(&mut s);
            super::check(&[s]).unwrap_err()
        };
        assert!(with(&|s| s.name = "Greet".into()).contains("name"));
        assert!(with(&|s| s.description = " ".into()).contains("description"));
        assert!(with(&|s| s.description = "x".repeat(1025)).contains("description"));
        for path in ["../x", "/etc/x", "SKILL.md", "a/../../x", "", "./x"] {
            assert!(with(&|s| s.files[0].path = path.into()).contains("relative path"), "{path}");
        }
        assert!(with(&|s| s.files[0].content_base64 = "not base64!".into()).contains("base64"));
        assert!(super::check(&[skill("a"), skill("a")]).unwrap_err().contains("twice"));
    }
}
