// What a hostile client can send to `mlenv serve`, over raw TCP, against the built CLI in a real
// process: it must answer each with a refusal and keep serving (the page, /healthz, the API).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Served } from '../../e2e/serve';
import { waitFor } from '../test-support';

const ROOT = path.resolve(__dirname, '../..');
/** Short limits so a slow client is cut off in well under a second (the defaults are 10 s and 30 s). */
const LIMITS = { MLENV_SERVE_HEADERS_TIMEOUT_MS: '400', MLENV_SERVE_REQUEST_TIMEOUT_MS: '800' };
const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ=='; // RFC 6455 §1.3's sample key
const UPGRADE = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': WS_KEY, 'Sec-WebSocket-Version': '13' };

let served: Served;
let stderr = '';
/** `name=value` of the session cookie, from the printed URL's first load. */
let cookie: string;

interface Reply {
  status: number | undefined;
  headers: Record<string, string>;
  setCookie: string | undefined;
  body: string;
}

/**
 * Writes `data` on a fresh connection to `port` and reads the answer until the server closes it
 * (every request here says Connection: close) or, for a 101, until its header block ends.
 */
function raw(data: string, port = served.port): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      let setCookie: string | undefined;
      for (const line of lines) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).toLowerCase();
        headers[name] = line.slice(i + 1).trim();
        if (name === 'set-cookie') setCookie = headers[name];
      }
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
      resolve({ status: m ? Number(m[1]) : undefined, headers, setCookie, body: rest.join('\r\n\r\n') });
    };
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.startsWith('HTTP/1.1 101 ') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined); // a reset after the answer: what arrived is the answer
    socket.on('close', done);
    socket.write(data);
  });
}

