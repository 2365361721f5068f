import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.local/',
      '.test-data/',
      'coverage/',
      'console/dist/',
      'client/dist/',
      'client/src/openapi-types.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The runtime must not depend on deployment code.
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/cdk/**', 'aws-cdk-lib', 'aws-cdk-lib/*'] }],
    },
  },
  {
    // Bundles tree-shake zod only through a namespace import: `import { z }` (or the default export)
    // keeps the whole `z` object, every locale included, in each function (README, "Performance").
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z'][importKind='value'], " +
            "ImportDeclaration[source.value='zod'][importKind='value'] > ImportDefaultSpecifier",
          message: "Import zod as `import * as z from 'zod'` so that bundles carry only what is used.",
        },
      ],
    },
  },
  {
    // The domain talks to ports only; AWS SDK clients live in adapters.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', '**/adapters/**', 'undici', '@middy/*', '@aws-lambda-powertools/*'] },
      ],
    },
  },
);
