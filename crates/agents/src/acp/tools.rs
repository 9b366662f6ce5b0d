//! ACP tool calls: what the converter knows of one (ACP sends its fields piecemeal), their
//! updates, and a finished call's result (output text, file references, unified diffs).

use sandbox_agent_schema::*;
use serde_json::Value;

use super::{completed, started, str_of, Action, Converter};
use crate::universal::item;

/// What the converter knows of one tool call (ACP sends its fields piecemeal; each update
/// replaces the fields it carries).
#[derive(Debug, Clone, Default)]
pub(super) struct Tool {
    title: Option<String>,
    kind: Option<String>,
    raw_input: Option<Value>,
    raw_output: Option<Value>,
    content: Option<Value>,
    locations: Option<Value>,
    status: Option<String>,
    /// Its `item.started` was emitted.
    started: bool,
    /// Its call and result items were completed.
    done: bool,
}

impl Tool {
    pub(super) fn merge(&mut self, u: &Value) {
        let text = |k: &str| u.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(t) = text("title") {
            self.title = Some(t);
        }
        if let Some(k) = text("kind") {
            self.kind = Some(k);
        }
        if let Some(s) = text("status") {
            self.status = Some(s);
        }
        for (key, slot) in [
            ("rawInput", &mut self.raw_input),
            ("rawOutput", &mut self.raw_output),
            ("content", &mut self.content),
            ("locations", &mut self.locations),
        ] {
            if let Some(v) = u.get(key).filter(|v| !v.is_null()) {
                *slot = Some(v.clone());
            }
        }
    }

    /// The tool's name for clients: its title, else its kind.
    pub(super) fn name(&self) -> String {
        self.title.clone().filter(|t| !t.is_empty()).or_else(|| self.kind.clone()).unwrap_or_else(|| "tool".into())
    }

    pub(super) fn call_part(&self, id: &str) -> ContentPart {
        let arguments = match &self.raw_input {
            Some(input) => input.to_string(),
            None => "{}".to_string(),
        };
        ContentPart::ToolCall { name: self.name(), arguments, call_id: id.into() }
    }
}

impl Converter {
    /// `u` was read as the schema's `ToolCall`/`ToolCallUpdate` first (its `status` is known).
    pub(super) fn tool_update(&mut self, u: &Value) -> Result<Vec<Action>, String> {
        let id = u.get("toolCallId").and_then(Value::as_str).ok_or("tool call without toolCallId")?.to_string();
        let tool = self.tools.entry(id.clone()).or_default();
        if tool.done {
            return Ok(Vec::new()); // late updates of a finished call: already reported
        }
        if str_of(u, "sessionUpdate") == "tool_call" {
            // A `tool_call` states the whole call (agents send it again for a call they already
            // announced, or after a permission request described it): start from its fields.
            *tool = Tool { started: tool.started, ..Tool::default() };
        }
        tool.merge(u);
        let finished = match tool.status.as_deref() {
            Some("completed") => Some((false, tool_output(tool)?)),
            Some("failed") => Some((true, tool_output(tool)?)),
            _ => None,
        };
        let mut out = Vec::new();
        if !tool.started {
            tool.started = true;
            out.push(started(item(
                ItemKind::ToolCall,
                ItemRole::Assistant,
                &id,
                vec![tool.call_part(&id)],
                ItemStatus::InProgress,
            )));
        }
        let Some((failed, (output, extra))) = finished else { return Ok(out) };
        out.push(completed(item(
            ItemKind::ToolCall,
            ItemRole::Assistant,
            &id,
            vec![tool.call_part(&id)],
            ItemStatus::Completed,
        )));
        // Keep only the fact that it is finished.
        *tool = Tool { started: true, done: true, ..Tool::default() };
        let mut content = vec![ContentPart::ToolResult { call_id: id.clone(), output }];
        content.extend(extra);
        let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
        let mut result = item(ItemKind::ToolResult, ItemRole::Tool, &format!("{id}:result"), content, status);
        result.parent_id = Some(id);
        out.push(completed(result));
        Ok(out)
    }
}

