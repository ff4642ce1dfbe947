#!/usr/bin/env node
// Draws the app and tray icons as PNGs (no image tools needed). Run once; the outputs are committed.
// App icon: a GPU chip (green die with pins) on a dark rounded square. Tray: a status-coloured chip.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // 4× supersampling for smooth edges
      let acc = [0, 0, 0, 0];
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const p = pixel((x + dx) / size, (y + dy) / size);
        acc = acc.map((v, i) => v + (i === 3 ? p[3] : p[i] * p[3]));
      }
      const a = acc[3] / 4;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(acc[0] / acc[3]) : 0;
      raw[o + 1] = a ? Math.round(acc[1] / acc[3]) : 0;
      raw[o + 2] = a ? Math.round(acc[2] / acc[3]) : 0;
      raw[o + 3] = Math.round(a * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8);
  ihdr.writeUInt8(6, 9);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
/** The chip: a die with 3 pins a side, a hollow centre. */
function chip(x, y, color, withBackground) {
  const pins = [0.36, 0.5, 0.64];
  const pinHalf = 0.035;
  const onPin =
    pins.some((p) => Math.abs(x - p) < pinHalf && ((y > 0.14 && y < 0.26) || (y > 0.74 && y < 0.86))) ||
    pins.some((p) => Math.abs(y - p) < pinHalf && ((x > 0.14 && x < 0.26) || (x > 0.74 && x < 0.86)));
  const die = inRoundRect(x, y, 0.24, 0.24, 0.76, 0.76, 0.06);
  const hole = inRoundRect(x, y, 0.37, 0.37, 0.63, 0.63, 0.03);
  if ((die && !hole) || onPin) return [...color, 1];
  if (hole) return [...color, withBackground ? 0.35 : 0.5];
  if (withBackground && inRoundRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return [...hex('#171a21'), 1];
  return [0, 0, 0, 0];
}
mkdirSync('assets/tray', { recursive: true });
writeFileSync('assets/icon.png', png(512, (x, y) => chip(x, y, hex('#76b900'), true)));
writeFileSync('src-renderer/public/favicon.png', png(64, (x, y) => chip(x, y, hex('#76b900'), true)));
const LEVELS = { ok: '#3fb950', warning: '#d29922', critical: '#f85149', unreachable: '#8b949e' };
for (const [level, color] of Object.entries(LEVELS)) {
  // Electron picks name@2x.png on high-DPI screens.
  writeFileSync(`assets/tray/${level}.png`, png(16, (x, y) => chip(x, y, hex(color), false)));
  writeFileSync(`assets/tray/${level}@2x.png`, png(32, (x, y) => chip(x, y, hex(color), false)));
}
console.log('icons written to assets/ and src-renderer/public/');
