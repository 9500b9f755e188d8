// Previewing a staged release in the explorer, in real headless Chromium: the
// explorer asks for the preview token (kept in sessionStorage, never in the
// address), then shows the release under a banner; the public view does not.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binary, repo, startServer, launchBrowser, watchedPage } from './server.mjs';

const TOKEN = 'explorer-preview-token';
let server;
let browser;
let content;

before(async () => {
  server = await startServer(['--preview-token', TOKEN]);
  // Release 2, staged: the seeds plus a profession only it has.
  content = mkdtempSync(path.join(tmpdir(), 'pathways-preview-'));
  cpSync(path.join(repo, 'seeds'), content, { recursive: true });
  writeFileSync(path.join(content, 'professions', 'sports-therapist.yaml'),
    '# yaml-language-server: $schema=../../schema/profession.schema.json\n' +
    'slug: sports-therapist\nname: Sports therapist\npathway:\n  steps:\n' +
    '    - title: Healthcare support worker\n      level: Level 2\n      role: healthcare-support-worker\n');
  const report = JSON.parse(execFileSync(binary(), [
    'ingest', content, '--stage', '--database', server.database, '--format', 'json',
  ], { cwd: repo }).toString());
  assert.equal(report.release.id, 2);
  assert.equal(report.published, false);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (content) rmSync(content, { recursive: true, force: true });
});

/**
 * The explorer at `address`, failing the test on any request off the server or
 * any address with the token in it. Console errors are expected: a refused token
 * is a 401, which the browser logs.
 */
async function open(t, address) {
  const { page, urls } = await watchedPage(t, browser, server.url, { consoleErrors: false });
  t.after(() => {
    assert.ok(urls.every((url) => !url.includes(TOKEN)), 'the token went into an address');
  });
  await page.goto(new URL(address, server.url).toString());
  return page;
}

describe('previewing a release', () => {
  test('asks for the token, refuses a wrong one, then shows the release under a banner', async (t) => {
    const page = await open(t, '/?release=2');
    const token = page.getByLabel('Preview token');
    await token.fill('not the token');
    await page.getByRole('button', { name: 'Show the preview' }).click();
    await page.getByRole('alert').getByText('The preview token was refused').waitFor();

    await page.getByLabel('Preview token').fill(TOKEN);
    await page.getByRole('button', { name: 'Show the preview' }).click();
    await page.getByRole('note').getByText('Preview: release 2, not published').waitFor();
    const professions = page.getByRole('navigation', { name: 'Professions' });
    await professions.getByRole('link', { name: 'Sports therapist' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pathways-preview-token')), TOKEN);
    assert.ok(!page.url().includes(TOKEN));

    // Moving around keeps the preview.
    await professions.getByRole('link', { name: 'Sports therapist' }).click();
    await page.getByRole('heading', { name: 'Sports therapist pathway' }).waitFor();
    assert.match(page.url(), /[?&]release=2(&|$)/);
    await page.getByRole('note').getByText('Preview: release 2, not published').waitFor();
    await page.screenshot({ path: path.join(repo, 'target', 'web-tests', 'preview-release-2.png'), fullPage: true });
  });

  test('the published release shows no banner and not the staged profession', async (t) => {
    const page = await open(t, '/');
    const professions = page.getByRole('navigation', { name: 'Professions' });
    await professions.getByRole('link', { name: 'Physiotherapist' }).waitFor();
    assert.equal(await professions.getByRole('link', { name: 'Sports therapist' }).count(), 0);
    assert.equal(await page.locator('.preview-banner').count(), 0);
  });
});
