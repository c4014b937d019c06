//! Family naming customs that keep relatives apart when their names overlap: "Miss Pinkerton"
//! (the eldest daughter) is not "Miss Jemima Pinkerton" when "Miss Jemima" is used, and a bare
//! surname ("Morel") is the man of the family rather than "Mrs. Morel". "Mr Verloc" and "Mrs
//! Verloc" not sharing "Winnie Verloc" is done where names are clustered, in `names`.

use std::collections::HashSet;

use super::model::Gender;
use super::names::Form;

/// A bare surname ("Morel") names the man of the family, not "Mrs. Morel": narration calls
/// women by title or first name.
pub(super) fn bare_surname_of_a_woman(form: &Form, root: &Form) -> bool {
    form.gender == Gender::Unknown
        && form.words.len() == 1
        && root.gender == Gender::Female
        && root.marital.is_some()
        && root.words.len() == 1
        && root.words == form.words
}

/// "Miss Pinkerton" is not "Miss Jemima Pinkerton" when the story also says "Miss Jemima".
pub(super) fn younger_sister(form: &Form, root: &Form, miss_first_names: &HashSet<&str>) -> bool {
    form.marital == Some(false)
        && form.words.len() == 1
        && root.words.len() > 1
        && root.words.last() == form.words.first()
        && miss_first_names.contains(root.words[0].as_str())
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn mr_and_mrs_do_not_share_a_full_name_of_unknown_gender() {
        let text = "Winnie Verloc kept the shop. Mr Verloc went out. Mrs Verloc stayed. \
                    Mr Verloc came back; Mrs Verloc smiled at Mr Verloc.";
        let cast = analyze(text);
        let mr = cast.find("Mr Verloc").expect("Mr Verloc");
        let mrs = cast.find("Mrs Verloc").expect("Mrs Verloc");
        assert_ne!(mr.id, mrs.id, "{cast:?}");
    }

    #[test]
    fn miss_surname_is_the_elder_sister_when_miss_first_name_is_used() {
        let text = "Miss Jemima Pinkerton ran the school with her sister. Miss Pinkerton was \
                    stern. Miss Jemima was kind. Miss Pinkerton frowned; Miss Jemima smiled.";
        let cast = analyze(text);
        let elder = cast.find("Miss Pinkerton").expect("Miss Pinkerton");
        let younger = cast.find("Miss Jemima").expect("Miss Jemima");
        assert_ne!(elder.id, younger.id, "{cast:?}");
    }

    #[test]
    fn a_bare_surname_is_not_mrs_surname() {
        let text = "Mrs. Morel sat by the fire. Morel came home late. Mrs. Morel said nothing. \
                    Morel sat down, and Mrs. Morel served him.";
        let cast = analyze(text);
        let wife = cast.find("Mrs. Morel").expect("Mrs. Morel");
        assert!(!wife.aliases.iter().any(|a| a == "Morel"), "{cast:?}");
    }
}
