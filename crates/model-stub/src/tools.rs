//! Mapping an abstract scripted `Tool` onto a concrete call of a tool the
//! request actually offers. Names come from the request, and argument shapes
//! follow the offered JSON schema where it tells us (falling back to what
//! each agent is known to use), so renamed tools and drifted schemas still
//! get a call the agent accepts.

use serde_json::{json, Map, Value};

use crate::script::Tool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToolKind {
    /// JSON-arguments tool (all Anthropic and Chat tools, Responses `function`).
    Function,
    /// Responses freeform `custom` tool (Codex `apply_patch`): raw string input.
    Custom,
    /// Responses built-in `local_shell` tool.
    LocalShell,
    /// Responses `tool_search` (Codex's discovery of deferred tools, run by the client).
    ToolSearch,
}

/// One entry of the request's `tools` array.
#[derive(Debug, Clone)]
pub(crate) struct OfferedTool {
    /// As scripts name it: a namespaced tool is `<namespace>__<name>` (Codex's MCP tools).
    pub name: String,
    /// A Responses tool inside a `namespace`: (namespace, its own name), as a call names it.
    pub namespace: Option<(String, String)>,
    pub kind: ToolKind,
    /// Input JSON schema (`Value::Null` if the request gave none).
    pub schema: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CallInput {
    Json(Value),
    Freeform(String),
    LocalShell(Vec<String>),
    /// `tool_search` arguments (`{query, limit?}`), sent as an object.
    ToolSearch(Value),
}

impl CallInput {
    /// JSON view for APIs that only know JSON tool arguments.
    pub fn to_json(&self) -> Value {
        match self {
            CallInput::Json(v) | CallInput::ToolSearch(v) => v.clone(),
            CallInput::Freeform(s) => json!({ "input": s }),
            CallInput::LocalShell(argv) => json!({ "command": argv }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToolCall {
    pub name: String,
    pub input: CallInput,
}

// Preference order; agents offer at most one from each family in practice.
const SHELL: &[&str] = &["Bash", "exec_command", "shell_command", "shell", "local_shell", "bash", "run_shell_command"];
const WRITE: &[&str] = &["Write", "write", "write_file"];
const PATCH: &[&str] = &["apply_patch"];
const ASK: &[&str] = &["AskUserQuestion", "request_user_input", "question"];

pub(crate) fn resolve(tool: &Tool, offered: &[OfferedTool], cwd: Option<&str>) -> Result<ToolCall, String> {
    match tool {
        Tool::Shell { command } => pick(offered, &[SHELL], "Shell").map(|t| shell_call(t, command)),
        Tool::WriteFile { path, content } => {
            pick(offered, &[WRITE, PATCH], "WriteFile").map(|t| file_call(t, path, content, cwd))
        }
        Tool::Patch { path, content } => {
            pick(offered, &[PATCH, WRITE], "Patch").map(|t| file_call(t, path, content, cwd))
        }
        Tool::AskUser { question, options } => pick(offered, &[ASK], "AskUser").map(|t| ask_call(t, question, options)),
        Tool::Named { name, arguments } => {
            let tool =
                offered.iter().find(|t| t.name == *name).ok_or_else(|| missing(&format!("`{name}`"), offered))?;
            named_call(tool, arguments)
        }
    }
}

fn pick<'a>(offered: &'a [OfferedTool], families: &[&[&str]], what: &str) -> Result<&'a OfferedTool, String> {
    let wanted: Vec<&str> = families.concat();
    wanted
        .iter()
        .find_map(|w| offered.iter().find(|t| t.name == *w))
        .ok_or_else(|| missing(&format!("{what} (one of {})", wanted.join(", ")), offered))
}

fn missing(what: &str, offered: &[OfferedTool]) -> String {
    let names: Vec<&str> = offered.iter().map(|t| t.name.as_str()).collect();
    format!("model-stub: the script wants tool {what}, but the request offers only [{}]", names.join(", "))
}

/// `properties` of the tool's input schema, if it has any.
fn props(tool: &OfferedTool) -> Option<&Map<String, Value>> {
    tool.schema.get("properties").and_then(Value::as_object)
}

fn bash_lc(command: &str) -> Vec<String> {
    vec!["bash".into(), "-lc".into(), command.into()]
}

fn shell_call(tool: &OfferedTool, command: &str) -> ToolCall {
    let input = match tool.kind {
        ToolKind::LocalShell => CallInput::LocalShell(bash_lc(command)),
        ToolKind::Custom => CallInput::Freeform(command.to_string()),
        ToolKind::Function | ToolKind::ToolSearch => {
            let props = props(tool);
            let has = |key: &str| props.is_some_and(|p| p.contains_key(key));
            let argv_command = props
                .and_then(|p| p.get("command"))
                .and_then(|c| c.get("type"))
                .map(|ty| ty == "array")
                .unwrap_or(matches!(tool.name.as_str(), "shell" | "local_shell"));
            let mut args = Map::new();
            if has("cmd") || (props.is_none() && tool.name == "exec_command") {
                args.insert("cmd".into(), json!(command));
            } else if argv_command {
                args.insert("command".into(), json!(bash_lc(command)));
            } else {
                args.insert("command".into(), json!(command));
            }
            // Claude's and OpenCode's shell tools take (OpenCode: require) a
            // human-readable description next to the command.
            if has("description") || (props.is_none() && tool.name.eq_ignore_ascii_case("bash")) {
                args.insert("description".into(), json!("Run a shell command"));
            }
            CallInput::Json(Value::Object(args))
        }
    };
    ToolCall { name: tool.name.clone(), input }
}

/// Codex `apply_patch` input that creates `path` with `content`.
pub(crate) fn add_file_patch(path: &str, content: &str) -> String {
    let mut patch = format!("*** Begin Patch\n*** Add File: {path}\n");
    for line in content.lines() {
        patch.push('+');
        patch.push_str(line);
        patch.push('\n');
    }
    patch.push_str("*** End Patch\n");
    patch
}

fn file_call(tool: &OfferedTool, path: &str, content: &str, cwd: Option<&str>) -> ToolCall {
    let input = if PATCH.contains(&tool.name.as_str()) {
        let patch = add_file_patch(path, content);
        match tool.kind {
            ToolKind::Custom => CallInput::Freeform(patch),
            _ => CallInput::Json(json!({ "input": patch })),
        }
    } else {
        let key = props(tool)
            .and_then(|p| ["file_path", "filePath", "path"].into_iter().find(|k| p.contains_key(*k)))
            .unwrap_or(if tool.name == "Write" { "file_path" } else { "filePath" });
        // Claude's Write insists on absolute paths; other agents resolve
        // relative ones against their own cwd, so leave those alone.
        let path = match cwd {
            Some(cwd) if key == "file_path" && !path.starts_with('/') => {
                format!("{}/{}", cwd.trim_end_matches('/'), path.trim_start_matches("./"))
            }
            _ => path.to_string(),
        };
        let mut args = Map::new();
        args.insert(key.into(), json!(path));
        args.insert("content".into(), json!(content));
        CallInput::Json(Value::Object(args))
    };
    ToolCall { name: tool.name.clone(), input }
}

/// Builds `{"questions": [{...}]}` filling whichever of the known question
/// fields the offered schema declares (Claude: question/header/options/
/// multiSelect; Codex: id/header/question/options; OpenCode: multiple).
fn ask_call(tool: &OfferedTool, question: &str, options: &[String]) -> ToolCall {
    let item_props = tool.schema.pointer("/properties/questions/items/properties").and_then(Value::as_object);
    let has = |key: &str| item_props.is_none_or(|p| p.contains_key(key));
    let options: Vec<Value> = options.iter().map(|o| json!({ "label": o, "description": o })).collect();
    let mut q = Map::new();
    if item_props.is_some_and(|p| p.contains_key("id")) {
        q.insert("id".into(), json!("q1"));
    }
    q.insert("question".into(), json!(question));
    if has("header") {
        // Claude caps headers at 12 characters.
        q.insert("header".into(), json!("Question"));
    }
    q.insert("options".into(), json!(options));
    if has("multiSelect") {
        q.insert("multiSelect".into(), json!(false));
    }
    if item_props.is_some_and(|p| p.contains_key("multiple")) {
        q.insert("multiple".into(), json!(false));
    }
    ToolCall { name: tool.name.clone(), input: CallInput::Json(json!({ "questions": [q] })) }
}

fn named_call(tool: &OfferedTool, arguments: &Value) -> Result<ToolCall, String> {
    let input = match tool.kind {
        ToolKind::Function => CallInput::Json(arguments.clone()),
        ToolKind::ToolSearch => CallInput::ToolSearch(arguments.clone()),
        ToolKind::Custom => match arguments {
            Value::String(s) => CallInput::Freeform(s.clone()),
            _ => match arguments.get("input").and_then(Value::as_str) {
                Some(s) => CallInput::Freeform(s.to_string()),
                None => {
                    return Err(format!(
                        "model-stub: `{}` is a freeform tool; script its arguments as a string",
                        tool.name
                    ))
                }
            },
        },
        ToolKind::LocalShell => match arguments.get("command").unwrap_or(arguments) {
            Value::String(s) => CallInput::LocalShell(bash_lc(s)),
            Value::Array(a) => {
                CallInput::LocalShell(a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect())
            }
            _ => return Err("model-stub: local_shell arguments need a `command` string or array".to_string()),
        },
    };
    Ok(ToolCall { name: tool.name.clone(), input })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, schema: Value) -> OfferedTool {
        OfferedTool { name: name.into(), kind: ToolKind::Function, schema, namespace: None }
    }

    fn json_of(call: &ToolCall) -> Value {
        call.input.to_json()
    }

    #[test]
    fn shell_shapes_per_agent() {
        let claude = [
            f("Read", Value::Null),
            f("Bash", json!({"properties": {"command": {"type": "string"}, "description": {}}})),
        ];
        let call = resolve(&Tool::shell("ls"), &claude, None).unwrap();
        assert_eq!(
            (call.name.as_str(), json_of(&call)),
            ("Bash", json!({"command": "ls", "description": "Run a shell command"}))
        );

        let codex = [f("exec_command", json!({"properties": {"cmd": {"type": "string"}}}))];
        assert_eq!(json_of(&resolve(&Tool::shell("ls"), &codex, None).unwrap()), json!({"cmd": "ls"}));

        let old_codex = [f("shell", Value::Null)];
        assert_eq!(
            json_of(&resolve(&Tool::shell("ls"), &old_codex, None).unwrap()),
            json!({"command": ["bash", "-lc", "ls"]})
        );

        let opencode = [f("bash", Value::Null)];
        assert_eq!(
            json_of(&resolve(&Tool::shell("ls"), &opencode, None).unwrap()),
            json!({"command": "ls", "description": "Run a shell command"})
        );

        let local = [OfferedTool {
            name: "local_shell".into(),
            kind: ToolKind::LocalShell,
            schema: Value::Null,
            namespace: None,
        }];
        assert_eq!(resolve(&Tool::shell("ls"), &local, None).unwrap().input, CallInput::LocalShell(bash_lc("ls")));
    }

    #[test]
    fn write_file_paths() {
        let claude = [f("Write", Value::Null)];
        let call = resolve(&Tool::write_file("a.txt", "x\n"), &claude, Some("/w/")).unwrap();
        assert_eq!(json_of(&call), json!({"file_path": "/w/a.txt", "content": "x\n"}));
        let call = resolve(&Tool::write_file("a.txt", "x\n"), &claude, None).unwrap();
        assert_eq!(json_of(&call), json!({"file_path": "a.txt", "content": "x\n"}));

        let opencode = [f("write", Value::Null)];
        let call = resolve(&Tool::write_file("a.txt", "x"), &opencode, Some("/w")).unwrap();
        assert_eq!(json_of(&call), json!({"filePath": "a.txt", "content": "x"}));

        let codex =
            [OfferedTool { name: "apply_patch".into(), kind: ToolKind::Custom, schema: Value::Null, namespace: None }];
        let call = resolve(&Tool::write_file("a.txt", "one\ntwo\n"), &codex, None).unwrap();
        assert_eq!(
            call.input,
            CallInput::Freeform("*** Begin Patch\n*** Add File: a.txt\n+one\n+two\n*** End Patch\n".into())
        );
    }

    #[test]
    fn patch_prefers_apply_patch_then_write() {
        let both = [f("Write", Value::Null), f("apply_patch", Value::Null)];
        let call = resolve(&Tool::patch("a", "b"), &both, None).unwrap();
        assert_eq!(call.name, "apply_patch");
        assert_eq!(json_of(&call)["input"], json!(add_file_patch("a", "b")));
        assert_eq!(resolve(&Tool::patch("a", "b"), &both[..1], None).unwrap().name, "Write");
    }

    #[test]
    fn ask_user_follows_schema() {
        let claude = [f(
            "AskUserQuestion",
            json!({"properties": {"questions": {"items": {"properties":
            {"question": {}, "header": {}, "options": {}, "multiSelect": {}}}}}}),
        )];
        let call = resolve(&Tool::ask_user("Pick?", ["A", "B"]), &claude, None).unwrap();
        assert_eq!(
            json_of(&call),
            json!({"questions": [{"question": "Pick?", "header": "Question",
            "options": [{"label": "A", "description": "A"}, {"label": "B", "description": "B"}], "multiSelect": false}]})
        );

        let codex = [f(
            "request_user_input",
            json!({"properties": {"questions": {"items": {"properties":
            {"id": {}, "question": {}, "header": {}, "options": {}}}}}}),
        )];
        let q = &json_of(&resolve(&Tool::ask_user("Pick?", ["A"]), &codex, None).unwrap())["questions"][0];
        assert_eq!(q["id"], "q1");
        assert!(q.get("multiSelect").is_none());
    }

    #[test]
    fn named_tools() {
        let tools = [
            f("x", Value::Null),
            OfferedTool { name: "c".into(), kind: ToolKind::Custom, schema: Value::Null, namespace: None },
        ];
        assert_eq!(
            resolve(&Tool::named("x", json!({"a": 1})), &tools, None).unwrap().input,
            CallInput::Json(json!({"a": 1}))
        );
        assert_eq!(
            resolve(&Tool::named("c", json!("raw")), &tools, None).unwrap().input,
            CallInput::Freeform("raw".into())
        );
        assert!(resolve(&Tool::named("c", json!({"a": 1})), &tools, None).is_err());
        let err = resolve(&Tool::named("nope", json!({})), &tools, None).unwrap_err();
        assert!(err.contains("`nope`") && err.contains("[x, c]"), "{err}");
    }
}
