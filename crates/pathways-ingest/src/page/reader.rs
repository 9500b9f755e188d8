//! Reads a page export (see `content-model.md`) into pathways of steps.
//! A parser of the format, not of one file: what it cannot read is a problem
//! naming the line and what was expected, and reading goes on at the next block.

use super::glue;
use super::lines::{classify, Line, LineKind};
use super::vocabulary::Vocabulary;
use crate::diagnostic::{Code, Problem};
use crate::model::{RouteDef, RouteStageRef, StageDef};
use crate::source::SourceFile;
use crate::text::{normalize, slugify};
use pathways_model::Level;
use pathways_model::{Block, ListBlock, ListKind};
use std::cell::RefCell;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub title: Option<String>,
    pub intro: Vec<String>,
    pub footer: Option<String>,
    pub pathways: Vec<ExportPathway>,
    /// Routes the export uses that no definition has: known stages in a new
    /// combination, defined from the route line itself.
    pub routes: Vec<RouteDef>,
    /// What the reader did that a steward should know of (a route it defined).
    pub notes: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPathway {
    /// Index into `Vocabulary::professions`.
    pub profession: usize,
    /// The name as the export spells it.
    pub name: String,
    pub line: usize,
    pub steps: Vec<ExportStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportStep {
    pub title: String,
    pub level: Level,
    pub blocks: Vec<Block>,
    /// Slug of the route from the step before: a defined route, or one of `Export::routes`.
    pub entry_route: Option<String>,
    pub line: usize,
}

/// Reads `file` as a page export; every problem found, or the export.
pub fn read(file: &SourceFile, vocabulary: &Vocabulary) -> Result<Export, Vec<Problem>> {
    let mut reader = Reader {
        file,
        vocabulary,
        lines: classify(&file.text),
        problems: Vec::new(),
        new_routes: RefCell::new(Vec::new()),
        notes: RefCell::new(Vec::new()),
    };
    let export = reader.export();
    if reader.problems.is_empty() {
        Ok(export)
    } else {
        Err(reader.problems)
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    vocabulary: &'a Vocabulary,
    lines: Vec<Line<'a>>,
    problems: Vec<Problem>,
    /// Routes defined from route lines, in the order first met.
    new_routes: RefCell<Vec<RouteDef>>,
    notes: RefCell<Vec<Problem>>,
}

/// A problem at a line and column; reading of the block stops there.
type Failed = Problem;

impl<'a> Reader<'a> {
    fn export(&mut self) -> Export {
        let footer = self.take_footer();
        let mut i = 0;
        let mut title = None;
        let mut intro = Vec::new();
        // The page header: a title and its sentences, up to the first separator.
        while let Some(line) = self.lines.get(i) {
            match line.kind {
                LineKind::Separator => {
                    i += 1;
                    break;
                }
                LineKind::Text(text) if !self.is_block_header(i) => {
                    if title.is_none() {
                        title = Some(normalize(text));
                    } else {
                        intro.push(normalize(text));
                    }
                    i += 1;
                }
                _ => break,
            }
        }
        let mut pathways = Vec::new();
        while i < self.lines.len() {
            if self.lines[i].kind == LineKind::Separator {
                i += 1;
                continue;
            }
            match self.pathway(i) {
                Ok((pathway, next)) => {
                    pathways.push(pathway);
                    i = next;
                }
                Err(problem) => {
                    let line = problem.location.line;
                    self.problems.push(*problem);
                    i = self.skip_block(i.max(self.index_of_line(line)) + 1);
                }
            }
        }
        Export {
            title,
            intro,
            footer,
            pathways,
            routes: self.new_routes.take(),
            notes: self.notes.take(),
        }
    }

    /// The last line, when it is the page's known footer.
    fn take_footer(&mut self) -> Option<String> {
        let known = normalize(self.vocabulary.footer.as_deref()?).to_lowercase();
        match self.lines.last()?.kind {
            LineKind::Text(text) if normalize(text).to_lowercase() == known => {
                let text = normalize(text);
                self.lines.pop();
                Some(text)
            }
            _ => None,
        }
    }

    fn index_of_line(&self, number: usize) -> usize {
        self.lines
            .iter()
            .position(|l| l.number >= number)
            .unwrap_or(self.lines.len())
    }

    /// The index of the next separator or block header at or after `from`.
    fn skip_block(&self, from: usize) -> usize {
        (from..self.lines.len())
            .find(|&k| self.lines[k].kind == LineKind::Separator || self.is_block_header(k))
            .unwrap_or(self.lines.len())
    }

    /// `<profession> <first step title>`, followed by a level line. A title has
    /// no closing punctuation, which tells it from a paragraph that happens to
    /// start with a profession's name.
    fn is_block_header(&self, i: usize) -> bool {
        let LineKind::Text(text) = self.lines[i].kind else {
            return false;
        };
        self.vocabulary.profession_prefix(text).is_some()
            && !text.ends_with(['.', ':', ';', '!', '?'])
            && matches!(
                self.lines.get(i + 1).map(|l| &l.kind),
                Some(LineKind::Level { .. } | LineKind::BareLevel | LineKind::BadLevel(_))
            )
    }

    fn error(&self, line: &Line<'_>, column: usize, message: String) -> Box<Failed> {
        Box::new(Problem::error(
            Code::PageFormat,
            self.file.location_at(line.number, column),
            message,
        ))
    }

    fn pathway(&self, start: usize) -> Result<(ExportPathway, usize), Box<Failed>> {
        let line = &self.lines[start];
        let LineKind::Text(text) = line.kind else {
            return Err(self.error(
                line,
                line.indent,
                format!(
                    "expected a pathway: a line `<profession> <title of the first step>`, found {}",
                    describe(&line.kind)
                ),
            ));
        };
        let Some((profession, name_len)) = self.vocabulary.profession_prefix(text) else {
            let known: Vec<_> = self
                .vocabulary
                .professions
                .iter()
                .map(|(_, n)| n.as_str())
                .collect();
            return Err(self.error(
                line,
                line.indent,
                format!(
                    "expected a pathway starting with a known profession name ({}), found `{}`",
                    known.join(", "),
                    glue::preview(text)
                ),
            ));
        };
        let name = normalize(&text[..name_len]);
        let mut title = normalize(&text[name_len..]);
        if title.is_empty() {
            return Err(self.error(
                line,
                line.indent + name_len,
                "expected the title of the first step after the profession name".into(),
            ));
        }
        let mut entry_route = None;
        let mut steps = Vec::new();
        let mut i = start + 1;
        loop {
            let level_line = self.lines.get(i).ok_or_else(|| {
                self.error(
                    &self.lines[i - 1],
                    1,
                    format!("expected a level line for `{title}`, found the end of the file"),
                )
            })?;
            let (level, label_chars, rest) = match &level_line.kind {
                LineKind::Level { level, label_chars, rest } => (*level, *label_chars, *rest),
                LineKind::BareLevel => {
                    return Err(self.error(level_line, level_line.indent, format!(
                        "level line with nothing after it: expected the next step's title or a route name, then the text of `{title}`"
                    )))
                }
                LineKind::BadLevel(e) => return Err(self.error(level_line, level_line.indent, e.to_string())),
                other => {
                    return Err(self.error(level_line, level_line.indent, format!(
                        "expected a level line (`Entry Level...` or `Level N...`) for `{title}`, found {}",
                        describe(other)
                    )))
                }
            };
            // The step's own lines run until the next level line, route line or separator.
            let mut end = i + 1;
            while end < self.lines.len()
                && matches!(
                    self.lines[end].kind,
                    LineKind::Text(_) | LineKind::ListItem { .. }
                )
                && !self.is_block_header(end)
            {
                end += 1;
            }
            let rest_column = level_line.indent + label_chars;
            let after = self.lines.get(end).map(|l| &l.kind);
            let (first_text, next) = match after {
                Some(LineKind::Route(route)) => {
                    let (route_name_len, text) = self.route_name(level_line, rest_column, rest)?;
                    let (route, next_title) =
                        self.route_line(&self.lines[end], route, &rest[..route_name_len])?;
                    (text, Some((next_title, Some(route), end + 1)))
                }
                Some(LineKind::Level { .. } | LineKind::BareLevel | LineKind::BadLevel(_)) => {
                    let Some((next_title, text)) = glue::split_title(rest) else {
                        return Err(self.error(level_line, rest_column, format!(
                            "cannot tell where the next step's title ends in `{}`: expected a lower-case letter or `)` directly followed by a capital",
                            glue::preview(rest)
                        )));
                    };
                    (text, Some((normalize(next_title), None, end)))
                }
                _ => (rest, None),
            };
            let blocks = self.blocks(first_text, &self.lines[i + 1..end])?;
            steps.push(ExportStep {
                title: title.clone(),
                level,
                blocks,
                entry_route,
                line: level_line.number,
            });
            match next {
                Some((next_title, route, next_index)) => {
                    title = next_title;
                    entry_route = route;
                    i = next_index;
                }
                None => {
                    let pathway = ExportPathway {
                        profession,
                        name,
                        line: line.number,
                        steps,
                    };
                    return Ok((pathway, end));
                }
            }
        }
    }

    /// Splits a known route name (`Direct`, `Traditional`) off the front of `rest`.
    fn route_name<'t>(
        &self,
        line: &Line<'_>,
        column: usize,
        rest: &'t str,
    ) -> Result<(usize, &'t str), Box<Failed>> {
        let mut names: Vec<&str> = self
            .vocabulary
            .routes
            .routes
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        names
            .iter()
            .find(|name| rest.get(..name.len()).is_some_and(|head| head.eq_ignore_ascii_case(name)))
            .map(|name| (name.len(), &rest[name.len()..]))
            .ok_or_else(|| {
                self.error(line, column, format!(
                    "a route line follows this step, so its text should start with a route name ({}), found `{}`",
                    names.join(", "),
                    glue::preview(rest)
                ))
            })
    }

    /// Reads `route<stage><stage>...<next title>` against the stage vocabulary
    /// and finds the route with that name and those stages: a defined one, or
    /// one it defines (with a note) when the stages are known but no definition
    /// has them in that order and optionality. Returns the route's slug.
    fn route_line(
        &self,
        line: &Line<'_>,
        text: &str,
        route_name: &str,
    ) -> Result<(String, String), Box<Failed>> {
        let routes = &self.vocabulary.routes;
        let mut labels: Vec<(usize, &str)> = routes
            .stages
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                std::iter::once((i, s.export_label())).chain(std::iter::once((i, s.name.as_str())))
            })
            .collect();
        labels.sort_by_key(|(_, l)| std::cmp::Reverse(l.len()));
        let column_of = |byte: usize| line.indent + "route".len() + text[..byte].chars().count();
        let mut stages: Vec<(usize, bool)> = Vec::new();
        let mut at = 0;
        while let Some((stage, len)) = labels
            .iter()
            .find(|(_, label)| {
                text.get(at..at + label.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(label))
            })
            .map(|(i, l)| (*i, l.len()))
        {
            at += len;
            let after = text[at..].trim_start();
            let optional = after
                .get(..10)
                .is_some_and(|h| h.eq_ignore_ascii_case("(optional)"));
            if optional {
                at = text.len() - after.len() + 10;
            }
            stages.push((stage, optional));
        }
        let known = || {
            let mut names: Vec<_> = routes
                .stages
                .iter()
                .map(|s| format!("`{}`", s.export_label()))
                .collect();
            names.dedup();
            names.join(", ")
        };
        let next_title = text[at..].trim();
        if stages.is_empty() {
            return Err(self.error(
                line,
                column_of(0),
                format!(
                    "unknown stage name at `{}`: expected one of {}",
                    glue::preview(text),
                    known()
                ),
            ));
        }
        if next_title.is_empty() {
            return Err(self.error(line, column_of(at), "route line with no next title: expected the title of the step the route leads to after its stages".into()));
        }
        // A title never has text glued into it, so `Foundation yearSenior...` after
        // the known stages is a stage the vocabulary does not know.
        if let Some((unknown, _)) =
            glue::split_title(next_title).or_else(|| glue::split_capitals(next_title))
        {
            return Err(self.error(
                line,
                column_of(at),
                format!(
                    "unknown stage name `{unknown}`: expected one of {}",
                    known()
                ),
            ));
        }
        let found = routes.routes.iter().position(|r| {
            r.name.eq_ignore_ascii_case(route_name)
                && r.stages.len() == stages.len()
                && r.stages
                    .iter()
                    .zip(&stages)
                    .all(|(def, (stage, optional))| {
                        def.stage == routes.stages[*stage].slug && def.optional == *optional
                    })
        });
        if let Some(found) = found {
            return Ok((routes.routes[found].slug.clone(), normalize(next_title)));
        }
        Ok((
            self.define_route(line, route_name, &stages),
            normalize(next_title),
        ))
    }

    /// A route the export uses and no definition has: named as the defined
    /// routes of that name are, its slug made from the name and stages (so the
    /// same line gives the same slug every run), noted with its line.
    fn define_route(&self, line: &Line<'_>, route_name: &str, stages: &[(usize, bool)]) -> String {
        let routes = &self.vocabulary.routes;
        let name = routes
            .routes
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(route_name))
            .map_or(route_name, |r| r.name.as_str());
        // The stages by one of their names, each optional one marked.
        let listed = |name_of: fn(&StageDef) -> &str, optional_mark: &str| {
            stages
                .iter()
                .map(|(s, optional)| {
                    let stage = name_of(&routes.stages[*s]);
                    if *optional {
                        format!("{stage}{optional_mark}")
                    } else {
                        stage.to_owned()
                    }
                })
                .collect::<Vec<_>>()
        };
        let slug = slugify(&format!(
            "{name} {}",
            listed(|s| &s.slug, " optional").join(" ")
        ));
        let mut defined = self.new_routes.borrow_mut();
        if !defined.iter().any(|r| r.slug == slug) {
            self.notes.borrow_mut().push(Problem::note(
                Code::RouteDefined,
                self.file.location_at(line.number, line.indent),
                format!(
                    "defined the route `{slug}` ({name}: {}): no route in the route definitions has these stages",
                    listed(|s| &s.name, " (optional)").join(" → ")
                ),
            ));
            defined.push(RouteDef {
                slug: slug.clone(),
                name: name.to_owned(),
                stages: stages
                    .iter()
                    .map(|(s, optional)| RouteStageRef {
                        stage: routes.stages[*s].slug.clone(),
                        optional: *optional,
                    })
                    .collect(),
            });
        }
        slug
    }

    /// A step's paragraphs and lists: the text glued after its level line, then its own lines.
    fn blocks(&self, first: &str, lines: &[Line<'_>]) -> Result<Vec<Block>, Box<Failed>> {
        let mut blocks = Vec::new();
        if !first.trim().is_empty() {
            blocks.push(Block::Paragraph(normalize(first)));
        }
        for line in lines {
            match line.kind {
                LineKind::Text(text) => blocks.push(Block::Paragraph(normalize(text))),
                LineKind::ListItem { marker, text } => {
                    if text.is_empty() {
                        return Err(self.error(line, line.indent, "list item with no text".into()));
                    }
                    match blocks.last_mut() {
                        Some(Block::List(list)) if list.marker == marker => {
                            list.items.push(normalize(text))
                        }
                        previous => {
                            let kind = match previous {
                                Some(Block::Paragraph(intro)) => list_kind(intro),
                                _ => None,
                            };
                            blocks.push(Block::List(ListBlock {
                                kind,
                                marker: marker.to_owned(),
                                items: vec![normalize(text)],
                            }));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(blocks)
    }
}

/// What a list holds, from the sentence that introduces it.
fn list_kind(intro: &str) -> Option<ListKind> {
    let intro = intro.to_lowercase();
    if intro.contains("job title") {
        Some(ListKind::JobTitles)
    } else if intro.contains("work with") {
        Some(ListKind::WorkingWith)
    } else {
        None
    }
}

fn describe(kind: &LineKind<'_>) -> String {
    match kind {
        LineKind::Separator => "a separator `-`".into(),
        LineKind::Level { .. } | LineKind::BareLevel | LineKind::BadLevel(_) => {
            "a level line".into()
        }
        LineKind::Route(_) => "a route line".into(),
        LineKind::ListItem { .. } => "a list item".into(),
        LineKind::Text(text) => format!("`{}`", glue::preview(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case(
        "Job titles vary, for example you might work as:",
        Some(ListKind::JobTitles)
    )]
    #[test_case("Other creative staff may work with:", Some(ListKind::WorkingWith))]
    #[test_case("You will need:", None)]
    fn infers_list_kinds(intro: &str, kind: Option<ListKind>) {
        assert_eq!(list_kind(intro), kind);
    }
}
