//! Renders a release back into the page-export format: the proof that the
//! stored content loses nothing. Blocks are separated by a line `-`.

use pathways_model::{Block, Release, Step};

pub fn render(release: &Release) -> String {
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    if !release.page.title.is_empty() {
        line(&release.page.title);
    }
    for sentence in &release.page.intro {
        line(sentence);
    }
    line("-");
    let pathways = release.pathways();
    for (p, profession) in pathways.iter().enumerate() {
        let steps = &profession.steps;
        let Some(first) = steps.first() else { continue };
        line(&format!("{} {}", profession.name, first.title));
        for (i, step) in steps.iter().enumerate() {
            let next = steps.get(i + 1);
            let slot = match next {
                Some(Step {
                    entry_route: Some(route),
                    ..
                }) => release.routes[*route].name.as_str(),
                Some(next) => next.title.as_str(),
                None => "",
            };
            let role = &release.roles[step.role];
            let blocks: Vec<&Block> = step.intro.iter().chain(&role.blocks).collect();
            let (glued, rest) = match blocks.split_first() {
                Some((Block::Paragraph(first), rest)) => (first.as_str(), rest),
                _ => ("", &blocks[..]),
            };
            line(&format!("{}{slot}{glued}", step.level.label()));
            for block in rest {
                match block {
                    Block::Paragraph(p) => line(p),
                    Block::List(list) => {
                        for item in &list.items {
                            line(&format!("{} {item}", list.marker));
                        }
                    }
                }
            }
            if let Some(Step {
                entry_route: Some(route),
                title,
                ..
            }) = next
            {
                let stages: String = release.routes[*route]
                    .stages
                    .iter()
                    .map(|s| {
                        let label = release.stages[s.stage].export_label();
                        if s.optional {
                            format!("{label} (optional)")
                        } else {
                            label.to_owned()
                        }
                    })
                    .collect();
                line(&format!("route{stages}{title}"));
            }
        }
        if p + 1 < pathways.len() {
            line("-");
        }
    }
    if let Some(footer) = &release.page.footer {
        line(footer);
    }
    out
}
