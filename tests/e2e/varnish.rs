//! A real Varnish 7 (with varnish-modules' xkey) in front of two servers on
//! one PostgreSQL database, configured by `docs/varnish.vcl`: a publish that
//! changes one profession purges that profession's answers within a second,
//! and the answers of the others stay in Varnish's cache. APQ GETs are cached
//! too, and PURGE is taken only from the ACL's addresses.

use pathways_test_db::TestDb;
use pathways_test_support::tools::{skip, tool_asked};
use pathways_test_support::{copy_tree, json, repo, runtime, seeds, Http, Response, Served};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `varnishd` in the foreground on its own port and working folder; killed when dropped.
struct Varnish {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Varnish {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Varnish {
    /// Starts `varnishd` with `vcl`; `None` (skipped) when Varnish or its xkey
    /// module is missing and tools are not required.
    fn start(vcl: &str, port: u16) -> Option<Varnish> {
        let mut varnishd = tool_asked("varnishd (Varnish 7)", &[&["varnishd"]], "-V")?;
        let dir = tempfile::tempdir().expect("temp folder");
        let file = dir.path().join("pathways.vcl");
        std::fs::write(&file, vcl).unwrap();
        // Compiling first tells a missing varnish-modules from anything else.
        let compiled = Command::new("varnishd")
            .args(["-j", "none", "-C", "-n"])
            .arg(dir.path().join("check"))
            .arg("-f")
            .arg(&file)
            .output()
            .expect("run varnishd -C");
        if !compiled.status.success() {
            let said = String::from_utf8_lossy(&compiled.stderr);
            if said.contains("xkey") {
                return skip("varnish-modules (vmod xkey)");
            }
            panic!("the VCL does not compile:\n{said}");
        }
        let child = varnishd
            .args(["-F", "-j", "none", "-s", "malloc,64m"])
            .arg("-a")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-n")
            .arg(dir.path().join("work"))
            .arg("-f")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start varnishd");
        let mut varnish = Varnish {
            child,
            port,
            _dir: dir,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = varnish.child.try_wait() {
                panic!("varnishd exited at start: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "varnishd did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(varnish)
    }

    fn http(&self) -> Http {
        Http::new(format!("http://127.0.0.1:{}", self.port), "varnish")
    }

    fn get(&self, query: &str) -> Response {
        let http = self.http();
        runtime().block_on(http.send(http.get_query(query)))
    }

    /// An APQ GET: the document's hash alone.
    fn get_hashed(&self, query: &str) -> Response {
        let http = self.http();
        runtime().block_on(http.send(apq(&http, query, false)))
    }

    /// `PURGE /` naming `keys` (if any), sent from `from` (a loopback address).
    fn purge(&self, from: [u8; 4], keys: Option<&str>) -> u16 {
        let client = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(from))
            .build()
            .unwrap();
        let mut request = client.request(
            reqwest::Method::from_bytes(b"PURGE").unwrap(),
            format!("http://127.0.0.1:{}/", self.port),
        );
        if let Some(keys) = keys {
            request = request.header("xkey-purge", keys);
        }
        runtime()
            .block_on(request.send())
            .unwrap()
            .status()
            .as_u16()
    }
}

/// An automatic persisted query as a GET: the hash, and the document when `with_document`.
fn apq(http: &Http, query: &str, with_document: bool) -> reqwest::RequestBuilder {
    let hash = pathways_server::persisted::hash_of(query);
    let extensions = format!(r#"{{"persistedQuery":{{"version":1,"sha256Hash":"{hash}"}}}}"#);
    let mut params = vec![("extensions", extensions)];
    if with_document {
        params.push(("query", query.to_owned()));
    }
    http.get("/graphql").query(&params)
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Whether Varnish answered from its cache: `X-Varnish` names this request
/// and the one that filled the cache.
fn hit(response: &Response) -> bool {
    response
        .header("x-varnish")
        .is_some_and(|ids| ids.split_whitespace().count() == 2)
}

fn profession(slug: &str) -> String {
    format!(r#"{{ profession(slug: "{slug}") {{ name steps {{ title role {{ title }} }} }} }}"#)
}

/// The port of a server's address (`127.0.0.1:PORT`).
fn port_of(server: &Served) -> &str {
    server.address.rsplit_once(':').unwrap().1
}

#[test]
fn a_publish_purges_what_changed_from_varnish_and_nothing_else() {
    let Some(db) = runtime().block_on(TestDb::postgres()) else {
        return;
    };
    let url = db.url();
    assert_eq!(json(&["ingest", "seeds", "--database", url]).0, 0);
    // Release 2: the podiatrist renamed, nothing else.
    let changed = tempfile::tempdir().unwrap();
    copy_tree(&seeds(), changed.path());
    let file = changed.path().join("professions/podiatrist.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("name: Podiatrist", "name: Podiatrist (feet)", 1),
    )
    .unwrap();
    let staged = json(&[
        "ingest",
        changed.path().to_str().unwrap(),
        "--stage",
        "--database",
        url,
    ]);
    assert_eq!(staged.0, 0, "{:#}", staged.1);

    let Some(port) =
        tool_asked("varnishd (Varnish 7)", &[&["varnishd"]], "-V").map(|_| free_port())
    else {
        return;
    };
    let purge = format!("http://127.0.0.1:{port}/");
    let args = ["--purge", &purge, "--cache-control", "public, max-age=600"];
    let servers = [Served::start(url, &args), Served::start(url, &args)];
    let vcl = std::fs::read_to_string(repo().join("docs/varnish.vcl"))
        .unwrap()
        .replace(
            r#".port = "8080";"#,
            &format!(r#".port = "{}";"#, port_of(&servers[0])),
        )
        .replace(
            r#".port = "8081";"#,
            &format!(r#".port = "{}";"#, port_of(&servers[1])),
        );
    let Some(varnish) = Varnish::start(&vcl, port) else {
        return;
    };

    let others = ["dietitian", "paramedic"];
    let before = varnish.get(&profession("podiatrist"));
    assert_eq!(before.assert_ok()["profession"]["name"], "Podiatrist");
    let keys = before
        .header("surrogate-key")
        .expect("keys through Varnish");
    assert!(keys.contains("profession:podiatrist"), "{keys}");
    assert!(hit(&varnish.get(&profession("podiatrist"))), "not cached");
    for slug in others {
        varnish.get(&profession(slug)).assert_ok();
        assert!(hit(&varnish.get(&profession(slug))), "{slug} not cached");
    }

    // APQ GETs are cached too, once each server knows the document.
    let levels = "{ levels { number label } }";
    for server in &servers {
        let http = server.http();
        runtime()
            .block_on(http.send(apq(&http, levels, true)))
            .assert_ok();
    }
    varnish.get_hashed(levels).assert_ok();
    let again = varnish.get_hashed(levels);
    assert!(hit(&again), "an APQ GET not cached");
    assert!(again.header("surrogate-key").unwrap().contains("levels"));

    // PURGE only from the ACL's addresses, and only naming keys.
    assert_eq!(varnish.purge([127, 0, 0, 2], Some("pathways")), 403);
    assert_eq!(varnish.purge([127, 0, 0, 1], None), 400);
    assert!(
        hit(&varnish.get(&profession("dietitian"))),
        "a refused PURGE purged"
    );

    assert_eq!(json(&["publish", "2", "--database", url]).0, 0);
    let published = Instant::now();
    loop {
        let now = varnish.get(&profession("podiatrist"));
        if now.assert_ok()["profession"]["name"] == "Podiatrist (feet)" {
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(1),
            "the podiatrist's answer through Varnish was still the old one 1 s after the publish"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "new through Varnish {:?} after the publish",
        published.elapsed()
    );
    // Past the second purge, what Varnish keeps is the new answer.
    std::thread::sleep(Duration::from_millis(700));
    let settled = varnish.get(&profession("podiatrist"));
    assert_eq!(
        settled.assert_ok()["profession"]["name"],
        "Podiatrist (feet)"
    );
    assert!(hit(&varnish.get_hashed(levels)), "the levels were purged");
    for slug in others {
        let answer = varnish.get(&profession(slug));
        answer.assert_ok();
        assert!(
            hit(&answer),
            "{slug} was purged: X-Varnish {:?}",
            answer.header("x-varnish")
        );
        eprintln!("{slug}: a hit, Age {:?}", answer.header("age"));
    }
    // One server sent the purge (the outbox's claim), and Varnish took it.
    let sent: usize = servers
        .iter()
        .map(|s| {
            s.logs()
                .iter()
                .filter(|l| {
                    l["fields"]["message"] == "webhook delivered"
                        && l["fields"]["address"]
                            .as_str()
                            .is_some_and(|a| a.contains(&port.to_string()))
                })
                .count()
        })
        .sum();
    assert_eq!(sent, 1, "purges delivered");
}
