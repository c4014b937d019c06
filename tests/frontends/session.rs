//! The session as a library: interrupt, reset, and what a front-end receives.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use storyreel::runtime::display::{Output, Recorded, Recorder};
use storyreel::runtime::{Session, Workspace};

fn session() -> (Session, Arc<Recorder>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let recorder = Arc::new(Recorder::default());
    (
        Session::new(recorder.clone(), Workspace::new(dir.path())),
        recorder,
        dir,
    )
}

#[test]
fn interrupt_stops_a_runaway_loop_and_keeps_the_session() {
    let (mut s, _rec, _dir) = session();
    let _ = s.run_input("let kept = 41;", 1).unwrap();
    let flag = s.interrupt_flag();
    let started = Instant::now();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        flag.store(true, Ordering::Relaxed);
    });
    let err = s.run_input("loop { }", 2).unwrap_err();
    stopper.join().unwrap();
    assert!(err.interrupted, "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let value = s.run_input("kept + 1", 3).unwrap();
    assert_eq!(value.as_int().unwrap(), 42);
}

#[test]
fn runaway_memory_hits_a_limit_not_the_machine() {
    let (mut s, _rec, _dir) = session();
    let err = s
        .run_input("let a = \"x\"; loop { a += a; }", 1)
        .unwrap_err();
    assert!(
        err.message.to_lowercase().contains("length of string"),
        "{err}"
    );
    assert_eq!(s.run_input("1 + 1", 2).unwrap().as_int().unwrap(), 2);
}

#[test]
fn print_and_show_reach_the_display() {
    let (mut s, rec, _dir) = session();
    let _ = s
        .run_input(
            "print(\"hello\"); show(story(\"T\", \"Once upon a time.\"));",
            1,
        )
        .unwrap();
    let events = rec.events.lock().unwrap();
    assert_eq!(events[0], Recorded::Stdout("hello\n".into()));
    let Recorded::Show(Output::Table(t)) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(t.rows[0][3], "Once upon a time.");
}

#[test]
fn the_last_value_becomes_an_output() {
    let (mut s, _rec, _dir) = session();
    let v = s
        .run_input("let s = story(\"T\", \"One.\"); s.scene(0)", 1)
        .unwrap();
    assert!(matches!(s.output_of(&v), Some(Output::Table(_))));
    let v = s.run_input("let unit = 1;", 2).unwrap();
    assert_eq!(s.output_of(&v), None);
}

#[test]
fn reset_forgets_variables_and_functions() {
    let (mut s, _rec, _dir) = session();
    let _ = s.run_input("let a = 1; fn f() { 2 }", 1).unwrap();
    s.reset();
    assert!(s.run_input("a", 2).is_err());
    assert!(s.run_input("f()", 3).is_err());
}

#[test]
fn prompt_from_chooses_the_picture_or_the_text_and_names_a_wrong_value() {
    let (mut s, _rec, _dir) = session();
    let script =
        "let s = story(\"T\", \"\\\"Be quiet,\\\" answered the frog. The frog sat by the well.\");";
    let _ = s.run_input(script, 1).unwrap();
    let picture = s.run_input("s.scene(0).prompt", 2).unwrap().to_string();
    assert!(!picture.contains("Be quiet"), "{picture}");
    let _ = s.run_input("s.prompt_from = \"text\";", 3).unwrap();
    let text = s.run_input("s.scene(0).prompt", 4).unwrap().to_string();
    assert!(text.contains("Be quiet"), "{text}");
    let err = s.run_input("s.prompt_from = \"scene\";", 5).unwrap_err();
    assert!(
        err.message.contains("prompt_from") && err.message.contains("picture, text"),
        "{err}"
    );
    let kept = s.run_input("s.prompt_from", 6).unwrap().to_string();
    assert_eq!(kept, "text");
}
