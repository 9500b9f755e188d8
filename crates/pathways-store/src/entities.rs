//! One module per table. Every content table carries `release_id`: a release
//! is written whole beside the one being served, never over it.

pub mod level;
pub mod outbox_delivery;
pub mod outbox_target;
pub mod profession;
pub mod profession_code;
pub mod publication;
pub mod release;
pub mod release_schedule;
pub mod role;
pub mod route;
pub mod route_stage;
pub mod stage;
pub mod step;
pub mod text_block;
pub mod webhook_event;
