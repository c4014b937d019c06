//! The Jupyter kernel end to end: signatures, execution, interrupts (a Rust client), Jupyter's
//! own conformance suite and an nbclient run (Python, skipped when its packages are missing).

use crate::common;
use crate::kernel_client;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kernel_client::{connection_file, runtime, Client, KernelProcess};
use serde_json::json;
use storyreel::frontends::kernel::wire::Signer;

const EXE: &str = env!("CARGO_BIN_EXE_storyreel");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn start_kernel(dir: &Path) -> (KernelProcess, serde_json::Value) {
    let conn = dir.join("connection.json");
    let info = connection_file(&conn);
    let argv = [EXE, "kernel", "--connection-file", "{connection_file}"];
    (KernelProcess::start(&argv, &conn, &dir.join("ws")), info)
}

#[test]
fn wrong_key_gets_no_reply_and_the_kernel_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let (_kernel, info) = start_kernel(dir.path());
    runtime().block_on(async {
        let mut client = Client::connect(&info).await;
        client.ask("kernel_info_request", json!({})).await;

        let forged = client.request("execute_request", json!({ "code": "print(\"pwned\")" }));
        client
            .send_signed(&forged, &Signer::new("not-the-key"))
            .await;
        let unsigned = client.request("kernel_info_request", json!({}));
        client.send_signed(&unsigned, &Signer::new("")).await;
        let answer = client.shell_reply(Duration::from_millis(500)).await;
        assert!(
            answer.is_none(),
            "a forged message was answered: {answer:?}"
        );

        let reply = client.ask("kernel_info_request", json!({})).await;
        assert_eq!(reply.content["language_info"]["name"], "rhai");
        let reply = client
            .ask("execute_request", json!({ "code": "6 * 7" }))
            .await;
        assert_eq!(reply.content["status"], "ok");
    });
}

#[test]
fn executes_cells_keeps_state_and_survives_interrupts() {
    let dir = tempfile::tempdir().unwrap();
    let (_kernel, info) = start_kernel(dir.path());
    runtime().block_on(async {
        let mut client = Client::connect(&info).await;
        client.ask("kernel_info_request", json!({})).await;

        let run = client.request(
            "execute_request",
            json!({ "code": "let n = 6; print(\"hi\"); n * 7" }),
        );
        client.send(&run).await;
        let reply = client.shell_reply(Duration::from_secs(30)).await.unwrap();
        assert_eq!(
            (
                reply.content["status"].as_str(),
                reply.content["execution_count"].as_u64()
            ),
            (Some("ok"), Some(1))
        );
        let outputs = client.outputs_until_idle(run.msg_id()).await;
        let kinds: Vec<&str> = outputs.iter().map(|m| m.msg_type()).collect();
        assert_eq!(
            kinds,
            [
                "status",
                "execute_input",
                "stream",
                "execute_result",
                "status"
            ]
        );
        assert_eq!(outputs[3].content["data"]["text/plain"], "42");

        // A runaway cell stops on interrupt_request (control channel); `n` survives.
        let spin = client.request("execute_request", json!({ "code": "loop { n += 0; }" }));
        client.send(&spin).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let interrupt = client.request("interrupt_request", json!({}));
        let frames = interrupt.encode(&client.signer);
        zeromq::SocketSend::send(
            &mut client.control,
            zeromq::ZmqMessage::try_from(frames).unwrap(),
        )
        .await
        .unwrap();
        let reply = client
            .shell_reply(Duration::from_secs(10))
            .await
            .expect("the cell stopped");
        assert_eq!(reply.content["ename"], "Interrupted");
        let reply = client.ask("execute_request", json!({ "code": "n" })).await;
        assert_eq!(reply.content["status"], "ok");

        // "Run all": after a failing cell, the cells already queued are aborted, not run.
        let failing = client.request(
            "execute_request",
            json!({ "code": "let i = 0; while i < 20000 { i += 1; } throw \"stop\";" }),
        );
        let queued = client.request("execute_request", json!({ "code": "n = 100;" }));
        client.send(&failing).await;
        client.send(&queued).await;
        let mut statuses = std::collections::HashMap::new();
        for _ in 0..2 {
            let reply = client.shell_reply(Duration::from_secs(10)).await.unwrap();
            statuses.insert(
                reply.parent_header["msg_id"].as_str().unwrap().to_string(),
                reply.content["status"].as_str().unwrap().to_string(),
            );
        }
        assert_eq!(statuses[failing.msg_id()], "error");
        assert_eq!(statuses[queued.msg_id()], "aborted");
        let reply = client.ask("execute_request", json!({ "code": "n" })).await;
        assert_eq!(reply.content["status"], "ok");
        let outputs = client
            .outputs_until_idle(reply.parent_header["msg_id"].as_str().unwrap())
            .await;
        let result = outputs
            .iter()
            .find(|m| m.msg_type() == "execute_result")
            .unwrap();
        assert_eq!(result.content["data"]["text/plain"], "6");

        // Errors carry the cell's line and column.
        let bad = client.request(
            "execute_request",
            json!({ "code": "let a = 1;\nlet b = a + ;" }),
        );
        client.send(&bad).await;
        client.shell_reply(Duration::from_secs(10)).await.unwrap();
        let outputs = client.outputs_until_idle(bad.msg_id()).await;
        let error = outputs.iter().find(|m| m.msg_type() == "error").unwrap();
        assert_eq!(error.content["ename"], "SyntaxError");
        assert!(
            error.content["traceback"][0]
                .as_str()
                .unwrap()
                .contains(", line 2: "),
            "{}",
            error.content
        );
    });
}

