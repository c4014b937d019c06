//! A session: one Rhai engine, one persistent scope, and the functions of every cell run so far.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rhai::{Dynamic, Engine, Scope, AST};

use super::cells::{Cell, CellKind};
use super::context::Context;
use super::display::{Display, Output};
use super::errors::{Location, Origin, ScriptError};
use super::workspace::Workspace;

pub struct Session {
    engine: Engine,
    scope: Scope<'static>,
    /// Functions defined by earlier cells; statements are cleared after each run.
    functions: AST,
    function_origins: HashMap<String, Origin>,
    ctx: Arc<Context>,
    /// Code of every cell run, in order (for saving a session as a script).
    inputs: Vec<String>,
}

impl Session {
    pub fn new(display: Arc<dyn Display>, workspace: Workspace) -> Self {
        let ctx = Arc::new(Context::new(display, workspace));
        let engine = super::engine::build(&ctx);
        Self {
            engine,
            scope: Scope::new(),
            functions: AST::empty(),
            function_origins: HashMap::new(),
            ctx,
            inputs: Vec::new(),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn scope(&self) -> &Scope<'static> {
        &self.scope
    }

    pub fn context(&self) -> &Arc<Context> {
        &self.ctx
    }

    pub fn display(&self) -> &Arc<dyn Display> {
        &self.ctx.display
    }

    /// Set from any thread to stop the running cell; the session stays usable.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.ctx.interrupt.clone()
    }

    /// Check mode: images from the draft backend whatever the script asks for, small quick
    /// renders, and a report of what the real run would do (see [`super::check`]).
    pub fn set_check_mode(&self) {
        *self.ctx.check.lock().unwrap() = Some(Default::default());
    }

    /// What the real run would generate and render; `None` outside check mode.
    pub fn check_report(&self) -> Option<super::check::CheckReport> {
        self.ctx.check.lock().unwrap().clone()
    }

