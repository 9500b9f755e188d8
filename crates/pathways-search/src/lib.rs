#![doc = include_str!("../README.md")]

use get_size2::GetSize;
use pathways_model::Release;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a hit points at, by its place in the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GetSize)]
pub enum HitTarget {
    /// `Release::professions[i]`.
    Profession(usize),
    /// Step `step` of `Release::professions[profession]`.
    Step { profession: usize, step: usize },
    /// `Release::roles[i]`.
    Role(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub target: HitTarget,
    /// The matched text around the match, matched words wrapped in `**`.
    pub snippet: String,
}

/// BM25's usual constants, and a title match worth four of the text's (as the
/// FTS5 and `tsvector` indexes weighted them).
const K1: f64 = 1.2;
const B: f64 = 0.75;
const TITLE_WEIGHT: f64 = 4.0;
/// Words in a snippet, and words of context kept before the first match.
const SNIPPET_WORDS: usize = 16;
const LEAD_WORDS: usize = 4;

#[derive(Debug, Clone, Copy, GetSize)]
struct Posting {
    doc: u32,
    in_title: u16,
    in_body: u16,
}

#[derive(Debug, GetSize)]
struct Doc {
    target: HitTarget,
    title_words: u32,
    body_words: u32,
}

#[derive(GetSize)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    /// Stem to the documents holding it, in document order.
    postings: HashMap<Box<str>, Vec<Posting>>,
    average_title: f64,
    average_body: f64,
    #[get_size(ignore)]
    stemmer: Stemmer,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.docs.len())
            .field("terms", &self.postings.len())
            .finish()
    }
}

impl SearchIndex {
    pub fn build(content: &Release) -> SearchIndex {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut docs = Vec::new();
        let mut postings: HashMap<Box<str>, Vec<Posting>> = HashMap::new();
        let mut add = |target: HitTarget, title: &str, body: &str| {
            let doc = docs.len() as u32;
            let mut counts: HashMap<String, (u16, u16)> = HashMap::new();
            let mut title_words = 0;
            for word in words(title) {
                title_words += 1;
                let entry = counts.entry(stem(&stemmer, word.text)).or_default();
                entry.0 = entry.0.saturating_add(1);
            }
            let mut body_words = 0;
            for word in words(body) {
                body_words += 1;
                let entry = counts.entry(stem(&stemmer, word.text)).or_default();
                entry.1 = entry.1.saturating_add(1);
            }
            for (term, (in_title, in_body)) in counts {
                postings.entry(term.into()).or_default().push(Posting {
                    doc,
                    in_title,
                    in_body,
                });
            }
            docs.push(Doc {
                target,
                title_words,
                body_words,
            });
        };
        for (i, role) in content.roles.iter().enumerate() {
            add(
                HitTarget::Role(i),
                &role.title,
                &pathways_model::block::plain_text(&role.blocks),
            );
        }
        for (p, profession) in content.professions.iter().enumerate() {
            add(HitTarget::Profession(p), &profession.name, "");
            for (s, step) in profession.steps.iter().enumerate() {
                add(
                    HitTarget::Step {
                        profession: p,
                        step: s,
                    },
                    &step.title,
                    &pathways_model::block::plain_text(&step.intro),
                );
            }
        }
        let n = docs.len().max(1) as f64;
        let average_title = docs.iter().map(|d| f64::from(d.title_words)).sum::<f64>() / n;
        let average_body = docs.iter().map(|d| f64::from(d.body_words)).sum::<f64>() / n;
        SearchIndex {
            docs,
            postings,
            average_title: average_title.max(1.0),
            average_body: average_body.max(1.0),
            stemmer,
        }
    }

    /// Documents holding every word of `text`, best first, at most `limit`.
    pub fn search(&self, content: &Release, text: &str, limit: usize) -> Vec<Hit> {
        let mut terms: Vec<String> = words(text).map(|w| stem(&self.stemmer, w.text)).collect();
        terms.sort();
        terms.dedup();
        if terms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut lists = Vec::with_capacity(terms.len());
        for term in &terms {
            match self.postings.get(term.as_str()) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        // Walk the shortest list and look the document up in the others.
        lists.sort_by_key(|l| l.len());
        let n = self.docs.len() as f64;
        let idf: Vec<f64> = lists
            .iter()
            .map(|l| {
                let held = l.len() as f64;
                ((n - held + 0.5) / (held + 0.5) + 1.0).ln()
            })
            .collect();
        let mut scored: Vec<(f64, u32)> = Vec::new();
        'docs: for first in lists[0] {
            let mut score = self.term_score(first, idf[0]);
            for (list, idf) in lists.iter().zip(&idf).skip(1) {
                match list.binary_search_by_key(&first.doc, |p| p.doc) {
                    Ok(at) => score += self.term_score(&list[at], *idf),
                    Err(_) => continue 'docs,
                }
            }
            scored.push((score, first.doc));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(_, doc)| {
                let target = self.docs[doc as usize].target;
                Hit {
                    target,
                    snippet: self.snippet(content, target, &terms),
                }
            })
            .collect()
    }

