// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of docs/architecture.md as import rules: each entry names what a directory may NOT
 * import (patterns match the import specifier). Imports run downwards only:
 * shared ← domain ← projections ← store (port) ← read-model ← app ← http, export ← cli, bootstrap.
 * test/unit/layers.test.ts shows that a forbidden import fails the lint.
 */
const ADAPTERS = ['**/store/sqlite/**', '**/store/esdb/**'];
const ROOT = ['**/bootstrap', '**/bootstrap.js', '**/bootstrap.ts'];
const UPPER = ['**/app/**', '**/http/**', '**/cli/**', '**/export/**', ...ROOT];
export const LAYERS = [
  {
    files: ['src/shared/**/*.ts'],
    forbidden: ['**/domain/**', '**/projections/**', '**/store/**', '**/read-model/**', ...UPPER],
    why: 'src/shared holds helpers below every layer: it imports nothing of ours.',
  },
  {
    files: ['src/domain/**/*.ts', 'projections/**/*.ts'],
    forbidden: ['**/store/**', '**/read-model/**', ...UPPER, 'better-sqlite3', 'express'],
    why: 'The domain and the projections are pure: no store, read model, application, HTTP or CLI.',
  },
  {
    files: ['src/extraction/**/*.ts'],
    forbidden: [
      '**/projections/**',
      '**/store/**',
      '**/read-model/**',
      ...UPPER,
      'better-sqlite3',
      'express',
    ],
    why: 'Extraction is pure: it reads a text with the domain and writes nothing.',
  },
  {
    files: ['src/store/**/*.ts'],
    forbidden: ['**/read-model/**', ...UPPER, 'express'],
    why: 'The store knows only the domain: it must not import the read model or any layer above.',
  },
  {
    files: ['src/read-model/**/*.ts'],
    forbidden: [...ADAPTERS, ...UPPER, 'express'],
    why: 'The read model depends on the store port, never on an adapter, nor on the layers above.',
  },
  {
    files: ['src/app/**/*.ts'],
    forbidden: [
      ...ADAPTERS,
      '**/http/**',
      '**/cli/**',
      '**/export/**',
      ...ROOT,
      'better-sqlite3',
      'express',
    ],
    why: 'The application holds commands and queries over ports: adapters are chosen in src/bootstrap.ts.',
  },
  {
    files: ['src/export/**/*.ts'],
    forbidden: [...ADAPTERS, '**/app/**', '**/http/**', '**/cli/**', ...ROOT, 'better-sqlite3'],
    why: 'Exports render views and events; they are handed data, they do not call the application.',
  },
  {
    files: ['src/http/**/*.ts'],
    forbidden: [
      ...ADAPTERS,
      '**/store/hash-chain*',
      '**/read-model/**',
      '!**/read-model/types.js',
      '**/cli/**',
      ...ROOT,
      'better-sqlite3',
    ],
    why: 'HTTP sees the application and the schemas, never a database handle or store internals.',
  },
  {
    files: ['src/cli/**/*.ts'],
    forbidden: ['**/http/**', 'better-sqlite3'],
    why: 'The CLI reaches the server, the logger and read-model maintenance through src/bootstrap.ts.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The domain and the projections are pure: no clock.
    files: ['src/domain/**/*.ts', 'projections/**/*.ts', 'src/extraction/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Inject the clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Inject the clock.',
        },
      ],
    },
  },
  ...LAYERS.map(({ files, forbidden, why }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: why }] }],
    },
  })),
);