    /// Parses every code cell without running any, so a syntax error in the last cell of a
    /// long script is reported before the first cell starts generating.
    pub fn check_syntax<'a>(
        &self,
        file: &str,
        cells: impl IntoIterator<Item = &'a Cell>,
    ) -> Result<(), ScriptError> {
        for cell in cells {
            if cell.kind != CellKind::Code {
                continue;
            }
            let origin = Origin {
                file: file.to_string(),
                cell_number: cell.number,
                cell_title: cell.title.clone(),
                first_line: cell.first_line,
                code: cell.code.clone(),
            };
            self.engine
                .compile(super::lvalues::rewrite(&origin.code))
                .map_err(|e| ScriptError::from_parse(&e, &origin))?;
        }
        Ok(())
    }

    /// Relative paths in scripts resolve from here first.
    pub fn set_script_dir(&self, dir: Option<std::path::PathBuf>) {
        self.ctx.set_script_dir(dir);
    }

    /// The script file being run, named in the manifests of the stories it makes.
    pub fn set_script(&self, script: Option<std::path::PathBuf>) {
        self.ctx.set_script(script);
    }

    pub fn inputs(&self) -> &[String] {
        &self.inputs
    }

    /// Names of the functions defined so far, with their parameter counts.
    pub fn function_names(&self) -> Vec<String> {
        self.functions
            .iter_functions()
            .map(|f| f.name.to_string())
            .collect()
    }

    /// Forgets every variable and function.
    pub fn reset(&mut self) {
        self.scope.clear();
        self.functions = AST::empty();
        self.function_origins.clear();
        self.inputs.clear();
    }

    /// Runs code typed at a prompt; `number` names it in errors (`<input>:LINE:COL`, cell N).
    pub fn run_input(&mut self, code: &str, number: usize) -> Result<Dynamic, ScriptError> {
        self.run(Origin {
            file: "<input>".into(),
            cell_number: number,
            cell_title: String::new(),
            first_line: 1,
            code: code.to_string(),
        })
    }

    /// Runs one cell of a script file.
    pub fn run_cell(&mut self, file: &str, cell: &Cell) -> Result<Dynamic, ScriptError> {
        if cell.kind == CellKind::Markdown {
            return Ok(Dynamic::UNIT);
        }
        self.run(Origin {
            file: file.to_string(),
            cell_number: cell.number,
            cell_title: cell.title.clone(),
            first_line: cell.first_line,
            code: cell.code.clone(),
        })
    }

    /// Compiles against the current scope, keeps the cell's functions, and evaluates it.
    pub fn run(&mut self, origin: Origin) -> Result<Dynamic, ScriptError> {
        self.ctx.interrupt.store(false, Ordering::Relaxed);
        self.ctx.shown_files.lock().unwrap().clear();
        super::memory::start_cell();
        if let Some(offset) = super::complete::open_block_comment(&origin.code) {
            return Err(unclosed_comment(&origin, offset));
        }
        let ast = self
            .engine
            .compile_with_scope(&self.scope, super::lvalues::rewrite(&origin.code))
            .map_err(|e| ScriptError::from_parse(&e, &origin))?;
        for f in ast.iter_functions() {
            self.function_origins
                .insert(f.name.to_string(), origin.clone());
        }
        self.functions += ast;
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &self.functions);
        self.functions.clear_statements();
        self.ctx.interrupt.store(false, Ordering::Relaxed);
        let value = result.map_err(|e| {
            let mut err = ScriptError::from_eval(&e, &origin, &self.function_origins);
            if let Some(hint) =
                super::suggest::did_you_mean(&e, &self.engine, &self.scope, &self.functions)
            {
                err.message.push_str(&hint);
            }
            err
        })?;
        // Only what succeeded is kept for `:save`: replaying a failed cell would fail again.
        self.inputs.push(origin.code.clone());
        // As in IPython, a cell that ends with `;` shows nothing.
        Ok(if ends_with_semicolon(&origin.code) {
            Dynamic::UNIT
        } else {
            value
        })
    }

    /// What a front-end shows for a cell's value: nothing for `()`, nor for a video the cell
    /// already showed (`render` shows its video as soon as it is made).
    pub fn output_of(&self, value: &Dynamic) -> Option<Output> {
        let mut output = super::api::show::to_output(value)?;
        if let Output::Video(v) = &output {
            if self.ctx.shown_files.lock().unwrap().contains(&v.path) {
                return None;
            }
        }
        // A scene's candidates (`sd_generate(s.scene(0))`) can be picked from where they show;
        // a storyboard already names its scenes.
        if let Output::Sheet(sheet) = &mut output {
            if !sheet.pick.is_empty() {
                return Some(output);
            }
            sheet.pick = super::picking::row_for(&self.scope, &sheet.images)
                .into_iter()
                .collect();
            // The scene's current pick is marked wherever the sheet shows.
            if let [row] = sheet.pick.as_slice() {
                if let Some(item) = row.picked().and_then(|k| sheet.images.get_mut(k)) {
                    item.caption = format!("{} {}", super::display::PICKED_MARK, item.caption);
                }
            }
        }
        Some(output)
    }
}

/// Rhai ends a script silently at a `/*` that is never closed; everything after it would be
/// skipped without a word.
fn unclosed_comment(origin: &Origin, offset: usize) -> ScriptError {
    let before = &origin.code[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    ScriptError {
        message: "this `/*` comment is never closed with `*/`: the code after it would not run"
            .into(),
        at: Some(Box::new(Location {
            origin: origin.clone(),
            line,
            column,
        })),
        chain: Vec::new(),
        interrupted: false,
        is_syntax: true,
    }
}

/// Whether the last code of a cell (comments aside) is a `;`.
fn ends_with_semicolon(code: &str) -> bool {
    code.lines()
        .map(|l| super::errors::without_line_comment(l).trim())
        .rfind(|l| !l.is_empty())
        .is_some_and(|l| l.ends_with(';'))
}
