// The pathway explorer in real headless Chromium, against a real `pathways
// serve` seeded from the repository's seeds/. Run: `npm test --prefix tests/web`
// after `cargo build` (see the README).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, startServer, launchBrowser, watchedPage } from './server.mjs';

const PHYSIOTHERAPY_STEPS = [
  ['Physiotherapy Assistant', 'Entry Level'],
  ['Healthcare support worker', 'Level 2'],
  ['Senior Healthcare support worker', 'Level 3'],
  ['Assistant Practitioner', 'Level 5'],
  ['Physiotherapy Practitioner BSc', 'Level 6'],
  ['Enhanced Clinical Practitioner', 'Level 6'],
  ['Advanced Clinical Practitioner', 'Level 7'],
];

const PATHWAYS = [
  'Art therapist', 'Drama Therapist', 'Music Therapist',
  'Occupational Therapist', 'Physiotherapist', 'Therapeutic Radiographer',
];

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

/** The explorer at `address`, failing the test on anything off the server or any error. */
async function open(t, address, contextOptions = {}) {
  const { page } = await watchedPage(t, browser, server.url, { contextOptions });
  await page.goto(new URL(address, server.url).toString());
  return page;
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.textContent.trim()));

describe('pathway explorer', () => {
  test('shows the page title and introduction from the API', async (t) => {
    const page = await open(t, '/');
    await page.getByRole('heading', { level: 1, name: 'Explore AHP career pathways' }).waitFor();
    await page.getByRole('banner').getByText('Please note these are example pathways into each of the 15 allied health profession roles.').waitFor();
    await page.getByText('Please select a career above').waitFor();
    assert.equal(await page.title(), 'Explore AHP career pathways');
  });

  test('lists the 15 professions and marks those without a pathway', async (t) => {
    const page = await open(t, '/');
    const links = page.getByRole('navigation', { name: 'Professions' }).getByRole('link');
    await links.nth(14).waitFor();
    assert.equal(await links.count(), 15);
    const withPathway = page.locator('#profession-list a:not(.no-pathway)');
    assert.deepEqual((await texts(withPathway)).sort(), [...PATHWAYS].sort());
    assert.equal(await page.locator('#profession-list a.no-pathway').count(), 9);
    await page.getByRole('link', { name: /^Dietitian/ }).click();
    await page.getByText('No example pathway has been published for Dietitian yet.').waitFor();
  });

  test('shows the physiotherapist pathway level by level with its routes', async (t) => {
    const page = await open(t, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Physiotherapist' }).click();
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    assert.match(page.url(), /\/professions\/physiotherapist$/);

    const steps = page.locator('.step');
    assert.equal(await steps.count(), 7);
    const titles = await texts(page.locator('.step .step-title'));
    const levels = await texts(page.locator('.step .step-level'));
    assert.deepEqual(titles.map((title, i) => [title, levels[i]]), PHYSIOTHERAPY_STEPS);
    assert.deepEqual(await texts(page.locator('.pathway-level > h3')),
      ['Entry Level', 'Level 2', 'Level 3', 'Level 5', 'Level 6', 'Level 7']);

    // Routes sit between the steps they connect.
    const direct = page.getByRole('group', { name: 'Direct route from Healthcare support worker to Senior Healthcare support worker' });
    assert.deepEqual(await texts(direct.locator('.stage')), ['Apprenticeship', 'Degree apprenticeship']);
    const traditional = page.getByRole('group', { name: 'Traditional route from Physiotherapy Practitioner BSc to Enhanced Clinical Practitioner' });
    assert.deepEqual(await texts(traditional.locator('.stage')),
      ['Sixth form / college', 'University Undergraduate', 'University Postgraduate (optional)']);
    assert.deepEqual(await texts(traditional.locator('.stage.optional')), ['University Postgraduate (optional)']);
    const sixthStep = page.locator('.step[data-position="6"]');
    assert.equal(await sixthStep.locator('.route').count(), 1);

    await page.getByRole('button', { name: /Advanced Clinical Practitioner/ }).click();
    await page.screenshot({ path: path.join(artifacts, 'physiotherapist-pathway.png'), fullPage: true });
  });

  test('opening a card shows the role text, lists as lists', async (t) => {
    const page = await open(t, '/?profession=physiotherapist');
    const card = page.getByRole('button', { name: /Advanced Clinical Practitioner/ });
    const body = page.locator('#step-7-body');
    assert.equal(await card.getAttribute('aria-expanded'), 'false');
    assert.equal(await body.isVisible(), false);
    await card.click();
    assert.equal(await card.getAttribute('aria-expanded'), 'true');
    await body.getByText(/^Advanced Clinical Practitioners are experienced clinicians who demonstrate expertise in their scope of practice\./).waitFor();
    await card.click();
    assert.equal(await body.isVisible(), false);

    const artPage = await open(t, '/?profession=art-therapist');
    await artPage.getByRole('button', { name: /Creative therapy support worker/ }).click();
    const list = artPage.locator('.step[data-position="1"] .card-body ul').first();
    assert.deepEqual((await texts(list.locator('li'))).slice(0, 2), ['activities co-ordinator', 'activity co-ordinator']);
  });

  test('a shared role leads to the professions that share it', async (t) => {
    const page = await open(t, '/?profession=physiotherapist');
    await page.getByRole('button', { name: /^Healthcare support worker/ }).click();
    const shared = page.locator('#step-2-body .shared');
    await shared.getByText('This role is shared with 5 other professions:').waitFor();
    await shared.getByRole('link', { name: 'See the role and every pathway it is in' }).click();
    await page.getByRole('heading', { name: 'Healthcare support worker', level: 2 }).waitFor();
    assert.match(page.url(), /\/roles\/healthcare-support-worker$/);
    assert.deepEqual((await texts(page.locator('.used-by a'))).sort(), [...PATHWAYS].sort());
    await page.locator('.used-by').getByRole('link', { name: 'Music Therapist' }).click();
    await page.getByRole('heading', { name: 'Music Therapist pathway' }).waitFor();
    // The browser's back button returns to the role.
    await page.goBack();
    await page.getByRole('heading', { name: 'Healthcare support worker', level: 2 }).waitFor();
  });

  test('search finds the creative therapy support worker for "dementia"', async (t) => {
    const page = await open(t, '/');
    const box = page.getByRole('searchbox', { name: 'Search roles and pathways' });
    await box.fill('dementia');
    await box.press('Enter');
    await page.getByRole('heading', { name: 'Search results for “dementia”' }).waitFor();
    const hit = page.locator('.search-results li').filter({ has: page.getByRole('link', { name: 'Creative therapy support worker' }) });
    assert.equal(await hit.count() >= 1, true);
    assert.match(await hit.first().locator('mark').first().textContent(), /dementia/i);
    await hit.first().getByRole('link').click();
    await page.waitForURL(/\/(roles\/creative-therapy-support-worker|professions\/.+#step-\d+)$/);
  });

  test('deep links open the view they name', async (t) => {
    const page = await open(t, '/?profession=physiotherapist&step=7');
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Advanced Clinical Practitioner/ }).getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#profession-list a[aria-current="page"]').textContent(), 'Physiotherapist');

    const search = await open(t, '/?q=dementia');
    assert.equal(await search.getByRole('searchbox').inputValue(), 'dementia');
    await search.locator('.search-results li').first().waitFor();

    // The old address redirects to the profession's page, which is a 404 (the
    // browser logs that as a console error, so this page allows them).
    const { page: missing } = await watchedPage(t, browser, server.url, { consoleErrors: false });
    const answer = await missing.goto(new URL('/?profession=astronaut', server.url).toString());
    assert.equal(answer.status(), 404);
    assert.match(missing.url(), /\/professions\/astronaut$/);
    await missing.getByRole('heading', { name: 'Profession not found' }).waitFor();
  });

  test('works from the keyboard, with landmarks and headings', async (t) => {
    const page = await open(t, '/?profession=physiotherapist');
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    for (const role of ['banner', 'navigation', 'main', 'search', 'contentinfo']) {
      assert.equal(await page.getByRole(role).count(), 1, `one ${role} landmark`);
    }
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    const card = page.getByRole('button', { name: /Assistant Practitioner/ });
    await card.focus();
    await page.keyboard.press('Enter');
    assert.equal(await card.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Space');
    assert.equal(await card.getAttribute('aria-expanded'), 'false');
  });

  test('fits a phone-width screen', async (t) => {
    const page = await open(t, '/?profession=physiotherapist', { viewport: { width: 375, height: 740 }, isMobile: true });
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));
    assert.ok(widths.content <= widths.screen, `content ${widths.content}px wide on a ${widths.screen}px screen`);
    await page.screenshot({ path: path.join(artifacts, 'physiotherapist-pathway-phone.png'), fullPage: true });
  });
});
