import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildDashboard } from './build.ts';

let result: BuildResult;
let html: string;
let js: string;
let css: string;

beforeAll(async () => {
  const outdir = await mkdtemp(join(tmpdir(), 'parley-dashboard-'));
  result = await buildDashboard(outdir);
  html = await readFile(join(outdir, 'index.html'), 'utf8');
  js = await readFile(join(outdir, 'app.js'), 'utf8');
  css = await readFile(join(outdir, 'app.css'), 'utf8');
}, 60_000);

afterAll(async () => {
  if (result) await rm(result.outdir, { recursive: true, force: true });
});

describe('dashboard build (CSP: script-src and style-src self)', () => {
  it('index.html references only /app/app.js and /app/app.css', () => {
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]);
    expect(references.sort()).toEqual(['/app/app.css', '/app/app.js']);
  });

  it('index.html has no inline script, inline style, style attribute or inline event handler', () => {
    for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(script[1]).toMatch(/\bsrc=/);
      expect(script[2]?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('the bundle never writes HTML from strings', () => {
    expect(js).not.toMatch(/\.innerHTML\s*=/);
    expect(js).not.toMatch(/\.outerHTML\s*=/);
    expect(js).not.toMatch(/insertAdjacentHTML|document\.write\(/);
    expect(js).not.toMatch(/\beval\(|new Function\(/);
  });

  it('the bundle carries no third-party runtime (no zod from the protocol package)', () => {
    expect(js).not.toMatch(/ZodError|zod/);
  });

  it('the stylesheet imports nothing from elsewhere', () => {
    expect(css).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//);
    expect(result.sizes['app.css']).toBeGreaterThan(1000);
  });
});
