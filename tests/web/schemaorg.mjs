// Checks JSON-LD documents against schema.org's own definitions, with no network:
// - typed: each document compiles as Google's `schema-dts` `Graph` under `tsc`,
//   which refuses a type schema.org lacks, a property it lacks, and a property
//   on a type that does not allow it (excess-property checks on object literals);
// - expanded: the `jsonld` processor expands it with the context served from
//   memory (`safe` mode: any term that would be dropped is an error).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';

const modules = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules');
const typings = path.join(modules, 'schema-dts', 'dist', 'schema.d.ts');
const tsc = path.join(modules, 'typescript', 'bin', 'tsc');

/**
 * Compiles `documents` ({ name: document }) against schema-dts. Resolves to
 * { ok, output }: `output` is tsc's diagnostics, each naming its document's file.
 */
export function typecheck(documents) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathways-schemaorg-'));
  try {
    const files = Object.entries(documents).map(([name, document]) => {
      const file = `${name.replace(/[^a-z0-9-]/gi, '_')}.ts`;
      writeFileSync(
        path.join(dir, file),
        `import type { Graph } from "schema-dts";\nexport const document: Graph = ${JSON.stringify(document, null, 2)};\n`,
      );
      return file;
    });
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ES2022',
        moduleResolution: 'bundler',
        types: [],
        paths: { 'schema-dts': [typings] },
      },
      files,
    }));
    const run = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The addresses a document may name as its context, all served `context`. */
const SCHEMA_ORG = new Set(['https://schema.org', 'https://schema.org/', 'http://schema.org', 'http://schema.org/']);

/** Expands `document` with `context` served for schema.org; any other fetch fails. */
export async function expand(document, context) {
  const documentLoader = async (url) => {
    if (SCHEMA_ORG.has(url)) return { contextUrl: null, documentUrl: url, document: context };
    throw new Error(`no network: the document asked for ${url}`);
  };
  return jsonld.expand(document, { documentLoader, safe: true });
}
