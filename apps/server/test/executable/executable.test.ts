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
import { phonePhoto } from '../../src/testing/phone-photo.ts';
import { TestSocket } from '../../src/testing/test-app.ts';

// `pnpm package` builds dist/parley, a single executable, and dist/parley-node, the same bundle as plain files.
// Each is taken out of the repository, into an empty folder, and run with nothing but its port settings: no PATH,
// no HOME, no node_modules to fall back on.

/** How long a test waits for a frame: generous, the machine may be busy. */
const FRAME_MS = 20_000;

const folders: string[] = [];
const emptyFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'parley-executable-'));
  folders.push(folder);
  return folder;
};

/** Every server started, so that one a failed assertion left running is stopped too. */
const started: PackagedParley[] = [];
const start = async (...args: Parameters<typeof startPackagedParley>) => {
  const parley = await startPackagedParley(...args);
  started.push(parley);
  return parley;
};

beforeAll(() => packageUnlessFresh(), 300_000);
afterAll(async () => {
  await Promise.all(started.map((parley) => parley.stop()));
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

  // A visitor's message, stored by SQLite, and a photo, encoded again by sharp with libvips.
  const visitor = new TestSocket(`${parley.url.replace(/^http/, 'ws')}/ws/visitor?account=${key}`, {
    origin: parley.url,
  });
  await visitor.opened();
  visitor.send({ type: 'hello', persistent: true });
  await visitor.next('welcome', undefined, FRAME_MS);
  visitor.send({ type: 'send', key: 'executable_hello', text: 'Hello from the packaged Parley' });
  expect((await visitor.next('ack', undefined, FRAME_MS)).id).toEqual(expect.any(String));
  visitor.send({ type: 'upload_token' });
  const grant = await visitor.next<{ token: string; path: string }>('upload_token', undefined, FRAME_MS);
  const photo = await fetch(`${parley.url}${grant.path}`, {
    method: 'POST',
    headers: {
      origin: parley.url,
      authorization: `Bearer ${grant.token}`,
      'content-type': 'application/octet-stream',
      'x-parley-name': 'photo.jpg',
      'x-parley-key': 'executable_photo',
    },
    body: new Uint8Array(await phonePhoto({ width: 640, height: 480 })),
  });
  expect(photo.status).toBe(201);
  visitor.close();

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
    const parley = await start(join(folder, 'parley'), ['serve'], folder);
    await servesAloneAndStops(parley);
    expect(readdirSync(join(folder, 'data', 'runtime'))).toHaveLength(1);
    expect(parley.output()).not.toMatch(/Warning/);
  }, 120_000);

  it('starts again on the files it wrote the first time', async () => {
    const folder = emptyFolder();
    copyFileSync(EXECUTABLE, join(folder, 'parley'));
    await (await start(join(folder, 'parley'), ['serve'], folder)).stop();
    const [written] = readdirSync(join(folder, 'data', 'runtime'));
    const again = await start(join(folder, 'parley'), ['serve'], folder);
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
    const parley = await start(process.execPath, [join(copy, 'parley.cjs'), 'serve'], folder);
    await servesAloneAndStops(parley);
  }, 120_000);
});
