import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A customer's site for the widget to go on: one page at `/`, whatever HTML `page` gives at the time it is asked. */
export interface CustomerSite {
  /** The port it listens on, at 127.0.0.1 (also reached as `localhost`: another origin, same server). */
  port(): number;
  close(): Promise<void>;
}

/** Starts the site on a free port of 127.0.0.1. */
export async function startCustomerSite(page: () => string): Promise<CustomerSite> {
  const site = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page());
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    port: () => (site.address() as AddressInfo).port,
    close: () => new Promise((resolve) => site.close(() => resolve())),
  };
}
