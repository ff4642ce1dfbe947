import http, { type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Envelope } from '@shared/errors';
import { SECURITY_HEADERS } from './static';

/** An answer in the contract's envelope, with the security headers every response carries. */
export function json(res: ServerResponse, status: number, body: Envelope<unknown> | { status: string }): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

/** A refusal before any handler ran: the envelope's INVALID_INPUT with one sentence. */
export function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  json(res, status, { ok: false, error: { code: 'INVALID_INPUT', message } });
}

/** A refused WebSocket upgrade: there is no ServerResponse yet, so the status line goes on the raw socket, which then closes. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
