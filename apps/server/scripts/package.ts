import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMigrations, sqliteDriverSources } from '@parley/db/bundling';
import { SQLITE_DRIVER_FILES } from '@parley/db/sqlite-driver';
import { build } from 'esbuild';
import { LIBVIPS_FOLDER, SHARP_ADDON } from '../src/executable/native-addons.ts';
import { ASSET_LIST, MODULE_IMPORTER } from '../src/executable/write-runtime-folder.ts';
import { copyFrontEnds } from './front-end-builds.ts';

// `pnpm package`: the `parley` command as one file, dist/parley, a Node single executable application for
// linux-x64, and the same bundle and files as plain files in dist/parley-node/, run with `node parley.cjs`. Each
// needs nothing from the repository. Run after the front ends are built (the root `pnpm package` builds them).

const serverRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(serverRoot, '..', '..');
const out = join(repoRoot, 'dist');
const folder = join(out, 'parley-node');
const executable = join(out, 'parley');
/** The fuse postject flips in a Node binary, the same in every version that has single executables. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** When each Node line reached or reaches its end of life. */
const NODE_END_OF_LIFE: Record<number, string> = {
  18: '2025-04-30',
  20: '2026-04-30',
  22: '2027-04-30',
  24: '2028-04-30',
};

const here = createRequire(import.meta.url);

/** The Node binary to build on: named, else the newest Node 22 or later installed, else the one running this. */
function chooseNode(): { path: string; version: string; how: string } {
  const versionOf = (path: string) => execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  const flag = process.argv.indexOf('--node');
  const named = flag >= 0 ? process.argv[flag + 1] : process.env.PARLEY_PACKAGE_NODE;
  if (named) {
    // A named Node that cannot be run is a mistake to say in one line, not a stack trace.
    let version: string | undefined;
    try {
      accessSync(named, constants.X_OK);
      version = versionOf(named);
    } catch {
      version = undefined;
    }
    if (!version?.startsWith('v')) {
      console.error(
        `${named} is not a Node.js binary that runs here (given by ${flag >= 0 ? '--node' : 'PARLEY_PACKAGE_NODE'}); name the path of a node executable.`,
      );
      process.exit(1);
    }
    return { path: named, version, how: 'named' };
  }
  const optBins = existsSync('/opt') ? readdirSync('/opt').map((d) => join('/opt', d, 'bin')) : [];
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', ...optBins].filter(
    Boolean,
  );
  const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);
  const newer = (a: string, b: string) => {
    const [x, y] = [a, b].map((v) => v.replace(/^v/, '').split('.').map(Number));
    for (let i = 0; i < 3; i++) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) > (y?.[i] ?? 0);
    return false;
  };
  let best: { path: string; version: string } | undefined;
  for (const path of new Set(folders.map((f) => join(f, 'node')))) {
    try {
      accessSync(path, constants.X_OK);
      const version = versionOf(path);
      if (major(version) >= 22 && (!best || newer(version, best.version))) best = { path, version };
    } catch {
      // Not there, or not a Node that runs.
    }
  }
  if (best) return { ...best, how: 'the newest Node 22 or later found' };
  return { path: process.execPath, version: process.version, how: 'the Node running the build' };
}

