// @ts-check
/**
 * `astro check` for the admin site: type-checks the `.astro` files (frontmatter, template
 * expressions, component props, `<script>` tags) with Astro's language server, and exits non-zero
 * on any error or warning. The site's `.ts` files are checked by the project's own `tsc`
 * (see `typecheck:site` in package.json).
 *
 * Why not `astro check` itself: it runs on the TypeScript language service API, which the project's
 * TypeScript 7 (the native compiler) does not ship; `astro check` refuses TypeScript 7, and
 * `@astrojs/check` declares `typescript ^5 || ^6` as a peer, which npm cannot satisfy beside the
 * project's 7. So the project installs `@astrojs/language-server` (what `@astrojs/check` wraps) and
 * gives it, and only it, TypeScript 6 (`overrides` in package.json), and this script does what
 * `@astrojs/check`'s CLI does: `astro sync` has written `.astro/types.d.ts` first.
 *
 * Usage: node site/tools/astro-check.mjs
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstroCheck } from '@astrojs/language-server';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// The TypeScript that npm nested under the language server, never the project's TypeScript 7.
const serverDir = dirname(require.resolve('@astrojs/language-server'));
const typescriptPath = require.resolve('typescript', { paths: [serverDir] });
const { version } = require(join(dirname(typescriptPath), '..', 'package.json'));
if (Number(version.split('.')[0]) >= 7) {
  console.error(`astro-check: found TypeScript ${version} for the language server; it needs 5 or 6 (see "overrides" in package.json)`);
  process.exit(2);
}

const checker = new AstroCheck(root, typescriptPath, join(root, 'tsconfig.json'));
const fileNames = checker.linter.getRootFileNames().filter((file) => file.endsWith('.astro'));
const result = await checker.lint({ fileNames, logErrors: { level: 'hint' } });
console.info(
  `astro-check (TypeScript ${version}): ${result.fileChecked} .astro files, ${result.errors} errors, ${result.warnings} warnings, ${result.hints} hints`,
);
process.exit(result.errors > 0 || result.warnings > 0 ? 1 : 0);
