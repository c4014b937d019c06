//! `image(path)` and the members of Image.

use std::sync::Arc;

use rhai::Engine;

use super::handles::ImageRef;
use crate::runtime::context::Context;
use crate::runtime::options::{fail, RhaiResult};

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_type_with_name::<ImageRef>("Image");
    let c = ctx.clone();
    engine.register_fn("image", move |path: &str| -> RhaiResult<ImageRef> {
        let found = c.resolve(path).or_else(|e| fail(format!("image: {e}")))?;
        ImageRef::open(found).or_else(fail)
    });
    engine.register_get("path", |i: &mut ImageRef| i.path.display().to_string());
    engine.register_get("width", |i: &mut ImageRef| i.width as i64);
    engine.register_get("height", |i: &mut ImageRef| i.height as i64);
    engine.register_fn("to_string", |i: &mut ImageRef| {
        format!("Image {} ({}x{})", i.path.display(), i.width, i.height)
    });
    engine.register_fn("to_debug", |i: &mut ImageRef| {
        format!("Image(\"{}\")", i.path.display())
    });
}
