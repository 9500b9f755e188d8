//! The explorer's files as the server sends them; its behaviour in a browser
//! is tested in `tests/web`.

use crate::harness::{quiet, TestServer};
use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_is_served_from_this_server_only() {
    let server = TestServer::each(quiet).await.remove(0);
    for (path, media) in [
        ("/", "text/html"),
        ("/explorer/app.js", "text/javascript"),
        ("/explorer/style.css", "text/css"),
        ("/explorer/icon.svg", "image/svg+xml"),
    ] {
        let response = server
            .client()
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers[CONTENT_TYPE].to_str().unwrap().starts_with(media),
            "{path}"
        );
        let policy = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
        let body = response.text().await.unwrap();
        // Nothing fetched from elsewhere: no absolute URLs to other hosts.
        for scheme in ["http://", "https://", "//cdn", "//unpkg"] {
            let outside: Vec<&str> = body
                .lines()
                .filter(|l| l.contains(scheme) && !l.contains("http://www.w3.org/2000/svg"))
                .collect();
            assert!(outside.is_empty(), "{path} refers outside: {outside:?}");
        }
    }
    let page = server
        .client()
        .get(format!("{}/?profession=physiotherapist", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<script type="module" src="/explorer/app.js">"#));
    assert!(page.contains("<main"));
}
