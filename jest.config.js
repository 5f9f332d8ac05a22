/** Unit specs sit beside the code (*.spec.ts); *.int-spec.ts and *.e2e-spec.ts talk to real PostgreSQL, Redis and BullMQ. */
/**
 * ES-module-only dependencies, compiled to CommonJS for Jest: Node 20.19+
 * can require() them, Jest's module runtime on Node 20 cannot.
 * content-disposition 3 comes with @fastify/static 10 (bull-board's Fastify adapter);
 * change-case 5 with masto 7 (the Mastodon client-library test).
 */
const esmOnly = ['content-disposition', 'change-case'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2023', isolatedModules: true } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];
const moduleNameMapper = { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' };
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  testTimeout: 60_000,
};

module.exports = {
  testTimeout: 60_000,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,scripts,bench}/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.e2e-spec.ts'] },
    // Hostile requests generated from the apps' OpenAPI documents, and the authorization matrix (test/fuzz).
    { ...common, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'] },
    // The fault matrix (npm run test:faults): the apps as processes, faults injected under load.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/**/*.faults-spec.ts'] },
    // The web app: unit specs of its logic, and browser tests of the built app against a running stack.
    {
      ...common,
      displayName: 'web',
      testMatch: ['<rootDir>/apps/web/**/*.spec.ts', '<rootDir>/apps/web/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ].map((project) =>
    project.displayName === 'web'
      ? project
      : { ...project, testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/'] },
  ),
};
