//! Full-text search over a release, with the database's own index: SQLite FTS5
//! or PostgreSQL `tsvector`. Nothing is scanned in Rust.

use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// What a search document stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Profession,
    Step,
    Role,
}

impl HitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Profession => "profession",
            HitKind::Step => "step",
            HitKind::Role => "role",
        }
    }

    fn parse(s: &str) -> Option<HitKind> {
        match s {
            "profession" => Some(HitKind::Profession),
            "step" => Some(HitKind::Step),
            "role" => Some(HitKind::Role),
            _ => None,
        }
    }
}

/// A document to index: what it is, its row id, its title and its text.
#[derive(Debug, Clone)]
pub struct SearchDocument {
    pub kind: HitKind,
    pub ref_id: i32,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub kind: HitKind,
    pub ref_id: i32,
    /// Matched words are wrapped in `**`.
    pub snippet: String,
}

/// Rows per INSERT statement.
const CHUNK: usize = 200;

pub async fn index_documents(
    db: &impl ConnectionTrait,
    release_id: i32,
    documents: &[SearchDocument],
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let (table, columns) = match backend {
        DbBackend::Sqlite => ("search_index", "(release_id, kind, ref_id, title, body)"),
        _ => (
            "search_documents",
            "(release_id, kind, ref_id, title, body)",
        ),
    };
    for chunk in documents.chunks(CHUNK) {
        let mut sql = format!("INSERT INTO {table} {columns} VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        for (i, doc) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let n = values.len();
            sql.push_str(&match backend {
                DbBackend::Postgres => format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                ),
                _ => "(?, ?, ?, ?, ?)".to_owned(),
            });
            values.extend([
                release_id.into(),
                doc.kind.as_str().into(),
                doc.ref_id.into(),
                doc.title.clone().into(),
                doc.body.clone().into(),
            ]);
        }
        db.execute(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Removes the documents of releases about to be deleted. Only SQLite needs
/// this: its FTS5 table is virtual, so no foreign key cascades into it, while
/// PostgreSQL's `search_documents` rows go with their release.
pub async fn remove_releases(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite {
        return Ok(());
    }
    for chunk in ids.chunks(500) {
        let statement = Query::delete()
            .from_table(Alias::new("search_index"))
            .and_where(Expr::col(Alias::new("release_id")).is_in(chunk.iter().copied()))
            .to_owned();
        db.execute(backend.build(&statement)).await?;
    }
    Ok(())
}

/// The best matches for `text` in a release, at most `limit`.
pub async fn search(
    db: &impl ConnectionTrait,
    release_id: i32,
    text: &str,
    limit: u64,
) -> Result<Vec<SearchHit>, DbErr> {
    let backend = db.get_database_backend();
    let statement = match backend {
        DbBackend::Sqlite => {
            let Some(query) = fts5_query(text) else { return Ok(Vec::new()) };
            Statement::from_sql_and_values(
                backend,
                "SELECT kind, ref_id, snippet(search_index, 1, '**', '**', '…', 16) AS snippet \
                 FROM search_index WHERE search_index MATCH ? AND release_id = ? \
                 ORDER BY bm25(search_index, 4.0, 1.0), ref_id LIMIT ?",
                [query.into(), release_id.into(), (limit as i64).into()],
            )
        }
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT kind, ref_id, ts_headline('english', CASE WHEN body = '' THEN title ELSE body END, q, \
             'StartSel=**, StopSel=**, MaxWords=24, MinWords=8') AS snippet \
             FROM search_documents, websearch_to_tsquery('english', $1) AS q \
             WHERE release_id = $2 AND document @@ q \
             ORDER BY ts_rank(document, q) DESC, ref_id LIMIT $3",
            [text.into(), release_id.into(), (limit as i64).into()],
        ),
    };
    let rows = db.query_all(statement).await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("", "kind")?;
            Ok(SearchHit {
                kind: HitKind::parse(&kind)
                    .ok_or_else(|| DbErr::Custom(format!("unknown search kind {kind}")))?,
                ref_id: row.try_get("", "ref_id")?,
                snippet: row.try_get("", "snippet")?,
            })
        })
        .collect()
}

/// Each word of the user's text as a quoted FTS5 term (so `AND`, `*`, `"` are
/// just text), all required. `None` when there is no word to look for.
fn fts5_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_quoted_terms() {
        assert_eq!(fts5_query("dementia").as_deref(), Some("\"dementia\""));
        assert_eq!(
            fts5_query("a\" OR b*").as_deref(),
            Some("\"a\" \"OR\" \"b\"")
        );
        assert_eq!(fts5_query("  -- "), None);
    }
}