    fn term_score(&self, posting: &Posting, idf: f64) -> f64 {
        let doc = &self.docs[posting.doc as usize];
        let field = |tf: u16, words: u32, average: f64| {
            let tf = f64::from(tf);
            if tf == 0.0 {
                return 0.0;
            }
            tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * f64::from(words) / average))
        };
        idf * (TITLE_WEIGHT * field(posting.in_title, doc.title_words, self.average_title)
            + field(posting.in_body, doc.body_words, self.average_body))
    }

    /// The text that matched (the body when it holds a match, else the title),
    /// cut to a few words around the matches.
    fn snippet(&self, content: &Release, target: HitTarget, terms: &[String]) -> String {
        let (title, body) = match target {
            HitTarget::Role(r) => {
                let role = &content.roles[r];
                (
                    role.title.as_str(),
                    pathways_model::block::plain_text(&role.blocks),
                )
            }
            HitTarget::Profession(p) => (content.professions[p].name.as_str(), String::new()),
            HitTarget::Step { profession, step } => {
                let step = &content.professions[profession].steps[step];
                (
                    step.title.as_str(),
                    pathways_model::block::plain_text(&step.intro),
                )
            }
        };
        let in_body = self.matches(&body, terms);
        if in_body.iter().any(|(_, hit)| *hit) {
            highlight(&body, &in_body)
        } else {
            highlight(title, &self.matches(title, terms))
        }
    }

    /// Each word of `text`, and whether it is one of `terms` (sorted stems).
    fn matches<'t>(&self, text: &'t str, terms: &[String]) -> Vec<(Word<'t>, bool)> {
        words(text)
            .map(|w| {
                // Stemming every word of a long text is most of a snippet's cost;
                // an ASCII word that starts unlike every stem cannot match one.
                let candidate = !w.text.is_ascii()
                    || terms.iter().any(|t| {
                        let n = t.len().min(3);
                        w.text.len() >= n
                            && t.is_char_boundary(n)
                            && w.text.as_bytes()[..n].eq_ignore_ascii_case(&t.as_bytes()[..n])
                    });
                let hit = candidate && terms.binary_search(&stem(&self.stemmer, w.text)).is_ok();
                (w, hit)
            })
            .collect()
    }
}

/// Up to `SNIPPET_WORDS` words of `text` around its matches, matched words in `**`.
fn highlight(text: &str, words: &[(Word<'_>, bool)]) -> String {
    if words.is_empty() {
        return String::new();
    }
    // The window holding most matches, starting a few words before one of them.
    let mut best = (0, 0);
    for (i, _) in words.iter().enumerate().filter(|(_, (_, hit))| *hit) {
        let start = i.saturating_sub(LEAD_WORDS);
        let held = words[start..(start + SNIPPET_WORDS).min(words.len())]
            .iter()
            .filter(|(_, hit)| *hit)
            .count();
        if held > best.1 {
            best = (start, held);
        }
    }
    let start = best.0;
    let end = (start + SNIPPET_WORDS).min(words.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = words[start].0.start;
    for (word, hit) in &words[start..end] {
        out.push_str(&text[at..word.start]);
        if *hit {
            out.push_str("**");
            out.push_str(word.text);
            out.push_str("**");
        } else {
            out.push_str(word.text);
        }
        at = word.start + word.text.len();
    }
    if end < words.len() {
        out.push('…');
    } else {
        out.push_str(&text[at..]);
    }
    out
}

/// A word of a text and where it starts, in bytes.
#[derive(Debug, Clone, Copy)]
struct Word<'t> {
    start: usize,
    text: &'t str,
}

/// Runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| Word {
            start: w.as_ptr() as usize - text.as_ptr() as usize,
            text: w,
        })
}

/// Lower case, accents dropped, then the English stem: `Therapists` and
/// `therapist` meet, as `café` and `cafe` do.
fn stem(stemmer: &Stemmer, word: &str) -> String {
    let folded: String = word
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    stemmer.stem(&folded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_model::{Block, Level, Page, Profession, Role, Step};

    fn content() -> Release {
        let role = |slug: &str, title: &str, text: &str| Role {
            slug: slug.into(),
            title: title.into(),
            level: Level::ENTRY,
            blocks: vec![Block::Paragraph(text.into())],
            shared: false,
        };
        Release {
            page: Page::default(),
            stages: vec![],
            routes: vec![],
            roles: vec![
                role("a", "Support worker", "You will help therapists with people living with dementia in care homes and hospitals every single day of the week."),
                role("b", "Café therapist", "Therapy in a café."),
            ],
            professions: vec![Profession {
                slug: "physiotherapist".into(),
                name: "Physiotherapist".into(),
                pathway_position: Some(0),
                steps: vec![Step {
                    title: "Physiotherapy Assistant".into(),
                    level: Level::ENTRY,
                    role: 0,
                    entry_route: None,
                    intro: vec![],
                }],
                codes: vec![],
            }],
            duplicates_merged: 0,
        }
    }

    #[test]
    fn every_word_must_match_and_stems_meet() {
        let content = content();
        let index = SearchIndex::build(&content);
        let hits = index.search(&content, "Dementia THERAPIST", 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].target, HitTarget::Role(0));
        assert!(
            hits[0].snippet.contains("**therapists**"),
            "{}",
            hits[0].snippet
        );
        assert!(hits[0].snippet.contains("**dementia**"));
        assert!(hits[0].snippet.ends_with('…'), "{}", hits[0].snippet);
        assert!(index.search(&content, "dementia unicorn", 10).is_empty());
        assert!(index.search(&content, "\" * -- ()", 10).is_empty());
    }

    #[test]
    fn titles_weigh_more_and_accents_fold() {
        let content = content();
        let index = SearchIndex::build(&content);
        let hits = index.search(&content, "cafe", 10);
        assert_eq!(hits[0].target, HitTarget::Role(1));
        assert_eq!(hits[0].snippet, "Therapy in a **café**.");
        let hits = index.search(&content, "physiotherapist", 10);
        assert_eq!(hits[0].target, HitTarget::Profession(0), "{hits:?}");
        assert_eq!(hits[0].snippet, "**Physiotherapist**");
    }

    #[test]
    fn limits_the_hits() {
        let content = content();
        let index = SearchIndex::build(&content);
        assert_eq!(index.search(&content, "therapy", 1).len(), 1);
        assert!(index.search(&content, "therapy", 0).is_empty());
    }
}
