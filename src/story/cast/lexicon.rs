//! Closed word lists: pronouns, titles, character nouns, speech verbs.
//! Why lists and not a model: nothing may be downloaded, and these classes are small and stable.

use super::model::Gender;

/// Grammatical person of a pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Person {
    First,
    Second,
    Third,
}

/// Surface role of a pronoun, used by binding constraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Subject,
    Object,
    Possessive,
    Reflexive,
    /// "her": object or possessive.
    Ambiguous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PronounInfo {
    pub person: Person,
    pub gender: Gender,
    pub plural: bool,
    pub case: Case,
}

#[rustfmt::skip]
pub(crate) fn pronoun(lower: &str) -> Option<PronounInfo> {
    use Case::*;
    use Gender::*;
    use Person::*;
    let (person, gender, plural, case) = match lower {
        "i" => (First, Unknown, false, Subject),
        "me" => (First, Unknown, false, Object),
        "my" | "mine" => (First, Unknown, false, Possessive),
        "myself" => (First, Unknown, false, Reflexive),
        "we" => (First, Plural, true, Subject),
        "us" => (First, Plural, true, Object),
        "our" | "ours" => (First, Plural, true, Possessive),
        "you" | "thou" | "ye" | "yeh" => (Second, Unknown, false, Subject),
        "thee" => (Second, Unknown, false, Object),
        "your" | "yours" | "thy" | "thine" | "yer" => (Second, Unknown, false, Possessive),
        "yourself" | "thyself" => (Second, Unknown, false, Reflexive),
        "he" => (Third, Male, false, Subject),
        "him" => (Third, Male, false, Object),
        "his" => (Third, Male, false, Possessive),
        "himself" => (Third, Male, false, Reflexive),
        "she" => (Third, Female, false, Subject),
        "her" => (Third, Female, false, Ambiguous),
        "hers" => (Third, Female, false, Possessive),
        "herself" => (Third, Female, false, Reflexive),
        "they" => (Third, Plural, true, Subject),
        "them" => (Third, Plural, true, Object),
        "their" | "theirs" => (Third, Plural, true, Possessive),
        "themselves" => (Third, Plural, true, Reflexive),
        _ => return None,
    };
    Some(PronounInfo {
        person,
        gender,
        plural,
        case,
    })
}

/// Titles that start a name ("King Gunther", "Mrs. Bennet") and the gender they imply.
#[rustfmt::skip]
pub(crate) fn honorific(lower: &str) -> Option<Gender> {
    use Gender::*;
    Some(match lower {
        "mr" | "m" | "mister" | "sir" | "lord" | "king" | "prince" | "duke" | "count" | "baron"
        | "earl" | "emperor" | "uncle" | "monsieur" | "herr" | "signor" | "don" | "master"
        | "brother" | "father" | "colonel" | "captain" | "general" | "major" | "sergeant"
        | "lieutenant" | "admiral" | "squire" | "rev" | "reverend" | "dr" | "doctor"
        | "professor" | "judge" | "mynheer" | "señor" | "senor" | "sheriff" => match lower {
            "captain" | "general" | "major" | "sergeant" | "lieutenant" | "admiral" | "rev"
            | "reverend" | "dr" | "doctor" | "professor" | "judge" | "sheriff" => Unknown,
            _ => Male,
        },
        "mrs" | "miss" | "ms" | "lady" | "queen" | "princess" | "duchess" | "countess"
        | "baroness" | "empress" | "aunt" | "madame" | "mme" | "mademoiselle" | "mlle" | "frau"
        | "fraulein" | "signora" | "dona" | "doña" | "mistress" | "dame" | "sister" | "mother"
        | "missus" => Female,
        "saint" | "st" => Unknown,
        _ => return None,
    })
}