/** Every file under `root`, by its path relative to it with forward slashes, sorted. */
function filesUnder(root: string, under = ''): string[] {
  return readdirSync(join(root, under), { withFileTypes: true })
    .flatMap((entry) => {
      const path = under ? `${under}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(root, path) : [path];
    })
    .sort();
}

/** Runs a step whose chatter (postject warns of every ELF note it cannot name) is shown only if it fails. */
function quietly(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(Buffer.concat([stdout ?? Buffer.alloc(0), stderr ?? Buffer.alloc(0)]));
    throw error;
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// The addons carried are linux-x64's, and the executable is a copy of this machine's Node.
if (process.platform !== 'linux' || process.arch !== 'x64')
  throw new Error(
    `pnpm package builds for linux-x64 only, on linux-x64 (this is ${process.platform}-${process.arch}).`,
  );

rmSync(folder, { recursive: true, force: true });
rmSync(executable, { force: true });
mkdirSync(folder, { recursive: true });

// The files the bundle finds at run time, in the runtime folder's layout.
copyMigrations(folder);
const missing = copyFrontEnds(folder);
if (missing.length > 0)
  throw new Error(`Build ${missing.join(', ')} first: \`pnpm package\` at the root does.`);
const sqlite = sqliteDriverSources();
mkdirSync(join(folder, 'native'), { recursive: true });
copyFileSync(sqlite.addon, join(folder, SQLITE_DRIVER_FILES.addon));
// The checkpoint worker loads the driver by path (`@parley/db`'s checkpointer): one CommonJS file. It is given the
// addon, so better-sqlite3's own way of finding it (`bindings`) is never reached.
await build({
  entryPoints: [sqlite.entry],
  outfile: join(folder, SQLITE_DRIVER_FILES.driver),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['bindings'],
  legalComments: 'none',
  logLevel: 'warning',
});
const sharpEntry = here.resolve('sharp');
const sharpRequire = createRequire(sharpEntry);
const sharpPackage = dirname(sharpRequire.resolve('@img/sharp-linux-x64/package'));
const sharpAddon = readdirSync(join(sharpPackage, 'lib')).find((file) => file.endsWith('.node'));
if (!sharpAddon) throw new Error(`sharp's addon is not in ${sharpPackage}/lib`);
mkdirSync(dirname(join(folder, SHARP_ADDON)), { recursive: true });
copyFileSync(join(sharpPackage, 'lib', sharpAddon), join(folder, SHARP_ADDON));
// The addon finds libvips through its RPATH, $ORIGIN/../../sharp-libvips-linux-x64/lib: the same layout here.
const libvips = createRequire(join(sharpPackage, 'package.json')).resolve(
  '@img/sharp-libvips-linux-x64/binary',
);
mkdirSync(join(folder, LIBVIPS_FOLDER), { recursive: true });
copyFileSync(libvips, join(folder, LIBVIPS_FOLDER, basename(libvips)));
writeFileSync(
  join(folder, MODULE_IMPORTER),
  '// Imports an ES module for the single executable, whose main script cannot.\nmodule.exports = (url) => import(url);\n',
);

const assets = filesUnder(folder);
const buildId = createHash('sha256')
  .update(assets.map((file) => `${file}\0${sha256(readFileSync(join(folder, file)))}`).join('\n'))
  .digest('hex')
  .slice(0, 16);

/** What the bundle does where a dependency `require`s an optional module it does not carry. */
const ABSENT =
  "(() => { throw Object.assign(new Error('not in this build'), { code: 'MODULE_NOT_FOUND' }); })()";

/** sharp's own loader `require`s its addon from its package; the bundle loads it from the runtime folder instead. */
const sharpFromRuntimeFolder = {
  name: 'sharp-from-runtime-folder',
  setup(builder: import('esbuild').PluginBuild) {
    // sharp's CommonJS build, whose loader is one file (its ES module build has another).
    builder.onResolve({ filter: /^sharp$/ }, () => ({ path: sharpEntry }));
    builder.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/ }, () => ({
      contents: `module.exports = require(${JSON.stringify(join(serverRoot, 'src', 'executable', 'native-addons.ts'))}).sharpAddon();`,
      loader: 'js',
    }));
    // sharp also asks for files of packages named at run time (its version list, libvips' development files), in
    // try blocks: the bundle has none of them.
    builder.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/](utility|libvips)\.cjs$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/require\(`[^`]*`\)/g, ABSENT),
      loader: 'js',
    }));
  },
};

/**
 * Optional modules that dependencies try to load and do without (ws's native helpers, pg's native client, debug's
 * colours, sharp's development files): not installed, so the bundle says so itself. Left to a single executable's
 * `require`, each would be looked up among Node's built-ins, with a warning on stderr.
 */
const optionalModulesAbsent = {
  name: 'optional-modules-absent',
  setup(builder: import('esbuild').PluginBuild) {
    const filter =
      /^(bufferutil|utf-8-validate|supports-color|pg-native|@img\/sharp-libvips-dev.*|@img\/sharp-wasm32.*)$/;
    builder.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent' }));
    builder.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({
      contents: `${ABSENT};`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [join(serverRoot, 'src', 'cli', 'executable.ts')],
  outfile: join(folder, 'parley.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  inject: [join(serverRoot, 'src', 'executable', 'runtime-folder.ts')],
  define: { 'import.meta.url': '__parleyModuleUrl', __PARLEY_BUILD_ID__: JSON.stringify(buildId) },
  plugins: [sharpFromRuntimeFolder, optionalModulesAbsent],
  logLevel: 'warning',
});

// The single executable: the bundle as its main script, the files as its assets, in a copy of a Node binary.
const node = chooseNode();
const work = mkdtempSync(join(tmpdir(), 'parley-package-'));
try {
  writeFileSync(join(work, ASSET_LIST), JSON.stringify(assets));
  const config = {
    main: join(folder, 'parley.cjs'),
    output: join(work, 'parley.blob'),
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: Object.fromEntries([
      [ASSET_LIST, join(work, ASSET_LIST)],
      ...assets.map((file) => [file, join(folder, file)]),
    ]),
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
  // The blob is read by the very Node that made it: the binary below must be the same.
  quietly(node.path, ['--experimental-sea-config', join(work, 'sea-config.json')]);
  copyFileSync(node.path, executable);
  chmodSync(executable, 0o755);
  const postject = join(dirname(here.resolve('postject')), 'cli.js');
  quietly(process.execPath, [
    postject,
    executable,
    'NODE_SEA_BLOB',
    join(work, 'parley.blob'),
    '--sentinel-fuse',
    SEA_FUSE,
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const size = statSync(executable).size;
const record = {
  node: { version: node.version, path: node.path, chosen: node.how },
  executable: { sha256: sha256(readFileSync(executable)), bytes: size },
  buildId,
};
writeFileSync(join(out, 'parley.json'), `${JSON.stringify(record, null, 2)}\n`);

const major = Number(node.version.replace(/^v/, '').split('.')[0]);
const endOfLife = NODE_END_OF_LIFE[major];
if (endOfLife === undefined ? major < 22 : new Date(endOfLife) <= new Date())
  console.warn(
    `Warning: built on Node ${node.version} (${node.path}), which reached its end of life${endOfLife ? ` on ${endOfLife}` : ''}; name a newer one with --node or PARLEY_PACKAGE_NODE.`,
  );
console.log(
  `Built ${relative(repoRoot, executable)} (${(size / 2 ** 20).toFixed(1)} MiB, Node ${node.version}) and ${relative(repoRoot, folder)}/`,
);
