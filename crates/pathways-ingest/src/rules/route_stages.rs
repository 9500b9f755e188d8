//! Every route has at least one stage.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};

pub fn check(content: &ContentSet) -> Vec<Problem> {
    content
        .all_routes()
        .iter()
        .filter(|r| r.route.stages.is_empty())
        .map(|r| {
            Problem::error(
                Code::RouteWithoutStages,
                content.locate(r.file, &format!("{}/stages", r.pointer)),
                format!(
                    "route `{}` has no stages: expected at least one",
                    r.route.slug
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary, ROUTES};

    #[test]
    fn reports_a_route_without_stages() {
        let routes = format!("{ROUTES}  - slug: none\n    name: None\n    stages: []\n");
        let (_dir, set) = content(&[("routes.yaml", &routes)]);
        assert_eq!(
            summary(&check(&set)),
            vec![(
                "pathways::rule::route-without-stages".into(),
                "/routes/1/stages".into(),
                11
            )]
        );
    }
}
