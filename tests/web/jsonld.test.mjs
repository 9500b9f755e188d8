// The JSON-LD documents of the seeds (`pathways-jsonld`), checked against
// schema.org's own definitions rather than by eye: every document compiles
// against Google's schema-dts types, a deliberately wrong one is refused, and
// each expands under a JSON-LD processor with the context served locally.
//
// The documents come from `cargo run -p pathways-jsonld --example write-documents`,
// or from the folder PATHWAYS_JSONLD_DIR names (`professions/*.jsonld`,
// `pathways.jsonld`, `context.jsonld`).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expand, typecheck } from './schemaorg.mjs';
import { repo, startServer } from './server.mjs';

let folder;
let scratch;
/** name → document: `pathways` and one per profession slug. */
const documents = {};
let context;

before(() => {
  folder = process.env.PATHWAYS_JSONLD_DIR;
  if (!folder) {
    scratch = mkdtempSync(path.join(tmpdir(), 'pathways-jsonld-'));
    folder = scratch;
    const run = spawnSync('cargo', [
      'run', '-q', '-p', 'pathways-jsonld', '--example', 'write-documents', '--',
      folder, '--base', 'https://pathways.example',
    ], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 0, `write-documents failed:\n${run.stderr}`);
  }
  const read = (file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
  documents.pathways = read('pathways.jsonld');
  for (const file of readdirSync(path.join(folder, 'professions')).sort()) {
    documents[path.basename(file, '.jsonld')] = read(path.join('professions', file));
  }
  context = read('context.jsonld');
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const ofType = (document, type) => document['@graph'].filter((node) => node['@type'] === type);

/** A copy of the physiotherapist's document with `change` made to it. */
function altered(change) {
  const copy = structuredClone(documents.physiotherapist);
  change(copy['@graph']);
  return copy;
}

describe('JSON-LD documents of the seeds', () => {
  test('one per profession, six with a pathway, and the whole release', () => {
    const professions = Object.keys(documents).filter((name) => name !== 'pathways');
    assert.equal(professions.length, 15);
    const withPathway = professions.filter((name) => ofType(documents[name], 'ItemList').length === 1);
    assert.deepEqual(withPathway.sort(), [
      'art-therapist', 'drama-therapist', 'music-therapist',
      'occupational-therapist', 'physiotherapist', 'therapeutic-radiographer',
    ]);
    const release = documents.pathways;
    assert.equal(ofType(release, 'Occupation').length, 15);
    const steps = release['@graph'].filter((n) => n['@type'] === 'ItemList' && n['@id'].includes('/professions/'))
      .reduce((sum, list) => sum + list.itemListElement.length, 0);
    assert.equal(steps, 35, 'every step of every pathway');
    const physio = ofType(documents.physiotherapist, 'Occupation')[0];
    assert.deepEqual(physio.occupationalCategory.map((c) => c.codeValue).slice(0, 2), ['2221', '2264']);
  });

  test('every document compiles against schema.org as schema-dts types it', () => {
    const { ok, output } = typecheck(documents);
    assert.ok(ok, `schema-dts refused the documents:\n${output}`);
  });

  test('a wrong type or property is refused', () => {
    const wrong = {
      'unknown-property': altered((graph) => { graph[1].occupationalCategry = 'x'; }),
      'property-on-the-wrong-type': altered((graph) => {
        graph[2].itemListElement[0].item.educationalLevel = 'Level 2';
      }),
      'unknown-type': altered((graph) => { graph[1]['@type'] = 'Profession'; }),
    };
    const { ok, output } = typecheck(wrong);
    assert.equal(ok, false, 'tsc accepted documents it should refuse');
    for (const name of Object.keys(wrong)) {
      assert.match(output, new RegExp(`${name}\\.ts\\(\\d+,\\d+\\): error TS`), `${name} was not refused:\n${output}`);
    }
    assert.match(output, /occupationalCategry/);
    assert.match(output, /educationalLevel/);
  });

  test('every document expands under a JSON-LD processor, with no network', async () => {
    for (const [name, document] of Object.entries(documents)) {
      const expanded = await expand(document, context);
      const nodes = expanded.flatMap((n) => n['@graph'] ?? [n]);
      assert.ok(nodes.length >= 2, `${name}: nothing expanded`);
      for (const node of nodes) {
        for (const type of node['@type'] ?? []) {
          assert.match(type, /^https:\/\/schema\.org\/[A-Z]\w+$/, `${name}: type ${type}`);
        }
        for (const key of Object.keys(node).filter((k) => !k.startsWith('@'))) {
          assert.match(key, /^https:\/\/schema\.org\/[a-z]\w+$/, `${name}: property ${key}`);
        }
      }
    }
    const occupation = (await expand(documents.physiotherapist, context))
      .find((n) => n['@id'] === 'https://pathways.example/professions/physiotherapist#occupation');
    assert.equal(occupation['https://schema.org/url'][0]['@id'], 'https://pathways.example/professions/physiotherapist');
    await assert.rejects(
      expand({ ...documents.physiotherapist, '@context': 'https://example.org/context' }, context),
      /example\.org\/context/,
      'a context other than schema.org is not fetched',
    );
  });
});

describe('JSON-LD the server serves', () => {
  let server;
  /** name → document, as served: `pathways` and one per profession slug. */
  const served = {};

  before(async () => {
    server = await startServer(['--public-url', 'https://pathways.example']);
    const get = async (address, media) => {
      const response = await fetch(new URL(address, server.url));
      assert.equal(response.status, 200, address);
      assert.match(response.headers.get('content-type'), media, address);
      assert.ok(response.headers.get('etag'), `${address} has an ETag`);
      return response.text();
    };
    served.pathways = JSON.parse(await get('/pathways.jsonld', /^application\/ld\+json/));
    for (const name of Object.keys(documents).filter((n) => n !== 'pathways')) {
      const document = JSON.parse(await get(`/professions/${name}.jsonld`, /^application\/ld\+json/));
      // The page embeds the same document in its head.
      const html = await get(`/professions/${name}`, /^text\/html/);
      const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)];
      assert.equal(blocks.length, 1, `${name}: one JSON-LD block`);
      assert.deepEqual(JSON.parse(blocks[0][1]), document, `${name}: the page embeds its document`);
      served[name] = document;
    }
  });

  after(async () => {
    await server?.stop();
  });

  test('/pathways.jsonld and every /professions/<slug>.jsonld are the documents pathways-jsonld makes', () => {
    assert.equal(Object.keys(served).length, 16);
    assert.deepEqual(served, documents);
  });

  test('every served document compiles against schema.org as schema-dts types it', () => {
    const { ok, output } = typecheck(served);
    assert.ok(ok, `schema-dts refused the served documents:\n${output}`);
  });

  test('every served document expands under a JSON-LD processor, with no network', async () => {
    for (const [name, document] of Object.entries(served)) {
      const expanded = await expand(document, context);
      assert.ok(expanded.flatMap((n) => n['@graph'] ?? [n]).length >= 2, `${name}: nothing expanded`);
    }
  });
});
