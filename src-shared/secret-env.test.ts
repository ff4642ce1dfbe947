import { describe, expect, it } from 'vitest';
import { launchSchema } from './contract';
import { parseEnv } from './launch';
import { envEntryForMessage, envNameWords, isSecretEnvName, maskEnvEntry, MASKED_VALUE } from './secret-env';

describe('which env names hold secrets', () => {
  it.each([
    'NGC_API_KEY',
    'HF_TOKEN',
    'HUGGING_FACE_HUB_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'POSTGRES_PASS',
    'PGPASSWORD', // libpq's, one word: ends with PASSWORD
    'REDIS_PASSWD',
    'WANDB_API_KEY',
    'OPENAI_APIKEY',
    'GITHUB_TOKENS',
    'JWT_SECRETS',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'SSH_KEY_PASSPHRASE',
    'CLIENTSECRET',
    'MINIO_SECRETKEY',
    'SSH_PRIVATEKEY',
    'API_KEY2',
    'ngcApiKey', // camelCase splits into words too
    'hf_token',
  ])('%s is secret', (name) => expect(isSecretEnvName(name)).toBe(true));

  it.each([
    'KEYBOARD',
    'PASSTHROUGH',
    'NVIDIA_DRIVER_CAPABILITIES',
    'TOKENIZERS_PARALLELISM',
    'BYPASS_CACHE',
    'MONKEY_PATCH',
    'COMPASS_URL',
    'HOCKEY',
    'KEYRING_BACKEND',
    'PASSENGER_APP_ENV',
    'CUDA_VISIBLE_DEVICES',
    'PATH',
    'HOME',
  ])('%s is not', (name) => expect(isSecretEnvName(name)).toBe(false));

  it('splits names into words at _, at lower→upper steps, dropping trailing digits', () => {
    expect(envNameWords('AWS_SECRET_ACCESS_KEY')).toEqual(['AWS', 'SECRET', 'ACCESS', 'KEY']);
    expect(envNameWords('ngcApiKey')).toEqual(['NGC', 'API', 'KEY']);
    expect(envNameWords('__KEY2__')).toEqual(['KEY']);
  });

  it('masks the value of a secret entry, and only that', () => {
    expect(maskEnvEntry('NGC_API_KEY=nvapi-abc=def')).toBe(`NGC_API_KEY=${MASKED_VALUE}`);
    expect(maskEnvEntry('KEYBOARD=us')).toBe('KEYBOARD=us');
    expect(maskEnvEntry('HF_TOKEN=')).toBe(`HF_TOKEN=${MASKED_VALUE}`);
    expect(maskEnvEntry('NOEQUALS')).toBe('NOEQUALS');
  });
});

describe('a refused env entry is named without its value', () => {
  it.each([
    ['1NGC_API_KEY=nvapi-secret', '"1NGC_API_KEY=…"'],
    ['MY-VAR=hunter2', '"MY-VAR=…"'],
    ['=nvapi-secret', '"=…"'],
    ['DEBUG', '"DEBUG"'], // a plain name without "=": shown, nothing to hide
    ['nvapi-0123456789abcdef', 'an entry of 22 characters without "=" (not shown, in case it is a secret)'], // a key pasted alone
    ['hf_AbCdEfGhIjKlMnOp', 'an entry of 19 characters without "=" (not shown, in case it is a secret)'],
    ['HF_TOKEN', 'an entry of 8 characters without "=" (not shown, in case it is a secret)'],
  ])('%s → %s', (entry, shown) => {
    expect(envEntryForMessage(entry)).toBe(shown);
    expect(() => parseEnv(entry)).toThrow(`${shown} is not an environment variable: use NAME=value`);
  });

  it('never puts the value in the contract’s message', () => {
    const r = launchSchema.safeParse({ image: 'busybox', env: ['OK=1', 'BAD NAME=nvapi-TOPSECRET', 'nvapi-TOPSECRET2'] });
    expect(r.success).toBe(false);
    const text = JSON.stringify(r.error!.issues);
    expect(text).not.toContain('TOPSECRET');
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message.split(' is not')[0]])).toEqual([
      ['env.1', '"BAD NAME=…"'],
      ['env.2', 'an entry of 16 characters without "=" (not shown, in case it is a secret)'],
    ]);
  });
});
