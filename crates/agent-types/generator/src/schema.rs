//! Loading the input schemas into one set of definitions for typify (rewritten by `rewrite.rs`),
//! finding the members of the root unions, and keeping only what the roots reach.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use schemars::schema::Schema;
use serde_json::{json, Value};

use crate::rewrite;
use crate::specs::{Spec, Union};

/// One member of a root union.
pub struct Member {
    /// The variant's name before sanitizing (a definition name, or a discriminator value).
    pub variant: String,
    /// The definition the variant holds; None for a payload-less member.
    pub def: Option<String>,
    /// For each of the union's keys, the values this member accepts (None: any).
    pub tags: Vec<Option<Vec<String>>>,
    pub doc: Option<String>,
}

pub struct UnionDef {
    pub name: String,
    pub doc: Option<String>,
    pub keys: Vec<String>,
    pub payload: Option<String>,
    pub members: Vec<Member>,
    /// A union inside other types (not a root): it also implements `Deserialize` (through
    /// `from_value`) and `Serialize`, and typify refers to it instead of generating it.
    pub nested: bool,
}

pub struct Bundle {
    /// Every definition reachable from the roots, rewritten, by name.
    definitions: BTreeMap<String, Value>,
    pub unions: Vec<UnionDef>,
}

impl Bundle {
    pub fn load(root: &Path, spec: &Spec) -> Result<Self, String> {
        let mut defs: BTreeMap<String, Value> = BTreeMap::new();
        for input in spec.inputs {
            let text = std::fs::read_to_string(root.join(input)).map_err(|e| format!("{input}: {e}"))?;
            // Draft 2020-12 (ACP) names its definitions `$defs`; typify and the rest of this
            // generator read draft-07 `definitions`.
            let text = text.replace("\"#/$defs/", "\"#/definitions/");
            let mut doc: Value = serde_json::from_str(&text).map_err(|e| format!("{input}: {e}"))?;
            let (found, file_root) = match doc.pointer_mut("/components/schemas").map(Value::take) {
                // OpenAPI: the components are the definitions; the document itself is no type.
                Some(components) => (components, None),
                None => {
                    let obj = doc.as_object_mut().ok_or(format!("{input}: not an object"))?;
                    let found = obj.remove("definitions").or_else(|| obj.remove("$defs")).unwrap_or_else(|| json!({}));
                    obj.remove("$schema");
                    let title = obj
                        .get("title")
                        .and_then(Value::as_str)
                        .ok_or(format!("{input}: root without title"))?
                        .to_string();
                    (found, Some((title, doc)))
                }
            };
            let found = found.as_object().cloned().unwrap_or_default().into_iter().chain(file_root);
            for (name, schema) in found {
                let schema = rewrite::node(schema);
                match defs.get(&name) {
                    Some(existing) if *existing != schema => {
                        return Err(format!("{input}: definition {name} differs from another file's"))
                    }
                    _ => {
                        defs.insert(name, schema);
                    }
                }
            }
        }
        for patch in spec.patches {
            let schema: Value =
                serde_json::from_str(patch.schema).map_err(|e| format!("patch of {}: {e}", patch.def))?;
            let slot = defs.get_mut(patch.def).ok_or(format!("patch of {}: no such definition", patch.def))?;
            *slot = rewrite::node(schema);
        }
        let mut hoisted = std::collections::BTreeSet::new();
        for u in spec.unions.iter().filter(|u| u.payload.is_none()) {
            hoisted.extend(hoist_inline_members(&mut defs, u)?);
        }
        let unions = spec.unions.iter().map(|u| union_def(&defs, u, &hoisted)).collect::<Result<Vec<_>, _>>()?;
        rewrite::inline_tagged_unions(&mut defs, &spec.unions.iter().map(|u| u.def).collect::<Vec<_>>());
        let mut wanted: Vec<String> = spec.roots.iter().map(|s| s.to_string()).collect();
        wanted.extend(unions.iter().flat_map(|u| u.members.iter().filter_map(|m| m.def.clone())));
        let mut definitions = reachable(&defs, wanted)?;
        // A root union other definitions refer to (ACP's `SessionUpdate`, a field of
        // `SessionNotification`) is replaced in them by its dispatch enum, like a nested one.
        let mut unions = unions;
        for u in &mut unions {
            let reference = format!("\"#/definitions/{}\"", u.name);
            u.nested = definitions.values().any(|d| d.to_string().contains(&reference));
        }
        rewrite::split_nullable_aliases(&mut definitions);
        unions.extend(nested_unions(&mut definitions));
        rewrite::name_inline_types(&mut definitions);
        Ok(Bundle { definitions, unions })
    }