/// Abbreviations whose trailing period does not end a sentence.
#[rustfmt::skip]
pub(crate) fn is_abbreviation(lower: &str) -> bool {
    matches!(
        lower,
        "mr" | "mrs"
            | "ms" | "dr" | "st" | "jr" | "sr" | "esq" | "rev" | "capt" | "col" | "gen" | "lt"
            | "mme" | "mlle" | "messrs" | "prof" | "vs" | "no" | "co" | "etc"
    ) || (lower.len() == 1 && lower.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Nouns whose referent is (usually) a character, with their natural gender.
/// Returns (gender, plural). Plural forms are recognised by stripping a regular "s".
pub(crate) fn character_noun(lower: &str) -> Option<(Gender, bool)> {
    // "step-son", "grand-daughter", "old-man": the last part is the head.
    if let Some((_, last)) = lower.rsplit_once('-') {
        return character_noun(last);
    }
    if let Some(g) = character_noun_singular(lower) {
        return Some((g, false));
    }
    let singular = match lower {
        "men" => "man",
        "women" => "woman",
        "children" => "child",
        "wolves" => "wolf",
        "dwarves" | "dwarfs" => "dwarf",
        "elves" => "elf",
        "wives" => "wife",
        "thieves" => "thief",
        "brethren" => "brother",
        "people" => "person",
        "princesses" => "princess",
        "goddesses" => "goddess",
        "witches" => "witch",
        "mistresses" => "mistress",
        "duchesses" => "duchess",
        "countesses" => "countess",
        "hostesses" => "hostess",
        "foxes" => "fox",
        "ladies" => "lady",
        "babies" => "baby",
        "fairies" => "fairy",
        _ => lower.strip_suffix('s')?,
    };
    character_noun_singular(singular).map(|_| (Gender::Plural, true))
}

#[rustfmt::skip]
fn character_noun_singular(w: &str) -> Option<Gender> {
    use Gender::*;
    Some(match w {
        "man" | "boy" | "king" | "prince" | "gentleman" | "lord" | "knight" | "wizard"
        | "father" | "son" | "brother" | "husband" | "uncle" | "grandfather" | "nephew"
        | "merman" | "monk" | "priest" | "duke" | "count" | "emperor" | "baron" | "squire"
        | "lad" | "fellow" | "landlord" | "bridegroom" | "groom" | "widower" | "stepfather"
        | "stepson" | "grandson" | "sorcerer" | "god" | "youth" | "nobleman" | "chap" | "papa"
        | "daddy" | "heir" | "earl" | "friar" | "abbot" | "fisherman" | "horseman" | "huntsman"
        | "woodman" | "woodcutter" | "tailor" | "shoemaker" | "miller" | "blacksmith" | "smith"
        | "farmer" | "ploughman" | "monarch" | "sultan" | "pharaoh" | "chieftain" | "chief"
        | "warrior" | "hero" | "soldier" | "sailor" | "captain" | "colonel" | "general"
        | "sergeant" => match w {
            "farmer" | "chief" | "chieftain" | "warrior" | "soldier" | "sailor" | "captain"
            | "colonel" | "general" | "sergeant" | "tailor" | "miller" | "smith" | "blacksmith"
            | "shoemaker" | "woodcutter" | "monarch" => Unknown,
            _ => Male,
        },
        "woman" | "girl" | "queen" | "princess" | "lady" | "witch" | "mother" | "daughter"
        | "sister" | "wife" | "aunt" | "grandmother" | "niece" | "mermaid" | "nun" | "duchess"
        | "countess" | "empress" | "baroness" | "maiden" | "maid" | "lass" | "landlady"
        | "hostess" | "bride" | "widow" | "stepmother" | "stepdaughter" | "stepsister"
        | "granddaughter" | "sorceress" | "goddess" | "mistress" | "heiress" | "mamma" | "mama"
        | "mammy" | "governess" | "nurse" | "housekeeper" | "spinster" | "fairy"
        | "shepherdess" | "actress" | "damsel" | "dame" | "madam" | "wench" | "abbess"
        | "grandma" | "granny" => Female,
        "child" | "baby" | "infant" | "dragon" | "giant" | "dwarf" | "elf" | "troll" | "ogre"
        | "monster" | "stranger" | "servant" | "doctor" | "judge" | "master" | "cousin"
        | "friend" | "companion" | "visitor" | "guest" | "traveller" | "traveler" | "merchant"
        | "peasant" | "beggar" | "thief" | "robber" | "pirate" | "prisoner" | "guard"
        | "shepherd" | "hunter" | "orphan" | "lover" | "suitor" | "magician" | "wolf" | "fox"
        | "bear" | "lion" | "serpent" | "beast" | "creature" | "person" | "clerk" | "lawyer"
        | "teacher" | "student" | "scholar" | "officer" | "innkeeper" | "coachman" | "footman"
        | "butler" | "cook" | "gardener" | "porter" | "messenger" | "herald" | "slave"
        | "neighbour" | "neighbor" | "parent" | "poet" | "painter" | "artist" | "writer"
        | "author" | "detective" | "inspector" | "surgeon" | "physician" | "minister"
        | "parson" | "vicar" | "rector" | "curate" | "bishop" | "cardinal" | "pope" | "ruler"
        | "tyrant" | "rider" | "scrivener" | "hag" | "crone" | "imp" | "goblin" | "demon"
        | "devil" | "angel" | "spirit" | "ghost" | "phantom" | "vampire" | "frog" | "toad"
        | "cat" | "dog" | "mouse" | "rabbit" | "hare" | "tortoise" | "raven" | "crow" | "swan"
        | "duckling" | "eagle" | "owl" | "gnome" | "nymph" | "titan" | "deity" | "boatman"
        | "ferryman" | "fool" | "jester" | "knave" | "youngster" | "baronet" | "gentlewoman"
        | "aristocrat" | "pilgrim" | "hermit" | "villain" | "rogue" | "murderer" | "captive"
        | "chaplain" | "sailorman" => match w {
            "baronet" => Male,
            "gentlewoman" => Female,
            _ => Unknown,
        },
        _ => return None,
    })
}

/// The head of an epithet for an animal or a thing ("frog", "louse", "straw"), which may be "it":
/// an animal of the lexicon, or a noun the lexicon does not know as a person (found speaking).
#[rustfmt::skip]
pub(crate) fn is_animal_or_thing(head: &str) -> bool {
    character_noun(head).is_none()
        || matches!(
            head,
            "dragon" | "wolf" | "fox" | "bear" | "lion" | "serpent" | "beast" | "frog" | "toad"
            | "cat" | "dog" | "mouse" | "rabbit" | "hare" | "tortoise" | "raven" | "crow" | "swan"
            | "duckling" | "eagle" | "owl" | "monster"
        )
}

/// Verbs that introduce or attribute speech ("said he", "Alice cried").
#[rustfmt::skip]
pub(crate) fn is_speech_verb(lower: &str) -> bool {
    matches!(
        lower,
        "said" | "says" | "say" | "asked" | "asks" | "replied" | "replies" | "answered" | "answers"
        | "cried" | "cries" | "exclaimed" | "shouted" | "whispered" | "returned" | "continued"
        | "added" | "observed" | "remarked" | "muttered" | "murmured" | "called" | "began"
        | "repeated" | "rejoined" | "resumed" | "inquired" | "enquired" | "demanded" | "thought"
        | "screamed" | "shrieked" | "sighed" | "laughed" | "went" | "interrupted" | "suggested"
        | "declared" | "pleaded" | "urged" | "explained" | "protested" | "responded" | "retorted"
        | "groaned" | "sobbed" | "roared" | "growled" | "snapped" | "stammered" | "faltered"
        | "persisted" | "insisted" | "answering" | "saying"
    )
}

/// Words that are capitalised for grammatical reasons and are never names.
#[rustfmt::skip]
pub(crate) fn is_never_name(lower: &str) -> bool {
    pronoun(lower).is_some()
        || matches!(
            lower,
            "the" | "a" | "an" | "and" | "but" | "or" | "nor" | "for" | "so" | "yet" | "if"
            | "then" | "when" | "while" | "where" | "what" | "which" | "who" | "whom" | "whose"
            | "why" | "how" | "this" | "that" | "these" | "those" | "there" | "here" | "it" | "its"
            | "in" | "on" | "at" | "to" | "of" | "by" | "with" | "from" | "as" | "all" | "no"
            | "not" | "yes" | "oh" | "o" | "ah" | "alas" | "well" | "now" | "once" | "after"
            | "before" | "upon" | "into" | "one" | "some" | "every" | "each" | "any" | "many"
            | "much" | "more" | "most" | "such" | "do" | "did" | "does" | "is" | "was" | "were"
            | "are" | "be" | "had" | "has" | "have" | "will" | "would" | "shall" | "should" | "can"
            | "could" | "may" | "might" | "must" | "let" | "come" | "go" | "see" | "look"
            | "chapter" | "book" | "part" | "volume" | "canto" | "act" | "scene" | "monday"
            | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday" | "january"
            | "february" | "march" | "april" | "june" | "july" | "august" | "september" | "october"
            | "november" | "december" | "christmas" | "easter" | "english" | "french" | "german"
            | "latin" | "greek" | "roman" | "italian" | "spanish" | "american" | "indian"
            | "european" | "british" | "irish" | "scotch" | "scottish" | "dutch" | "russian"
            | "chinese" | "christian" | "catholic" | "protestant" | "jewish" | "heaven" | "hell"
            | "paradise" | "mr" | "mrs" | "ms" | "dr" | "st" | "esq" | "ii" | "iii" | "iv" | "vi"
            | "vii" | "viii" | "ix" | "x" | "xi" | "xii" | "thank" | "good" | "dear" | "poor"
            | "never" | "perhaps" | "indeed" | "hush" | "nay" | "aye" | "sir" | "madam" | "ma'am"
            | "miss" | "lady" | "lord" | "though" | "although" | "because" | "since" | "unless"
            | "whether" | "finally" | "suddenly" | "meanwhile" | "however" | "therefore" | "thus"
            | "hence" | "besides" | "nevertheless" | "presently" | "soon" | "again" | "only"
            | "even" | "still" | "just" | "till" | "until" | "whereupon" | "accordingly"
            | "afterwards" | "later" | "next" | "meantime" | "instantly" | "immediately"
            // Indefinite pronouns and quantifiers start sentences as subjects ("Nothing could…").
            | "nothing" | "nobody" | "none" | "everything" | "everybody" | "everyone"
            | "something" | "somebody" | "someone" | "anything" | "anybody" | "anyone"
            | "several" | "few" | "both" | "either" | "neither" | "another" | "other"
            | "whatever" | "whoever" | "being" | "having"
        )
        // "Don't", "Won't": a negated auxiliary, never a name.
        || lower.ends_with("n't")
        || lower.ends_with("n’t")
}

/// Nouns for anyone at all ("the boy", "the lady"), unlike roles ("the dragon", "the king").
pub(crate) fn is_common_person_noun(lower: &str) -> bool {
    matches!(
        lower,
        "man"
            | "woman"
            | "boy"
            | "girl"
            | "child"
            | "lady"
            | "gentleman"
            | "person"
            | "fellow"
            | "lad"
            | "lass"
            | "youth"
            | "baby"
            | "creature"
            | "stranger"
    )
}

/// Titles of rule: "King of Burgundy", "queen of Issland" — what follows "of" is a realm.
pub(crate) fn is_ruler_title(lower: &str) -> bool {
    matches!(
        lower,
        "king"
            | "queen"
            | "prince"
            | "princess"
            | "duke"
            | "duchess"
            | "count"
            | "countess"
            | "earl"
            | "emperor"
            | "empress"
            | "baron"
            | "baroness"
            | "lord"
            | "lady"
            | "kings"
            | "queens"
            | "princes"
            | "dukes"
            | "lords"
            | "governor"
            | "ruler"
            | "sultan"
            | "czar"
            | "tsar"
            | "shah"
            | "khan"
            | "chief"
            | "bishop"
            | "archbishop"
    )
}

/// Final words that mark a capitalised sequence as a place or an institution, not a person.
#[rustfmt::skip]
pub(crate) fn is_place_word(lower: &str) -> bool {
    matches!(
        lower,
        "hall" | "park" | "street" | "house" | "lane" | "road" | "square" | "castle" | "abbey"
        | "church" | "river" | "lake" | "mountain" | "mountains" | "hill" | "hills" | "island"
        | "islands" | "bridge" | "court" | "inn" | "place" | "town" | "city" | "county" | "forest"
        | "wood" | "woods" | "sea" | "ocean" | "valley" | "palace" | "tower" | "gate" | "row"
        | "bay" | "cathedral" | "chapel" | "college" | "school" | "university" | "hospital"
        | "office" | "company" | "hotel" | "station" | "gardens" | "garden" | "terrace" | "avenue"
        | "manor" | "lodge" | "farm" | "cottage" | "grange" | "heights" | "moor" | "common"
        | "field" | "fields" | "bar" | "temple" | "chancery" | "parliament" | "kingdom" | "empire"
        | "republic" | "states" | "club" | "society" | "museum" | "library" | "theatre" | "theater"
        | "harbour" | "harbor" | "port" | "cape" | "coast" | "desert" | "rock" | "falls" | "lied"
        | "hoard" | "ring" | "gold" | "day" | "war" | "age" | "sun" | "moon" | "home" | "state"
        | "embassy" | "colony" | "atlantic" | "pacific" | "ministry" | "academy" | "institute"
        | "asylum" | "prison" | "workhouse" | "orphanage" | "landing" | "vale" | "wharf"
        | "docks" | "mews" | "crescent" | "province" | "territory"
    )
}

/// Prepositions that, right before a capitalised word, suggest a place ("in London").
#[rustfmt::skip]
pub(crate) fn is_place_preposition(lower: &str) -> bool {
    matches!(
        lower,
        "in" | "at"
            | "from" | "into" | "near" | "towards" | "toward" | "through" | "across" | "within"
            | "outside" | "inside" | "beyond" | "around" | "via" | "reached" | "visited" | "left"
            | "leaving" | "street" | "road"
    )
}

/// Body parts and garments that make a visual descriptor ("her long golden hair").
#[rustfmt::skip]
pub(crate) fn is_visual_noun(lower: &str) -> bool {
    matches!(
        lower,
        "hair" | "eyes" | "eye" | "face" | "skin" | "beard" | "moustache" | "mustache" | "cheeks"
        | "lips" | "brow" | "forehead" | "nose" | "mouth" | "teeth" | "hands" | "arms" | "legs"
        | "feet" | "tail" | "scales" | "wings" | "head" | "figure" | "form" | "cloak" | "dress"
        | "gown" | "robe" | "coat" | "hat" | "cap" | "crown" | "armour" | "armor" | "helmet"
        | "shield" | "sword" | "spear" | "mantle" | "veil" | "voice" | "complexion" | "locks"
        | "curls" | "shoulders" | "chest" | "neck" | "fur" | "feathers" | "plumage" | "mask"
    )
}

/// Function words that cannot be a modifier inside a noun phrase.
#[rustfmt::skip]
pub(crate) fn is_function_word(lower: &str) -> bool {
    is_never_name(lower)
        || matches!(
            lower,
            "he" | "she"
                | "was" | "not" | "been" | "being" | "very" | "too" | "than" | "said" | "also"
                | "only" | "just" | "even" | "again" | "still" | "about" | "over" | "under" | "out"
                | "up" | "down" | "off" | "away" | "back" | "who" | "had"
        )
}

/// First names with a strong gender, to type names before any pronoun is seen.
#[rustfmt::skip]
pub(crate) fn first_name_gender(lower: &str) -> Option<Gender> {
    use Gender::*;
    Some(match lower {
        "john" | "james" | "william" | "george" | "charles" | "thomas" | "henry" | "robert"
        | "edward" | "richard" | "joseph" | "arthur" | "frederick" | "walter" | "harry" | "tom"
        | "jack" | "david" | "peter" | "paul" | "michael" | "samuel" | "francis" | "frank"
        | "fred" | "alfred" | "albert" | "ernest" | "hugh" | "philip" | "stephen" | "martin"
        | "daniel" | "benjamin" | "jim" | "joe" | "bob" | "bill" | "dick" | "ned" | "ted"
        | "sam" | "ben" | "will" | "andrew" | "anthony" | "matthew" | "mark" | "luke" | "simon"
        | "adam" | "abraham" | "isaac" | "jacob" | "oliver" | "edmund" | "edgar" | "ralph"
        | "roger" | "harold" | "herbert" | "lewis" | "louis" | "nicholas" | "patrick"
        | "raymond" | "hans" | "karl" | "carl" | "pierre" | "jean" | "jacques" | "ivan" | "tim"
        | "timothy" | "christopher" | "gilbert" | "geoffrey" | "jeremiah" | "jonathan"
        | "nathaniel" | "silas" | "moses" | "aaron" | "eli" | "heathcliff" | "sherlock"
        | "huck" | "tommy" => Male,
        "mary" | "elizabeth" | "anne" | "ann" | "jane" | "margaret" | "sarah" | "emma"
        | "catherine" | "katherine" | "kate" | "alice" | "lucy" | "susan" | "ellen" | "eleanor"
        | "elinor" | "marianne" | "charlotte" | "harriet" | "fanny" | "julia" | "maria"
        | "martha" | "emily" | "edith" | "helen" | "isabella" | "isabel" | "louisa"
        | "caroline" | "dorothy" | "agnes" | "grace" | "rose" | "lily" | "amy" | "beth" | "meg"
        | "jo" | "laura" | "clara" | "ada" | "eva" | "eve" | "hannah" | "rachel" | "rebecca"
        | "ruth" | "esther" | "judith" | "lydia" | "kitty" | "jenny" | "nancy" | "molly"
        | "polly" | "sally" | "betsy" | "bessie" | "nelly" | "cathy" | "tess" | "hester"
        | "sophia" | "sophie" | "olivia" | "marie" | "sylvia" | "diana" | "cecilia" | "cecily"
        | "evelina" | "pamela" | "clarissa" | "matilda" | "henrietta" | "georgiana" | "augusta"
        | "wendy" | "dora" | "gwendolen" | "rosamond" | "dorothea" | "celia" | "anna"
        | "carrie" | "daisy" | "maggie" | "lizzy" | "lizzie" | "jenna" | "carol" | "ethel"
        | "gertrude" | "mabel" | "maud" | "maude" | "violet" | "winifred" | "frances" => Female,
        _ => return None,
    })
}

/// Well-known places that recur in fiction; without them "England" can look like a person.
#[rustfmt::skip]
pub(crate) fn is_known_place(lower: &str) -> bool {
    matches!(
        lower,
        "england" | "london" | "france" | "paris" | "america" | "europe" | "scotland" | "ireland"
        | "wales" | "italy" | "rome" | "germany" | "spain" | "india" | "africa" | "egypt" | "china"
        | "russia" | "york" | "boston" | "chicago" | "washington" | "philadelphia" | "texas"
        | "california" | "canada" | "mexico" | "australia" | "asia" | "japan" | "greece" | "athens"
        | "venice" | "naples" | "vienna" | "berlin" | "holland" | "switzerland" | "geneva" | "bath"
        | "oxford" | "cambridge" | "edinburgh" | "dublin" | "brighton" | "kent" | "surrey"
        | "yorkshire" | "devonshire" | "derbyshire" | "hertfordshire" | "thames" | "rhine" | "nile"
        | "jerusalem" | "babylon" | "troy" | "olympus" | "valhalla" | "asgard" | "massachusetts"
        | "ohio" | "illinois" | "kansas" | "mississippi" | "missouri" | "kentucky" | "tennessee"
        | "minnesota" | "broadway" | "manhattan" | "brooklyn" | "portugal" | "austria" | "prussia"
        | "turkey" | "persia" | "arabia" | "jamaica" | "cuba" | "brazil" | "peru" | "norway"
        | "sweden" | "denmark" | "iceland" | "belgium" | "brussels" | "madrid" | "lisbon"
        | "moscow" | "bombay" | "calcutta" | "cairo" | "marseilles" | "lyons" | "heidelberg"
        | "milan" | "genoa"
    )
}

/// Common English nicknames and the name they stand for ("Lizzy" is "Elizabeth").
#[rustfmt::skip]
pub(crate) fn formal_first_name(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "lizzy" | "lizzie" | "eliza" | "liz" | "betsy" | "bess" | "bessie" | "beth" | "betty" => {
            "elizabeth"
        }
        "kitty" | "kate" | "katie" | "cathy" | "kit" => "catherine",
        "carrie" | "carry" => "caroline",
        "nelly" | "nell" | "nellie" => "ellen",
        "polly" | "molly" | "mamie" => "mary",
        "jenny" | "jennie" | "jane" => "jane",
        "fanny" => "frances",
        "sally" => "sarah",
        "peggy" | "meg" | "maggie" | "madge" => "margaret",
        "annie" | "nan" | "nancy" => "anne",
        "sukey" | "sue" | "susie" => "susan",
        "dolly" => "dorothy",
        "patty" | "patsy" | "mattie" => "martha",
        "tom" | "tommy" => "thomas",
        "bill" | "billy" | "will" | "willie" | "willy" => "william",
        "bob" | "bobby" | "rob" | "robin" => "robert",
        "dick" | "dicky" => "richard",
        "jim" | "jimmy" | "jem" | "jamie" => "james",
        "jack" | "johnny" => "john",
        "ned" | "ted" | "teddy" | "eddie" => "edward",
        "harry" | "hal" => "henry",
        "joe" | "joey" => "joseph",
        "sam" | "sammy" => "samuel",
        "ben" | "benny" => "benjamin",
        "fred" | "freddy" | "freddie" => "frederick",
        "charley" | "charlie" | "chuck" => "charles",
        "nick" => "nicholas",
        "dan" | "danny" => "daniel",
        "tony" => "anthony",
        "andy" => "andrew",
        "mike" => "michael",
        "steve" => "stephen",
        "phil" => "philip",
        "nat" => "nathaniel",
        "sandy" => "alexander",
        "archie" => "archibald",
        "bertie" | "bert" => "albert",
        "georgie" => "george",
        "frank" | "frankie" => "francis",
        "davy" | "dave" => "david",
        _ => return None,
    })
}

