//! Skills given to a session's agent (`CreateSessionRequest.skills`): `SKILL.md` folders the
//! daemon writes where the agent discovers skills, so the model sees each one's name and
//! description and reads the rest when it needs it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One skill: a `SKILL.md` (frontmatter from `name` and `description`, then `content`) and
/// any files beside it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Skill {
    /// 1-64 of `a-z 0-9 -`, no leading, trailing or double `-` (the agents' own rule); also
    /// the folder's name.
    pub name: String,
    /// What the skill does and when to use it: what the model sees before it reads the skill.
    /// 1-1024 characters.
    pub description: String,
    /// The body of `SKILL.md` (Markdown, without frontmatter).
    pub content: String,
    /// Files beside `SKILL.md` (scripts, references), by relative path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SkillFile>,
}

/// A file of a skill's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkillFile {
    /// Relative to the skill's folder (`scripts/run.sh`); no `..`, not `SKILL.md`.
    pub path: String,
    /// The file's bytes, base64 (standard alphabet).
    pub content_base64: String,
}

/// A skill's name as Claude Code, Codex and OpenCode all accept it.
pub fn valid_skill_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn skill_names() {
        for ok in ["a", "pdf-tools", "v2", "a-b-c"] {
            assert!(super::valid_skill_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", &"x".repeat(65)] {
            assert!(!super::valid_skill_name(bad), "{bad}");
        }
    }
}
