// Starts the real `pathways serve` on an ephemeral port over a fresh SQLite
// file, so it seeds itself from the repository's seeds/ as on a first start.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `target/` of the repository: where test artifacts go, whatever CARGO_TARGET_DIR says. */
export const artifacts = path.join(repo, 'target', 'web-tests');

export function binary() {
  if (process.env.PATHWAYS_BIN) return process.env.PATHWAYS_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
  return path.join(target, 'debug', 'pathways');
}

/** Resolves to { url, stop() } once the server logs the address it listens on. */
export function startServer(extraArgs = []) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'pathways-web-'));
  const database = `sqlite://${path.join(scratch, 'pathways.db')}`;
  const child = spawn(binary(), [
    'serve', '--database', database, '--bind', '127.0.0.1:0', '--log-format', 'json', ...extraArgs,
  ], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('pathways serve did not start within 60 s'));
    }, 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binary()} (build it with \`cargo build\` or set PATHWAYS_BIN): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pathways serve exited with ${code} before listening`));
    });
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      let log;
      try { log = JSON.parse(line); } catch { return; }
      if (log.fields?.message?.startsWith('serving GraphQL')) {
        clearTimeout(timer);
        resolve({ url: `http://${log.fields.address}`, database, stop });
      }
    });
  });
}

/**
 * Debian's Chromium, headless. Its own background traffic is switched off:
 * this machine's network is closed, and a test fails on any request off the server.
 */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page in a context of its own that fails the test, when the test ends, on
 * any request off `origin` (`data:` addresses aside), any page error and, unless
 * `consoleErrors` is false, any console error. `urls` collects every address it
 * requested.
 */
export async function watchedPage(t, browser, origin, { contextOptions = {}, consoleErrors = true } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  const urls = [];
  page.on('request', (request) => {
    const url = request.url();
    urls.push(url);
    if (!url.startsWith(origin) && !url.startsWith('data:')) problems.push(`request off the server: ${url}`);
  });
  if (consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
  }
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, []);
  });
  return { page, urls };
}