/// A finite verb right after a word, as in "Siegfried rode": regular past or present forms and
/// the commonest irregular ones.
#[rustfmt::skip]
pub(crate) fn looks_like_verb(lower: &str) -> bool {
    is_speech_verb(lower)
        || (lower.len() > 3 && (lower.ends_with("ed") || lower.ends_with("es")))
        || matches!(
            lower,
            "was" | "had" | "came" | "went" | "saw" | "took" | "gave" | "rode" | "ran" | "sat"
            | "stood" | "felt" | "knew" | "made" | "told" | "found" | "left" | "got" | "spoke"
            | "wrote" | "drew" | "fell" | "rose" | "held" | "kept" | "heard" | "met" | "brought"
            | "sang" | "slew" | "fought" | "would" | "could" | "will" | "is" | "has" | "does"
            | "did" | "can" | "must" | "shall" | "should" | "might" | "may" | "comes" | "goes"
            | "says" | "looks" | "lay" | "lies" | "woke" | "wept" | "won" | "threw" | "struck"
            | "sent" | "led" | "lost" | "paid" | "sought" | "taught" | "swam" | "sank" | "bore"
            | "wore" | "broke" | "chose" | "flew" | "grew" | "became" | "began" | "stole" | "swore"
            | "tore" | "built" | "bent" | "shook"
        )
}

/// Kin words that serve as a name when capitalised without a determiner ("Mother said").
pub(crate) fn is_kin_title(lower: &str) -> bool {
    matches!(
        lower,
        "mother"
            | "father"
            | "aunt"
            | "uncle"
            | "grandmother"
            | "grandfather"
            | "granny"
            | "grandma"
            | "grandpa"
    )
}

/// Kin and royal nouns: a role towards other characters ("the step-mother", "the king").
pub(crate) fn is_role_noun(lower: &str) -> bool {
    let last = lower.rsplit('-').next().unwrap_or(lower);
    matches!(
        last,
        "mother" | "father" | "stepmother" | "stepfather" | "sister" | "brother" | "wife"
            | "husband" | "son" | "daughter" | "uncle" | "aunt" | "grandmother" | "grandfather"
            | "king" | "queen" | "emperor" | "empress"
    )
}
