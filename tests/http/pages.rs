//! The pages the server renders, over real HTTP on each database: a profession's
//! page holds everything the API says of its pathway, old addresses redirect,
//! what is not there is a 404 page, and the sitemap lists every page of the
//! published release. Their behaviour in a browser is tested in `tests/web`.

use pathways_test_support::server::quiet;
use pathways_test_support::TestServer;
use serde_json::{json, Value};

const PATHWAY: &str = r#"
query Pathway($slug: String!) {
  profession(slug: $slug) {
    name
    codes { scheme code uri }
    jsonLd
    levels {
      level { label }
      routes { name stages { name } }
      steps {
        title intro
        level { label }
        entryRoute { name stages { name optional } }
        role { slug description }
      }
    }
  }
}"#;

const PATHWAYS: [&str; 6] = [
    "art-therapist",
    "drama-therapist",
    "music-therapist",
    "occupational-therapist",
    "physiotherapist",
    "therapeutic-radiographer",
];

/// The words a page shows: tags dropped, the entities askama writes decoded,
/// white space made single spaces.
fn words(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every paragraph and list item of the API's Markdown, as plain text.
fn texts(markdown: &str) -> Vec<String> {
    markdown
        .split("\n\n")
        .flat_map(|block| block.lines())
        .map(|line| line.strip_prefix("- ").unwrap_or(line))
        .map(|line| {
            let mut out = String::new();
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or(c)
                } else {
                    c
                });
            }
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// What the API says a page must show: titles, levels, routes, stages, and
/// every sentence of every intro and role.
fn expected(profession: &Value) -> Vec<String> {
    let mut all = vec![format!("{} pathway", profession["name"].as_str().unwrap())];
    for level in profession["levels"].as_array().unwrap() {
        all.push(level["level"]["label"].as_str().unwrap().to_owned());
        for route in level["routes"].as_array().unwrap() {
            all.push(format!("{} route", route["name"].as_str().unwrap()));
            for stage in route["stages"].as_array().unwrap() {
                all.push(stage["name"].as_str().unwrap().to_owned());
            }
        }
        for step in level["steps"].as_array().unwrap() {
            all.push(step["title"].as_str().unwrap().to_owned());
            all.push(step["level"]["label"].as_str().unwrap().to_owned());
            all.extend(texts(step["intro"].as_str().unwrap_or_default()));
            all.extend(texts(step["role"]["description"].as_str().unwrap()));
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profession_page_holds_everything_the_api_says_of_its_pathway() {
    for server in TestServer::each(quiet).await {
        let mut checked = 0;
        for slug in PATHWAYS {
            let data = server.data(PATHWAY, json!({ "slug": slug })).await;
            let profession = &data["profession"];
            let page = server.fetch(&format!("/professions/{slug}")).await;
            page.assert_status(200).assert_media_type("text/html");
            let shown = words(&page.text());
            for text in expected(profession) {
                assert!(
                    shown.contains(&text),
                    "{}: /professions/{slug} lacks {text:?}",
                    server.label
                );
                checked += 1;
            }
            // The same document as the API's `jsonLd` and the `.jsonld` address.
            let document = server.fetch(&format!("/professions/{slug}.jsonld")).await;
            document
                .assert_status(200)
                .assert_media_type("application/ld+json");
            assert_eq!(document.json(), profession["jsonLd"], "{slug}");
            assert!(page.text().contains(
                r#"<script type="application/ld+json">{"@context":"https://schema.org""#
            ));
        }
        // 6 pathways: 35 steps with their titles, levels and texts, and their routes.
        assert!(checked > 200, "{checked} texts checked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_are_in_the_api_as_content_gives_them() {
    let server = TestServer::sqlite(quiet()).await;
    let data = server
        .data(PATHWAY, json!({ "slug": "physiotherapist" }))
        .await;
    let codes = data["profession"]["codes"].as_array().unwrap();
    let schemes: Vec<&str> = codes
        .iter()
        .map(|c| c["scheme"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, ["soc2020", "isco08", "esco"]);
    assert_eq!(codes[0]["code"], "2221");
    assert_eq!(codes[0]["uri"], Value::Null);
    assert_eq!(codes[1]["uri"], "http://data.europa.eu/esco/isco/C2264");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_have_a_title_description_canonical_link_and_caching() {
    let server = TestServer::sqlite(quiet()).await;
    for (path, title) in [
        ("/", "<title>Explore AHP career pathways</title>"),
        (
            "/professions/physiotherapist",
            "<title>Physiotherapist · Explore AHP career pathways</title>",
        ),
        (
            "/roles/healthcare-support-worker",
            "<title>Healthcare support worker · Explore AHP career pathways</title>",
        ),
    ] {
        let page = server.fetch(path).await;
        page.assert_status(200)
            .assert_cache_control("public, max-age=60");
        let html = page.text();
        assert!(html.contains(title), "{path}: {title}");
        assert!(
            html.contains(r#"<meta name="description" content=""#),
            "{path}"
        );
        let canonical = format!(r#"<link rel="canonical" href="{}{path}">"#, server.base);
        assert!(html.contains(&canonical), "{path}: {canonical}");
        assert!(!html.contains("noindex"), "{path}");
        let etag = page.etag();
        let again = server
            .send(server.get(path).header("if-none-match", &etag))
            .await;
        again.assert_not_modified(&etag);
    }
    // An address the explorer previews is never indexed.
    let preview = server.fetch("/professions/physiotherapist?release=1").await;
    assert!(preview
        .text()
        .contains(r#"<meta name="robots" content="noindex">"#));
    assert_eq!(preview.header("x-robots-tag"), Some("noindex"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_addresses_redirect_and_what_is_not_there_is_a_404_page() {
    for server in TestServer::each(quiet).await {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        for (old, new) in [
            (
                "/?profession=physiotherapist",
                "/professions/physiotherapist",
            ),
            (
                "/?profession=physiotherapist&step=7",
                "/professions/physiotherapist#step-7",
            ),
            (
                "/?role=healthcare-support-worker",
                "/roles/healthcare-support-worker",
            ),
            ("/?q=dementia", "/search?q=dementia"),
        ] {
            let response = client.get(server.url(old)).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 308, "{old}");
            assert_eq!(response.headers()["location"], new, "{old}");
        }
        for (path, heading) in [
            ("/professions/astronaut", "Profession not found"),
            ("/roles/astronaut", "Role not found"),
            ("/nowhere", "Page not found"),
        ] {
            let page = server.fetch(path).await;
            page.assert_status(404).assert_media_type("text/html");
            assert!(
                page.text().contains(&format!("<h2>{heading}</h2>")),
                "{path}"
            );
            assert!(
                page.text()
                    .contains(r#"<meta name="robots" content="noindex">"#),
                "{path}"
            );
        }
        server
            .fetch("/professions/astronaut.jsonld")
            .await
            .assert_status(404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sitemap_lists_every_page_of_the_published_release() {
    for server in TestServer::each(quiet).await {
        let data = server
            .data(
                "{ release { importedAt publishedAt } roles { slug } professions(first: 100) { edges { node { slug } } } }",
                Value::Null,
            )
            .await;
        let release = &data["release"];
        let when = release["publishedAt"]
            .as_str()
            .or(release["importedAt"].as_str())
            .unwrap();
        let sitemap = server.fetch("/sitemap.xml").await;
        sitemap
            .assert_status(200)
            .assert_media_type("application/xml");
        let xml = sitemap.text();
        let mut paths = vec!["/".to_owned()];
        for edge in data["professions"]["edges"].as_array().unwrap() {
            paths.push(format!(
                "/professions/{}",
                edge["node"]["slug"].as_str().unwrap()
            ));
        }
        for role in data["roles"].as_array().unwrap() {
            paths.push(format!("/roles/{}", role["slug"].as_str().unwrap()));
        }
        for path in &paths {
            let entry = format!(
                "<url><loc>{}{path}</loc><lastmod>{when}</lastmod></url>",
                server.base
            );
            assert!(xml.contains(&entry), "{}: no {entry}", server.label);
        }
        assert_eq!(xml.matches("<url>").count(), paths.len());
        let robots = server.fetch("/robots.txt").await;
        robots.assert_status(200).assert_media_type("text/plain");
        assert!(robots
            .text()
            .contains(&format!("Sitemap: {}/sitemap.xml", server.base)));
    }
}
