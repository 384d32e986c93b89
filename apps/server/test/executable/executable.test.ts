import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXECUTABLE,
  EXECUTABLE_BUNDLE,
  mappedFiles,
  type PackagedParley,
  packageUnlessFresh,
  REPO_ROOT,
  startPackagedParley,
} from '../../src/testing/packaged-parley.ts';

// `pnpm package` builds dist/parley, a single executable, and dist/parley-node, the same bundle as plain files.
// Each is taken out of the repository, into an empty folder, and run with nothing but its port settings: no PATH,
// no HOME, no node_modules to fall back on.

const folders: string[] = [];
const emptyFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'parley-executable-'));
  folders.push(folder);
  return folder;
};

beforeAll(() => packageUnlessFresh(), 300_000);
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** What an operator and a visitor first see, and proof that nothing came from the repository. */
async function servesAloneAndStops(parley: PackagedParley): Promise<void> {
  expect(await (await fetch(`${parley.url}/healthz`)).json()).toEqual({ status: 'ok' });

  const widget = await fetch(`${parley.url}/widget.js`);
  expect(widget.status).toBe(200);
  expect(widget.headers.get('content-type')).toMatch(/javascript/);
  expect((await widget.text()).length).toBeGreaterThan(1000);

  // The demo website's own launcher, which the server renders from the widget's build with the website's settings.
  const demo = await (await fetch(`${parley.url}/demo`)).text();
  const key = /data-account="([^"]+)"/.exec(demo)?.[1];
  expect(key).toBeDefined();
  const own = await fetch(`${parley.url}/w/${key}/widget.js`);
  expect(own.status).toBe(200);
  expect(own.headers.get('content-type')).toMatch(/javascript/);

  // The public site is an Astro build imported from disk at run time.
  const privacy = await fetch(`${parley.url}/privacy`);
  expect(privacy.status).toBe(200);
  expect(privacy.headers.get('content-type')).toMatch(/text\/html/);
  expect(await privacy.text()).toMatch(/<h1[^>]*>[^<]*Privacy/i);

  // The native addons (SQLite, sharp and libvips) are mapped, from outside the repository.
  const mapped = mappedFiles(parley.pid);
  expect(mapped.some((path) => path.endsWith('better_sqlite3.node'))).toBe(true);
  expect(mapped.some((path) => path.includes('libvips-cpp.so'))).toBe(true);
  expect(mapped.filter((path) => path.startsWith(REPO_ROOT))).toEqual([]);

  expect(await parley.stop()).toBe(0);
  // Nothing failed on the way, the checkpoint worker (which loads the driver from the runtime folder) included.
  expect(parley.output()).not.toMatch(/failed|Error/);
}

describe('the single executable, dist/parley', () => {
  it('runs alone in an empty folder, with its files written out under ./data/runtime', async () => {
    const folder = emptyFolder();
    copyFileSync(EXECUTABLE, join(folder, 'parley'));
    const parley = await startPackagedParley(join(folder, 'parley'), ['serve'], folder);
    await servesAloneAndStops(parley);
    expect(readdirSync(join(folder, 'data', 'runtime'))).toHaveLength(1);
    expect(parley.output()).not.toMatch(/Warning/);
  }, 120_000);

  it('starts again on the files it wrote the first time', async () => {
    const folder = emptyFolder();
    copyFileSync(EXECUTABLE, join(folder, 'parley'));
    await (await startPackagedParley(join(folder, 'parley'), ['serve'], folder)).stop();
    const [written] = readdirSync(join(folder, 'data', 'runtime'));
    const again = await startPackagedParley(join(folder, 'parley'), ['serve'], folder);
    expect(await (await fetch(`${again.url}/privacy`)).text()).toMatch(/Privacy/);
    expect(await again.stop()).toBe(0);
    expect(readdirSync(join(folder, 'data', 'runtime'))).toEqual([written]);
  }, 120_000);

  it('answers --help', () => {
    const help = execFileSync(EXECUTABLE, ['--help'], { cwd: emptyFolder(), env: {}, encoding: 'utf8' });
    expect(help).toMatch(/Usage: parley/);
    expect(help).toMatch(/serve/);
  });
});

describe('dist/parley-node, run with node', () => {
  it('runs from a copy outside the repository, from an empty folder', async () => {
    const copy = join(emptyFolder(), 'parley-node');
    cpSync(join(EXECUTABLE_BUNDLE, '..'), copy, { recursive: true });
    const folder = emptyFolder();
    const parley = await startPackagedParley(process.execPath, [join(copy, 'parley.cjs'), 'serve'], folder);
    await servesAloneAndStops(parley);
  }, 120_000);
});
