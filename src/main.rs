//! The `storyreel` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand};
use storyreel::frontends::batch::{self, BatchOptions};
use storyreel::frontends::cache;
use storyreel::frontends::characters::{self, SceneMode};
use storyreel::frontends::error_text::said_once;
use storyreel::frontends::kernel;
use storyreel::frontends::pick::{self, PickOptions};
use storyreel::frontends::repl::{self, ReplOptions};
use storyreel::frontends::signals;
use storyreel::runtime::{memory, Workspace};

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
        /// Check the scripts end to end in seconds: draft images whatever the backend (no server
        /// is contacted), small quick renders in a temporary folder, and a summary of what the
        /// real run would generate and render. Late errors (a bad voice, a missing music file,
        /// an unknown scene) surface before the real run.
        #[arg(long)]
        check: bool,
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
        /// Show, per scene, why each character is there: every mention, the rule that found
        /// it and the rule that joined it to that character.
        #[arg(long)]
        explain: bool,
    },
    /// The Jupyter kernel: `storyreel kernel install`, then pick "storyreel (Rhai)" in Jupyter.
    ///
    /// Without a subcommand, serves the kernel described by --connection-file (Jupyter runs this).
    Kernel {
        /// The connection file Jupyter writes (ports, address, signing key).
        #[arg(long, value_name = "FILE", required = false)]
        connection_file: Option<PathBuf>,
        #[command(subcommand)]
        action: Option<KernelAction>,
    },
    /// How big the image cache is; `cache prune` removes what has not been used for a while.
    ///
    /// Images named by a story's story.json are never pruned.
    Cache {
        /// Workspace folder whose cache to look at
        /// [default: $STORYREEL_HOME, else ./storyreel-out].
        #[arg(long, value_name = "DIR", global = true)]
        out: Option<PathBuf>,
        #[command(subcommand)]
        action: Option<CacheAction>,
    },
    /// A local web page to pick a night's work: every story of a workspace, its scenes and
    /// candidates; click (or press a candidate's number) to pick, then render.
    ///
    /// Picks are saved at once in each story's picks.json and used by the next run of its
    /// script. The page listens on 127.0.0.1 only; its URL carries a secret token.
    Pick {
        /// The workspace to serve [default: $STORYREEL_HOME, else ./storyreel-out].
        #[arg(value_name = "WORKSPACE")]
        workspace: Option<PathBuf>,
        /// Print the URL only; do not open a browser.
        #[arg(long)]
        no_browser: bool,
        /// Port on 127.0.0.1 [default: any free port].
        #[arg(long, default_value_t = 0, hide_default_value = true)]
        port: u16,
    },
    /// Convert between `// %%` scripts and Jupyter notebooks.
    Nb {
        #[command(subcommand)]
        action: NbAction,
    },
}

#[derive(Subcommand)]
enum KernelAction {
    /// Write the kernelspec (kernel.json and logos) so Jupyter lists "storyreel (Rhai)".
    Install(KernelSpecArgs),
    /// Remove the kernelspec.
    Uninstall(KernelSpecArgs),
}

#[derive(clap::Args)]
struct KernelSpecArgs {
    /// In the user's Jupyter data folder (the default).
    #[arg(long, conflicts_with_all = ["sys_prefix", "prefix"])]
    user: bool,
    /// In the active Python environment (virtualenv or conda).
    #[arg(long, conflicts_with = "prefix")]
    sys_prefix: bool,
    /// Under DIR/share/jupyter/kernels.
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
    /// Kernel name (folder name of the kernelspec).
    #[arg(long, default_value = kernel::install::DEFAULT_NAME)]
    name: String,
}

impl KernelSpecArgs {
    fn location(&self) -> kernel::install::Location {
        use kernel::install::Location;
        match (&self.prefix, self.sys_prefix) {
            (Some(dir), _) => Location::Prefix(dir.clone()),
            (None, true) => Location::SysPrefix,
            (None, false) => Location::User,
        }
    }
}

