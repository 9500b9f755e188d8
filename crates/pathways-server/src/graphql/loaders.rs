//! DataLoaders over the store's by-many-ids queries: every nested field of a
//! request loads through these, so one statement serves a whole level of a query.

use async_graphql::dataloader::{DataLoader, Loader};
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use pathways_store::entities::{level, profession, role, route, route_stage, stage, step};
use pathways_store::queries::{batch, read::group_blocks};
use pathways_store::{Block, DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Wake, Waker};
use std::time::Duration;

pub struct StoreLoader {
    db: DatabaseConnection,
}

/// Batch loads a request's loader has started, waiting to be run on the request's own task.
#[derive(Clone, Default)]
pub struct Batches(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

/// A fresh loader for one request, and the batches it starts.
///
/// async-graphql's DataLoader fires a batch from a task of its own after a short
/// delay, so on a multi-threaded runtime a large request can fire before all of a
/// round's keys are in and split its batches. Here batches run on the request's
/// task instead, polled only after the resolvers have registered every key they
/// can: one statement per round however many rows, with no delay to wait out.
pub fn new_loader(db: DatabaseConnection) -> (DataLoader<StoreLoader>, Batches) {
    let batches = Batches::default();
    let queue = batches.clone();
    let loader = DataLoader::new(StoreLoader { db }, move |batch| queue.push(batch))
        .delay(Duration::ZERO)
        .max_batch_size(usize::MAX);
    (loader, batches)
}

impl Batches {
    fn push(&self, batch: BoxFuture<'static, ()>) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(batch);
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Runs `execution` together with the batches it starts, on this task.
    pub async fn drive<F: Future>(&self, execution: F) -> F::Output {
        let mut execution = std::pin::pin!(execution);
        let mut running: FuturesUnordered<BoxFuture<'static, ()>> = FuturesUnordered::new();
        std::future::poll_fn(|cx| {
            // Resolvers poll many futures through `FuturesUnordered`, which yields
            // (waking itself) after a few dozen: such a `Pending` is not "waiting on
            // data", and the round's keys are not all in yet.
            let woke_itself = Arc::new(SelfWake {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(woke_itself.clone());
            if let Poll::Ready(output) = execution
                .as_mut()
                .poll(&mut std::task::Context::from_waker(&waker))
            {
                return Poll::Ready(output);
            }
            if !woke_itself.woken.load(Ordering::Acquire) {
                // Every key this round could register is in: start the batches.
                running.extend(self.take());
            }
            while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
            // A finished batch wakes its waiters, and so this task: execution runs next.
            Poll::Pending
        })
        .await
    }
}

/// A waker that notes whether it was used, then wakes the task.
struct SelfWake {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for SelfWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake_by_ref();
    }
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

/// A text is shared, not copied, by every field of a request that reads it.
pub type Text = Arc<[Block]>;

impl Loader<TextOfRole> for StoreLoader {
    type Value = Text;
    type Error = Arc<DbErr>;
    async fn load(&self, keys: &[TextOfRole]) -> LoadResult<TextOfRole, Text> {
        let rows = batch::text_by_role_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(group_blocks(rows, |t| t.role_id)
            .into_iter()
            .map(|(id, b)| (TextOfRole(id), b.into()))
            .collect())
    }
}

impl Loader<TextOfStep> for StoreLoader {
    type Value = Text;
    type Error = Arc<DbErr>;
    async fn load(&self, keys: &[TextOfStep]) -> LoadResult<TextOfStep, Text> {
        let rows = batch::text_by_step_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(group_blocks(rows, |t| t.step_id)
            .into_iter()
            .map(|(id, b)| (TextOfStep(id), b.into()))
            .collect())
    }
}
