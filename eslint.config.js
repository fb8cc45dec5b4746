// ESLint flat config: TypeScript-aware rules plus the project's one hard
// architectural rule — nothing outside main/ may import electron.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronPaths = [
      { name: 'electron', message: 'Only main/ and preload/ may import electron (importing it elsewhere triggers a binary download).' },
      { name: 'electron-store', message: 'The engine takes a store instance from the shell; only main/ imports electron-store.' },
      { name: 'electron-log', message: 'Only main/ uses electron-log; app/ has its own logger.' },
];

// The one direction of imports (ARCHITECTURE.md): app/ imports no other room,
// sandbox/ only the protocol tables of app/licenseapi, renderer/ only the contract;
// the shells (main/, cli/) sit on top and wire the embedded sandbox in.
const room = (name, message) => ({ group: [`**/${name}/**`, `../${name}/*`, `../../${name}/*`], message });
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { paths: electronPaths, patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', '.cache/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['app/**'], rules: restrict(
    room('main', 'app/ must not depend on the Electron shell.'),
    room('preload', 'app/ must not depend on the Electron shell.'),
    room('renderer', 'app/ must not depend on the window.'),
    room('test', 'app/ must not depend on tests.'),
    room('bench', 'app/ must not depend on benchmarks.'),
    room('sandbox', 'app/ must not depend on the sandbox: the shells (main/ in development, cli/) wire the embedded one in.'),
    room('cli', 'app/ must not depend on the command line shell.'),
  ) },
  // The message catalogues: pure data and Intl, taken by app/, cli/, main/ and the renderer alike.
  { files: ['locales/**'], ignores: ['locales/**/*.test.ts'], rules: restrict(
    room('app', 'locales/ is a leaf: everyone may import it, it imports no room.'),
    room('main', 'locales/ is a leaf: everyone may import it, it imports no room.'),
    room('preload', 'locales/ is a leaf: everyone may import it, it imports no room.'),
    room('renderer', 'locales/ is a leaf: everyone may import it, it imports no room.'),
    room('cli', 'locales/ is a leaf: everyone may import it, it imports no room.'),
  ), languageOptions: { globals: {} } },
  // Unit tests beside app/ code may use the shared test helpers (test/support/).
  { files: ['app/**/*.test.ts'], rules: restrict(
    room('main', 'app/ must not depend on the Electron shell.'),
    room('renderer', 'app/ must not depend on the window.'),
  ) },
  { files: ['cli/**'], rules: restrict(
    room('main', 'the command line is a shell beside main/, not on it.'),
    room('preload', 'the command line is a shell beside main/, not on it.'),
    room('renderer', 'the command line is a shell beside main/, not on it.'),
  ) },
  { files: ['sandbox/**'], ignores: ['sandbox/**/*.test.ts', 'sandbox/embedded.ts'], rules: restrict(
    room('main', 'the sandbox is independent of the shell.'),
    { group: ['**/app/*', '!**/app/licenseapi', '!**/app/variables.ts', '**/app/!(licenseapi)/**'], message: 'the sandbox may use only the protocol tables in app/licenseapi/ (and app/variables.ts).' },
  ) },
  { files: ['renderer/**'], rules: {
    ...restrict(room('main', 'the renderer talks to main only through preload/contract.ts.')),
    // Types from app/ are fine (they are erased); code is not.
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { ...room('app', 'the renderer may import only types from app/; it talks to the engine through preload/contract.ts.'), allowTypeImports: true },
    ] }],
  } },
  { files: ['bench/**', 'test/**', 'tools/**'], rules: restrict() },
  // The probe app runs on the stand-in as an Electron app would (its preloads are CommonJS on purpose).
  { files: ['test/electron-standin/fixtures/**'], rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-require-imports': 'off' } },
  // The Electron stand-in is typed against electron.d.ts: type imports only (nothing loads electron).
  { files: ['test/electron-standin/**'], ignores: ['test/electron-standin/fixtures/**'], rules: {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': ['error', { paths: electronPaths.map((p) => ({ ...p, allowTypeImports: p.name === 'electron' })) }],
  } },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
);