    pub fn schemas(&self) -> Result<BTreeMap<String, Schema>, String> {
        self.definitions
            .iter()
            .map(|(name, v)| Ok((name.clone(), serde_json::from_value(v.clone()).map_err(|e| format!("{name}: {e}"))?)))
            .collect()
    }
}

pub(crate) fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/"))
}

/// Inline members of a union (ACP's `SessionUpdate`: `{properties: {sessionUpdate: const}, allOf:
/// [$ref]}`) become definitions named after the union and their tag value (`agent_message_chunk`
/// → `SessionUpdateAgentMessageChunk`), so each has a type of its own to dispatch to.
fn hoist_inline_members(defs: &mut BTreeMap<String, Value>, u: &Union) -> Result<Vec<String>, String> {
    let Some(schema) = defs.get(u.def) else { return Ok(Vec::new()) };
    let key = if schema.get("oneOf").is_some() { "oneOf" } else { "anyOf" };
    let Some(variants) = schema.get(key).and_then(Value::as_array).cloned() else { return Ok(Vec::new()) };
    let mut hoisted = Vec::new();
    let mut names = Vec::new();
    for variant in variants {
        if ref_name(&variant).is_some() {
            hoisted.push(variant);
            continue;
        }
        let tag = u
            .keys
            .iter()
            .find_map(|k| tag_values(&variant, k).filter(|t| t.len() == 1))
            .ok_or(format!("{}: an inline member without one tag value: {variant}", u.def))?;
        let pascal: String = tag[0].split('_').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect();
        // Prefixed: a tag's name is often a definition's already (`tool_call`, `ToolCall`).
        let name = format!("{}{pascal}", u.def);
        if defs.contains_key(&name) {
            return Err(format!("{}: hoisting {} would replace a definition", u.def, name));
        }
        let doc = variant.get("description").cloned();
        defs.insert(name.clone(), variant);
        names.push(name.clone());
        let mut reference = json!({"$ref": format!("#/definitions/{name}")});
        if let Some(doc) = doc {
            reference["description"] = doc;
        }
        hoisted.push(reference);
    }
    defs.get_mut(u.def).expect("checked above")[key] = Value::Array(hoisted);
    Ok(names)
}

/// The values a schema allows for a property: `const`, or a string `enum`.
fn tag_values(schema: &Value, key: &str) -> Option<Vec<String>> {
    let prop = schema.get("properties")?.get(key)?;
    if let Some(c) = prop.get("const").and_then(Value::as_str) {
        return Some(vec![c.to_string()]);
    }
    let values: Option<Vec<String>> =
        prop.get("enum")?.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect();
    values
}

