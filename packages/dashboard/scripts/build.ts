import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, context } from 'esbuild';

/**
 * Builds the dashboard the server serves at `/app`: `index.html` (no inline script or style, for the CSP),
 * `app.js` and `app.css`, minified for current browsers. `--watch` rebuilds on change for development.
 */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Browsers with `<dialog>`, `:focus-visible`, `Object.hasOwn` and private class fields. */
const TARGET = ['chrome100', 'firefox100', 'safari15.4', 'edge100'];

export interface BuildResult {
  outdir: string;
  sizes: Record<'index.html' | 'app.js' | 'app.css', number>;
}

function bundles(outdir: string): BuildOptions[] {
  const common: BuildOptions = {
    bundle: true,
    minify: true,
    target: TARGET,
    legalComments: 'none',
    logLevel: 'warning',
    charset: 'utf8',
  };
  return [
    {
      ...common,
      entryPoints: [join(packageDir, 'src/main.ts')],
      outfile: join(outdir, 'app.js'),
      platform: 'browser',
      format: 'iife',
    },
    { ...common, entryPoints: [join(packageDir, 'src/styles/app.css')], outfile: join(outdir, 'app.css') },
  ];
}

export async function buildDashboard(outdir: string = join(packageDir, 'dist')): Promise<BuildResult> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  for (const options of bundles(outdir)) await build(options);
  await copyFile(join(packageDir, 'src/index.html'), join(outdir, 'index.html'));
  const size = async (name: string) => (await stat(join(outdir, name))).size;
  return {
    outdir,
    sizes: {
      'index.html': await size('index.html'),
      'app.js': await size('app.js'),
      'app.css': await size('app.css'),
    },
  };
}

async function watchDashboard(outdir: string = join(packageDir, 'dist')): Promise<void> {
  await buildDashboard(outdir);
  for (const options of bundles(outdir)) await (await context({ ...options, logLevel: 'info' })).watch();
  console.log('Watching src/ (index.html is copied once; rerun after changing it).');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--watch')) {
    await watchDashboard();
  } else {
    const { sizes } = await buildDashboard();
    for (const [name, bytes] of Object.entries(sizes)) {
      console.log(`dist/${name.padEnd(11)} ${(bytes / 1024).toFixed(1)} KB`);
    }
  }
}
