import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contentInForce, type Language, type PolicyModel, policyForInstallation } from '@parley/policy';
import type { SiteRenderer } from '../server/entry.ts';
import { versionPairs } from '../src/compare.ts';
import { compareHref, inLanguage, routes, versionHref } from '../src/routes.ts';
import type { SiteLocals } from '../src/site-locals.ts';

/** The built site, as the chat server serves it: files in `client/`, pages rendered by `server/entry.mjs`. */
export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
export const clientDir = join(distDir, 'client');

/** The installation the tests render for unless they say otherwise: Parley's own policy, every version in force. */
export const model: PolicyModel = policyForInstallation();
export const content = contentInForce(model);

/**
 * Every HTML page of the site for `policy` in `language`: the fixed pages, each version and each ordered pair of
 * versions.
 */
export function pagePaths(policy: PolicyModel = model, language: Language = 'en'): string[] {
  const paths = [
    routes.home,
    routes.features,
    routes.privacy,
    routes.versions,
    routes.cookies,
    routes.regions,
    routes.dataMap,
    routes.widgetCookies,
    ...policy.versions.map((v) => versionHref(v.version)),
    ...versionPairs(policy).map(({ from, to }) => compareHref(from, to)),
  ];
  return paths.map((path) => inLanguage(path, language));
}

let renderer: Promise<SiteRenderer> | undefined;

/** A page or download of the built site, rendered for `locals` as the chat server would. */
export async function render(path: string, locals: SiteLocals = { policy: model }): Promise<Response> {
  renderer ??= import(pathToFileURL(join(distDir, 'server', 'entry.mjs')).href) as Promise<SiteRenderer>;
  return (await renderer).render(new Request(new URL(path, 'http://parley.test')), locals);
}

/** The body of a page that exists; a missing one fails the test that asked for it. */
export async function readPage(path: string, locals?: SiteLocals): Promise<string> {
  const response = await render(path, locals);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return response.text();
}

/** A file of the build's client folder (stylesheet, icon), if `path` names one. */
export function clientFile(path: string): string | null {
  const file = join(clientDir, decodeURIComponent(path));
  return file.startsWith(clientDir) && existsSync(file) && statSync(file).isFile() ? file : null;
}

export function builtFiles(dir = clientDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(path) : [relative(clientDir, path)];
  });
}
