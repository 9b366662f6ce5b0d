//! Files (images, documents) a request carries, in any of the three APIs' shapes, so a test can
//! check that an attachment reached the model as bytes and not only as a name.

use base64::Engine;
use serde::Serialize;
use serde_json::Value;

/// One file found in a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenFile {
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// Every file in `body`: Anthropic `image`/`document` blocks (base64 or text sources) and any
/// `data:<mime>;base64,` URL (Responses `input_image`/`input_file`, Chat `image_url`/`file`).
pub fn files(body: &Value) -> Vec<SeenFile> {
    let mut out = Vec::new();
    walk(body, &mut out);
    out
}

fn walk(v: &Value, out: &mut Vec<SeenFile>) {
    match v {
        Value::String(s) => out.extend(data_url(s)),
        Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
        Value::Object(o) => {
            if let Some(file) = anthropic_source(o.get("type"), o.get("source")) {
                out.push(file);
                return;
            }
            o.values().for_each(|v| walk(v, out));
        }
        _ => {}
    }
}

fn anthropic_source(kind: Option<&Value>, source: Option<&Value>) -> Option<SeenFile> {
    if !matches!(kind?.as_str()?, "image" | "document") {
        return None;
    }
    let source = source?;
    let mime = source.get("media_type")?.as_str()?.to_string();
    let data = source.get("data")?.as_str()?;
    let bytes = match source.get("type")?.as_str()? {
        "base64" => base64::engine::general_purpose::STANDARD.decode(data).ok()?,
        "text" => data.as_bytes().to_vec(),
        _ => return None,
    };
    Some(SeenFile { mime, bytes })
}

fn data_url(s: &str) -> Option<SeenFile> {
    let rest = s.strip_prefix("data:")?;
    let (mime, data) = rest.split_once(";base64,")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).ok()?;
    Some(SeenFile { mime: mime.to_string(), bytes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_files_in_each_api_shape() {
        let body = json!({"messages": [{"role": "user", "content": [
            {"type": "text", "text": "data: not a url"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw=="}},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "hi"}},
            {"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/"},
            {"type": "image_url", "image_url": {"url": "data:application/pdf;base64,JVBERg=="}},
        ]}]});
        let seen = files(&body);
        let mimes: Vec<&str> = seen.iter().map(|f| f.mime.as_str()).collect();
        assert_eq!(mimes, ["image/png", "text/plain", "image/jpeg", "application/pdf"]);
        assert_eq!(seen[0].bytes, b"\x89PNG");
        assert_eq!(seen[1].bytes, b"hi");
        assert_eq!(seen[3].bytes, b"%PDF");
    }
}
