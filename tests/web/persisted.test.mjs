// Persisted documents with real clients: Apollo Client's automatic persisted
// queries against a real `pathways serve`, and the trusted-documents manifest
// that GraphQL Codegen's client preset makes from the explorer's own queries.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import apollo from '@apollo/client/core/core.cjs';
import persistedQueries from '@apollo/client/link/persisted-queries/persisted-queries.cjs';
import { committed, generateManifest } from './persisted-documents.mjs';
import { startServer } from './server.mjs';

const { ApolloClient, HttpLink, InMemoryCache, gql } = apollo;
const { createPersistedQueryLink } = persistedQueries;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

describe('persisted documents', () => {
  let server;
  let trusted;

  before(async () => {
    server = await startServer(['--no-cache']);
    trusted = await startServer(['--persisted-queries', committed, '--persisted-only']);
  });

  after(async () => {
    await server?.stop();
    await trusted?.stop();
  });

  /** An Apollo Client with the persisted-query link, recording what it sends. */
  function client(url, useGETForHashedQueries) {
    const sent = [];
    const recordingFetch = async (input, init) => {
      const response = await fetch(input, init);
      sent.push({ method: init.method ?? 'GET', url: String(input), body: init.body ? JSON.parse(init.body) : null, status: response.status });
      return response;
    };
    const link = createPersistedQueryLink({ sha256, useGETForHashedQueries })
      .concat(new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch }));
    return { apollo: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
  }

  test('Apollo Client sends the hash, registers the document on PersistedQueryNotFound, then sends the hash alone', async () => {
    const { apollo: first, sent } = client(server.url, false);
    const query = gql`query Levels { levels { label } }`;
    const { data } = await first.query({ query, fetchPolicy: 'network-only' });
    assert.equal(data.levels[0].label, 'Entry Level');
    assert.equal(sent.length, 2, JSON.stringify(sent));
    assert.equal(sent[0].body.query, undefined);
    assert.equal(sent[0].body.extensions.persistedQuery.version, 1);
    assert.equal(typeof sent[1].body.query, 'string');
    // A second client: the server knows the hash now.
    const { apollo: second, sent: again } = client(server.url, true);
    const answer = await second.query({ query, fetchPolicy: 'network-only' });
    assert.deepEqual(answer.data, data);
    assert.equal(again.length, 1, JSON.stringify(again));
    assert.equal(again[0].method, 'GET');
    assert.ok(!again[0].url.includes('query='), again[0].url);
  });

  test('the committed manifest is what GraphQL Codegen makes from the explorer today', async () => {
    const generated = await generateManifest();
    assert.deepEqual(generated, JSON.parse(readFileSync(committed, 'utf8')));
    for (const id of Object.keys(generated)) assert.match(id, /^sha256:[0-9a-f]{64}$/);
  });

  test('with --persisted-only the manifest documents run and nothing else', async () => {
    const manifest = JSON.parse(readFileSync(committed, 'utf8'));
    for (const [documentId, document] of Object.entries(manifest)) {
      const variables = document.includes('$slug') ? { slug: 'physiotherapist' } : document.includes('$text') ? { text: 'dementia' } : {};
      const response = await fetch(`${trusted.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ documentId, variables }),
      });
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.errors, undefined);
    }
    const refused = await fetch(`${trusted.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ release { id } }' }),
    });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).errors[0].extensions.code, 'PERSISTED_QUERY_REQUIRED');
  });
});
