//! Items (messages, tool calls, results, …) and their content parts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One unit of conversation: a message, a tool call, a tool result, a status line …
/// Every item goes through `item.started → item.delta* → item.completed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UniversalItem {
    /// Daemon-assigned id, `itm_<n>`; stable for the whole life of the item.
    pub item_id: String,
    /// The agent's own id for this item, when it has one.
    pub native_item_id: Option<String>,
    /// The item this one belongs to (e.g. the message a tool call was made from).
    pub parent_id: Option<String>,
    pub kind: ItemKind,
    pub role: Option<ItemRole>,
    pub content: Vec<ContentPart>,
    pub status: ItemStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Message,
    ToolCall,
    ToolResult,
    System,
    Status,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemRole {
    User,
    Assistant,
    System,
    Tool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    InProgress,
    Completed,
    Failed,
}

/// The eight content part types, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentPart {
    Text {
        text: String,
    },
    Json {
        #[schema(value_type = Object)]
        json: serde_json::Value,
    },
    ToolCall {
        name: String,
        /// JSON-encoded arguments (a string, as most agents send them).
        arguments: String,
        call_id: String,
    },
    ToolResult {
        call_id: String,
        output: String,
    },
    FileRef {
        path: String,
        action: FileAction,
        diff: Option<String>,
    },
    Reasoning {
        text: String,
        visibility: ReasoningVisibility,
    },
    Image {
        path: String,
        mime: Option<String>,
    },
    Status {
        label: String,
        detail: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileAction {
    Read,
    Write,
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningVisibility {
    Public,
    Private,
}

impl ContentPart {
    pub fn text(text: impl Into<String>) -> Self {
        ContentPart::Text { text: text.into() }
    }

    /// The text a delta of this part would carry, if it is textual.
    pub fn delta_text(&self) -> Option<&str> {
        match self {
            ContentPart::Text { text } | ContentPart::Reasoning { text, .. } => Some(text),
            _ => None,
        }
    }
}

impl UniversalItem {
    /// A new item with no ids yet (the daemon assigns `item_id`).
    pub fn new(kind: ItemKind, role: Option<ItemRole>, content: Vec<ContentPart>) -> Self {
        UniversalItem {
            item_id: String::new(),
            native_item_id: None,
            parent_id: None,
            kind,
            role,
            content,
            status: ItemStatus::InProgress,
        }
    }
}
