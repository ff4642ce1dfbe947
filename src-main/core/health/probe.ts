// Responsiveness probes on a published port: a TCP connect, or an HTTP GET answered below 500.
import http from 'node:http';
import net from 'node:net';
import type { ProbeResult } from '@shared/contract';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const target = `${host}:${port}`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean, error?: string) => {
      sock.destroy();
      resolve({ ok, kind: 'tcp', target, ms: Math.round(performance.now() - t0), ...(error ? { error } : {}) });
    };
    sock.setTimeout(timeoutMs, () => done(false, `no connection within ${timeoutMs} ms`));
    sock.once('connect', () => done(true));
    sock.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
  });
}

export function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  const target = `http://${host}:${port}${path}`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const done = (ok: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      req?.destroy();
      resolve({ ok, kind: 'http', target, ms: Math.round(performance.now() - t0), ...(error ? { error } : {}) });
    };
    try {
      req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        done(code > 0 && code < 500, code >= 500 ? `answered ${code}` : undefined);
      });
    } catch (e) {
      // Node refuses some request targets at once (ERR_UNESCAPED_CHARACTERS): a failed probe, not a crash.
      return done(false, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    req.once('timeout', () => done(false, `no answer within ${timeoutMs} ms`));
    req.once('error', (e: NodeJS.ErrnoException) => done(false, e.code === 'ECONNRESET' ? 'connection reset (nothing answers behind the port)' : (e.code ?? e.message)));
  });
}
