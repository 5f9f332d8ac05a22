// Type-aware linting: floating promises and non-exhaustive switches are errors.
// Module boundaries (STYLE.md "Layout") are checked here too, with ESLint's own no-restricted-imports.
import fs from 'node:fs';
import path from 'node:path';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which libraries each library may import: the dependency graph, lowest layer
 * first. Apps may import any library but `testing`; specs may also import
 * `testing`; no library imports an app. A new library must be listed here.
 */
const LIB_DEPENDENCIES = {
  config: [],
  database: ['config'],
  redis: ['config'],
  auth: ['config'],
  observability: ['config', 'database', 'redis'],
  http: ['config', 'observability'],
  queue: ['config', 'database', 'redis'],
  timelines: ['config', 'database', 'redis'],
  accounts: ['auth', 'config', 'database', 'timelines'],
  follows: ['config', 'database', 'queue', 'timelines'],
  posts: ['config', 'database', 'queue', 'timelines'],
  feed: ['config', 'database', 'observability', 'queue', 'timelines'],
  push: ['config', 'database', 'queue'],
  testing: ['config', 'database', 'http', 'queue', 'redis', 'timelines'],
};

const dirs = (parent) =>
  fs
    .readdirSync(path.join(import.meta.dirname, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const APPS = dirs('apps');
const LIBS = dirs('libs');
const unlisted = LIBS.filter((lib) => !(lib in LIB_DEPENDENCIES));
if (unlisted.length > 0) throw new Error(`eslint.config.mjs: add ${unlisted.join(', ')} to LIB_DEPENDENCIES`);

const SPECS = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];
// App and lib folder names are kebab-case: nothing to escape in a regular expression.
const alternatives = (names) => names.join('|');
const innerFile = {
  regex: '^@app/[^/]+/',
  message: 'Import a library by its name, @app/<lib>, never an inner file.',
};
const relativeIntoLibs = {
  regex: '^(\\.\\./)+libs/',
  message: 'Import a library by its name, @app/<lib>, not by a relative path.',
};

/** no-restricted-imports for files of one app or lib; `paths` are forbidden package names. */
function boundaries(paths, patterns) {
  return ['error', { paths, patterns: [innerFile, relativeIntoLibs, ...patterns] }];
}

const forbidLibs = (names, why) => names.map((name) => ({ name: `@app/${name}`, message: why }));

function appBoundaries(app) {
  const others = APPS.filter((other) => other !== app);
  const otherApp = (allowRootModule) => ({
    // A spec may boot another app through its root module (apps/<name>/src/<name>.module), nothing deeper.
    regex: allowRootModule
      ? `^(\\.\\./)+(${alternatives(others)})/(?!src/\\2\\.module$)`
      : `^(\\.\\./)+(apps/|(${alternatives(others)})/)`,
    message: allowRootModule
      ? 'A spec may import another app only through its root module.'
      : 'An app never imports another app: move what they share into a library.',
  });
  return [
    {
      files: [`apps/${app}/**/*.ts`],
      ignores: SPECS,
      rules: {
        'no-restricted-imports': boundaries(forbidLibs(['testing'], 'Only specs use @app/testing.'), [
          otherApp(false),
        ]),
      },
    },
    {
      files: SPECS.map((spec) => `apps/${app}/${spec}`),
      rules: { 'no-restricted-imports': boundaries([], [otherApp(true)]) },
    },
  ];
}

function libBoundaries(lib) {
  const intoOtherLib = {
    regex: `^(\\.\\./)+(apps/|(${alternatives([...APPS, ...LIBS.filter((other) => other !== lib)])})/)`,
    message: 'A library never imports an app, nor another library by a relative path.',
  };
  const why = `libs/${lib} may not depend on this library (LIB_DEPENDENCIES in eslint.config.mjs).`;
  const forbidden = (extra) =>
    forbidLibs(
      LIBS.filter((other) => !LIB_DEPENDENCIES[lib].includes(other) && !extra.includes(other)),
      why,
    );
  return [
    {
      files: [`libs/${lib}/**/*.ts`],
      ignores: SPECS,
      rules: { 'no-restricted-imports': boundaries(forbidden([]), [intoOtherLib]) },
    },
    {
      files: SPECS.map((spec) => `libs/${lib}/${spec}`),
      rules: { 'no-restricted-imports': boundaries(forbidden(['testing']), [intoOtherLib]) },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'libs/database/src/generated/**',
      'reports/**',
      'apps/admin-dashboard/public/**',
      'k6/**',
      '*.config.js',
      '*.config.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      // Tests and Nest decorators lean on values typed `any` by their libraries.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: [...SPECS, 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Outside apps and libs (scripts, bench, test): libraries by name only.
  { files: ['**/*.ts'], rules: { 'no-restricted-imports': boundaries([], []) } },
  ...APPS.flatMap(appBoundaries),
  ...LIBS.flatMap(libBoundaries),
);
