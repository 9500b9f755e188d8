// GraphiQL on this server's own /graphql, everything loaded from this server.
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: '{\n  profession(slug: "physiotherapist") {\n    name\n    steps { position title level { label } entryRoute { name } }\n  }\n}\n',
  }),
);