fn union_def(
    defs: &BTreeMap<String, Value>,
    u: &Union,
    hoisted: &std::collections::BTreeSet<String>,
) -> Result<UnionDef, String> {
    let schema = defs.get(u.def).ok_or(format!("no definition {}", u.def))?;
    let variants = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .ok_or(format!("{} is not a union", u.def))?;
    let mut members = Vec::new();
    for variant in variants {
        // A member is a reference to a definition, or an inline object naming its payload.
        let (object, def) = match ref_name(variant) {
            Some(name) => (defs.get(name).ok_or(format!("{}: no definition {name}", u.def))?, Some(name.to_string())),
            None => (variant, None),
        };
        let tags: Vec<Option<Vec<String>>> = u.keys.iter().map(|k| tag_values(object, k)).collect();
        if tags.iter().all(Option::is_none) {
            return Err(format!("{}: a member has none of the keys {:?}: {variant}", u.def, u.keys));
        }
        let doc = variant
            .get("description")
            .or_else(|| object.get("description"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let member = match (u.payload, def) {
            (None, Some(def)) => {
                // A hoisted member (`SessionUpdateToolCall`) is its union's `ToolCall`.
                let variant = match hoisted.contains(&def) {
                    true => def.strip_prefix(u.def).unwrap_or(&def).to_string(),
                    false => def.clone(),
                };
                Member { variant, def: Some(def), tags, doc }
            }
            (Some(payload), _) => {
                let value = tags[0]
                    .as_ref()
                    .and_then(|t| (t.len() == 1).then(|| t[0].clone()))
                    .ok_or(format!("{}: member without one {} value", u.def, u.keys[0]))?;
                let def = object.pointer(&format!("/properties/{payload}")).and_then(ref_name).map(str::to_string);
                Member { variant: value, def, tags, doc }
            }
            (None, None) => return Err(format!("{}: inline member {variant}", u.def)),
        };
        members.push(member);
    }
    let doc = schema.get("description").and_then(Value::as_str).map(str::to_string);
    Ok(UnionDef {
        name: u.def.to_string(),
        doc,
        keys: u.keys.iter().map(|k| k.to_string()).collect(),
        payload: u.payload.map(str::to_string),
        members,
        nested: false,
    })
}

/// Definitions that are unions of objects told apart by a constant property (`type`) but that
/// typify cannot make a tagged enum of, because a member has variants of its own (Codex's
/// `ThreadItem`: the `imageGeneration` item is a file id or inline data). typify would make an
/// untagged enum, which tries each of the members in turn; instead each member becomes a
/// definition `<Union><Tag>` and the union a dispatch enum like the root ones.
fn nested_unions(defs: &mut BTreeMap<String, Value>) -> Vec<UnionDef> {
    let mut unions = Vec::new();
    let names: Vec<String> = defs.keys().cloned().collect();
    for name in names {
        let schema = &defs[&name];
        let Some(members) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) else {
            continue;
        };
        let has_variants = |m: &Value| ["oneOf", "anyOf", "allOf"].iter().any(|k| m.get(*k).is_some());
        let Some(key) = rewrite::common_tag(members) else { continue };
        if !members.iter().any(has_variants) || !members.iter().all(|m| m.get("properties").is_some()) {
            continue;
        }
        let doc = schema.get("description").and_then(Value::as_str).map(str::to_string);
        let mut union = UnionDef {
            name: name.clone(),
            doc,
            keys: vec![key.clone()],
            payload: None,
            members: Vec::new(),
            nested: true,
        };
        for m in members.clone() {
            let tag = tag_values(&m, &key).and_then(|t| t.into_iter().next()).expect("common_tag checked it");
            let def = format!("{name}{}", crate::dispatch::pascal(&tag));
            let doc = m.get("description").and_then(Value::as_str).map(str::to_string);
            union.members.push(Member {
                variant: tag.clone(),
                def: Some(def.clone()),
                tags: vec![Some(vec![tag])],
                doc,
            });
            defs.insert(def, m);
        }
        // Only its name matters now (typify replaces it by the dispatch enum).
        defs.insert(name, json!({}));
        unions.push(union);
    }
    unions
}

/// The definitions reachable from `wanted` through `$ref`s.
fn reachable(defs: &BTreeMap<String, Value>, wanted: Vec<String>) -> Result<BTreeMap<String, Value>, String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            Value::Object(map) => {
                if let Some(name) = ref_name(v) {
                    out.push(name.to_string());
                }
                map.values().for_each(|i| refs(i, out));
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo = wanted;
    let mut out = BTreeMap::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let schema = defs.get(&name).ok_or(format!("dangling reference to {name}"))?;
        refs(schema, &mut todo);
        out.insert(name, schema.clone());
    }
    Ok(out)
}
