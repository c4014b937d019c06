//! The `storyreel` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand};
use storyreel::frontends::batch::{self, BatchOptions};
use storyreel::frontends::characters::{self, SceneMode};
use storyreel::frontends::repl::{self, ReplOptions};
use storyreel::runtime::Workspace;

/// Turn a written story into a short narrated video of Stable Diffusion images,
/// with characters that stay consistent from scene to scene.
///
/// A story is a Rhai script whose cells are marked with `// %%` lines.
/// Start with:  storyreel run scripts/quickstart.rhai
#[derive(Parser)]
#[command(name = "storyreel", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run story scripts from start to end, unattended (several scripts run one after another).
    ///
    /// A failing script does not stop the others; a summary lists each outcome at the end,
    /// and the exit code is non-zero when any script failed. Ctrl-C stops the running cell
    /// and the rest of the batch.
    Run {
        /// Script files (`.rhai`) to run, in order.
        #[arg(required = true, value_name = "SCRIPT")]
        scripts: Vec<PathBuf>,
        /// Only these cells, numbered from 1 in file order: `3`, `2..4` (inclusive), `2..`, `..3`, `1,3`.
        #[arg(long, value_name = "RANGE")]
        cells: Option<String>,
        /// Workspace folder for the cache, renders and shown files
        /// [default: $STORYREEL_HOME, else ./storyreel-out].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// An interactive story session: Rhai code runs as you type it, images show inline.
    ///
    /// With SCRIPT, its `// %%` cells are loaded (not run): `:cells` lists them, `:next` and
    /// `:run N..M` run them. `:help` lists every command. Piped stdin runs without prompts.
    Repl {
        /// A script whose cells to load.
        #[arg(value_name = "SCRIPT")]
        script: Option<PathBuf>,
        /// Print image paths only; never draw images in the terminal.
        #[arg(long)]
        no_images: bool,
        /// Workspace folder for the cache, renders and shown files
        /// [default: $STORYREEL_HOME, else ./storyreel-out].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Find the characters of a text: names, epithets and pronouns, and who is in each scene.
    Characters {
        /// A plain-text story.
        file: PathBuf,
        /// How to cut scenes: one per paragraph, or the default split of `story(…)`.
        #[arg(long, value_enum, default_value = "auto")]
        scenes: SceneMode,
        /// Print JSON (character offsets, end exclusive) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Repl {
            script,
            no_images,
            out,
        } => repl::run(ReplOptions {
            script,
            no_images,
            workspace: out.unwrap_or_else(Workspace::default_root),
        }),
        Command::Run {
            scripts,
            cells,
            out,
        } => {
            let opts = BatchOptions {
                scripts,
                cells,
                workspace: out.unwrap_or_else(Workspace::default_root),
            };
            let current: Arc<Mutex<Option<Arc<AtomicBool>>>> = Arc::default();
            let handler_view = current.clone();
            let _ = ctrlc::set_handler(move || {
                batch::STOP.store(true, Ordering::Relaxed);
                if let Some(flag) = handler_view.lock().unwrap().as_ref() {
                    flag.store(true, Ordering::Relaxed);
                }
            });
            let results = batch::run_scripts(&opts, &current);
            if batch::print_summary(&results) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Characters { file, scenes, json } => match characters::run(&file, scenes, json) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
