import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `content` to a config file of its own and returns its path. */
function configFile(content: string): string {
  const path = join(dir, `parley-${++files}.json`);
  writeFileSync(path, content);
  return path;
}

/** The one line start-up would print for `environment`. */
function failure(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('loadConfig', () => {
  it('gives every setting its default when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8787,
      HOST: '127.0.0.1',
      DATABASE_URL: { kind: 'sqlite', path: './data/parley.db' },
      PARLEY_TRUST_PROXY: false,
      PARLEY_OWNER_2FA: 'optional',
      PARLEY_NEW_CHATS_PER_MINUTE: 30,
      PARLEY_FILE_MAX_MIB: 10,
      PARLEY_FILE_QUOTA_MIB: 1024,
      PARLEY_MAIL_DIR: './data/mail',
      PARLEY_DEMO: true,
      PARLEY_SIGNUP: 'off',
      PARLEY_LOG_LEVEL: 'info',
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: 8788,
    });
  });

  it('COL-1: reads who may sign up, and whether the first start makes a demo', () => {
    expect(loadConfig({ PARLEY_SIGNUP: 'invite', PARLEY_DEMO: '0' })).toMatchObject({
      PARLEY_SIGNUP: 'invite',
      PARLEY_DEMO: false,
    });
  });

  it.each([
    ['file:./data/parley.db', { kind: 'sqlite', path: './data/parley.db' }],
    ['file:/srv/parley/parley.db', { kind: 'sqlite', path: '/srv/parley/parley.db' }],
    ['file:///srv/parley/parley.db', { kind: 'sqlite', path: '/srv/parley/parley.db' }],
    [
      'postgres://parley:pw@db.example.test:5432/parley',
      { kind: 'postgres', url: 'postgres://parley:pw@db.example.test:5432/parley' },
    ],
    ['postgresql://db.example.test/parley', { kind: 'postgres', url: 'postgresql://db.example.test/parley' }],
  ])('reads DATABASE_URL=%s', (url, location) => {
    expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toEqual(location);
  });

  it.each(['redis://127.0.0.1:6379', 'rediss://default:secret@cache.example.test:6380/2'])(
    'reads PARLEY_REDIS_URL=%s',
    (url) => {
      expect(loadConfig({ PARLEY_REDIS_URL: url, PARLEY_REDIS_PREFIX: 'shop-a:' })).toMatchObject({
        PARLEY_REDIS_URL: url,
        PARLEY_REDIS_PREFIX: 'shop-a:',
      });
    },
  );

  it('takes DATABASE_PATH as the older spelling of a file: DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_PATH: '/srv/parley.db' }).DATABASE_URL).toEqual({
      kind: 'sqlite',
      path: '/srv/parley.db',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty" must be a port number from 0 to 65535 (0: any free port)'],
    [
      { ADMIN_PORT: '70000' },
      'ADMIN_PORT="70000" must be a port number from 0 to 65535 (0: any free port), or off to turn the console off',
    ],
    [
      { PARLEY_REGION: 'XX' },
      'PARLEY_REGION="XX" must be a region the privacy policy lists: SG, US, CA, DE, NL',
    ],
    [{ PARLEY_TRUST_PROXY: 'maybe' }, 'PARLEY_TRUST_PROXY="maybe" must be 1, true or yes, or 0, false or no'],
    [{ PARLEY_SIGNUP: 'everyone' }, 'PARLEY_SIGNUP="everyone" must be open, invite or off'],
    [{ PARLEY_LOG_LEVEL: 'debug' }, 'PARLEY_LOG_LEVEL="debug" must be info, warn, error or silent'],
    [{ PARLEY_OWNER_2FA: 'always' }, 'PARLEY_OWNER_2FA="always" must be required or optional'],
    [
      { PARLEY_NEW_CHATS_PER_MINUTE: '0' },
      'PARLEY_NEW_CHATS_PER_MINUTE="0" must be a whole number from 1 to 1000000',
    ],
    [{ PARLEY_FILE_MAX_MIB: '500' }, 'PARLEY_FILE_MAX_MIB="500" must be a whole number from 1 to 100'],
    [
      { PARLEY_FILE_QUOTA_MIB: '0.5' },
      'PARLEY_FILE_QUOTA_MIB="0.5" must be a whole number from 1 to 10000000',
    ],
    [
      { DATABASE_URL: 'mysql://db/parley' },
      'DATABASE_URL must be file:<path of an SQLite file> (such as file:./data/parley.db) or postgres://user:password@host:5432/database',
    ],
    [
      { DATABASE_URL: 'file:' },
      'DATABASE_URL="file:" must be file:<path of an SQLite file> (such as file:./data/parley.db) or postgres://user:password@host:5432/database',
    ],
    [
      { DATABASE_URL: 'file:a.db', DATABASE_PATH: 'b.db' },
      'DATABASE_PATH="b.db" is the older spelling of DATABASE_URL; set only DATABASE_URL',
    ],
    [{ SMTP_URL: 'http://mailer:hunter2@example.test' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [
      { PARLEY_REDIS_URL: 'http://:hunter2@cache.example.test:6379' },
      'PARLEY_REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    ],
    [
      { PARLEY_REDIS_URL: 'redis:6379' },
      'PARLEY_REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    ],
    [
      { PARLEY_REDIS_PREFIX: 'my parley' },
      'PARLEY_REDIS_PREFIX="my parley" must be 1 to 64 letters, digits, or _ : . -',
    ],
    [{ PARLEY_SESSION_KEYS: 'k1:hunter2' }, expect.stringMatching(/^PARLEY_SESSION_KEYS /)],
  ])('refuses %o in one line naming the setting and what is allowed', (environment, line) => {
    expect(failure(environment)).toEqual(line);
  });

  it('never prints a secret: session keys, the relay URL, or a database URL that may carry a password', () => {
    const text = failure({
      PARLEY_SESSION_KEYS: 'k1:hunter2',
      SMTP_URL: 'http://mailer:hunter2@example.test',
      DATABASE_URL: 'postgres:/hunter2',
    });
    expect(text).not.toContain('hunter2');
    expect(text.split('; ')).toHaveLength(3);
    expect(text).not.toContain('\n');
  });

  it('reads a config file named by PARLEY_CONFIG; the environment wins over it', () => {
    const path = configFile(
      JSON.stringify({
        PORT: 9000,
        HOST: '0.0.0.0',
        PARLEY_TRUST_PROXY: true,
        DATABASE_URL: 'file:/srv/p.db',
      }),
    );
    const config = loadConfig({ PARLEY_CONFIG: path, HOST: '127.0.0.2' });
    expect(config).toMatchObject({
      PORT: 9000,
      HOST: '127.0.0.2',
      PARLEY_TRUST_PROXY: true,
      DATABASE_URL: { kind: 'sqlite', path: '/srv/p.db' },
    });
  });

  it('names the config file a bad value came from', () => {
    const path = configFile(JSON.stringify({ PORT: -1 }));
    expect(failure({ PARLEY_CONFIG: path })).toBe(
      `PORT="-1" (in ${path}) must be a port number from 0 to 65535 (0: any free port)`,
    );
  });

  it.each([
    ['{"PORT": ', /is not JSON/],
    ['[1, 2]', /must hold one JSON object of settings/],
    ['{"PROT": 8787}', /PROT is not a setting of Parley/],
    ['{"PORT": {"value": 8787}}', /PORT must be a string, a number or a boolean/],
  ])('refuses a config file holding %s', (content, message) => {
    const path = configFile(content);
    const text = failure({ PARLEY_CONFIG: path });
    expect(text).toMatch(message);
    expect(text.startsWith(`PARLEY_CONFIG="${path}"`)).toBe(true);
  });

  it('refuses a config file that cannot be read', () => {
    const path = join(dir, 'missing.json');
    expect(failure({ PARLEY_CONFIG: path })).toBe(
      `PARLEY_CONFIG="${path}" cannot be read (ENOENT); name a JSON file this user may read`,
    );
  });
});
