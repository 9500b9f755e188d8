//! Requests over real HTTP, and answers with assertions that say what went wrong.

use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE, ETAG};
use reqwest::RequestBuilder;
use serde_json::{json, Value};

/// A server's base URL (`http://127.0.0.1:PORT`), the database it runs on (for
/// messages), and a client.
#[derive(Clone)]
pub struct Http {
    pub base: String,
    pub label: String,
    client: reqwest::Client,
}

impl Http {
    pub fn new(base: impl Into<String>, label: impl Into<String>) -> Http {
        Http {
            base: base.into(),
            label: label.into(),
            client: reqwest::Client::new(),
        }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The absolute URL of `path` (`/graphql`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A GET of `path`, to add headers to and [`send`](Http::send).
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    /// A POST to `path`.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    /// `GET /graphql?query=…`.
    pub fn get_query(&self, query: &str) -> RequestBuilder {
        self.get("/graphql").query(&[("query", query)])
    }

    /// `POST /graphql` with `{"query", "variables"}`.
    pub fn post_query(&self, query: &str, variables: Value) -> RequestBuilder {
        self.post("/graphql")
            .json(&json!({"query": query, "variables": variables}))
    }

    /// Sends a request; the answer, whole.
    pub async fn send(&self, request: RequestBuilder) -> Response {
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: the request failed: {e}", self.label));
        Response {
            label: self.label.clone(),
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.bytes().await.expect("the body").to_vec(),
        }
    }

    /// POSTs a query to `/graphql`.
    pub async fn query(&self, query: &str, variables: Value) -> Response {
        self.send(self.post_query(query, variables)).await
    }

    /// GETs `path`.
    pub async fn fetch(&self, path: &str) -> Response {
        self.send(self.get(path)).await
    }

    /// POSTs a query that must succeed without errors; returns `data`.
    #[track_caller]
    pub fn data(
        &self,
        query: &str,
        variables: Value,
    ) -> impl std::future::Future<Output = Value> + '_ {
        let caller = std::panic::Location::caller();
        let query = query.to_owned();
        async move {
            let response = self.query(&query, variables).await;
            response.ok_at(caller)
        }
    }
}

/// An HTTP answer: status, headers and body, with the database it came from.
#[derive(Debug, Clone)]
pub struct Response {
    pub label: String,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (`null` for an empty body).
    #[track_caller]
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{}: {} with a body that is not JSON ({e}): {}",
                self.label,
                self.status,
                self.text()
            )
        })
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The ETag, which must be there.
    #[track_caller]
    pub fn etag(&self) -> String {
        self.header(ETAG.as_str())
            .unwrap_or_else(|| panic!("{}: no ETag in {:?}", self.label, self.headers))
            .to_owned()
    }

    /// The `code` in the first error's `extensions`, if any.
    pub fn code(&self) -> Option<String> {
        self.json()["errors"][0]["extensions"]["code"]
            .as_str()
            .map(str::to_owned)
    }

    /// The first error's message (empty when there is none).
    pub fn message(&self) -> String {
        self.json()["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Response {
        assert_eq!(
            self.status,
            status,
            "{}: unexpected status; body: {}",
            self.label,
            self.text()
        );
        self
    }

    /// 200 with `data` and no `errors`; returns `data`.
    #[track_caller]
    pub fn assert_ok(&self) -> Value {
        self.ok_at(std::panic::Location::caller())
    }

    fn ok_at(&self, caller: &std::panic::Location<'_>) -> Value {
        let body = self.json();
        assert!(
            self.status == 200 && body.get("errors").is_none() && body.get("data").is_some(),
            "{}: expected 200 with data and no errors at {caller}, got {}: {body:#}",
            self.label,
            self.status
        );
        body["data"].clone()
    }

    /// A GraphQL error whose first `extensions.code` is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: &str) -> &Response {
        assert_eq!(
            self.code().as_deref(),
            Some(code),
            "{}: status {}, body: {}",
            self.label,
            self.status,
            self.text()
        );
        self
    }

    #[track_caller]
    pub fn assert_cache_control(&self, expected: &str) -> &Response {
        assert_eq!(
            self.header(CACHE_CONTROL.as_str()),
            Some(expected),
            "{}: Cache-Control of a {} answer",
            self.label,
            self.status
        );
        self
    }

    /// The media type (`Content-Type` before any parameter) is `expected`.
    #[track_caller]
    pub fn assert_media_type(&self, expected: &str) -> &Response {
        let media = self
            .header(CONTENT_TYPE.as_str())
            .map(|t| t.split(';').next().unwrap_or_default().trim());
        assert_eq!(
            media,
            Some(expected),
            "{}: Content-Type of a {} answer",
            self.label,
            self.status
        );
        self
    }

    /// A 304 with the given ETag and no body.
    #[track_caller]
    pub fn assert_not_modified(&self, etag: &str) -> &Response {
        self.assert_status(304);
        assert_eq!(self.etag(), etag, "{}: the ETag of a 304", self.label);
        assert!(self.body.is_empty(), "{}: a 304 with a body", self.label);
        self
    }
}
