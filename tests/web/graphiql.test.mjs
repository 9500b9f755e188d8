// GraphiQL at /graphiql in real headless Chromium: everything it loads comes
// from the server (any request to another host, or any console error, fails
// the test), and it runs a query.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, startServer, launchBrowser, watchedPage } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('GraphiQL', () => {
  test('loads from the server alone and runs a query', async (t) => {
    const { page } = await watchedPage(t, browser, server.url);
    const response = await page.goto(`${server.url}/graphiql`);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor();
    await run.click();
    assert.equal(await page.locator('#persisted-only').count(), 0, 'the persisted-only notice is shown');
    const result = page.locator('.result-window');
    await result.getByText('Physiotherapy Assistant').waitFor();
    assert.match(await result.innerText(), /"name": "Physiotherapist"/);
    await page.screenshot({ path: path.join(artifacts, 'graphiql.png') });
  });
});
