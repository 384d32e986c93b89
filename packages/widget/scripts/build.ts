import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { widgetCookieDeclarations } from '@parley/cookies';
import { build, type Metafile, type Plugin } from 'esbuild';
import { LANGUAGES, type Lang } from '../src/language-choice.ts';
import { chatScriptPath } from '../src/routes.ts';

// Builds the browser files: dist/widget.js (the launcher customers embed) and one chat UI per language, which
// the launcher loads when the visitor opens the chat: dist/chat.js in English, dist/chat.<lang>.js in the others. The policy's widget cookie declarations are computed here, in Node, and
// injected with `define`, so the bundles carry the declarations but not the policy model or zod.

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Size targets, reported by the build (benchmarks watch them; they are not tests): the launcher, before the
 * visitor acts, and what a visitor loads on opening the chat, the chat UI in their language.
 */
export const BUDGET = { launcherGzip: 2 * 1024, openingGzip: 15 * 1024 } as const;

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
  /** dist/chat.js: the English chat UI. */
  chat: BundleReport;
  /** What a visitor in each language loads on opening the chat (`chats.en` is `chat`). */
  chats: Record<Lang, BundleReport>;
}

/** Puts the table of `lang` in place of chat-language.ts, so that a chat bundle carries one language only. */
const oneLanguage = (lang: Lang): Plugin => ({
  name: 'one-language',
  setup(builder) {
    builder.onResolve({ filter: /\/chat-language\.ts$/ }, () => ({ path: lang, namespace: 'chat-language' }));
    builder.onLoad({ filter: /.*/, namespace: 'chat-language' }, () => ({
      contents: `export { ${lang} as CHAT_STRINGS } from './languages/${lang}.ts';\nexport const CHAT_LANGUAGE = '${lang}';`,
      resolveDir: join(packageDir, 'src'),
      loader: 'ts',
    }));
  },
});

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
  mkdirSync(outdir, { recursive: true });
  const bundle = async (entry: string, file: string, plugins: Plugin[] = []): Promise<BundleReport> => {
    const result = await build({
      entryPoints: [join(packageDir, 'src', entry)],
      bundle: true,
      minify: true,
      format: 'iife',
      // Class fields and the other syntax of ES2022 go out as written, which keeps the chat within its budget;
      // every browser that has the constructed style sheets the launcher needs (2023 on) has it.
      target: 'es2022',
      platform: 'browser',
      define,
      legalComments: 'none',
      // The chat UIs are served as UTF-8, so accented words stay two bytes instead of six-byte escapes; the
      // launcher stays ASCII, whatever the charset a website's launcher route sends.
      charset: entry === 'chat.ts' ? 'utf8' : 'ascii',
      metafile: true,
      write: false,
      logLevel: 'warning',
      plugins,
    });
    const code = result.outputFiles[0]?.text ?? '';
    writeFileSync(join(outdir, file), code);
    return {
      file,
      code,
      raw: Buffer.byteLength(code),
      gzip: gzipSync(code, { level: 9 }).length,
      inputs: inputsOf(result.metafile),
    };
  };
  const [launcher, ...perLanguage] = await Promise.all([
    bundle('launcher.ts', 'widget.js'),
    ...LANGUAGES.map((lang) => bundle('chat.ts', chatFile(lang), [oneLanguage(lang)])),
  ]);
  const chats = Object.fromEntries(LANGUAGES.map((lang, at) => [lang, perLanguage[at]])) as Record<
    Lang,
    BundleReport
  >;
  return { launcher: launcher as BundleReport, chat: chats.en, chats };
}

/** The file name of the chat UI in `lang`, as the launcher asks for it (routes.ts). */
export const chatFile = (lang: Lang): string => chatScriptPath(lang).slice('/widget/'.length);

const inputsOf = (metafile: Metafile): string[] =>
  Object.keys(metafile.inputs).map((input) => relative(packageDir, resolve(input)));

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;

export function sizeReport({ launcher, chats }: WidgetBuild): string {
  const line = (bundle: Pick<BundleReport, 'file' | 'raw' | 'gzip'>, budget?: number) =>
    `  ${bundle.file.padEnd(18)} ${kb(bundle.raw).padStart(9)} raw ${kb(bundle.gzip).padStart(9)} gzip${
      budget === undefined ? '' : `   (target ≤ ${kb(budget)} gzip${bundle.gzip > budget ? ', OVER' : ''})`
    }`;
  const heaviest = Object.values(chats).reduce((a, b) => (b.gzip > a.gzip ? b : a));
  const total = {
    file: `+ ${heaviest.file}`,
    raw: launcher.raw + heaviest.raw,
    gzip: launcher.gzip + heaviest.gzip,
  };
  return [
    'widget bundles (before the visitor acts; then, on opening, the chat in their language):',
    line(launcher, BUDGET.launcherGzip),
    ...Object.values(chats).map((chat) => line(chat, BUDGET.openingGzip)),
    `  launcher and the heaviest chat together:\n${line(total)}`,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWidget();
  console.log(sizeReport(result));
}
