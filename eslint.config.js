// ESLint flat config: TypeScript-aware rules plus the project's one hard
// architectural rule — nothing outside main/ may import electron.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  'no-restricted-imports': ['error', {
    paths: [
      { name: 'electron', message: 'Only main/ and preload/ may import electron (importing it elsewhere triggers a binary download).' },
      { name: 'electron-store', message: 'The engine takes a store instance from the shell; only main/ imports electron-store.' },
      { name: 'electron-log', message: 'Only main/ uses electron-log; app/ has its own logger.' },
    ],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', '.cache/'] },
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
  { files: ['app/**', 'sandbox/**', 'bench/**', 'renderer/**'], rules: noElectron },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
);
