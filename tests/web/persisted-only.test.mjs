// `pathways serve --persisted-only`, in real headless Chromium: the explorer
// still works (it sends only the ids of its own documents, which the server
// always knows), and GraphiQL says plainly that typed documents do not run.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import { repo, startServer, launchBrowser, watchedPage } from './server.mjs';

let server;
let browser;

before(async () => {
  // A site's own manifest: the explorer's documents are not in it.
  const manifest = path.join(repo, 'tests', 'fixtures', 'persisted-documents.json');
  server = await startServer(['--persisted-queries', manifest, '--persisted-only']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('under --persisted-only', () => {
  test('the explorer lists the professions and shows a pathway', async (t) => {
    const { page, urls } = await watchedPage(t, browser, server.url);
    await page.goto(`${server.url}/`);
    const links = page.getByRole('navigation', { name: 'Professions' }).getByRole('link');
    await links.first().waitFor();
    assert.equal(await links.count(), 15);
    await page.getByRole('navigation').getByRole('link', { name: 'Physiotherapist' }).click();
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    const asked = urls.filter((url) => url.includes('/graphql'));
    assert.ok(asked.length >= 2, 'the explorer asked /graphql');
    for (const url of asked) {
      const params = new URL(url).searchParams;
      assert.match(params.get('documentId') ?? '', /^explorer\.[A-Za-z]+$/, url);
      assert.equal(params.get('query'), null, `a full document was sent: ${url}`);
    }
  });

  test('GraphiQL says only persisted documents run', async (t) => {
    // Its own introspection is refused (400), which the browser logs.
    const { page } = await watchedPage(t, browser, server.url, { consoleErrors: false });
    await page.goto(`${server.url}/graphiql`);
    const notice = page.getByRole('status');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Only persisted documents run on this server/);
  });
});

describe('a typed document', () => {
  test('is refused with a code that names the mode', async () => {
    const answer = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ release { id } }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    assert.equal(answer.status, 400);
    const body = await answer.json();
    assert.equal(body.errors[0].extensions.code, 'PERSISTED_QUERY_REQUIRED');
  });
});