/// A finished tool call's output text and extra parts: the text of its `content` blocks (else
/// its `rawOutput`), a `file_ref` per diff, and `read` file refs for a `read` tool's locations.
fn tool_output(tool: &Tool) -> Result<(String, Vec<ContentPart>), String> {
    let mut texts = Vec::new();
    let mut extra = Vec::new();
    for c in tool.content.as_ref().and_then(Value::as_array).into_iter().flatten() {
        match str_of(c, "type") {
            "content" => texts.push(block_text(c.get("content").unwrap_or(&Value::Null))?),
            "diff" => {
                let path = str_of(c, "path");
                let old = c.get("oldText").and_then(Value::as_str);
                let new = str_of(c, "newText");
                let action = if old.is_none() { FileAction::Write } else { FileAction::Patch };
                extra.push(ContentPart::FileRef { path: path.into(), action, diff: unified_diff(path, old, new) });
            }
            // We advertise no terminals, so none should come; keep the reference.
            "terminal" => extra.push(ContentPart::Json { json: c.clone() }),
            other => return Err(format!("unknown tool call content {other:?}")),
        }
    }
    if tool.kind.as_deref() == Some("read") && extra.is_empty() {
        for l in tool.locations.as_ref().and_then(Value::as_array).into_iter().flatten() {
            if let Some(path) = l.get("path").and_then(Value::as_str) {
                extra.push(ContentPart::FileRef { path: path.into(), action: FileAction::Read, diff: None });
            }
        }
    }
    let mut output = texts.join("\n");
    if output.is_empty() {
        output = match &tool.raw_output {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(raw) => ["formatted_output", "aggregated_output", "output", "stdout"]
                .iter()
                .find_map(|k| raw.get(*k).and_then(Value::as_str))
                .map(str::to_string)
                .unwrap_or_else(|| raw.to_string()),
        };
    }
    Ok((output, extra))
}

/// The text of an ACP content block inside tool output.
fn block_text(b: &Value) -> Result<String, String> {
    Ok(match str_of(b, "type") {
        "text" => str_of(b, "text").to_string(),
        "resource_link" => str_of(b, "uri").to_string(),
        "resource" => {
            let r = b.get("resource").unwrap_or(&Value::Null);
            r.get("text").and_then(Value::as_str).unwrap_or_else(|| str_of(r, "uri")).to_string()
        }
        "image" | "audio" => format!("[{} {}]", str_of(b, "type"), str_of(b, "mimeType")),
        other => return Err(format!("unknown content block {other:?}")),
    })
}

/// A unified diff of two texts (line based, 3 lines of context); None when nothing changed.
/// `old: None` is a new file.
pub fn unified_diff(path: &str, old: Option<&str>, new: &str) -> Option<String> {
    let a: Vec<&str> = old.unwrap_or("").lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff_lines(&a, &b);
    if ops.iter().all(|(op, _)| *op == ' ') {
        return None;
    }
    const CONTEXT: usize = 3;
    // The ranges of ops to show: every change with its context, merged when they touch.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, (op, _)) in ops.iter().enumerate() {
        if *op == ' ' {
            continue;
        }
        let (start, end) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(ops.len()));
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    let from = if old.is_some() { format!("a/{path}") } else { "/dev/null".to_string() };
    let mut out = format!("--- {from}\n+++ b/{path}\n");
    for (start, end) in ranges {
        let count = |ops: &[(char, &str)], side: char| ops.iter().filter(|(op, _)| *op == ' ' || *op == side).count();
        let (old_before, new_before) = (count(&ops[..start], '-'), count(&ops[..start], '+'));
        let (old_len, new_len) = (count(&ops[start..end], '-'), count(&ops[start..end], '+'));
        let first = |before: usize, len: usize| if len == 0 { before } else { before + 1 };
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            first(old_before, old_len),
            first(new_before, new_len)
        ));
        for (op, line) in &ops[start..end] {
            out.push(*op);
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

/// Line edit script from `a` to `b`: `' '` kept, `'-'` removed, `'+'` added. Longest common
/// subsequence on what lies between the common prefix and suffix; a very large middle is shown
/// as removed then added.
fn diff_lines<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(char, &'a str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(char, &'a str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        ops.extend(am.iter().map(|l| ('-', *l)));
        ops.extend(bm.iter().map(|l| ('+', *l)));
    } else {
        // lcs[i][j] = LCS length of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', am[i]));
                i += 1;
            } else {
                ops.push(('+', bm[j]));
                j += 1;
            }
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));
    ops
}
