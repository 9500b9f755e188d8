// The explorer's own queries as a manifest of trusted documents, made by
// GraphQL Codegen's client preset (`persistedDocuments`, keys `sha256:<hex>`
// as the GraphQL-over-HTTP persisted-documents proposal names them).
// `npm run persisted-documents` writes tests/fixtures/persisted-documents.json;
// persisted.test.mjs checks the committed file is what codegen makes today.

import { generate } from '@graphql-codegen/cli';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const committed = path.join(repo, 'tests', 'fixtures', 'persisted-documents.json');

/** `const NAME = \`query ...\`;` declarations of the explorer's script. */
export function explorerQueries() {
  const script = readFileSync(path.join(repo, 'crates/pathways-server/src/http/explorer/app.js'), 'utf8');
  return [...script.matchAll(/const ([A-Z_]+) = `((?:query|mutation)[^`]*)`;/g)].map(([, name, text]) => ({ name, text }));
}

/** Runs codegen over the explorer's queries; resolves to the manifest object. */
export async function generateManifest() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'pathways-codegen-'));
  try {
    const documents = path.join(scratch, 'documents');
    mkdirSync(documents);
    for (const { name, text } of explorerQueries()) {
      writeFileSync(path.join(documents, `${name.toLowerCase()}.graphql`), text);
    }
    const out = path.join(scratch, 'gql') + '/';
    await generate({
      schema: path.join(repo, 'schema', 'pathways.graphql'),
      documents: path.join(documents, '*.graphql'),
      generates: {
        [out]: {
          preset: 'client',
          presetConfig: {
            persistedDocuments: {
              hashAlgorithm: (document) => `sha256:${createHash('sha256').update(document).digest('hex')}`,
            },
          },
        },
      },
      silent: true,
    }, true);
    return JSON.parse(readFileSync(path.join(out, 'persisted-documents.json'), 'utf8'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = await generateManifest();
  writeFileSync(committed, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${Object.keys(manifest).length} documents to ${committed}`);
}
