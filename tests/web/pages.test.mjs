// The pages the server renders, in real headless Chromium: with JavaScript
// off, a reader goes from / to a profession, opens a role's text, searches and
// reaches a result, all by links and forms; axe-core finds no WCAG 2.2 AA
// violation with or without JavaScript, on a desktop and at 375 px; and the
// Content-Security-Policy raises no error on a page holding JSON-LD.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startServer, watchedPage } from './server.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const address = (path) => new URL(path, server.url).toString();

describe('pages without JavaScript', () => {
  test('from / to a profession, a role, a search and a result, by links and forms', async (t) => {
    const { page, urls } = await watchedPage(t, browser, server.url, { contextOptions: { javaScriptEnabled: false } });
    await page.goto(address('/'));
    await page.getByRole('heading', { level: 1, name: 'Explore AHP career pathways' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Professions' }).getByRole('link').count(), 15);

    await page.getByRole('navigation').getByRole('link', { name: 'Physiotherapist' }).click();
    await page.waitForURL(/\/professions\/physiotherapist$/);
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    assert.equal(await page.title(), 'Physiotherapist · Explore AHP career pathways');
    // Every role's text is on the page, open.
    await page.getByText(/^Advanced Clinical Practitioners are experienced clinicians/).first().waitFor();
    assert.equal(await page.locator('.step').count(), 7);

    await page.locator('#step-2-body').getByRole('link', { name: 'See the role and every pathway it is in' }).click();
    await page.waitForURL(/\/roles\/healthcare-support-worker$/);
    await page.getByRole('heading', { level: 2, name: 'Healthcare support worker' }).waitFor();
    assert.equal(await page.locator('.used-by a').count(), 6);

    const box = page.getByRole('searchbox', { name: 'Search roles and pathways' });
    await box.fill('dementia');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=dementia$/);
    await page.getByRole('heading', { name: 'Search results for “dementia”' }).waitFor();
    const hit = page.locator('.search-results li a').filter({ hasText: 'Creative therapy support worker' }).first();
    await hit.click();
    await page.waitForURL(/\/(roles\/creative-therapy-support-worker|professions\/[a-z-]+#step-\d+)$/);
    await page.getByText(/dementia/).first().waitFor();
    // No script ran, so nothing asked the API.
    assert.ok(urls.every((url) => !url.includes('/graphql')), 'a page without JavaScript called /graphql');
  });

  test('old addresses redirect to the pages', async (t) => {
    const { page } = await watchedPage(t, browser, server.url, { contextOptions: { javaScriptEnabled: false } });
    const response = await page.goto(address('/?profession=art-therapist&step=1'));
    assert.equal(response.status(), 200);
    assert.equal(page.url(), address('/professions/art-therapist#step-1'));
    const redirect = await response.request().redirectedFrom().response();
    assert.equal(redirect.status(), 308);
  });
});

describe('pages with JavaScript', () => {
  test('a profession page with JSON-LD raises no CSP or console error, and the explorer enhances it', async (t) => {
    // watchedPage fails the test on any console error, CSP violations included.
    const { page, urls } = await watchedPage(t, browser, server.url);
    await page.goto(address('/professions/physiotherapist#step-7'));
    const card = page.getByRole('button', { name: /Advanced Clinical Practitioner/ });
    await card.waitFor();
    assert.equal(await card.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.getByRole('button', { name: /Assistant Practitioner/ }).getAttribute('aria-expanded'), 'false');
    // The server's page is enhanced in place, not fetched again.
    assert.ok(!urls.some((url) => url.includes('explorer.Pathway')), 'the pathway was fetched again');
    const data = await page.locator('script[type="application/ld+json"]').textContent();
    assert.equal(JSON.parse(data)['@context'], 'https://schema.org');
  });
});

test('axe-core finds a violation when there is one', async (t) => {
  const { page } = await watchedPage(t, browser, server.url, { contextOptions: { bypassCSP: true } });
  await page.goto(address('/'));
  await page.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('input'), { type: 'text' })));
  assert.match((await violations(page)).join('\n'), /^label: /m);
});

/** axe-core's WCAG 2.x A and AA violations on the page, as `rule: targets`. */
async function violations(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const AUDITED = [
  ['/', 'Choose a profession'],
  ['/professions/physiotherapist', 'Physiotherapist pathway'],
  ['/professions/dietitian', 'Dietitian'],
  ['/roles/healthcare-support-worker', 'Healthcare support worker'],
  ['/search?q=dementia', 'Search results for “dementia”'],
  ['/professions/astronaut', 'Profession not found'],
];

for (const [label, script] of [['without JavaScript', false], ['with JavaScript', true]]) {
  for (const width of [1280, 375]) {
    describe(`axe-core, ${label}, ${width} px wide`, () => {
      for (const [path, heading] of AUDITED) {
        test(path, async (t) => {
          // axe is injected as a script, so this context sets the page's CSP aside;
          // without JavaScript, the explorer's module is answered empty instead.
          const { page } = await watchedPage(t, browser, server.url, {
            consoleErrors: false,
            contextOptions: { bypassCSP: true, viewport: { width, height: 800 }, isMobile: width < 500 },
          });
          if (!script) {
            await page.route('**/explorer/app.js', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
          }
          await page.goto(address(path));
          await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
          if (script) await page.locator('#status:empty').waitFor({ state: 'attached' });
          assert.deepEqual(await violations(page), []);
          const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));
          assert.ok(widths.content <= widths.screen, `content ${widths.content}px wide on a ${widths.screen}px screen`);
        });
      }
    });
  }
}
