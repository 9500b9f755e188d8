//! Step 4, before anything runs: a look at the document (which kind of
//! operation it is, whether it asks only about the schema, how many aliases it
//! uses), and the refusals that follow from it. Depth and complexity are the
//! schema's own limits, checked as it runs.

use super::rejection::Rejection;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::parser::Positioned;
use axum::http::Method;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspection {
    /// The kind of the operation that would run; `None` when it cannot be told.
    pub operation: Option<OperationType>,
    /// Only `__schema`, `__type` and `__typename` at the root of the operation.
    pub introspection_only: bool,
    /// Aliased fields anywhere in the document.
    pub aliases: usize,
}

impl Inspection {
    /// Refuses what must not run: a mutation over GET, too many aliases.
    pub fn check(&self, method: &Method, max_aliases: usize) -> Result<(), Rejection> {
        if *method == Method::GET && self.operation == Some(OperationType::Mutation) {
            return Err(Rejection::MutationOverGet);
        }
        if self.aliases > max_aliases {
            return Err(Rejection::Limit {
                message: format!(
                    "the document uses {} aliases; at most {max_aliases} are allowed",
                    self.aliases
                ),
                code: "TOO_MANY_ALIASES",
            });
        }
        Ok(())
    }
}

/// Looks at a parsed document before it runs.
pub fn inspect(document: &ExecutableDocument, operation_name: Option<&str>) -> Inspection {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    let introspection_only =
        operation.is_some_and(|op| only_introspection(document, &op.node.selection_set, 0));
    Inspection {
        operation: operation.map(|op| op.node.ty),
        introspection_only,
        aliases: count_aliases(document),
    }
}

fn only_introspection(
    document: &ExecutableDocument,
    set: &Positioned<SelectionSet>,
    depth: usize,
) -> bool {
    // Fragments can only nest so far before it is not worth telling.
    if depth > 8 || set.node.items.is_empty() {
        return false;
    }
    set.node.items.iter().all(|item| match &item.node {
        Selection::Field(field) => matches!(
            field.node.name.node.as_str(),
            "__schema" | "__type" | "__typename"
        ),
        Selection::InlineFragment(fragment) => {
            only_introspection(document, &fragment.node.selection_set, depth + 1)
        }
        Selection::FragmentSpread(spread) => document
            .fragments
            .get(&spread.node.fragment_name.node)
            .is_some_and(|f| only_introspection(document, &f.node.selection_set, depth + 1)),
    })
}

fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = match &document.operations {
        DocumentOperations::Single(op) => in_set(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| in_set(&op.node.selection_set.node))
            .sum(),
    };
    operations
        + document
            .fragments
            .values()
            .map(|f| in_set(&f.node.selection_set.node))
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_and_inspect(query: &str, operation_name: Option<&str>) -> Option<Inspection> {
        let document = async_graphql::parser::parse_query(query).ok()?;
        Some(inspect(&document, operation_name))
    }

    #[test]
    fn tells_introspection_from_data() {
        let i = parse_and_inspect("query IntrospectionQuery { __schema { types { ...T } } } fragment T on __Type { name }", None).unwrap();
        assert!(i.introspection_only);
        assert!(
            !parse_and_inspect("{ __schema { types { name } } release { id } }", None)
                .unwrap()
                .introspection_only
        );
        assert!(
            !parse_and_inspect("{ release { id } }", None)
                .unwrap()
                .introspection_only
        );
    }

    #[test]
    fn finds_the_named_operation() {
        let doc = "query A { release { id } } mutation B { x }";
        assert_eq!(
            parse_and_inspect(doc, Some("B")).unwrap().operation,
            Some(OperationType::Mutation)
        );
        assert_eq!(parse_and_inspect(doc, None).unwrap().operation, None);
    }

    #[test]
    fn counts_aliases_everywhere() {
        let doc = "{ a: release { id } b: release { x: id } ...F } fragment F on Query { c: release { id } }";
        assert_eq!(parse_and_inspect(doc, None).unwrap().aliases, 4);
    }

    #[test]
    fn unparsable_documents_are_left_to_execution() {
        assert_eq!(parse_and_inspect("{ release { id }", None), None);
    }
}
