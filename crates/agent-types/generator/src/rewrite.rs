//! Rewrites of the input schemas, each for a reason given below: what typify cannot read, what
//! it would read wrongly, and the few places where the agents' output differs from the letter of
//! their own schema in the same way everywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::dispatch::pascal;
use crate::schema::ref_name;

/// Applied to every schema node:
/// - OpenAPI references (`#/components/schemas/X`) become `#/definitions/X`;
/// - `pattern` and string `format`s go: typify would validate them with regress and chrono, which
///   the daemon does not otherwise need, and the converters only read these strings;
/// - `additionalProperties: false` goes: a field the pinned schema does not list is tolerated (and
///   kept in the event's `raw`), so that a new optional field does not make every message
///   unparsed, while the fields it does list are still checked (required, type, enum values);
///   it stays on one-property wrappers, the variants of externally tagged unions;
/// - a required property that may be null may also be missing: the agents leave out null fields
///   (Claude Code writes no `citations` on text blocks and no `container` on `message_delta`,
///   which the Anthropic types declare as required `… | null`);
/// - a string `const` becomes a one-value `enum`: typify reads `const` as any string, so union
///   members told apart by a `type` constant would not be (it makes tagged enums of the latter);
/// - TypeScript's "any string" idiom `string & {}` (in `Model`), which typescript-json-schema
///   writes as an unsatisfiable `allOf: [{type: object}, {type: string}]`, becomes a string, and
///   so does the union of known names with it (`(string & {}) | 'claude-opus-4-5' | …`);
/// - properties shared by all members of a `oneOf` move into the members (`distribute_properties`);
/// - an `anyOf` (but `X | null`) becomes a `oneOf` (`any_of_as_one_of`);
/// - a property whose schema is `true` (anything) becomes `{}`, the same thing in a form typify's
///   merging of `oneOf` members accepts (it panics on `true`).
pub fn node(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(node).collect()),
        Value::Object(map) => {
            let nullable: BTreeSet<String> = match map.get("properties").and_then(Value::as_object) {
                Some(props) => props.iter().filter(|(_, p)| allows_null(p)).map(|(k, _)| k.clone()).collect(),
                None => BTreeSet::new(),
            };
            let is_string = map.get("type").and_then(Value::as_str) == Some("string");
            let wrapper = single_key_wrapper(&map);
            let mut out = Map::new();
            for (k, v) in map {
                match (k.as_str(), &v) {
                    ("$ref", Value::String(r)) => {
                        out.insert(k, Value::String(r.replace("#/components/schemas/", "#/definitions/")));
                    }
                    ("pattern", Value::String(_)) => {}
                    ("format", Value::String(_)) if is_string => {}
                    // Kept on a one-property wrapper (`{"httpConnectionFailed": {…}}`): that is
                    // how typify recognizes an externally tagged variant.
                    ("additionalProperties", Value::Bool(false)) if !wrapper => {}
                    ("const", Value::String(_)) => {
                        out.insert("enum".into(), json!([v]));
                    }
                    ("required", Value::Array(names)) => {
                        let kept = names.iter().filter(|n| n.as_str().is_none_or(|n| !nullable.contains(n)));
                        out.insert(k, Value::Array(kept.cloned().collect()));
                    }
                    ("properties", Value::Object(props)) => {
                        let props = props.iter().map(|(name, p)| {
                            (name.clone(), if *p == Value::Bool(true) { json!({}) } else { node(p.clone()) })
                        });
                        out.insert(k, Value::Object(props.collect()));
                    }
                    _ => {
                        out.insert(k, node(v));
                    }
                }
            }
            // After the members were rewritten (bottom-up: `string & {}` first, then the union).
            match ts_any_string(&out).or_else(|| open_string_union(&out)) {
                Some(string) => string,
                None => Value::Object(any_of_as_one_of(distribute_properties(out))),
            }
        }
        other => other,
    }
}

/// An object with exactly one property, which it requires: an externally tagged variant.
fn single_key_wrapper(map: &Map<String, Value>) -> bool {
    let props = map.get("properties").and_then(Value::as_object);
    let required = map.get("required").and_then(Value::as_array);
    match (props, required) {
        (Some(p), Some(r)) => p.len() == 1 && r.len() == 1 && r[0].as_str().is_some_and(|k| p.contains_key(k)),
        _ => false,
    }
}

fn allows_null(schema: &Value) -> bool {
    let null_type =
        |t: &Value| t.as_str() == Some("null") || t.as_array().is_some_and(|a| a.iter().any(|t| t == "null"));
    schema.get("type").is_some_and(null_type)
        || ["anyOf", "oneOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|m| m.iter().any(|m| m.get("type").is_some_and(null_type)))
        })
}

