/**
 * Imports an ES module from a file on disk: the public site's renderer. Node's own `import()` everywhere except in
 * a single executable on Node 20, whose main script cannot `import()`; it names a loader here that can.
 */
type ModuleImporter = (url: string) => Promise<unknown>;

let importer: ModuleImporter = (url) => import(url);

export function setModuleImporter(next: ModuleImporter): void {
  importer = next;
}

export function importModule(url: string): Promise<unknown> {
  return importer(url);
}