interface Req {
  method?: string;
  target?: string;
  /** The Host header; null: none. */
  host?: string | null;
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTP/1.1 request as text, Connection: close unless headers say otherwise. */
function request({ method = 'GET', target = '/', host = `127.0.0.1:${served.port}`, headers = {}, body }: Req): string {
  const all: Record<string, string> = { ...(host === null ? {} : { Host: host }), Connection: 'close', ...headers };
  if (body !== undefined) all['Content-Length'] = String(Buffer.byteLength(body));
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body ?? ''}`;
}

const send = (r: Req) => raw(request(r));
const callAppInfo = (headers: Record<string, string>, r: Req = {}) =>
  send({ method: 'POST', target: '/api/call/app.info', body: '{}', ...r, headers: { 'Content-Type': 'application/json', ...headers } });
const upgrade = (headers: Record<string, string>, r: Req = {}) => send({ target: '/api/ws', ...r, headers: { ...UPGRADE, ...headers } });

/** After every batch: the process runs, /healthz answers, the page loads and the API takes the cookie. */
async function expectServing() {
  expect(served.proc.exitCode, `mlenv serve exited:\n${stderr}`).toBeNull();
  expect((await send({ target: '/healthz' })).status).toBe(200);
  const page = await send({ target: '/', headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(page.body).toContain('<div id="root">');
  const api = await callAppInfo({ Cookie: cookie });
  expect([api.status, JSON.parse(api.body)]).toMatchObject([200, { ok: true, value: { name: 'MLEnv Desktop' } }]);
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-needed'], { cwd: ROOT, stdio: 'ignore' });
  served = await startServe([], LIMITS);
  served.proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await send({ target: `/?token=${served.token}` });
  cookie = first.setCookie!.split(';')[0]!;
}, 120_000);
afterAll(async () => served?.stop());

describe('mlenv serve against hostile clients', () => {
  it('trades the printed URL\'s token for an HttpOnly SameSite=Strict cookie, and takes it nowhere else', async () => {
    const printed = new URL(served.url);
    const first = await send({ target: `${printed.pathname}${printed.search}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.setCookie).toMatch(new RegExp(`^mlenv-${served.port}=[\\w-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(first.setCookie).not.toContain(served.token);

    // A wrong token leaves the address bar too, without a cookie; other parameters and the path stay;
    // a path that would read as another host ("//evil.example") is not a redirect there.
    const wrong = await send({ target: '/?token=wrong-token-0123456789' });
    expect([wrong.status, wrong.headers.location, wrong.setCookie]).toEqual([303, '/', undefined]);
    const deep = await send({ target: `/history?x=1&token=${served.token}` });
    expect(deep.headers.location).toBe('/history?x=1');
    const evil = await send({ target: `//evil.example/?token=${served.token}` });
    expect(evil.headers.location).toBe('/evil.example/');

    // The API and the WebSocket take the cookie or Bearer, never ?token=.
    expect((await callAppInfo({ Cookie: cookie })).status).toBe(200);
    expect((await callAppInfo({ Authorization: `Bearer ${served.token}` })).status).toBe(200);
    expect((await callAppInfo({ Cookie: `mlenv-${served.port}=forged` })).status).toBe(401);
    expect((await callAppInfo({ Cookie: `mlenv-${served.port}=${served.token}` })).status).toBe(401); // the cookie is not the token
    const viaQuery = await callAppInfo({}, { target: `/api/call/app.info?token=${served.token}` });
    expect([viaQuery.status, viaQuery.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    expect((await upgrade({ Cookie: cookie })).status).toBe(101);
    expect((await upgrade({ Authorization: `Bearer ${served.token}` })).status).toBe(101);
    expect((await upgrade({}, { target: `/api/ws?token=${served.token}` })).status).toBe(401);

    // /metrics keeps Bearer for Prometheus; ?token= opens nothing there either.
    expect((await send({ target: '/metrics', headers: { Authorization: `Bearer ${served.token}` } })).status).toBe(200);
    expect((await send({ target: `/metrics?token=${served.token}` })).status).toBe(401);
    await expectServing();
  });

  it('answers malformed request lines, targets and frames, and resets, without dying', async () => {
    expect((await upgrade({}, { target: '//[' })).status).toBe(404); // threw `new URL` out of the listener before
    expect((await upgrade({ Cookie: cookie }, { target: '//[' })).status).toBe(404);
    expect((await upgrade({ Cookie: cookie }, { target: '*' })).status).toBe(400);
    expect((await upgrade({ Cookie: cookie }, { target: `http://127.0.0.1:${served.port}/api/ws` })).status).toBe(400);
    expect((await upgrade({ Cookie: cookie }, { host: null })).status).toBe(403);
    expect((await upgrade({ Cookie: cookie, 'Sec-WebSocket-Key': 'short' })).status).toBe(400);
    expect((await upgrade({ Cookie: cookie, 'Sec-WebSocket-Version': '99' })).status).toBe(400);
    expect((await send({ target: 'http://evil.example/' })).status).toBe(400);
    expect((await send({ target: '/%zz' })).status).toBe(404);
    expect((await send({ target: '/%00.js' })).status).toBe(404);
    expect((await raw('HELLO\r\n\r\n')).status).toBe(400);
    expect((await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nno colon here\r\n\r\n`)).status).toBe(400);
    expect((await raw('GET / HTTP/9.9\r\n\r\n')).status).toBe(400);

    // A frame that is not WebSocket framing (unmasked, reserved bits set) ends that socket only.
    const frames = await new Promise<string>((resolve) => {
      const s = net.connect(served.port, '127.0.0.1');
      let text = '';
      s.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.startsWith('HTTP/1.1 101 ') && text.includes('\r\n\r\n') && !text.includes('sent')) {
          text += 'sent';
          s.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => resolve(text));
      s.write(request({ target: '/api/ws', headers: { ...UPGRADE, Cookie: cookie } }));
    });
    expect(frames).toMatch(/^HTTP\/1\.1 101 /);

    // A client that resets mid-handshake: its socket's error is handled, not thrown.
    await new Promise<void>((resolve) => {
      const s = net.connect(served.port, '127.0.0.1', () => {
        s.write(request({ target: '/api/ws', headers: { ...UPGRADE, Cookie: cookie } }), () => s.resetAndDestroy());
      });
      s.on('error', () => undefined);
      s.on('close', () => resolve());
    });
    await expectServing();
  });

  it('refuses Origin null and other origins on /api and the WebSocket, with the right token', async () => {
    const bearer = { Authorization: `Bearer ${served.token}` };
    for (const origin of ['null', 'http://evil.example', `http://localhost:${served.port + 1}`, `http://127.0.0.1:${served.port}/`, 'file://']) {
      expect((await callAppInfo({ ...bearer, Origin: origin })).status, origin).toBe(403);
      expect((await callAppInfo({ Cookie: cookie, Origin: origin })).status, origin).toBe(403);
      expect((await upgrade({ Cookie: cookie, Origin: origin })).status, origin).toBe(403);
      expect((await send({ target: '/metrics', headers: { ...bearer, Origin: origin } })).status, origin).toBe(403);
    }
    for (const origin of [`http://127.0.0.1:${served.port}`, `http://localhost:${served.port}`]) {
      expect((await callAppInfo({ Cookie: cookie, Origin: origin })).status, origin).toBe(200);
      expect((await upgrade({ Cookie: cookie, Origin: origin })).status, origin).toBe(101);
    }
    await expectServing();
  });

  it('refuses Host names other than its own even with the right token (DNS rebinding)', async () => {
    const bearer = { Authorization: `Bearer ${served.token}` };
    for (const host of [`evil.example:${served.port}`, `127.0.0.1.nip.io:${served.port}`, `localhost:${served.port + 1}`, 'localhost', `a@127.0.0.1:${served.port}`]) {
      expect((await callAppInfo(bearer, { host })).status, host).toBe(403);
      expect((await upgrade({ Cookie: cookie }, { host })).status, host).toBe(403);
      expect((await send({ target: '/', host })).status, host).toBe(403);
      expect((await send({ target: '/healthz', host })).status, host).toBe(403);
    }
    expect((await raw(`GET / HTTP/1.0\r\n\r\n`)).status).toBe(403); // no Host at all
    for (const host of [`localhost:${served.port}`, `LOCALHOST:${served.port}`, `[::1]:${served.port}`]) {
      expect((await callAppInfo(bearer, { host })).status, host).toBe(200);
    }
    await expectServing();
  });

  it('refuses CSRF-style POSTs: text/plain, forms, the token in the query', async () => {
    const csrf = (headers: Record<string, string>, target = `/api/call/app.info?token=${served.token}`) =>
      send({ method: 'POST', target, body: '{}', headers });
    // What a page elsewhere can send with fetch(…, {mode: 'no-cors'}) or a form: no preflight, its own Origin.
    expect((await csrf({ 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'http://evil.example' })).status).toBe(403);
    expect((await csrf({ 'Content-Type': 'text/plain;charset=UTF-8' })).status).toBe(401);
    // Even with the cookie (SameSite keeps it from other sites; this is the layer behind that) the media type is refused.
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect((await csrf({ 'Content-Type': type, Cookie: cookie }, '/api/call/app.info')).status, type).toBe(415);
    }
    expect((await csrf({ Cookie: cookie }, '/api/call/app.info')).status).toBe(415); // no Content-Type at all
    await expectServing();
  });

  it('answers oversized headers with 431', async () => {
    const big = 'a'.repeat(20_000); // over Node's 16 KiB --max-http-header-size
    expect((await send({ target: '/', headers: { 'X-Big': big } })).status).toBe(431);
    expect((await upgrade({ Cookie: cookie, 'X-Big': big })).status).toBe(431);
    expect((await send({ target: `/?${big}` })).status).toBe(431);
    await expectServing();
  });

  it('closes clients too slow to send their headers or body (408), and silent ones', async () => {
    const host = `Host: 127.0.0.1:${served.port}\r\n`;
    expect((await raw(`GET / HTTP/1.1\r\n${host}`)).status).toBe(408);
    expect((await raw(`GET /api/ws HTTP/1.1\r\n${host}Upgrade: websocket\r\n`)).status).toBe(408);
    expect((await raw(`GET / HTTP/1.1\r\n${host}X-Slow: a`)).status).toBe(408);
    const slowBody = `POST /api/call/app.info HTTP/1.1\r\n${host}Cookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`;
    expect((await raw(slowBody)).status).toBe(408);
    expect((await raw('')).status).toBe(408);
    await expectServing();
  });

  it('never logs a URL with the token', () => {
    expect(stderr).toContain('serve mode started');
    expect(stderr).not.toContain(served.token);
  });
});

describe('mlenv serve with a connection cap', () => {
  let capped: Served;
  beforeAll(async () => {
    capped = await startServe([], { MLENV_SERVE_MAX_CONNECTIONS: '4', MLENV_SERVE_KEEP_ALIVE_TIMEOUT_MS: '60000' });
  }, 60_000);
  afterAll(async () => capped?.stop());

  /** A keep-alive connection that has had one answer: the server holds it open. */
  const held = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(capped.port, '127.0.0.1');
      s.on('data', (d: Buffer) => d.toString().includes('{"status":"ok"}') && resolve(s));
      s.on('error', reject);
      s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`);
    });

  it('closes connections beyond the cap at once, and serves again when they go', async () => {
    const four = await Promise.all([held(), held(), held(), held()]);
    const fifth = await raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`, capped.port);
    expect(fifth).toMatchObject({ status: undefined, body: '' });
    four.forEach((s) => s.destroy());
    const again = await waitFor(async () => (await raw(request({ target: '/healthz', host: `127.0.0.1:${capped.port}` }), capped.port)).status === 200, 5000, 'a free slot');
    expect(again).toBe(true);
    expect(capped.proc.exitCode).toBeNull();
  });
});
