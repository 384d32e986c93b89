import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { useSqliteDriverIn } from '@parley/db/sqlite-driver';
import { runtimeFolder } from '../executable/runtime-folder.ts';
import { MODULE_IMPORTER, writeRuntimeFolder } from '../executable/write-runtime-folder.ts';
import { setModuleImporter } from '../static/import-module.ts';

// `parley <command>` as one CommonJS bundle: dist/parley-node/parley.cjs, and the single executable dist/parley
// (`pnpm package`). No top-level await: a single executable's main script is CommonJS on Node 20.
if (isSea()) {
  writeRuntimeFolder(runtimeFolder);
  // Node 20 gives a single executable's main script no `import()`; a file on disk has it.
  const importer = join(runtimeFolder, MODULE_IMPORTER);
  setModuleImporter(createRequire(importer)(importer));
}
useSqliteDriverIn(runtimeFolder);
// Imported only now, so that nothing the commands load (sharp's addon among them) is loaded before its files are
// in place.
void import('./program.ts').then(({ runParley }) => runParley());
