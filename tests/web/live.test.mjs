// Live updates against a real `pathways serve`: the real graphql-ws client
// (the npm package, over `ws`) receives `releasePublished` after `pathways
// publish` and, with the preview token, `releaseStaged` after `ingest --stage`;
// Chromium's EventSource makes the explorer show a polite notice after a
// publish, and a preview moves to a newer staged release by itself.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { binary, repo, startServer, launchBrowser, watchedPage } from './server.mjs';

const TOKEN = 'live-preview-token';
let server;
let browser;
let content;
let edits = 0;

before(async () => {
  server = await startServer(['--preview-token', TOKEN, '--release-poll', '200ms']);
  content = mkdtempSync(path.join(tmpdir(), 'pathways-live-'));
  cpSync(path.join(repo, 'seeds'), content, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (content) rmSync(content, { recursive: true, force: true });
});

function pathways(...args) {
  return execFileSync(binary(), [...args, '--database', server.database], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Stages the seeds under a new page title; returns the new release's id. */
function stage() {
  edits += 1;
  const page = path.join(content, 'page.yaml');
  const text = readFileSync(page, 'utf8').replace(/^title: .*$/m, `title: Explore AHP career pathways (edit ${edits})`);
  writeFileSync(page, text);
  const report = JSON.parse(pathways('ingest', content, '--stage', '--note', `edit ${edits}`, '--format', 'json'));
  assert.equal(report.published, false);
  return report.release.id;
}

function client(connectionParams = {}) {
  return createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
  });
}

/** Subscribes; resolves with the first result (or rejects with the errors). */
function first(client, query) {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe({ query }, {
      next: (result) => { dispose(); result.errors ? reject(result.errors) : resolve(result.data); },
      error: reject,
      complete: () => {},
    });
  });
}

/** Waits until `client` is acknowledged and its subscriptions have started. */
async function connected(client) {
  await new Promise((resolve) => client.on('connected', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const PUBLISHED = 'subscription { releasePublished { release { id publishedAt note } previous { id } purge } }';
const STAGED = 'subscription { releaseStaged { release { id status note } } }';

describe('live updates', () => {
  test('the graphql-ws client receives releaseStaged (with the token) and releasePublished', async () => {
    const reader = client();
    const steward = client({ previewToken: TOKEN });
    try {
      const published = first(reader, PUBLISHED);
      const staged = first(steward, STAGED);
      await Promise.all([connected(reader), connected(steward)]);

      const id = stage();
      assert.deepEqual((await staged).releaseStaged.release, { id: String(id), status: 'STAGED', note: `edit ${edits}` });

      pathways('publish', String(id));
      const event = (await published).releasePublished;
      assert.equal(event.release.id, String(id));
      assert.equal(event.release.note, `edit ${edits}`);
      assert.match(event.release.publishedAt, /^\d{4}-\d\d-\d\dT/);
      assert.equal(event.previous.id, String(id - 1));
      assert.ok(event.purge.length > 0 && event.purge.every((key) => typeof key === 'string'), JSON.stringify(event.purge));
    } finally {
      await Promise.all([reader.dispose(), steward.dispose()]);
    }
  });

  test('releaseStaged needs the preview token, a wrong token is refused, and queries go over HTTP', async () => {
    const reader = client();
    try {
      await assert.rejects(first(reader, STAGED), (errors) => {
        assert.match(errors[0].message, /releaseStaged needs the preview token/);
        return true;
      });
      await assert.rejects(first(reader, '{ release { id } }'), (errors) => {
        assert.match(errors[0].message, /runs subscriptions only/);
        return true;
      });
    } finally {
      await reader.dispose();
    }
    const wrong = client({ previewToken: 'not the token' });
    const closed = new Promise((resolve) => wrong.on('closed', resolve));
    const event = await closed;
    assert.equal(event.code, 4403);
    assert.match(event.reason, /preview token is not right/);
    await wrong.dispose();
  });

  test('the explorer shows a polite notice after a publish, and Reload shows the new release', async (t) => {
    const id = stage();
    const { page } = await watchedPage(t, browser, server.url);
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Professions' }).getByRole('link', { name: 'Physiotherapist' }).waitFor();
    await page.waitForFunction(() => document.getElementById('release').textContent.startsWith('Release'));
    const region = page.locator('#live-notice');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    assert.equal(await region.textContent(), '');

    pathways('publish', String(id));
    await region.getByText('This content has been updated.').waitFor({ timeout: 10_000 });
    const reload = region.getByRole('button', { name: 'Reload' });
    await reload.click();
    await page.getByRole('heading', { level: 1, name: `Explore AHP career pathways (edit ${edits})` }).waitFor();
    assert.match(await page.locator('#release').textContent(), new RegExp(`^Release ${id},`));
    assert.equal(await region.textContent(), '');
  });

  test('a preview moves to a newer staged release when it appears', async (t) => {
    const older = stage();
    const { page } = await watchedPage(t, browser, server.url);
    await page.goto(new URL(`/?release=${older}`, server.url).toString());
    await page.getByLabel('Preview token').fill(TOKEN);
    await page.getByRole('button', { name: 'Show the preview' }).click();
    await page.getByRole('note').getByText(`Preview: release ${older}, not published`).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const newer = stage();
    await page.getByRole('note').getByText(`Preview: release ${newer}, not published`).waitFor({ timeout: 10_000 });
    assert.match(page.url(), new RegExp(`[?&]release=${newer}(&|$)`));
    await page.locator('#live-notice').getByText(`Release ${newer} was staged: the preview shows it now.`).waitFor();
    await page.getByRole('heading', { level: 1, name: `Explore AHP career pathways (edit ${edits})` }).waitFor();
  });
});