#[derive(Subcommand)]
enum CacheAction {
    /// Remove images unused for DAYS, then the least recently used beyond SIZE.
    Prune {
        /// Remove images not used for more than this many days.
        #[arg(long, value_name = "DAYS")]
        older_than: Option<f64>,
        /// Then remove the least recently used until the cache fits: 500M, 2G.
        #[arg(long, value_name = "SIZE")]
        max_size: Option<String>,
        /// Only say what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum NbAction {
    /// Script (`// %%` cells) to notebook.
    Export {
        script: PathBuf,
        #[arg(short, long, value_name = "NOTEBOOK")]
        output: PathBuf,
    },
    /// Notebook to script; outputs are dropped.
    Import {
        notebook: PathBuf,
        #[arg(short, long, value_name = "SCRIPT")]
        output: PathBuf,
    },
}

/// Counts live heap bytes, so a script's memory is bounded in bytes (`runtime::memory`).
#[global_allocator]
static ALLOCATOR: memory::CountingAllocator = memory::CountingAllocator;

fn main() -> ExitCode {
    ALLOCATOR.enable();
    signals::install();
    let cli = Cli::parse();
    // The one way out for a command's error: its chain of context, each part said once.
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", said_once(&e));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// 2 for a command given nothing to work on (as clap does for bad usage), else 1.
fn exit_code(e: &anyhow::Error) -> u8 {
    if e.is::<pick::NoWorkspace>() {
        2
    } else {
        1
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    let said = |message: String| {
        if !message.is_empty() {
            println!("{message}");
        }
        ExitCode::SUCCESS
    };
    Ok(match command {
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
            check,
        } => run_batch(BatchOptions {
            scripts,
            cells,
            workspace: out.unwrap_or_else(Workspace::default_root),
            check,
        }),
        Command::Characters {
            file,
            scenes,
            json,
            explain,
        } => said(characters::run(&file, scenes, json, explain)?),
        Command::Kernel {
            connection_file,
            action,
        } => said(run_kernel(connection_file, action)?),
        Command::Cache { out, action } => {
            let workspace = Workspace::new(out.unwrap_or_else(Workspace::default_root));
            said(match action {
                None => cache::summary(&workspace)?,
                Some(CacheAction::Prune {
                    older_than,
                    max_size,
                    dry_run,
                }) => cache::prune(&workspace, older_than, max_size.as_deref(), dry_run)?,
            })
        }
        Command::Pick {
            workspace,
            no_browser,
            port,
        } => {
            pick::run(PickOptions {
                workspace: workspace.unwrap_or_else(Workspace::default_root),
                port,
                open_browser: !no_browser,
            })?;
            ExitCode::SUCCESS
        }
        Command::Nb { action } => said(run_nb(action)?),
    })
}

/// Runs the scripts; the exit code says whether any failed, or that the batch was stopped.
fn run_batch(opts: BatchOptions) -> ExitCode {
    let current: Arc<Mutex<Option<Arc<AtomicBool>>>> = Arc::default();
    let handler_view = current.clone();
    let stop = move || {
        batch::STOP.store(true, Ordering::Relaxed);
        if let Some(flag) = handler_view.lock().unwrap().as_ref() {
            flag.store(true, Ordering::Relaxed);
        }
    };
    signals::on_terminate(stop.clone());
    let _ = ctrlc::set_handler(move || {
        // Ctrl-C (128 + SIGINT) ends the batch even where it waits on no flag.
        signals::exit_after_grace(130);
        stop();
    });
    let results = batch::run_scripts(&opts, &current);
    let code = batch::print_summary(&results);
    if signals::terminating() {
        ExitCode::from(signals::TERMINATED_EXIT)
    } else {
        ExitCode::from(code)
    }
}

fn run_kernel(
    connection_file: Option<PathBuf>,
    action: Option<KernelAction>,
) -> anyhow::Result<String> {
    match (action, connection_file) {
        (Some(KernelAction::Install(args)), _) => {
            let dir = kernel::install::install(&args.location(), &args.name)?;
            Ok(format!(
                "installed kernelspec \"{}\" in {}",
                args.name,
                dir.display()
            ))
        }
        (Some(KernelAction::Uninstall(args)), _) => {
            let dir = kernel::install::uninstall(&args.location(), &args.name)?;
            Ok(format!("removed {}", dir.display()))
        }
        (None, Some(file)) => kernel::serve(&file).map(|()| String::new()),
        (None, None) => anyhow::bail!(
            "give --connection-file FILE (Jupyter does), or run `storyreel kernel install`"
        ),
    }
}

fn run_nb(action: NbAction) -> anyhow::Result<String> {
    use anyhow::Context;
    use storyreel::input_file::{read_text, NOTEBOOK, SCRIPT};
    let write = |p: &PathBuf, text: String| {
        std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))
    };
    match action {
        NbAction::Export { script, output } => {
            let text = read_text(&script, SCRIPT)?;
            write(&output, kernel::notebook::export(&text))?;
            Ok(format!("wrote {}", output.display()))
        }
        NbAction::Import { notebook, output } => {
            let text = read_text(&notebook, NOTEBOOK)?;
            let script =
                kernel::notebook::import(&text).with_context(|| notebook.display().to_string())?;
            write(&output, script)?;
            Ok(format!("wrote {}", output.display()))
        }
    }
}
