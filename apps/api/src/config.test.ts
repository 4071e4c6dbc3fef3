import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('gives every setting its documented default when nothing is set', () => {
    const c = readConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      production: false,
      seedDemo: true,
      logLevel: 'info',
      syncTickSeconds: 30,
      syncLeaseSeconds: 60,
      tokenSecret: undefined,
      connectorSecretsKey: undefined,
    });
    expect(c.databaseUrl).toMatch(/^file:.*\/data\/patients\.sqlite$/);
  });

  it('reads what is set, and a variable set to nothing as not set', () => {
    const c = readConfig({ PORT: '8080', SYNC_TICK_SECONDS: '0', LOG_LEVEL: 'warn', DATABASE_URL: '' });
    expect(c.port).toBe(8080);
    expect(c.syncTickSeconds).toBe(0);
    expect(c.logLevel).toBe('warn');
    expect(c.databaseUrl).toMatch(/patients\.sqlite$/);
  });

  it('production turns the demo off, and tests log nothing by default', () => {
    expect(readConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(readConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(readConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it('refuses settings it cannot use, naming each variable, instead of falling back silently', () => {
    const attempt = () =>
      readConfig({ PORT: 'eighty', SYNC_TICK_SECONDS: 'abc', LOG_LEVEL: 'verbose', SEED_DEMO: 'no' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const { problems } = err as ConfigError;
      expect(problems).toHaveLength(4);
      for (const name of ['PORT', 'SYNC_TICK_SECONDS', 'LOG_LEVEL', 'SEED_DEMO']) {
        expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
      }
    }
  });

  it('refuses a DATABASE_URL of another scheme and a short TOKEN_SECRET, saying what is expected', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    for (const url of ['postgress://u@h/db', 'mysql://root@localhost/patients']) {
      const [problem] = problems({ DATABASE_URL: url });
      expect(problem).toMatch(/^DATABASE_URL must be file:\/path\/to\/db\.sqlite, a path, or postgres:\/\//);
      expect(problem).toContain(`it starts with ${url.split('://')[0]}://`);
      // The rest of the URL (a password, say) is not repeated.
      expect(problem).not.toContain(url.split('://')[1]);
    }
    for (const url of ['postgres://u@h/db', 'postgresql://u@h/db', 'file:/tmp/x.sqlite', 'data/x.sqlite'])
      expect(problems({ DATABASE_URL: url })).toEqual([]);
    expect(problems({ TOKEN_SECRET: 'x' })).toEqual([
      'TOKEN_SECRET must be at least 32 characters (it has 1)',
    ]);
  });

  it('reads a relative SQLite path from the repository root, whatever folder the program runs in', () => {
    const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
    for (const url of ['data/x.sqlite', 'file:data/x.sqlite', './data/x.sqlite'])
      expect(readConfig({ DATABASE_URL: url }).databaseUrl).toBe(`file:${root}/data/x.sqlite`);
    expect(readConfig({ DATABASE_URL: 'file:///tmp/x.sqlite' }).databaseUrl).toBe('file:/tmp/x.sqlite');
    expect(readConfig({ DATABASE_URL: '/tmp/x.sqlite' }).databaseUrl).toBe('file:/tmp/x.sqlite');
    expect(readConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
  });

  it('is frozen: nothing downstream can change a setting', () => {
    const c = readConfig({});
    expect(Object.isFrozen(c)).toBe(true);
  });
});
