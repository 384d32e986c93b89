import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { SiteLocals } from '../src/site-locals.ts';
import { clientFile, render } from './site-dist.ts';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The built site on loopback, on a free port, served as the chat server serves it: the client folder's files as
 * they are, every other address rendered for the installation in `locals`.
 */
export async function serveSite(
  locals?: SiteLocals,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = clientFile(path);
    if (file) {
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(response);
      return;
    }
    render(path, locals).then(
      (page) => {
        response.writeHead(page.status, Object.fromEntries(page.headers));
        if (page.body) Readable.fromWeb(page.body as never).pipe(response);
        else response.end();
      },
      (error: unknown) => {
        response.writeHead(500).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
