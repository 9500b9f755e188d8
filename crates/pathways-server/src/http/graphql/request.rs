//! Step 2: the request read, from a GET's query string or a POST's JSON body,
//! into one [`GraphqlRequest`], and its document resolved into an [`Operation`].

use super::rejection::Rejection;
use crate::persisted::{Named, PersistedDocuments, Refusal};
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

/// One GraphQL request as the client sent it, whichever the method.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphqlRequest {
    #[serde(default, deserialize_with = "query")]
    query: Option<String>,
    #[serde(default, deserialize_with = "variables")]
    variables: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "operation_name")]
    operation_name: Option<String>,
    #[serde(default, deserialize_with = "document_id")]
    document_id: Option<String>,
    #[serde(default, deserialize_with = "extensions")]
    extensions: Option<Extensions>,
}

/// `extensions`, of which only `persistedQuery` is read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extensions {
    #[serde(default, deserialize_with = "persisted_query")]
    persisted_query: Option<String>,
}

/// A GET's URL parameters: `variables` and `extensions` are JSON texts.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    operation_name: Option<String>,
    extensions: Option<String>,
    document_id: Option<String>,
}

/// What a request's body or URL holds: one request, or a batch of them, each
/// read on its own so that one bad item refuses only itself.
pub enum Sent {
    One(GraphqlRequest),
    Batch(Vec<Result<GraphqlRequest, Rejection>>),
}

/// What runs: a document and what it is run with.
#[derive(Debug, Clone)]
pub struct Operation {
    pub query: Arc<str>,
    /// A JSON object, or null.
    pub variables: Value,
    pub operation_name: Option<String>,
}

/// What the request's document and ids resolved into.
pub enum Operations {
    One(Operation),
    Batch(Vec<Result<Operation, Rejection>>),
}

impl GraphqlRequest {
    /// Reads a GET's parameters as a POST body would be read.
    pub fn from_get(params: GetParams) -> Result<GraphqlRequest, Rejection> {
        let json = |name: &str, text: Option<String>| -> Result<Value, Rejection> {
            match text.filter(|t| !t.trim().is_empty()) {
                None => Ok(Value::Null),
                Some(text) => serde_json::from_str(&text)
                    .map_err(|e| Rejection::Malformed(format!("`{name}` must be JSON: {e}"))),
            }
        };
        let body = serde_json::json!({
            "query": params.query,
            "variables": json("variables", params.variables)?,
            "operationName": params.operation_name.filter(|n| !n.is_empty()),
            "extensions": json("extensions", params.extensions)?,
            "documentId": params.document_id,
        });
        GraphqlRequest::deserialize(body).map_err(|e| Rejection::Malformed(e.to_string()))
    }

    /// The document this request runs, with its variables.
    pub fn resolve(self, persisted: &PersistedDocuments) -> Result<Operation, Rejection> {
        let named = Named {
            query: self.query,
            sha256_hash: self.extensions.and_then(|e| e.persisted_query),
            document_id: self.document_id,
        };
        let query = persisted.resolve(named).map_err(|refusal| match refusal {
            Refusal::Missing => Rejection::Malformed(
                "expected `query` (a GraphQL document), or `documentId` or `extensions.persistedQuery` naming one".into(),
            ),
            Refusal::HashMismatch => Rejection::HashMismatch,
            Refusal::BadHash(hash) => Rejection::BadHash(hash),
            Refusal::NotFound => Rejection::PersistedQueryNotFound,
            Refusal::Required => Rejection::PersistedQueryRequired,
        })?;
        Ok(Operation {
            query,
            variables: self.variables.map_or(Value::Null, Value::Object),
            operation_name: self.operation_name,
        })
    }
}

impl Sent {
    /// Reads a POST's JSON body: an object, or an array of 1 to `max_batch`.
    pub fn from_body(body: &[u8], max_batch: usize) -> Result<Sent, Rejection> {
        let body: Value = serde_json::from_slice(body)
            .map_err(|e| Rejection::Malformed(format!("the body is not JSON: {e}")))?;
        match body {
            Value::Array(items) => {
                if items.is_empty() || items.len() > max_batch {
                    return Err(Rejection::BatchSize {
                        got: items.len(),
                        max: max_batch,
                    });
                }
                Ok(Sent::Batch(items.into_iter().map(one).collect()))
            }
            other => one(other).map(Sent::One),
        }
    }