/// `anyOf` of strings, one of them any string (the TS idiom `(string & {}) | 'a' | 'b'` for
/// "known names, or any other"), → a string; typify would make a struct of it.
fn open_string_union(map: &Map<String, Value>) -> Option<Value> {
    let members = map.get("anyOf")?.as_array()?;
    let string = |m: &Value| m.get("type").and_then(Value::as_str) == Some("string");
    let open =
        |m: &Value| string(m) && m.as_object().is_some_and(|o| o.keys().all(|k| k == "type" || k == "description"));
    if !(members.iter().all(string) && members.iter().any(open)) {
        return None;
    }
    let mut out: Map<String, Value> =
        map.iter().filter(|(k, _)| *k != "anyOf").map(|(k, v)| (k.clone(), v.clone())).collect();
    out.insert("type".into(), json!("string"));
    Some(Value::Object(out))
}

/// An `anyOf` (other than `X | null`) becomes a `oneOf`, which typify makes a tagged enum or an
/// untagged one (the first member that matches wins, as "any of" allows). When it cannot prove
/// the members of an `anyOf` exclude each other, typify instead makes a struct of optional
/// flattened members, which rejects what the members accept: Codex's `CodexErrorInfo` (known
/// names, `{"httpConnectionFailed": {…}}`, … or any other string or object) rejected `"other"`.
fn any_of_as_one_of(mut map: Map<String, Value>) -> Map<String, Value> {
    let Some(Value::Array(members)) = map.get("anyOf") else { return map };
    // `X | null` stays as it is: typify makes an `Option` of it.
    if members.len() < 2 || members.iter().any(|m| *m == json!({"type": "null"})) {
        return map;
    }
    let members = map.remove("anyOf").expect("checked above");
    map.insert("oneOf".into(), members);
    map
}

/// An object with `properties` common to the members of its `oneOf` (Codex's `ThreadItem`: the
/// timestamps, then one member per item type) gets them moved into each member: typify merges
/// them itself, but then no longer sees that the members are told apart by `type`.
fn distribute_properties(mut map: Map<String, Value>) -> Map<String, Value> {
    let members_inline = |m: &Value| m.get("properties").is_some() && m.get("$ref").is_none();
    let Some(Value::Array(members)) = map.get("oneOf") else { return map };
    if !map.contains_key("properties") || !members.iter().all(members_inline) {
        return map;
    }
    let Some(Value::Object(common)) = map.remove("properties") else { return map };
    let required = map.remove("required").and_then(|r| r.as_array().cloned()).unwrap_or_default();
    // The members say they are objects; typify merges an outer `type` like the properties.
    map.remove("type");
    if let Some(Value::Array(members)) = map.get_mut("oneOf") {
        for m in members.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(props)) = m.get_mut("properties") {
                for (k, v) in &common {
                    props.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            if let Some(Value::Array(req)) = m.get_mut("required") {
                req.extend(required.iter().filter(|r| !req.contains(r)).cloned().collect::<Vec<_>>());
            }
        }
    }
    map
}

/// `allOf: [{properties: {}, type: object}, {type: string}]` (in either order) → the string.
fn ts_any_string(map: &Map<String, Value>) -> Option<Value> {
    let [a, b] = map.get("allOf")?.as_array()?.as_slice() else { return None };
    let empty_object = json!({"properties": {}, "type": "object"});
    let other = if *a == empty_object {
        b
    } else if *b == empty_object {
        a
    } else {
        return None;
    };
    let mut out: Map<String, Value> =
        map.iter().filter(|(k, _)| *k != "allOf").map(|(k, v)| (k.clone(), v.clone())).collect();
    out.extend(other.as_object()?.clone());
    Some(Value::Object(out))
}

/// The name and value of each required one-value string `enum` property of an object schema.
fn constant_props(schema: &Value) -> BTreeMap<String, String> {
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else { return BTreeMap::new() };
    props
        .iter()
        .filter(|(name, _)| required.contains(&name.as_str()))
        .filter_map(|(name, p)| match p.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
            Some([Value::String(v)]) => Some((name.clone(), v.clone())),
            _ => None,
        })
        .collect()
}

/// A union (`oneOf` / `anyOf`) whose members are references to objects told apart by a common
/// constant property (`type`) gets those objects inlined: typify makes a `#[serde(tag = …)]` enum
/// only of inline members, and an untagged one (which tries every member in turn) otherwise.
/// The root unions are left alone: `dispatch.rs` handles them.
pub fn inline_tagged_unions(defs: &mut BTreeMap<String, Value>, roots: &[&str]) {
    fn visit(v: &mut Value, defs: &BTreeMap<String, Value>) {
        match v {
            Value::Array(items) => items.iter_mut().for_each(|i| visit(i, defs)),
            Value::Object(map) => {
                for key in ["oneOf", "anyOf"] {
                    if let Some(Value::Array(members)) = map.get_mut(key) {
                        if let Some(inlined) = tagged_members(members, defs) {
                            *members = inlined;
                        }
                    }
                }
                map.values_mut().for_each(|i| visit(i, defs));
            }
            _ => {}
        }
    }
    let snapshot = defs.clone();
    for (name, schema) in defs.iter_mut() {
        if !roots.contains(&name.as_str()) {
            visit(schema, &snapshot);
        }
    }
}

