//! The program as installed: started from any folder, it lists the built-in examples (read
//! only: saving one asks for a new file in the user's folder), the user's own folder, and the
//! folder of a file it was asked to open.

use crate::common::finish_io;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::{AppOptions, Command, examples};
use lodestone::scenario::{default_document, save_file};
use lodestone::ui::LodestoneApp;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Installed {
    _dir: tempfile::TempDir,
    examples: PathBuf,
    user: PathBuf,
}

fn installed() -> Installed {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = examples::install_in(&dir.path().join("data")).expect("examples written");
    let user = dir.path().join("Documents/Lodestone");
    std::fs::create_dir_all(&user).expect("user folder");
    Installed {
        _dir: dir,
        examples,
        user,
    }
}

fn window(at: &Installed, file: Option<&Path>) -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        file: file.map(Path::to_path_buf),
        library_dirs: vec![at.examples.join("scenarios"), at.user.clone()],
        deck_dirs: vec![at.examples.join("decks")],
        profile_dirs: vec![at.examples.join("profiles")],
        examples: Some(at.examples.clone()),
        user_folder: Some(at.user.clone()),
        ..AppOptions::default()
    })
}

#[test]
fn the_examples_are_listed_read_only_with_no_folder_in_error() {
    let at = installed();
    let harness = window(&at, None);
    let state = &harness.state().state;
    assert!(
        state.library.iter().all(|f| f.error.is_none()),
        "no folder in error: {:?}",
        state.library
    );
    let examples = &state.library[0];
    assert_eq!(examples.entries.len(), 8, "the eight shipped scenarios");
    assert!(examples.entries.iter().all(|e| e.problems.is_empty()));
    harness.get_by_label("Examples (read only)");
    harness.get_by_label("Fortress");
    assert_eq!(state.decks.len(), 1, "the shipped deck");
    assert_eq!(state.profiles.len(), 3, "the shipped profiles");
}

#[test]
fn saving_an_example_asks_for_a_new_file_in_the_user_folder() {
    let at = installed();
    let example = at.examples.join("scenarios/fortress.ron");
    let before = std::fs::read(&example).expect("read");
    let mut harness = window(&at, None);
    harness.get_by_label("Fortress").click();
    finish_io(&mut harness);
    assert!(harness.state().state.is_example(&example));
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.3,
    });
    harness.run();
    harness.state_mut().state.push(Command::Save);
    finish_io(&mut harness);
    assert_eq!(std::fs::read(&example).expect("read"), before, "untouched");
    // No file dialog in tests: the window's own Save As box opens, in the user's folder.
    let proposed = harness.state().state.prompts.save_as_prompt.clone();
    let proposed = PathBuf::from(proposed.expect("Save As asked"));
    assert_eq!(proposed.parent(), Some(at.user.as_path()));
    // Saving over the example by name is refused too.
    harness
        .state_mut()
        .state
        .push(Command::SaveAs(example.clone()));
    finish_io(&mut harness);
    assert_eq!(std::fs::read(&example).expect("read"), before, "untouched");
    assert!(harness.state().state.active().dirty());
    harness
        .state_mut()
        .state
        .push(Command::SaveAs(proposed.clone()));
    finish_io(&mut harness);
    assert!(proposed.is_file());
    assert!(!harness.state().state.active().dirty());
}

#[test]
fn the_folder_of_an_opened_file_is_listed() {
    let at = installed();
    let mail = tempfile::tempdir().expect("temp dir");
    let mut doc = default_document();
    doc.meta.name = "Mailed scenario".into();
    let file = mail.path().join("mailed.ron");
    save_file(&file, &doc).expect("write");
    let mut harness = window(&at, Some(&file));
    finish_io(&mut harness);
    let state = &harness.state().state;
    assert_eq!(state.active().doc.meta.name, "Mailed scenario");
    let listed = state
        .library
        .iter()
        .any(|f| f.entries.iter().any(|e| e.name == "Mailed scenario"));
    assert!(
        listed,
        "the mailed file's folder is listed: {:?}",
        state.library
    );
    assert!(state.library.iter().all(|f| f.error.is_none()));
}

// ---------------------------------------------------------------- one window

use lodestone::app::instance::{Claim, Request, claim_at};

#[test]
fn a_second_start_hands_its_file_to_the_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let socket = dir.path().join("lodestone.sock");
    let Claim::First(listener) = claim_at(&socket, None) else {
        panic!("the first start listens");
    };
    let file = dir.path().join("mailed.ron");
    assert!(matches!(claim_at(&socket, Some(&file)), Claim::HandedOver));
    assert!(matches!(claim_at(&socket, None), Claim::HandedOver));
    assert_eq!(listener.take(), vec![Request::Open(file), Request::Raise]);
    drop(listener);
    assert!(!socket.exists(), "a clean exit leaves no socket");
}

#[test]
fn a_stale_socket_or_a_silent_window_never_stops_a_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A socket left by a window that crashed: nobody listens, the connection is refused.
    let socket = dir.path().join("stale.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).expect("bind"));
    assert!(socket.exists());
    assert!(matches!(claim_at(&socket, None), Claim::First(_)));
    // Not a socket at all.
    let junk = dir.path().join("junk.sock");
    std::fs::write(&junk, "x").expect("write");
    assert!(matches!(claim_at(&junk, None), Claim::First(_)));
    // A window that never answers: this start opens its own window after a second.
    let silent = dir.path().join("silent.sock");
    let _hung = std::os::unix::net::UnixListener::bind(&silent).expect("bind");
    let started = std::time::Instant::now();
    assert!(matches!(claim_at(&silent, None), Claim::Alone));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_handed_over_file_opens_in_the_running_window_asking_first_when_unsaved() {
    let at = installed();
    let dir = tempfile::tempdir().expect("temp dir");
    let socket = dir.path().join("lodestone.sock");
    let mut doc = default_document();
    doc.meta.name = "Handed over".into();
    let file = dir.path().join("handed.ron");
    save_file(&file, &doc).expect("write");

    let mut harness = window(&at, None);
    let Claim::First(listener) = claim_at(&socket, None) else {
        panic!("the window listens");
    };
    let ctx = harness.ctx.clone();
    harness.state_mut().listen(&ctx, listener);
    // Unsaved work: the hand-over asks before replacing it.
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.3,
    });
    harness.run();
    assert!(matches!(claim_at(&socket, Some(&file)), Claim::HandedOver));
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Discard changes").click();
    finish_io(&mut harness);
    let state = &harness.state().state;
    assert_eq!(state.active().doc.meta.name, "Handed over");
    // Its folder is listed too.
    assert!(
        state
            .library
            .iter()
            .any(|f| f.entries.iter().any(|e| e.name == "Handed over"))
    );
}

#[test]
fn the_window_icon_is_the_packaged_icon() {
    let icon = lodestone::ui::window_icon();
    assert_eq!((icon.width, icon.height), (256, 256));
    assert_eq!(icon.rgba.len(), 256 * 256 * 4);
}
