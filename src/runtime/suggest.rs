//! "Did you mean …?" for misspelt names: properties and methods, functions, variables and style
//! presets (`styles::storybok`). Option names have their own hint in `options`.

use rhai::{Array, Engine, EvalAltResult, Scope, AST};

use super::options::closest;
use super::spec;

/// A hint for the innermost error of `err`, when a known name is close to the one written.
pub fn did_you_mean(
    err: &EvalAltResult,
    engine: &Engine,
    scope: &Scope,
    functions: &AST,
) -> Option<String> {
    let mut err = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = err {
        err = inner;
    }
    let (name, known) = match err {
        EvalAltResult::ErrorDotExpr(message, _) => {
            // Reading (`s.charcters`) and writing (`sc.promt = …`) an unknown member.
            let rest = message
                .strip_prefix("Unknown property '")
                .or_else(|| message.strip_prefix("No writable property '"))?;
            let (prop, rest) = rest.split_once('\'')?;
            let type_name = rest.rsplit_once("type '")?.1.trim_end_matches('\'');
            let mut known: Vec<String> = spec::members_of(type_name)
                .map(|s| s.short_name().to_string())
                .collect();
            known.extend(registered(engine).filter_map(|n| n.strip_prefix("get$").map(Into::into)));
            (prop.to_string(), known)
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            let name = signature
                .split(|c: char| c == '(' || c.is_whitespace())
                .next()?;
            let mut known: Vec<String> = registered(engine).filter(|n| !n.contains('$')).collect();
            known.extend(functions.iter_functions().map(|f| f.name.to_string()));
            known.extend(spec::all().map(|s| s.short_name().to_string()));
            (name.to_string(), known)
        }
        EvalAltResult::ErrorVariableNotFound(name, _) => {
            let known = match name.split_once("::") {
                Some(("styles", _)) => engine
                    .eval::<Array>("styles::names()")
                    .ok()?
                    .into_iter()
                    .map(|n| format!("styles::{}", n.to_string().replace(['-', ' '], "_")))
                    .collect(),
                Some(_) => return None,
                None => scope.iter().map(|(n, ..)| n.to_string()).collect(),
            };
            (name.to_string(), known)
        }
        _ => return None,
    };
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    match closest(&name, &known) {
        Some(c) => Some(format!(" (did you mean {c}?)")),
        // A style nowhere near a preset: the presets are few, so list them.
        None if name.starts_with("styles::") => Some(format!(
            "; the style presets are {}, or any text (s.style = \"…\")",
            known.join(", ")
        )),
        None => None,
    }
}

/// Names of the functions the engine knows, getters as `get$name`.
fn registered(engine: &Engine) -> impl Iterator<Item = String> {
    engine
        .gen_fn_signatures(true)
        .into_iter()
        .filter_map(|s| s.split('(').next().map(str::to_string))
}
