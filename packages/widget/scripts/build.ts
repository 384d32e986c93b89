import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { widgetCookieDeclarations } from '@parley/cookies';
import { build, type Metafile } from 'esbuild';

// Builds the two browser files: dist/widget.js (the launcher customers embed) and dist/chat.js (loaded when the
// visitor opens the chat). The policy's widget cookie declarations are computed here, in Node, and injected with
// `define`, so the bundles carry the declarations but not the policy model or zod.

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Size targets, reported by the build (benchmarks watch them; they are not tests). */
export const BUDGET = { launcherGzip: 2 * 1024, totalGzip: 15 * 1024 } as const;

export interface BundleReport {
  file: string;
  code: string;
  raw: number;
  gzip: number;
  /** Source files esbuild put in the bundle, relative to the package. */
  inputs: string[];
}

export interface WidgetBuild {
  launcher: BundleReport;
  chat: BundleReport;
}

/** The `define` values: the widget cookie declarations of the policy in force (CK-6, CK-7). */
export function widgetDefines(): Record<string, string> {
  const declarations = widgetCookieDeclarations();
  for (const promise of ['CK-3', 'CK-4'])
    if (!declarations.some((cookie) => cookie.promise === promise))
      throw new Error(`the policy in force declares no widget cookie for ${promise}`);
  return { __PARLEY_WIDGET_COOKIES__: JSON.stringify(declarations) };
}

export async function buildWidget(outdir = join(packageDir, 'dist')): Promise<WidgetBuild> {
  const define = widgetDefines();
  const bundle = async (entry: string, file: string): Promise<BundleReport> => {
    const result = await build({
      entryPoints: [join(packageDir, 'src', entry)],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      platform: 'browser',
      define,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'warning',
    });
    const code = result.outputFiles[0]?.text ?? '';
    mkdirSync(outdir, { recursive: true });
    writeFileSync(join(outdir, file), code);
    return {
      file,
      code,
      raw: Buffer.byteLength(code),
      gzip: gzipSync(code, { level: 9 }).length,
      inputs: inputsOf(result.metafile),
    };
  };
  const [launcher, chat] = await Promise.all([
    bundle('launcher.ts', 'widget.js'),
    bundle('chat.ts', 'chat.js'),
  ]);
  return { launcher, chat };
}

const inputsOf = (metafile: Metafile): string[] =>
  Object.keys(metafile.inputs).map((input) => relative(packageDir, resolve(input)));

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;

export function sizeReport({ launcher, chat }: WidgetBuild): string {
  const line = (bundle: BundleReport, budget?: number) =>
    `  ${bundle.file.padEnd(10)} ${kb(bundle.raw).padStart(9)} raw ${kb(bundle.gzip).padStart(9)} gzip${
      budget === undefined ? '' : `   (target ≤ ${kb(budget)} gzip${bundle.gzip > budget ? ', OVER' : ''})`
    }`;
  const total = {
    file: 'total',
    code: '',
    raw: launcher.raw + chat.raw,
    gzip: launcher.gzip + chat.gzip,
    inputs: [],
  };
  return [
    'widget bundles:',
    line(launcher, BUDGET.launcherGzip),
    line(chat),
    line(total, BUDGET.totalGzip),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWidget();
  console.log(sizeReport(result));
}
