// Jest runs the TypeScript sources as native ES modules (got is ESM-only), so
// `npm test` starts node with --experimental-vm-modules. With `isolatedModules` in
// tsconfig, ts-jest only transpiles; `npm run typecheck` is where types are checked.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import './x.js' (NodeNext style); point jest at the .ts file.
    // Not './x.json.js': libphonenumber-js ships its metadata as such modules.
    '^(\\.{1,2}/.*)(?<!\\.json)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testTimeout: 20000,
};
