// @ts-check
import { defineConfig } from 'astro/config';

// A static site with no client JavaScript. The chat server serves `dist/` as it is, so the pages show the
// installation's own region and operator, read once at build time in `src/policy.ts`.
//
// The workspace packages export TypeScript source (`.ts` imports, JSON import attributes). Vite does not
// externalise linked workspace packages, so it transforms them like the site's own code and needs no setting.
export default defineConfig({
  output: 'static',
  // One stylesheet file for every page rather than inline <style>: cached once, and allowed by a strict
  // `style-src 'self'` content security policy.
  build: { format: 'directory', inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  prefetch: false,
  vite: {
    build: {
      rollupOptions: {
        output: {
          // Rollup names the shared stylesheet after the first page that uses it; call it what it is.
          assetFileNames: (asset) =>
            asset.names.some((name) => name.endsWith('.css'))
              ? '_astro/site.[hash][extname]'
              : '_astro/[name].[hash][extname]',
        },
        onwarn(warning, warn) {
          // zod's sources carry explanatory comments next to `@__PURE__` annotations; Rollup drops them, harmlessly.
          if (warning.code === 'INVALID_ANNOTATION') return;
          warn(warning);
        },
      },
    },
  },
});
