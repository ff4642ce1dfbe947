// Which environment variables hold secrets, by their names, and how their values are masked where the
// app keeps or shows them (the container_instances table, container details, error messages). The
// container itself always gets the real value.

/** What stands for a value that is not kept or shown. */
export const MASKED_VALUE = '••••••';

// Whole words that name a secret (plural forms included), and endings that do even when glued to a
// word before them (PGPASSWORD, libpq's; APITOKEN; CLIENTSECRET; OPENAIAPIKEY; AWS_SECRETKEY). KEY and PASS count
// only as whole words: MONKEY, HOCKEY, BYPASS, COMPASS, KEYBOARD, PASSTHROUGH name no secret.
const SECRET_WORDS = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
]);
const SECRET_ENDINGS = ['PASSWORD', 'PASSWD', 'TOKEN', 'SECRET', 'APIKEY', 'ACCESSKEY', 'SECRETKEY', 'PRIVATEKEY'];

/**
 * The words of an environment variable name: split at "_" (and "-" / "." where a tool allows them),
 * and at a lower-case → upper-case step (ngcApiKey → ngc, Api, Key); upper-cased, trailing digits
 * dropped (API_KEY2 → KEY).
 */
export function envNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.-]+/)
    .map((w) => w.toUpperCase().replace(/\d+$/, ''))
    .filter(Boolean);
}

/**
 * True when a variable's name says it holds a secret: one of its words (envNameWords) is KEY(S),
 * APIKEY, TOKEN(S), SECRET(S), PASS, PASSWORD(S), PASSWD, PASSPHRASE or CREDENTIAL(S), or ends with
 * PASSWORD, PASSWD, TOKEN, SECRET, APIKEY, ACCESSKEY, SECRETKEY or PRIVATEKEY. NGC_API_KEY, HF_TOKEN, AWS_SECRET_ACCESS_KEY,
 * DB_PASSWORD, PGPASSWORD, MYSQL_ROOT_PASS: yes. KEYBOARD, PASSTHROUGH, MONKEY, BYPASS_CACHE,
 * TOKENIZERS_PARALLELISM: no.
 */
export function isSecretEnvName(name: string): boolean {
  return envNameWords(name).some((w) => SECRET_WORDS.has(w) || SECRET_ENDINGS.some((e) => w.endsWith(e)));
}

/** "NAME=value" → "NAME=••••••" when the name looks secret (isSecretEnvName); anything else as it is. */
export function maskEnvEntry(entry: string): string {
  const i = entry.indexOf('=');
  return i > 0 && isSecretEnvName(entry.slice(0, i)) ? `${entry.slice(0, i)}=${MASKED_VALUE}` : entry;
}

/**
 * An env entry as error messages may show it: the name and "=…", never the value, whatever the name
 * ("NGC_API_KEY=abc" → "NGC_API_KEY=…"). Without "=" the text is shown only when it reads as a
 * conventional name (upper-case letters and _, at most 64) that does not look secret; otherwise its
 * length stands in, so a key pasted alone ("nvapi-…", "hf_…", "AKIA…") is never echoed.
 */
export function envEntryForMessage(entry: string): string {
  const i = entry.indexOf('=');
  if (i >= 0) {
    const name = entry.slice(0, i);
    return JSON.stringify(`${name.length > 64 ? `${name.slice(0, 64)}…` : name}=…`);
  }
  return /^[A-Z_]{1,64}$/.test(entry) && !isSecretEnvName(entry)
    ? JSON.stringify(entry)
    : `an entry of ${entry.length} characters without "=" (not shown, in case it is a secret)`;
}
