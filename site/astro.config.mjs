// @ts-check
import { defineConfig } from 'astro/config';

/**
 * Admin site: static build served by the Worker's static-assets binding on the same origin
 * as the JSON API (`/api/...`), so the session cookie is sent with every fetch.
 */
export default defineConfig({
  output: 'static',
  outDir: './dist',
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // Scoped component styles add no specificity (`:where(...)`): a rule weighs the same in a component's
  // <style> as in the global stylesheet.
  scopedStyleStrategy: 'where',
});
