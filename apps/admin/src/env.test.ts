import { describe, expect, it } from 'vitest';
import { readEnv } from './env.ts';

describe('env', () => {
  it('defaults to a loopback address and port 8788', () => {
    expect(readEnv({})).toMatchObject({
      ADMIN_PORT: 8788,
      ADMIN_HOST: '127.0.0.1',
      DATABASE_PATH: './data/parley.db',
    });
  });

  it('reads the port as a number and refuses nonsense, naming the variable', () => {
    expect(readEnv({ ADMIN_PORT: '9000' }).ADMIN_PORT).toBe(9000);
    expect(() => readEnv({ ADMIN_PORT: 'eighty' })).toThrow(/ADMIN_PORT/);
    expect(() => readEnv({ PARLEY_REGION: 'Germany' })).toThrow(/PARLEY_REGION/);
  });
});