    /// Resolves every document: a batch keeps each item's refusal as its answer.
    pub fn resolve(self, persisted: &PersistedDocuments) -> Result<Operations, Rejection> {
        match self {
            Sent::One(request) => request.resolve(persisted).map(Operations::One),
            Sent::Batch(items) => Ok(Operations::Batch(
                items
                    .into_iter()
                    .map(|item| item.and_then(|r| r.resolve(persisted)))
                    .collect(),
            )),
        }
    }
}

fn one(value: Value) -> Result<GraphqlRequest, Rejection> {
    if !value.is_object() {
        return Err(Rejection::Malformed(
            "the body must be a JSON object".into(),
        ));
    }
    GraphqlRequest::deserialize(value).map_err(|e| Rejection::Malformed(e.to_string()))
}

/// A string, where a blank one counts as absent.
fn text<'de, D: Deserializer<'de>>(d: D, expected: &str) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(D::Error::custom(expected)),
    }
}

fn query<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d, "expected `query`: a string holding a GraphQL document")
}

fn operation_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d, "`operationName` must be a string")
}

fn document_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d, "`documentId` must be a string")
}

fn variables<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(D::Error::custom("`variables` must be a JSON object")),
    }
}

fn extensions<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Extensions>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Extensions::deserialize(value)
            .map(Some)
            .map_err(D::Error::custom),
        Some(_) => Err(D::Error::custom("`extensions` must be a JSON object")),
    }
}

/// `persistedQuery`: `version` 1 and a `sha256Hash` string.
fn persisted_query<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let Some(value) = Option::<Value>::deserialize(d)?.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    if value.get("version").and_then(Value::as_i64) != Some(1) {
        return Err(D::Error::custom(
            "`extensions.persistedQuery.version` must be 1",
        ));
    }
    match value.get("sha256Hash") {
        Some(Value::String(hash)) => Ok(Some(hash.clone())),
        _ => Err(D::Error::custom(
            "`extensions.persistedQuery.sha256Hash` must be a string",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value) -> Result<GraphqlRequest, Rejection> {
        one(body)
    }

    #[test]
    fn reads_a_post_body() {
        let sent = read(
            json!({"query": "{ release { id } }", "variables": {"a": 1}, "operationName": null}),
        )
        .unwrap();
        assert_eq!(
            sent.variables,
            Some(json!({"a": 1}).as_object().unwrap().clone())
        );
        let hashed =
            read(json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab"}}}))
                .unwrap();
        assert_eq!(
            hashed.extensions.unwrap().persisted_query.as_deref(),
            Some("ab")
        );
    }

    #[test]
    fn says_which_member_is_wrong() {
        let message = |body: Value| match read(body) {
            Err(Rejection::Malformed(message)) => message,
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        };
        assert!(message(
            json!({"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "ab"}}})
        )
        .contains("version` must be 1"));
        assert!(message(json!({"query": 1})).contains("expected `query`"));
        assert!(message(json!({"query": "{x}", "variables": [1]}))
            .contains("`variables` must be a JSON object"));
        assert!(message(json!([1])).contains("must be a JSON object"));
    }

    #[test]
    fn a_get_reads_as_a_post_does() {
        let params = GetParams {
            query: Some("{ release { id } }".into()),
            variables: Some(r#"{"a":1}"#.into()),
            operation_name: Some(String::new()),
            extensions: None,
            document_id: None,
        };
        let request = GraphqlRequest::from_get(params).unwrap();
        assert_eq!(request.query.as_deref(), Some("{ release { id } }"));
        assert!(request.operation_name.is_none());
        let bad = GetParams {
            query: None,
            variables: Some("[1]".into()),
            operation_name: None,
            extensions: None,
            document_id: None,
        };
        assert!(matches!(
            GraphqlRequest::from_get(bad),
            Err(Rejection::Malformed(_))
        ));
    }

    #[test]
    fn a_batch_is_read_item_by_item_within_its_bounds() {
        let Ok(Sent::Batch(items)) = Sent::from_body(br#"[{"query":"{a}"},{"query":2}]"#, 5) else {
            panic!("a batch");
        };
        assert!(items[0].is_ok() && items[1].is_err());
        assert!(matches!(
            Sent::from_body(b"[]", 5),
            Err(Rejection::BatchSize { got: 0, max: 5 })
        ));
        assert!(matches!(
            Sent::from_body(b"{", 5),
            Err(Rejection::Malformed(_))
        ));
    }
}
