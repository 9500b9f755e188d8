//! Each profession's schema.org document, made once per snapshot on first use
//! rather than on every request: its page embeds it, `/professions/<slug>.jsonld`
//! serves it and GraphQL's `jsonLd` returns it, so all three give the same
//! document and a page costs no more than the query for its content.

use super::{ProfessionIx, Snapshot};
use pathways_jsonld::BaseUrl;
use std::sync::{Arc, OnceLock};

/// One profession's document, in each form it is served in.
#[derive(Debug)]
pub struct ProfessionJsonLd {
    /// The address the document's identifiers are made from.
    base: BaseUrl,
    pub value: serde_json::Value,
    /// Compact, with `<`, `>` and `&` escaped, so that it cannot end the
    /// `<script>` element a page embeds it in.
    pub script: String,
    /// Indented, with a final line break, as the `.jsonld` address serves it.
    pub pretty: String,
}

/// The documents made so far, one place per profession.
#[derive(Debug, Default)]
pub(super) struct JsonLdDocuments(Vec<OnceLock<Arc<ProfessionJsonLd>>>);

impl JsonLdDocuments {
    pub(super) fn new(professions: usize) -> JsonLdDocuments {
        JsonLdDocuments((0..professions).map(|_| OnceLock::new()).collect())
    }
}

impl Snapshot {
    /// The schema.org document of the profession `ix`, with addresses under
    /// `base`. A server has one base, so the first document made is kept; a
    /// different base (only ever a test's) gets a fresh one.
    pub fn profession_json_ld(&self, ix: ProfessionIx, base: &BaseUrl) -> Arc<ProfessionJsonLd> {
        let make = || Arc::new(ProfessionJsonLd::new(self, ix, base));
        match self.json_ld.0.get(ix.0) {
            Some(place) => {
                let held = place.get_or_init(make);
                if held.base == *base {
                    held.clone()
                } else {
                    make()
                }
            }
            None => make(),
        }
    }
}

impl ProfessionJsonLd {
    fn new(snapshot: &Snapshot, ix: ProfessionIx, base: &BaseUrl) -> ProfessionJsonLd {
        let slug = &snapshot.profession(ix).slug;
        let value =
            pathways_jsonld::profession_document(&snapshot.content, base, slug).unwrap_or_default();
        ProfessionJsonLd {
            base: base.clone(),
            script: script_json(&value),
            pretty: serde_json::to_string_pretty(&value).unwrap_or_default() + "\n",
            value,
        }
    }
}

/// `value` as compact JSON that is safe inside an HTML `<script>` element:
/// `<`, `>` and `&` written as `\u` escapes, which JSON reads back the same.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::fixtures;
    use pathways_model::Release;

    fn snapshot() -> Snapshot {
        fixtures::snapshot(Release {
            professions: vec![fixtures::profession("podiatrist")],
            ..Release::default()
        })
    }

    #[test]
    fn a_document_is_made_once_per_base_and_is_the_one_described() {
        let snapshot = snapshot();
        let base = BaseUrl::parse("https://careers.example.org").unwrap();
        let first = snapshot.profession_json_ld(ProfessionIx(0), &base);
        let again = snapshot.profession_json_ld(ProfessionIx(0), &base);
        assert!(Arc::ptr_eq(&first, &again));
        let expected =
            pathways_jsonld::profession_document(&snapshot.content, &base, "podiatrist").unwrap();
        assert_eq!(first.value, expected);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&first.script).unwrap(),
            expected
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&first.pretty).unwrap(),
            expected
        );

        let other = BaseUrl::parse("https://elsewhere.example.org").unwrap();
        let elsewhere = snapshot.profession_json_ld(ProfessionIx(0), &other);
        assert!(elsewhere.script.contains("elsewhere.example.org"));
        assert!(!elsewhere.script.contains("careers.example.org"));
    }

    #[test]
    fn json_in_a_script_block_cannot_close_it() {
        let value = serde_json::json!({"name": "</script><!-- & >"});
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }
}
