//! Helpers written in Rhai (`stdlib/*.rhai`), compiled into the binary and registered as static
//! modules so they work in every cell and inside functions.

use rhai::{Engine, Module, Scope};

const MODULES: &[(&str, &str)] = &[("styles", include_str!("../../stdlib/styles.rhai"))];

pub fn register(engine: &mut Engine) {
    for (name, source) in MODULES {
        let ast = engine
            .compile(source)
            .unwrap_or_else(|e| panic!("stdlib/{name}.rhai does not compile: {e}"));
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .unwrap_or_else(|e| panic!("stdlib/{name}.rhai failed to load: {e}"));
        engine.register_static_module(*name, module.into());
    }
}

/// The names of the stdlib modules, for completion and help.
pub fn module_names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}