/// The Python with the named modules, or `None` (a failure under STORYREEL_STRICT_TESTS=1).
fn python_with(modules: &str) -> Option<String> {
    let python = std::env::var("STORYREEL_PYTHON").unwrap_or_else(|_| "python3".into());
    let found = Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(python);
    }
    let why = format!(
        "{python} cannot import {modules}; pip install -r .ci/requirements-jupyter.txt and set STORYREEL_PYTHON"
    );
    common::skip(&why);
    None
}

/// A Python command that finds the kernelspec `storyreel kernel install --prefix` wrote.
fn jupyter_command(python: &str, tmp: &Path) -> Command {
    let status = Command::new(EXE)
        .args(["kernel", "install", "--prefix"])
        .arg(tmp)
        .status()
        .unwrap();
    assert!(status.success(), "storyreel kernel install failed");
    let mut cmd = Command::new(python);
    cmd.env("JUPYTER_PATH", tmp.join("share/jupyter"))
        .env("JUPYTER_RUNTIME_DIR", tmp.join("runtime"))
        .env("JUPYTER_PLATFORM_DIRS", "1")
        .env("STORYREEL_HOME", tmp.join("ws"));
    cmd
}

fn assert_succeeds(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    assert!(out.status.success(), "{text}");
}

/// Runs a unittest module of tests/jupyter against a freshly installed kernel.
fn python_tests(module: &str, needs: &str) {
    let Some(python) = python_with(needs) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    assert_succeeds(
        jupyter_command(&python, tmp.path())
            .current_dir(repo().join("tests/jupyter"))
            .args(["-m", "unittest", "-v", module]),
    );
}

#[test]
fn passes_jupyter_kernel_test() {
    python_tests("test_kernel", "jupyter_kernel_test");
}

#[test]
fn help_and_completion_wherever_the_cursor_is() {
    python_tests("test_help_and_completion", "jupyter_client");
}

#[test]
fn candidates_are_picked_by_clicking_widgets() {
    python_tests("test_widgets", "jupyter_client, ipywidgets");
}

/// JupyterLab with ipywidgets in headless Chromium: a shipped notebook opens unmodified, and a
/// click on a candidate picks it.
#[test]
fn in_a_real_jupyterlab_a_click_picks_a_candidate() {
    let browser = "the JupyterLab browser test";
    if !common::require("chromium", browser) || !common::require("chromedriver", browser) {
        return;
    }
    python_tests("test_browser", "jupyterlab, ipywidgets, selenium");
}

#[test]
fn outputs_look_right_and_survive() {
    python_tests("test_outputs", "jupyter_client");
}

/// The committed notebooks are what `storyreel nb export` makes of their scripts.
#[test]
fn example_notebooks_are_fresh_exports() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["quickstart", "kernel_tour"] {
        let exported = tmp.path().join(format!("{name}.ipynb"));
        let status = Command::new(EXE)
            .args(["nb", "export", &format!("scripts/{name}.rhai"), "-o"])
            .arg(&exported)
            .current_dir(repo())
            .status()
            .unwrap();
        assert!(status.success());
        let committed = repo().join(format!("scripts/{name}.ipynb"));
        assert_eq!(
            std::fs::read_to_string(&exported).unwrap(),
            std::fs::read_to_string(&committed).unwrap(),
            "scripts/{name}.ipynb is stale: storyreel nb export scripts/{name}.rhai -o scripts/{name}.ipynb"
        );
    }
}

#[test]
fn nbclient_runs_the_example_notebooks() {
    let Some(python) = python_with("nbclient, nbformat") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for (name, mimes) in [
        ("quickstart", &["text/html", "image/jpeg", "video"][..]),
        // Its one picture is smaller than it is shown, so the file itself is embedded.
        ("kernel_tour", &["text/html", "image/png"][..]),
    ] {
        assert_succeeds(
            jupyter_command(&python, tmp.path())
                .arg(repo().join("tests/jupyter/run_notebook.py"))
                .arg(repo().join(format!("scripts/{name}.ipynb")))
                .arg(tmp.path().join(format!("{name}.ipynb")))
                .args(mimes),
        );
    }
}

/// script → notebook → script keeps every cell: kind, title and code.
#[test]
fn nb_import_gives_back_the_cells_of_the_script() {
    let tmp = tempfile::tempdir().unwrap();
    let script = repo().join("scripts/kernel_tour.rhai");
    let back = tmp.path().join("back.rhai");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(EXE).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let notebook = tmp.path().join("tour.ipynb");
    run(&[
        "nb".as_ref(),
        "export".as_ref(),
        script.as_os_str(),
        "-o".as_ref(),
        notebook.as_os_str(),
    ]);
    run(&[
        "nb".as_ref(),
        "import".as_ref(),
        notebook.as_os_str(),
        "-o".as_ref(),
        back.as_os_str(),
    ]);
    let cells = |path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        storyreel::runtime::parse_cells(&text)
            .into_iter()
            .map(|c| (c.kind, c.title, c.code.trim_end().to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(cells(&back), cells(&script));
}
