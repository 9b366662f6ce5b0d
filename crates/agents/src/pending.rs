//! The mock's outstanding questions and permission requests within one turn.

use sandbox_agent_schema::*;
use serde_json::json;

use crate::AgentInput;

pub(crate) struct Reply(pub String);

enum Ask {
    Permission(PermissionEventData),
    Question(QuestionEventData),
}

pub(crate) struct Pending(Vec<Ask>);

impl Pending {
    pub fn permissions(turn_id: &str) -> Self {
        let ask = |n: u32, action: &str, metadata| {
            Ask::Permission(PermissionEventData {
                permission_id: format!("perm_{turn_id}_{n}"),
                action: action.into(),
                status: PermissionStatus::Requested,
                metadata: Some(metadata),
                answered_by: None,
            })
        };
        Pending(vec![
            ask(1, "mock.write_file", json!({"path": "notes.txt"})),
            ask(2, "mock.run_command", json!({"command": ["ls", "-la"]})),
        ])
    }

    pub fn questions(turn_id: &str) -> Self {
        let ask = |n: u32, prompt: &str, options: &[&str]| {
            Ask::Question(QuestionEventData {
                question_id: format!("q_{turn_id}_{n}"),
                prompt: prompt.into(),
                options: options.iter().map(|o| o.to_string()).collect(),
                response: None,
                status: QuestionStatus::Requested,
                answered_by: None,
            })
        };
        Pending(vec![ask(1, "Choose a color", &["Red", "Blue"]), ask(2, "Allow mock experiment?", &["Yes", "No"])])
    }

    pub fn requests(&self) -> Vec<EventData> {
        self.0
            .iter()
            .map(|ask| match ask {
                Ask::Permission(p) => EventData::PermissionRequested(p.clone()),
                Ask::Question(q) => EventData::QuestionRequested(q.clone()),
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Remove the request a reply answers and describe the outcome.
    pub fn take(&mut self, input: &AgentInput) -> Option<Reply> {
        let pos = self.0.iter().position(|ask| match (ask, input) {
            (Ask::Permission(p), AgentInput::PermissionReply { permission_id, .. }) => {
                &p.permission_id == permission_id
            }
            (Ask::Question(q), AgentInput::QuestionReply { question_id, .. })
            | (Ask::Question(q), AgentInput::QuestionReject { question_id }) => &q.question_id == question_id,
            _ => false,
        })?;
        let ask = self.0.remove(pos);
        let text = match (ask, input) {
            (Ask::Permission(p), AgentInput::PermissionReply { reply, .. }) => {
                let verdict = if reply.status() == PermissionStatus::Approved { "approved" } else { "denied" };
                format!("Permission {} was {verdict}.", p.action)
            }
            (Ask::Question(q), AgentInput::QuestionReply { answers, .. }) => {
                let answer = answers.iter().flatten().cloned().collect::<Vec<_>>().join(", ");
                format!("{}: {answer}", q.prompt)
            }
            (Ask::Question(q), _) => format!("{}: rejected", q.prompt),
            _ => unreachable!("matched above"),
        };
        Some(Reply(text))
    }
}
