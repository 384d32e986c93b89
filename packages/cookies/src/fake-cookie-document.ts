/**
 * A stand-in for `document` as far as cookies go: it records every line written to `document.cookie` and keeps a
 * jar the way a browser does (Max-Age=0 deletes), so a test can assert both what was written and what remains.
 */
export function fakeCookieDocument(initial: Record<string, string> = {}) {
  const jar = new Map(Object.entries(initial));
  const writes: string[] = [];
  return {
    writes,
    jar,
    get cookie(): string {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    set cookie(line: string) {
      writes.push(line);
      const [pair = '', ...attributes] = line.split('; ');
      const eq = pair.indexOf('=');
      if (attributes.includes('Max-Age=0')) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    },
  };
}

export type FakeCookieDocument = ReturnType<typeof fakeCookieDocument>;
