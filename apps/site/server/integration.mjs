// @ts-check

/**
 * An Astro adapter for the chat server: the site is rendered on each request from the policy of the installation
 * that serves it, passed in as `locals`. The build writes `dist/client/` (stylesheet, icon) and
 * `dist/server/entry.mjs`, which exports `render(request, locals)` and carries everything it needs.
 *
 * @returns {import('astro').AstroIntegration}
 */
export default function parleyServer() {
  return {
    name: 'parley-server',
    hooks: {
      'astro:config:done': ({ setAdapter }) => {
        setAdapter({
          name: 'parley-server',
          serverEntrypoint: new URL('./entry.ts', import.meta.url).pathname,
          exports: ['render'],
          supportedAstroFeatures: {
            serverOutput: 'stable',
            staticOutput: 'unsupported',
            hybridOutput: 'unsupported',
            sharpImageService: 'unsupported',
          },
          adapterFeatures: { buildOutput: 'server' },
        });
      },
    },
  };
}
