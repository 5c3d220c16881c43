import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactEnvironmentCredentials } from '../../src/config/code-config.js';
import { findConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

describe("what a JavaScript config's error may not print from the environment", () => {
  const env = {
    PGPASSWORD: 'pg-secret-1',
    GITHUB_TOKEN: 'ghp_abcdef123456',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENG',
    STRIPE_KEY: 'sk_live_42xyz',
    MYSQL_PWD: 'my-sql-pw-9',
    REDISCLI_AUTH: 'redis-auth-7',
    // A desktop session's and a shell's own: not credentials, and their values are ordinary words.
    XDG_SESSION_CLASS: 'user',
    XDG_SESSION_TYPE: 'tty',
    DESKTOP_SESSION: 'ubuntu',
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    SSH_AUTH_SOCK: '/run/user/1000/keyring/ssh',
    PWD: '/home/ada/app',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    // Named like a credential, valued like a switch: hiding `true` would garble any message.
    AUTH_ENABLED: 'true',
    TOKEN_TTL: '300',
    // A numeric password or PIN is still one.
    DB_PASSWORD: '482913',
    API_PIN_TOKEN: '7351',
  };

  it('hides the values of variables named as credentials, and only those', () => {
    const message = Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    const redacted = redactEnvironmentCredentials(message, env);
    for (const name of ['PGPASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'STRIPE_KEY', 'MYSQL_PWD', 'REDISCLI_AUTH', 'DB_PASSWORD', 'API_PIN_TOKEN'] as const) {
      expect(redacted).toContain(`${name}=***`);
      expect(redacted).not.toContain(env[name]);
    }
    for (const name of ['XDG_SESSION_CLASS', 'XDG_SESSION_TYPE', 'DESKTOP_SESSION', 'GIT_AUTHOR_NAME', 'SSH_AUTH_SOCK', 'PWD', 'AWS_ACCESS_KEY_ID', 'AUTH_ENABLED', 'TOKEN_TTL'] as const) {
      expect(redacted).toContain(`${name}=${env[name]}`);
    }
  });

  it('hides the password of a URL in the environment, whatever its name', () => {
    const urls = { DATABASE_URL: 'postgres://app:s3cr%40t-pw@db.internal:5432/app', CACHE: 'redis://:only-pw-123@cache/0' };
    const redacted = redactEnvironmentCredentials('connect postgres://app:s3cr%40t-pw@db.internal failed (s3cr@t-pw); cache only-pw-123', urls);
    expect(redacted).toBe('connect postgres://***@db.internal failed (***); cache ***');
  });

  it("keeps a message's ordinary words: reading 'user' stays readable", () => {
    expect(redactEnvironmentCredentials("Cannot read properties of undefined (reading 'user')", env)).toBe("Cannot read properties of undefined (reading 'user')");
  });
});

describe('a JavaScript config that fails on a file of its own', () => {
  it('says what the config said, not that the config file is missing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outage-js-enoent-')), 'outage.config.cjs');
    writeFileSync(file, "module.exports = JSON.parse(require('node:fs').readFileSync('/nonexistent/outage-services.json', 'utf8'));\n");
    const error = await findConfig({ configPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.map((p) => p.message).join('\n');
    expect(text).toContain("no such file or directory, open '/nonexistent/outage-services.json'");
    expect(text).not.toContain('file not found');
  });
});
