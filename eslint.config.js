// ESLint: the boundaries between the parts (docs/architecture.md, "Folders"), checked on every
// `npm test`. Each part may import only what it is allowed to; the TypeScript programs
// (tsconfig.node.json, tsconfig.web.json) check the same seams for types.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

/** `window`, `document` and friends: the DOM, which the engine and shared/ never touch. */
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'].map((name) => ({
  name,
  message: 'The engine and shared/ run outside a window: no DOM here.',
}));

const ELECTRON = {
  name: 'electron',
  message: 'Only electron/main and electron/preload import Electron; the engine is built with its dependencies passed in.',
};

/** Relative imports that climb into a sibling part of electron/ or into the window. */
const intoPart = (parts, message) => ({ regex: `^(\\.\\.?/)(\\.\\./)*(${parts.join('|')})(/|$)`, message });

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'dist-electron/', 'dist-renderer/', 'dist-cli/', 'release/', 'test-results/', '.tmp/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_` marks an argument a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // No module-level mutable state in product code: what a module keeps is passed in or built per use.
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Program > VariableDeclaration[kind!='const'], Program > ExportNamedDeclaration > VariableDeclaration[kind!='const']",
          message: 'No module-level mutable state: keep it in what the caller builds (createEngine, a class, a closure).',
        },
        {
          // zod's `z` export brings every locale and the JSON-schema converters into a bundle; the
          // namespace import lets esbuild keep only what is used (a fifth of the size).
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
          message: "Import zod as a namespace (import * as z from 'zod'), so bundles carry only the zod they use.",
        },
      ],
    },
  },
  // The engine: Node only, never Electron, never the window, never the hosts that call it; its
  // product code uses no test helper (its tests may read test/fixtures). The local store sits
  // below the upload engine: upload/ uses store/, never the other way round.
  ...[false, true].flatMap((isTest) =>
    [false, true].map((isStore) => ({
      files: (isStore ? ['electron/engine/store/'] : ['electron/engine/']).flatMap((dir) =>
        isTest ? TESTS.map((t) => `${dir}${t}`) : [`${dir}**/*.ts`],
      ),
      ignores: isTest ? [] : TESTS,
      rules: {
        'no-restricted-globals': ['error', ...DOM_GLOBALS],
        'no-restricted-imports': [
          'error',
          {
            paths: [ELECTRON, { name: 'react', message: 'The engine has no UI.' }],
            patterns: [
              { group: ['electron/*'], message: ELECTRON.message },
              intoPart(
                ['host', 'cli', 'main', 'preload', 'web', 'renderer', ...(isTest ? [] : ['test'])],
                isTest
                  ? 'The engine depends on nothing that calls it (host, cli, main, preload, web, renderer).'
                  : 'The engine depends on nothing that calls it (host, cli, main, preload, web, renderer) and on no test helper.',
              ),
              ...(isStore
                ? [
                    {
                      regex: '^(\\.\\./)+((electron/)?engine/)?upload(/|$)',
                      message:
                        'The local store does not depend on the upload engine: declare a shape both need in store/ (or shared/), and let upload/ import it.',
                    },
                  ]
                : []),
            ],
          },
        ],
      },
    })),
  ),
  // shared/: isomorphic, imports nothing but zod (and its own files).
  {
    files: ['shared/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./)',
              message: 'shared/ runs in the engine and in the window: it imports nothing but zod and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
      'no-restricted-imports': ['error', { paths: [ELECTRON], patterns: [{ group: ['electron/*'], message: ELECTRON.message }] }],
    },
  },
  // The window: React, shared/ and the contract's API only; no Node, no Electron, no engine.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON],
          patterns: [
            { regex: '^node:', message: 'The window runs sandboxed in a browser: no Node modules.' },
            {
              group: builtinModules.filter((m) => !m.startsWith('_')),
              message: 'The window runs sandboxed in a browser: no Node modules.',
            },
            {
              regex: '^(\\.\\./)+electron(/|$)',
              message: 'The window reaches the engine only through the contract (shared/ipc-contract.ts), never by importing electron/.',
            },
            { group: ['electron/*'], message: ELECTRON.message },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: [...TESTS, 'renderer/vite.config.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', 'global'].map((name) => ({ name, message: 'The window has no Node globals.' })),
      ],
    },
  },
);
