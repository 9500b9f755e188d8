// GraphiQL on this server's own /graphql, everything loaded from this server.

// Under `--persisted-only` no document typed here runs: say so plainly, above
// the editor, rather than let every request fail.
fetch('/graphql?query=%7B__typename%7D', { headers: { accept: 'application/graphql-response+json' } })
  .then((response) => response.json())
  .then((body) => {
    if (body.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_REQUIRED')) {
      const notice = document.createElement('p');
      notice.id = 'persisted-only';
      notice.setAttribute('role', 'status');
      notice.textContent = 'Only persisted documents run on this server (--persisted-only): ' +
        'documents typed here are refused. Send the id of a document in its manifest as `documentId`.';
      document.body.prepend(notice);
    }
  })
  .catch(() => {});

const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: '{\n  profession(slug: "physiotherapist") {\n    name\n    steps { position title level { label } entryRoute { name } }\n  }\n}\n',
  }),
);
