// The GraphQL-over-HTTP conformance audits of the `graphql-http` package
// (serverAudits) against a real `pathways serve`: every MUST passes; a SHOULD
// may fail only when the README lists it with the reason.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { repo, startServer } from './server.mjs';

/** SHOULD audits this server fails on purpose, by audit id; the README says why. */
const KNOWN_SHOULD_FAILURES = new Set([]);

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

describe('graphql-http server audits', () => {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  for (const audit of serverAudits({ url: () => `${server.url}/graphql`, fetchFn: fetch })) {
    test(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      const detail = result.status === 'ok' ? '' : `${result.reason}`;
      if (audit.name.startsWith('MUST')) {
        assert.equal(result.status, 'ok', detail);
      } else if (KNOWN_SHOULD_FAILURES.has(audit.id)) {
        assert.notEqual(result.status, 'ok', `${audit.id} passes now: take it off the known failures and the README`);
        assert.ok(readme.includes(audit.id), `the README must list ${audit.id} and why it fails`);
      } else {
        assert.equal(result.status, 'ok', detail);
      }
    });
  }
});
