//! The enum of a root union and its `from_value`, which reads the discriminator fields and
//! deserializes only the member they name, straight from the `serde_json::Value` (no buffering
//! and no trial of every member, as `#[serde(untagged)]` would do on the hot path). Members the
//! keys cannot tell apart are tried in the schema's order. Variants are boxed: the members
//! differ in size by kilobytes (Claude's `StdoutLine` would be 7.8 kB), and every message moves
//! its enum a few times.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use schemars::schema::{Schema, SchemaObject};
use typify::TypeSpace;

use crate::schema::UnionDef;

/// `thread/started` → `ThreadStarted`, `SDKAssistantMessage` → `SdkAssistantMessage`.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        // Split camelCase words too, and lower-case acronyms (`SDK` → `Sdk`).
        let chars: Vec<char> = word.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let starts_word = i == 0
                || (c.is_ascii_uppercase()
                    && (chars[i - 1].is_ascii_lowercase() || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
            if starts_word {
                out.push(c.to_ascii_uppercase());
            } else if chars[i - 1].is_ascii_uppercase() && c.is_ascii_uppercase() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(*c);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

pub fn emit(space: &mut TypeSpace, u: &UnionDef) -> Result<TokenStream, String> {
    let name = Ident::new(&pascal(&u.name), Span::call_site());
    let mut variants = Vec::new();
    // (pattern, [(variant ident, payload type)]) in the order first seen.
    type Arm = (Vec<Option<Vec<String>>>, Vec<(Ident, Option<TokenStream>)>);
    let mut arms: Vec<Arm> = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for m in &u.members {
        let variant = Ident::new(&pascal(&m.variant), Span::call_site());
        if !used.insert(variant.to_string()) {
            return Err(format!("{}: two members named {variant}", u.name));
        }
        let ty = match &m.def {
            Some(def) => {
                let reference = Schema::Object(SchemaObject {
                    reference: Some(format!("#/definitions/{def}")),
                    ..Default::default()
                });
                let id = space.add_type(&reference).map_err(|e| format!("{def}: {e}"))?;
                Some(space.get_type(&id).map_err(|e| format!("{def}: {e}"))?.ident())
            }
            None => None,
        };
        let doc = m.doc.iter();
        variants.push(match &ty {
            Some(ty) => quote! { #(#[doc = #doc])* #variant(Box<#ty>) },
            None => quote! { #(#[doc = #doc])* #variant },
        });
        match arms.iter_mut().find(|(p, _)| *p == m.tags) {
            Some((_, members)) => members.push((variant, ty)),
            None => arms.push((m.tags.clone(), vec![(variant, ty)])),
        }
    }
    // More specific patterns first (a `subtype` arm before the `_` of its `type`).
    arms.sort_by_key(|(p, _)| std::cmp::Reverse(p.iter().filter(|t| t.is_some()).count()));
    let payload = match &u.payload {
        Some(key) => quote! { v.get(#key).unwrap_or(&::serde_json::Value::Null) },
        None => quote! { v },
    };
    let arms = arms.iter().map(|(pattern, members)| {
        let pats = pattern.iter().map(|p| match p {
            Some(values) => quote! { Some(#(#values)|*) },
            None => quote! { _ },
        });
        // Members the keys cannot tell apart: the first that deserializes wins.
        let mut tries = members.iter().map(|(variant, ty)| match ty {
            Some(ty) => {
                quote! { <#ty as ::serde::Deserialize>::deserialize(payload).map(|m| Self::#variant(Box::new(m))) }
            }
            None => quote! { Ok(Self::#variant) },
        });
        let first = tries.next().expect("an arm has a member");
        let body = tries.fold(first, |acc, next| quote! { #acc.or_else(|_| #next) });
        quote! { (#(#pats,)*) => #body, }
    });
    let keys = &u.keys;
    let key_list = keys.join(", ");
    let doc = u.doc.iter();
    let fn_doc = format!(
        "The member named by `{key_list}`, deserialized from `v`; an unknown or mismatching message is an error."
    );
    // A nested union is a field type of typify's structs, so it (de)serializes like them; each
    // member keeps its discriminator field, so serializing needs no tag.
    let (derives, deserialize) = if u.nested {
        (
            quote! { #[derive(Debug, Clone, ::serde::Serialize)] #[serde(untagged)] },
            quote! {
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        let v = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                        Self::from_value(&v).map_err(<D::Error as ::serde::de::Error>::custom)
                    }
                }
            },
        )
    } else {
        (quote! { #[derive(Debug, Clone)] }, quote! {})
    };
    Ok(quote! {
        #(#[doc = #doc])*
        #derives
        pub enum #name { #(#variants,)* }

        impl #name {
            #[doc = #fn_doc]
            pub fn from_value(v: &::serde_json::Value) -> Result<Self, ::serde_json::Error> {
                let payload = #payload;
                let tag = |k: &str| v.get(k).and_then(::serde_json::Value::as_str);
                match (#(tag(#keys),)*) {
                    #(#arms)*
                    _ => Err(<::serde_json::Error as ::serde::de::Error>::custom(format_args!(
                        concat!("no ", stringify!(#name), " member has these ", #key_list, " values: {:?}"),
                        (#(tag(#keys),)*),
                    ))),
                }
            }
        }

        #deserialize
    })
}
