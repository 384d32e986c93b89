// @ts-check
import { defineConfig, passthroughImageService } from 'astro/config';
import parleyServer from './server/integration.mjs';

// No client JavaScript, except one small script file on each sign-up page (`public/scripts/`). The chat server
// renders each page when it is asked for, from the policy of the installation serving it (`server/entry.ts`), so one
// build serves every installation truthfully: what a page says about processors, cookies, the region and the
// operator follows the configuration the server runs with.
//
// The workspace packages export TypeScript source (`.ts` imports, JSON import attributes). `noExternal` bundles
// them, zod and Astro's runtime into `dist/server/`, which then needs no node_modules beside it.
export default defineConfig({
  output: 'server',
  adapter: parleyServer(),
  // One stylesheet file for every page rather than inline <style>: cached once, and allowed by a strict
  // `style-src 'self'` content security policy.
  build: { format: 'directory', inlineStylesheets: 'never' },
  // The site has no images to optimise.
  image: { service: passthroughImageService() },
  devToolbar: { enabled: false },
  prefetch: false,
  vite: {
    ssr: { noExternal: true },
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
