//! Why an edit of the story's characters was refused (`s.merge`, `sc.characters = […]`, …): typed,
//! so a caller can tell a misspelt name from a missing scene; the message names what the story has.

/// An edit of who the characters are, or who is in a scene, that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharacterEditError {
    /// No character has this name or alias; `known` lists the story's characters.
    #[error("no character named \"{name}\"; the story has: {known}")]
    UnknownCharacter { name: String, known: String },
    #[error("no scene {scene}; the story has {count} scenes")]
    UnknownScene { scene: usize, count: usize },
    #[error("\"{keep}\" and \"{absorb}\" are already the same character")]
    AlreadySame { keep: String, absorb: String },
}

/// No character of the detected cast answers to this name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no character named {0:?}")]
pub struct NoSuchCharacter(pub String);
