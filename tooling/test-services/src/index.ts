import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

// What the tests' throwaway servers (PostgreSQL, Redis) have in common: a port to listen on, and a program that may
// have to be installed first.

/** A free port of 127.0.0.1. Another process may take it before the server binds it: callers choose again then. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** A service some tests need, and how to get it. */
export interface NeededService {
  /** Who needs it, e.g. "Database tests". */
  tests: string;
  /** e.g. "PostgreSQL". */
  service: string;
  /** The Debian package that brings it. */
  debianPackage: string;
  /** The setting that names a running server instead, if there is one. */
  setting?: string;
}

/**
 * Installs the service's Debian package when run as root; otherwise fails with one line saying what to install, or
 * which setting names a server that already runs.
 */
export function installForTests(needed: NeededService, root = isRoot()): void {
  const { tests, service, debianPackage, setting } = needed;
  if (!root)
    throw new Error(
      `${tests} need ${service}: install it (Debian: sudo apt-get install -y ${debianPackage})${setting ? ` or set ${setting}` : ''}.`,
    );
  console.log(`${tests} need ${service}; installing Debian's ${debianPackage} package.`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'inherit', env });
}
