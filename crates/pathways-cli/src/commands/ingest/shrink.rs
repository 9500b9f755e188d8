//! The guard against publishing a gutted release: content that removes more
//! than half of the published release's professions or steps (a folder half
//! copied, the wrong folder) is refused unless `--allow-shrink` says it is meant.

use pathways_model::{Counts, ReleaseDescription};
use serde_json::{json, Value};

/// A release that would remove more than half of what readers have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrink {
    /// The release being served.
    pub published: i32,
    pub before: Counts,
    pub after: Counts,
}

/// The shrink `after` would be from `published`, when it removes more than
/// half of its professions or of its steps.
pub fn check(published: &ReleaseDescription, after: Counts) -> Option<Shrink> {
    let before = published.counts;
    let more_than_half = |before: usize, after: usize| before.saturating_sub(after) * 2 > before;
    (more_than_half(before.professions, after.professions)
        || more_than_half(before.steps, after.steps))
    .then_some(Shrink {
        published: published.id,
        before,
        after,
    })
}

impl Shrink {
    pub fn message(&self) -> String {
        let (b, a) = (&self.before, &self.after);
        format!(
            "refused: this content would take the site from {} professions and {} steps \
             (release {}, published) to {} professions and {} steps, removing more than half; \
             nothing was written. Publish it anyway with --allow-shrink, or write it with --stage \
             and review it with `pathways diff published ID`",
            b.professions, b.steps, self.published, a.professions, a.steps
        )
    }

    pub fn json(&self) -> Value {
        let figures = |c: &Counts| json!({"professions": c.professions, "steps": c.steps});
        json!({
            "published_release": self.published,
            "before": figures(&self.before),
            "after": figures(&self.after),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn counts(professions: usize, steps: usize) -> Counts {
        Counts {
            professions,
            steps,
            ..Counts::default()
        }
    }

    #[test_case(15, 35, 8, 35, false ; "seven of fifteen professions removed")]
    #[test_case(15, 35, 7, 35, true ; "eight of fifteen professions removed")]
    #[test_case(15, 35, 15, 17, true ; "eighteen of thirty-five steps removed")]
    #[test_case(15, 35, 0, 0, true ; "everything removed")]
    #[test_case(15, 35, 30, 70, false ; "growth")]
    #[test_case(0, 0, 0, 0, false ; "nothing published before")]
    fn more_than_half_is_refused(
        professions: usize,
        steps: usize,
        now_professions: usize,
        now_steps: usize,
        refused: bool,
    ) {
        let published = ReleaseDescription {
            id: 4,
            content_hash: String::new(),
            imported_at: String::new(),
            note: None,
            counts: counts(professions, steps),
        };
        let found = check(&published, counts(now_professions, now_steps));
        assert_eq!(found.is_some(), refused, "{found:?}");
    }
}
