//! What a field costs in the complexity limit: a list field multiplies its
//! children's cost by the most items it returns, so the limit bounds the size
//! of an answer, not just the number of fields asked for. Paged lists cost
//! their `first`; the others cost the most the content model allows, or a
//! generous bound on what the page holds (a level holds a few steps, a role is
//! used by at most every profession). Each also counts 1 for itself.

/// Entry Level and Levels 1 to 8.
pub const LEVELS: usize = 9;
/// Steps of one profession's pathway (the page's longest has 7).
pub const STEPS_PER_PATHWAY: usize = 10;
/// Steps at one level of a pathway (the page's most is 2).
pub const STEPS_PER_LEVEL: usize = 3;
/// Entry routes into the steps of one level.
pub const ROUTES_PER_LEVEL: usize = 2;
/// The professions that show one role (the page has 15 professions).
pub const PROFESSIONS_PER_ROLE: usize = 15;
/// Stages of one route.
pub const STAGES: usize = 4;
/// Every role, every route.
pub const ROLES: usize = 50;
pub const ROUTES: usize = 10;

/// The most one field may cost. async-graphql adds up the costs of fields with
/// `+`, which wraps in a release build: with each field at most this, the sum
/// over any document a request body can hold stays far from overflowing.
const MOST: usize = u32::MAX as usize;

/// A paged list: `first` items (`default` when left out) of `child` each.
pub fn page(first: Option<i32>, default: i32, child: usize) -> usize {
    let first = usize::try_from(first.unwrap_or(default)).unwrap_or(0);
    list(first, child)
}

/// A list of at most `most` items of `child` each.
pub fn list(most: usize, child: usize) -> usize {
    most.saturating_mul(child).saturating_add(1).min(MOST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_multiply_and_never_overflow() {
        assert_eq!(page(Some(100), 20, 3), 301);
        assert_eq!(page(None, 20, 3), 61);
        assert_eq!(page(Some(-1), 20, 3), 1);
        assert_eq!(list(LEVELS, usize::MAX), MOST);
    }
}
