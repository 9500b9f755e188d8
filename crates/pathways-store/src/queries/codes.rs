//! Occupation codes of a release's professions: written with the release and
//! read back with it, in one statement each way.

use crate::entities::profession_code;
use pathways_model::{CodeScheme, OccupationCode, Release};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// The rows for every code of `plan`, given each profession's row id.
pub fn rows(
    release_id: i32,
    plan: &Release,
    profession_id: impl Fn(&str) -> Result<i32, DbErr>,
) -> Result<Vec<profession_code::ActiveModel>, DbErr> {
    let mut rows = Vec::new();
    for p in &plan.professions {
        for c in &p.codes {
            rows.push(profession_code::ActiveModel {
                release_id: Set(release_id),
                profession_id: Set(profession_id(&p.slug)?),
                scheme: Set(c.scheme.key().to_owned()),
                code: Set(c.code.clone()),
                name: Set(c.name.clone()),
                source: Set(c.source.clone()),
                ..Default::default()
            });
        }
    }
    Ok(rows)
}

/// Each profession's codes in release `release_id`, by profession row id, in
/// scheme order. A scheme the model does not know is an error naming the row.
pub async fn read(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<HashMap<i32, Vec<OccupationCode>>, DbErr> {
    let mut codes: HashMap<i32, Vec<OccupationCode>> = HashMap::new();
    let rows = profession_code::Entity::find()
        .filter(profession_code::Column::ReleaseId.eq(release_id))
        .order_by_asc(profession_code::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let scheme = CodeScheme::parse(&row.scheme).ok_or_else(|| {
            DbErr::Custom(format!(
                "release {release_id} is inconsistent: profession code {} has scheme `{}`, expected soc2020, isco08 or esco",
                row.id, row.scheme
            ))
        })?;
        codes
            .entry(row.profession_id)
            .or_default()
            .push(OccupationCode {
                scheme,
                code: row.code,
                name: row.name,
                source: row.source,
            });
    }
    for list in codes.values_mut() {
        list.sort_by_key(|c| c.scheme);
    }
    Ok(codes)
}
