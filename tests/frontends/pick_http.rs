//! The pick page over real HTTP: the token, the same-origin check on changes, names that would
//! leave the workspace, and a story folder that is still being written.

use crate::common;

use std::process::Command;

use common::{stderr, BIN};

const SCRIPT: &str = "let s = story(\"Tale\", \"Once upon a time.\\n\\nThe end came.\");\ns.split(#{ min_words: 1 });\nsd_generate(s, #{ n: 2 });\n";

#[tokio::test(flavor = "multi_thread")]
async fn the_page_guards_its_changes_and_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("tale.rhai");
    std::fs::write(&script, SCRIPT).unwrap();
    let ws = dir.path().join("ws");
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(&ws)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    // A story whose manifest is being written.
    std::fs::create_dir_all(ws.join("half")).unwrap();
    std::fs::write(ws.join("half/story.json"), "{\"title\": \"Ha").unwrap();

    let page_server = common::start_pick_page(&ws);
    let url = page_server.url.clone();
    let (base, token) = url.split_once("/?t=").unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: String| {
        let client = client.clone();
        async move { client.get(path).send().await.unwrap() }
    };

    assert_eq!(get(format!("{base}/")).await.status(), 403, "no token");
    // A token one character off (never the token itself, whatever its first character).
    let wrong = if token.starts_with('0') { '1' } else { '0' };
    assert_eq!(
        get(format!("{base}/?t={wrong}{}", &token[1..]))
            .await
            .status(),
        403
    );
    let index = get(format!("{base}/?t={token}")).await;
    assert_eq!(index.status(), 200);
    let index = index.text().await.unwrap();
    assert!(index.contains("Tale") && index.contains("0 / 2"), "{index}");
    assert!(
        index.contains("cannot be read yet"),
        "the half-written story shows: {index}"
    );
    let half = get(format!("{base}/s/half?t={token}")).await;
    assert_eq!(half.status(), 200);

    // Sent as raw HTTP: a URL library would resolve the dot segments before sending.
    for path in [
        "/s/..?t=",
        "/s/../?t=",
        "/s/..%2F..?t=",
        "/s/%2E%2E?t=",
        "/video/..%2Fsecret.txt?t=",
        "/thumb/s/..%2F..%2Fsecret.txt?t=",
        "/thumb/s/cache?t=",
    ] {
        let answer = raw_get(base, &format!("{path}{token}"));
        let status = answer.split(' ').nth(1).unwrap_or_default().to_string();
        assert!(
            ["404", "400"].contains(&status.as_str()),
            "{path}: {answer}"
        );
        assert!(
            !answer.ends_with("secret") && !answer.contains("Tale"),
            "{answer}"
        );
    }

    // DNS rebinding: a foreign name that resolves here is refused even with the token.
    let port = base.rsplit(':').next().unwrap();
    let foreign = raw_request(
        base,
        &format!("/?t={token}"),
        &format!("evil.example:{port}"),
    );
    assert!(foreign.starts_with("HTTP/1.1 403"), "{foreign}");
    assert!(
        foreign.contains("evil.example") && !foreign.contains("Tale"),
        "{foreign}"
    );
    let by_name = raw_request(base, &format!("/?t={token}"), &format!("localhost:{port}"));
    assert!(by_name.starts_with("HTTP/1.1 200"), "{by_name}");

    let pick = |origin: Option<String>| {
        let client = client.clone();
        let url = format!("{base}/s/tale/pick?t={token}");
        async move {
            let mut request = client.post(url).form(&[("scene", "1"), ("k", "1")]);
            if let Some(o) = origin {
                request = request.header("Origin", o);
            }
            request.send().await.unwrap()
        }
    };
    let picks = ws.join("tale/picks.json");
    assert_eq!(pick(None).await.status(), 403, "no Origin");
    assert_eq!(pick(Some("http://evil.example".into())).await.status(), 403);
    assert!(!picks.exists(), "a refused change changed nothing");
    let ok = pick(Some(base.to_string())).await;
    assert_eq!(ok.status(), 303);
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&picks).unwrap()).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.join("tale/story.json")).unwrap()).unwrap();
    assert_eq!(
        recorded["picks"]["The end came."],
        manifest["scenes"][1]["candidates"][1]
    );
    let page = get(format!("{base}/s/tale?t={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("1 / 2 scenes picked"), "{page}");
    assert!(page.contains("class=\"tile picked\" id=tile-1-1"), "{page}");
}

/// One request over a plain TCP connection, path exactly as given; the whole answer.
fn raw_get(base: &str, path: &str) -> String {
    raw_request(base, path, base.trim_start_matches("http://"))
}

/// `raw_get` with the `Host` header given.
fn raw_request(base: &str, path: &str, host: &str) -> String {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}
