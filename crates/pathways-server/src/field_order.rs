//! Puts response fields back in the order the query selected them.
//!
//! async-graphql resolves an object's fields concurrently and keeps them in the
//! order they finish; the GraphQL specification asks for selection order, and
//! clients that snapshot or diff responses need it to be stable.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Value};
use indexmap::IndexMap;
use std::cell::OnceCell;

/// Reorders `data` to follow the selected operation of `document`.
pub fn restore(document: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next(),
    };
    if let Some(operation) = operation {
        Order::new(vec![&operation.node.selection_set.node]).apply(document, data, 0);
    }
}

/// The response keys of a selection in order, each with the order of its value.
/// A key's order is worked out the first time a value needs it and then shared
/// by every item of a list, so the cost follows the query and the response's
/// shape, not the number of items.
struct Order<'d> {
    sets: Vec<&'d SelectionSet>,
    keys: OnceCell<IndexMap<Name, Order<'d>>>,
}

impl<'d> Order<'d> {
    fn new(sets: Vec<&'d SelectionSet>) -> Order<'d> {
        Order {
            sets,
            keys: OnceCell::new(),
        }
    }

    fn keys(&self, document: &'d ExecutableDocument) -> &IndexMap<Name, Order<'d>> {
        self.keys.get_or_init(|| {
            let mut keys: IndexMap<Name, Vec<&SelectionSet>> = IndexMap::new();
            for set in &self.sets {
                collect(document, set, &mut keys, 0);
            }
            keys.into_iter()
                .map(|(key, children)| (key, Order::new(children)))
                .collect()
        })
    }

    fn apply(&self, document: &'d ExecutableDocument, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::List(items) => {
                for item in items {
                    self.apply(document, item, depth + 1);
                }
            }
            Value::Object(map) => {
                let keys = self.keys(document);
                let mut ordered = IndexMap::with_capacity(map.len());
                for (key, order) in keys {
                    if let Some(mut child) = map.swap_remove(key) {
                        order.apply(document, &mut child, depth + 1);
                        ordered.insert(key.clone(), child);
                    }
                }
                ordered.extend(map.drain(..));
                *map = ordered;
            }
            _ => {}
        }
    }
}

/// Deeper than any response the limits let through; a guard, not a limit.
const MAX_DEPTH: usize = 128;

/// Response keys in selection order, each with the selection sets under it.
fn collect<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    keys: &mut IndexMap<Name, Vec<&'d SelectionSet>>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                keys.entry(key)
                    .or_default()
                    .push(&field.node.selection_set.node);
            }
            Selection::InlineFragment(fragment) => {
                collect(document, &fragment.node.selection_set.node, keys, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(document, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_selection_order_through_lists_and_fragments() {
        let query = "{ a { y x } ...F } fragment F on Query { b: c }";
        let mut data: Value =
            serde_json::from_str::<serde_json::Value>(r#"{"b": 1, "a": [{"x": 1, "y": 2}]}"#)
                .map(|v| Value::from_json(v).unwrap())
                .unwrap();
        let document = async_graphql::parser::parse_query(query).unwrap();
        restore(&document, None, &mut data);
        assert_eq!(
            data.into_json().unwrap().to_string(),
            r#"{"a":[{"y":2,"x":1}],"b":1}"#
        );
    }
}
