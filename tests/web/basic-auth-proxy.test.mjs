// The explorer behind a proxy that forwards `Authorization: Basic …` with every
// request (as nginx's auth_basic does): public content reads as usual, because
// `Authorization` matters only to a request that names a release.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startServer, launchBrowser, watchedPage } from './server.mjs';

let server;
let proxy;
let proxyUrl;
let browser;
const forwarded = [];

before(async () => {
  server = await startServer(['--preview-token', 'a-preview-token-nobody-sends']);
  const upstream = new URL(server.url);
  proxy = http.createServer((request, response) => {
    const headers = { ...request.headers, authorization: 'Basic c3Rld2FyZDpzZWNyZXQ=' };
    forwarded.push(request.url);
    const onward = http.request({
      host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers,
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    request.pipe(onward);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => proxy ? proxy.close(resolve) : resolve());
  await server?.stop();
});

describe('behind a Basic-auth proxy', () => {
  test('the explorer lists the professions and shows no preview', async (t) => {
    const { page } = await watchedPage(t, browser, proxyUrl);
    await page.goto(`${proxyUrl}/`);
    const links = page.getByRole('navigation', { name: 'Professions' }).getByRole('link');
    await links.first().waitFor();
    assert.equal(await links.count(), 15);
    await page.getByRole('navigation').getByRole('link', { name: 'Physiotherapist' }).click();
    await page.getByRole('heading', { name: 'Physiotherapist pathway' }).waitFor();
    assert.equal(await page.getByText(/preview/i).count(), 0, 'a preview banner or refusal is shown');
    assert.ok(forwarded.some((url) => url.startsWith('/graphql')), 'the explorer asked /graphql through the proxy');
  });

  test('GraphQL answers 200 with the published release', async () => {
    const answer = await fetch(`${proxyUrl}/graphql?query=${encodeURIComponent('{ release { id status } }')}`);
    assert.equal(answer.status, 200);
    const body = await answer.json();
    assert.deepEqual(body, { data: { release: { id: '1', status: 'PUBLISHED' } } });
    assert.match(answer.headers.get('cache-control'), /public/);
  });
});
