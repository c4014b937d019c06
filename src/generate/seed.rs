//! Deterministic candidate seeds: "candidate 2 of this scene" is the same image tomorrow, and
//! stays the same image when the story is edited elsewhere.

use sha2::{Digest, Sha256};

/// Largest seed a user may give: A1111 draws random seeds below 2^32 - 1.
pub const MAX_SEED: u64 = 4_294_967_294;

/// Largest derived seed: below 2^31, so that every backend kind takes it as sent (sd-server
/// reads a signed 32-bit seed; A1111, ComfyUI and the Horde take more).
pub const MAX_DERIVED_SEED: u64 = 2_147_483_646;

/// Seed of candidate `candidate` of a scene, derived from the story seed and the scene's own
/// `text` (its `occurrence`-th appearance, 0 for the first, when the same text appears more
/// than once), never from the scene's position: adding a paragraph above a scene, or splitting
/// the story again, leaves its seeds as they were.
///
/// The documented recipe (pinned by a test that computes it on its own): SHA-256 of the bytes
/// `storyreel-seed-v2`, `story_seed`, `occurrence` and `candidate` (each 8 bytes little-endian),
/// then the UTF-8 text; the digest's first 8 bytes read little-endian, modulo 2^31 - 1.
/// SHA-256 and not `std::hash`, whose output may change between Rust releases.
pub fn derive_seed(story_seed: u64, text: &str, occurrence: usize, candidate: usize) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(b"storyreel-seed-v2");
    hasher.update(story_seed.to_le_bytes());
    hasher.update((occurrence as u64).to_le_bytes());
    hasher.update((candidate as u64).to_le_bytes());
    hasher.update(text.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) % (MAX_DERIVED_SEED + 1)
}

/// Seed of candidate `k` when the user gave one: sent as given, the next candidates
/// counting up from it as in A1111's batches, so a seed found in a WebUI reproduces.
pub fn given_seed(seed: u64, candidate: usize) -> u64 {
    seed.wrapping_add(candidate as u64) % (MAX_SEED + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_follow_the_text_not_the_place() {
        let a = derive_seed(1, "The owl watched.", 0, 0);
        assert_eq!(a, derive_seed(1, "The owl watched.", 0, 0));
        assert_ne!(a, derive_seed(1, "The owl watched.", 0, 1));
        assert_ne!(a, derive_seed(1, "The owl watched.", 1, 0));
        assert_ne!(a, derive_seed(1, "The owl watched!", 0, 0));
        assert_ne!(a, derive_seed(2, "The owl watched.", 0, 0));
        // Every derived seed fits a signed 32-bit integer.
        let most = (0..2000)
            .map(|k| derive_seed(u64::MAX, "x", usize::MAX, k))
            .max()
            .unwrap();
        assert!(most <= MAX_DERIVED_SEED && MAX_DERIVED_SEED < i32::MAX as u64);
        assert!(most > MAX_DERIVED_SEED / 2, "seeds spread over the range");
    }

    #[test]
    fn a_given_seed_is_sent_as_given_and_counts_up() {
        assert_eq!(given_seed(3, 0), 3);
        assert_eq!(given_seed(3, 2), 5);
        assert_eq!(given_seed(MAX_SEED, 1), 0);
    }
}
