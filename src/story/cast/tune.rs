//! Development toggles (temporary).
pub(crate) fn on(name: &str) -> bool {
    use std::sync::OnceLock;
    static OFF: OnceLock<String> = OnceLock::new();
    !OFF.get_or_init(|| std::env::var("CAST_OFF").unwrap_or_default())
        .split(',')
        .any(|x| x == name)
}
pub(crate) fn num(name: &str, default: f32) -> f32 {
    std::env::var(format!("CAST_{name}")).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