/// The property (`type`) all these object schemas require with a constant value, different in
/// each.
pub fn common_tag(members: &[Value]) -> Option<String> {
    if members.len() < 2 {
        return None;
    }
    let sets: Vec<BTreeMap<String, String>> = members.iter().map(constant_props).collect();
    sets[0]
        .keys()
        .find(|k| {
            let values: BTreeSet<&String> = sets.iter().filter_map(|s| s.get(*k)).collect();
            sets.iter().all(|s| s.contains_key(*k)) && values.len() == sets.len()
        })
        .cloned()
}

fn tagged_members(members: &[Value], defs: &BTreeMap<String, Value>) -> Option<Vec<Value>> {
    let targets: Vec<Value> =
        members.iter().map(|m| ref_name(m).and_then(|n| defs.get(n)).cloned()).collect::<Option<_>>()?;
    common_tag(&targets)?;
    Some({
        members
            .iter()
            .zip(targets)
            .map(|(m, t)| {
                let mut inlined = t;
                if let (Some(desc), Some(obj)) = (m.get("description"), inlined.as_object_mut()) {
                    obj.insert("description".into(), desc.clone());
                }
                inlined
            })
            .collect()
    })
}

/// A definition `X | null` with an inline `X` becomes `XValue | null` plus a definition
/// `XValue`: typify would otherwise give both the newtype and the inner type the name `X`.
pub fn split_nullable_aliases(defs: &mut BTreeMap<String, Value>) {
    let mut added = Vec::new();
    for (name, schema) in defs.iter_mut() {
        let Some(members) = schema.get_mut("anyOf").and_then(Value::as_array_mut) else { continue };
        if members.len() != 2 || !members.iter().any(|m| *m == json!({"type": "null"})) {
            continue;
        }
        let Some(inner) = members.iter_mut().find(|m| **m != json!({"type": "null"}) && m.get("$ref").is_none()) else {
            continue;
        };
        let value_name = format!("{name}Value");
        added.push((
            value_name.clone(),
            std::mem::replace(inner, json!({"$ref": format!("#/definitions/{value_name}")})),
        ));
    }
    defs.extend(added);
}

/// Every inline schema that becomes a Rust type gets a `title`, unique in the module, built from
/// where it sits (`<Definition><Property>…`). Left alone, typify names such a type
/// `<Parent><Property>` itself and, when two different schemas get the same name (two variants of
/// a tagged enum with a `content` property), silently uses the first type for both.
pub fn name_inline_types(defs: &mut BTreeMap<String, Value>) {
    let mut taken: BTreeSet<String> = defs.keys().map(|k| name_key(k)).collect();
    for (name, schema) in defs.iter_mut() {
        name_children(schema, &pascal(name), &mut taken);
    }
}

fn name_key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// The non-null member of `X | null`.
fn option_inner(map: &mut Map<String, Value>) -> Option<&mut Value> {
    let members = map.get_mut("anyOf")?.as_array_mut()?;
    if members.len() != 2 {
        return None;
    }
    let null = members.iter().position(|m| *m == json!({"type": "null"}))?;
    members.get_mut(1 - null)
}

/// Name `v` (a schema in a position where typify would name it) and what it contains.
fn name_node(v: &mut Value, path: &str, taken: &mut BTreeSet<String>) {
    let Some(map) = v.as_object_mut() else { return };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(inner) = option_inner(map) {
        return name_node(inner, path, taken);
    }
    let named = map.contains_key("properties")
        || map.contains_key("enum")
        || map.contains_key("oneOf")
        || map.contains_key("anyOf");
    if named {
        let mut title = path.to_string();
        let mut n = 1;
        while !taken.insert(name_key(&title)) {
            n += 1;
            title = format!("{path}{n}");
        }
        map.insert("title".into(), Value::String(title));
    }
    name_children(v, path, taken);
}

fn name_children(v: &mut Value, path: &str, taken: &mut BTreeSet<String>) {
    let Some(map) = v.as_object_mut() else { return };
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, p) in props.iter_mut() {
            name_node(p, &format!("{path}{}", pascal(name)), taken);
        }
    }
    if let Some(items) = map.get_mut("items") {
        name_node(items, &format!("{path}Item"), taken);
    }
    if let Some(values @ Value::Object(_)) = map.get_mut("additionalProperties") {
        name_node(values, &format!("{path}Value"), taken);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            for (i, m) in members.iter_mut().enumerate() {
                // A variant is named after its constant (`type`) when it has one.
                let tag =
                    constant_props(m).into_values().next().map(|t| pascal(&t)).unwrap_or_else(|| format!("Variant{i}"));
                name_node(m, &format!("{path}{tag}"), taken);
            }
        }
    }
}
