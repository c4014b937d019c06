//! Helpers written in Rhai (`stdlib/*.rhai`), compiled into the binary and registered as static
//! modules so they work in every cell and inside functions.

use rhai::{Engine, Module, Scope};

const MODULES: &[(&str, &str)] = &[("styles", include_str!("../../stdlib/styles.rhai"))];

pub fn register(engine: &mut Engine) {
    for (name, source) in MODULES {
        let module = load(engine, name, source);
        engine.register_static_module(*name, module.into());
    }
}

fn load(engine: &Engine, name: &str, source: &str) -> Module {
    let ast = engine
        .compile(source)
        .unwrap_or_else(|e| panic!("stdlib/{name}.rhai does not compile: {e}"));
    Module::eval_ast_as_new(Scope::new(), &ast, engine)
        .unwrap_or_else(|e| panic!("stdlib/{name}.rhai failed to load: {e}"))
}

/// A module's names, each with whether it is a function.
type Members = Vec<(String, bool)>;

/// What `module::` offers, for completion: each name, and whether it is a function.
pub fn members(module: &str) -> &'static [(String, bool)] {
    static MEMBERS: std::sync::OnceLock<Vec<(String, Members)>> = std::sync::OnceLock::new();
    let all = MEMBERS.get_or_init(|| {
        let engine = Engine::new();
        MODULES
            .iter()
            .map(|(name, source)| {
                let module = load(&engine, name, source);
                let mut names: Vec<(String, bool)> = module
                    .iter_var()
                    .map(|(v, _)| (v.to_string(), false))
                    .chain(
                        module
                            .gen_fn_signatures_with_mapper(std::borrow::Cow::Borrowed)
                            .filter_map(|sig| Some((sig.split('(').next()?.to_string(), true))),
                    )
                    .collect();
                names.sort();
                names.dedup();
                (name.to_string(), names)
            })
            .collect()
    });
    all.iter()
        .find(|(name, _)| name == module)
        .map_or(&[], |(_, names)| names.as_slice())
}

/// The names of the stdlib modules, for completion and help.
pub fn module_names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}
