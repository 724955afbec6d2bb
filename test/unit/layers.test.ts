/**
 * The import rules of eslint.config.js (the layer table of docs/architecture.md) do fail the
 * lint: each case lints one import as if it were written in a guarded directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/read-model/x.ts', '../store/sqlite/sqlite-event-store.js'],
    ['src/read-model/x.ts', '../app/types.js'],
    ['src/export/x.ts', '../app/types.js'],
    ['src/http/x.ts', '../store/hash-chain.js'],
    ['src/http/x.ts', '../read-model/queries.js'],
    ['src/http/x.ts', '../bootstrap.js'],
    ['src/app/x.ts', '../store/esdb/esdb-event-store.js'],
    ['src/cli/x.ts', '../http/server.js'],
    ['src/domain/x.ts', '../read-model/port.js'],
    ['src/shared/x.ts', '../domain/values.js'],
    ['src/extraction/x.ts', '../app/types.js'],
  ])(
    '%s may not import %s',
    async (file, specifier) => {
      const errors = await layerErrors(file, specifier);
      expect(errors).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    ['src/read-model/x.ts', '../store/port.js'],
    ['src/http/x.ts', '../read-model/types.js'],
    ['src/app/x.ts', '../read-model/port.js'],
    ['src/cli/x.ts', '../bootstrap.js'],
    ['src/export/x.ts', '../read-model/types.js'],
  ])(
    '%s may import %s',
    async (file, specifier) => {
      expect(await layerErrors(file, specifier)).toEqual([]);
    },
    60_000,
  );
});
