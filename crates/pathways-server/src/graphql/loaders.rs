//! DataLoaders over the store's by-many-ids queries: every nested field of a
//! request loads through these, so one statement serves a whole level of a query.

use async_graphql::dataloader::{DataLoader, Loader};
use pathways_store::entities::{level, profession, role, route, route_stage, stage, step};
use pathways_store::queries::{batch, read::group_blocks};
use pathways_store::{Block, DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::sync::Arc;

pub struct StoreLoader {
    db: DatabaseConnection,
}

/// A fresh loader for one request; batches are as large as a request needs.
pub fn new_loader(db: DatabaseConnection) -> DataLoader<StoreLoader> {
    DataLoader::new(StoreLoader { db }, tokio::spawn).max_batch_size(100_000)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProfessionId(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepId(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleId(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelId(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteId(pub i32);
/// The steps of a profession's pathway, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepsOfProfession(pub i32);
/// The steps that show a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepsOfRole(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StagesOfRoute(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextOfRole(pub i32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextOfStep(pub i32);

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<DbErr>>;

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> i32) -> Vec<i32> {
    keys.iter().map(|k| id(*k)).collect()
}

/// One row per key, keyed by the row's own id.
macro_rules! by_id {
    ($key:ident, $model:ty, $query:path) => {
        impl Loader<$key> for StoreLoader {
            type Value = $model;
            type Error = Arc<DbErr>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $model> {
                let rows = $query(&self.db, &ids(keys, |k| k.0)).await?;
                Ok(rows.into_iter().map(|m| ($key(m.id), m)).collect())
            }
        }
    };
}

by_id!(ProfessionId, profession::Model, batch::professions_by_ids);
by_id!(StepId, step::Model, batch::steps_by_ids);
by_id!(RoleId, role::Model, batch::roles_by_ids);
by_id!(LevelId, level::Model, batch::levels_by_ids);
by_id!(RouteId, route::Model, batch::routes_by_ids);

/// Rows grouped under the key their `$field` names, in the query's order.
macro_rules! grouped {
    ($key:ident, $value:ty, $query:path, |$row:ident| $group:expr) => {
        impl Loader<$key> for StoreLoader {
            type Value = Vec<$value>;
            type Error = Arc<DbErr>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                let rows = $query(&self.db, &ids(keys, |k| k.0)).await?;
                let mut out: HashMap<$key, Vec<$value>> = HashMap::new();
                for $row in rows {
                    out.entry($key($group)).or_default().push($row);
                }
                Ok(out)
            }
        }
    };
}

grouped!(
    StepsOfProfession,
    step::Model,
    batch::steps_by_profession_ids,
    |row| row.profession_id
);
grouped!(StepsOfRole, step::Model, batch::steps_by_role_ids, |row| {
    row.role_id
});
grouped!(
    StagesOfRoute,
    (route_stage::Model, stage::Model),
    batch::stages_by_route_ids,
    |row| row.0.route_id
);

impl Loader<TextOfRole> for StoreLoader {
    type Value = Vec<Block>;
    type Error = Arc<DbErr>;
    async fn load(&self, keys: &[TextOfRole]) -> LoadResult<TextOfRole, Vec<Block>> {
        let rows = batch::text_by_role_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(group_blocks(rows, |t| t.role_id)
            .into_iter()
            .map(|(id, b)| (TextOfRole(id), b))
            .collect())
    }
}

impl Loader<TextOfStep> for StoreLoader {
    type Value = Vec<Block>;
    type Error = Arc<DbErr>;
    async fn load(&self, keys: &[TextOfStep]) -> LoadResult<TextOfStep, Vec<Block>> {
        let rows = batch::text_by_step_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(group_blocks(rows, |t| t.step_id)
            .into_iter()
            .map(|(id, b)| (TextOfStep(id), b))
            .collect())
    }
}
