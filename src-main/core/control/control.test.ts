// One owner per data folder and its control socket, with real processes and real sockets: exactly one
// of many racing owners wins and the others name it; a killed owner leaves no lock and its socket file
// is replaced; the socket is this user's alone; a call either gets its answer or one clear sentence.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { tmpDataDir } from '../../test-support';
import { killHard, ownerProcess } from '../../test-support/owner-process';
import { acquireOwner, OWNER_DIR, OwnerRefused, readOwner, type Owner } from '../owner';
import { CONTROL_SOCKET, controlAddress } from './address';
import { connectControl, ControlError } from './client';
import { lineReader, MAX_CALL_BYTES } from './frames';
import { listenControl, type ControlServer } from './server';

const unix = process.platform !== 'win32';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the owner lock', () => {
  it('is held by one owner at a time: a second is refused in one sentence naming the first, and gets it once released', () => {
    const dir = tmpDataDir();
    const first = acquireOwner(dir, { transport: 'desktop', version: 'test' });
    let refused: unknown;
    try {
      acquireOwner(dir, { transport: 'serve', version: 'test' });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(OwnerRefused);
    expect((refused as Error).message).toBe(
      `MLEnv is already running on ${dir}: the desktop app (pid ${process.pid}); one process at a time owns a data folder (quit that one first, or use another --data-dir)`,
    );
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, transport: 'desktop', version: 'test' });
    first.release();
    first.release(); // idempotent
    expect(readOwner(dir)).toBeUndefined();
    const second = acquireOwner(dir, { transport: 'serve', version: 'test' });
    second.setUrl('http://127.0.0.1:8765');
    expect(readOwner(dir)).toMatchObject({ transport: 'serve', url: 'http://127.0.0.1:8765' });
    second.release();
  });

  it('of many processes started at once on one folder, exactly one owns it and the others name it', async () => {
    const dir = tmpDataDir();
    const all = await Promise.all(Array.from({ length: 6 }, () => ownerProcess(dir, { transport: 'command', command: 'mlenv stop' })));
    const owners = all.filter((r) => 'pid' in r);
    expect(owners).toHaveLength(1);
    const winner = owners[0] as { pid: number };
    for (const r of all.filter((x) => 'refused' in x)) {
      expect((r as { refused: string }).refused).toBe(
        `MLEnv is already running on ${dir}: mlenv stop (pid ${winner.pid}); one process at a time owns a data folder (quit that one first, or use another --data-dir)`,
      );
    }
  });

  it('dies with its process: after kill -9 the next owner gets the folder, though the old owner.json is still there', async () => {
    const dir = tmpDataDir();
    const other = await ownerProcess(dir, { transport: 'desktop' });
    if (!('pid' in other)) throw new Error(other.refused);
    expect(() => acquireOwner(dir, { transport: 'serve', version: 'test' })).toThrow(`the desktop app (pid ${other.pid})`);
    await killHard(other.proc);
    expect(existsSync(path.join(dir, OWNER_DIR, 'owner.json'))).toBe(true);
    expect(readOwner(dir)).toBeUndefined(); // it names a process that is gone
    const mine = acquireOwner(dir, { transport: 'serve', version: 'test' });
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, transport: 'serve' });
    mine.release();
  });

  it('is taken before the database is opened: a refused core opens nothing', () => {
    const dir = tmpDataDir();
    const app = createApp({ dataDir: dir, version: 'test', persistMetrics: false, owner: { transport: 'desktop' } });
    cleanups.push(() => app.dispose());
    expect(() => createApp({ dataDir: dir, version: 'test', persistMetrics: false, owner: { transport: 'serve' } })).toThrow(OwnerRefused);
    // a read-only core takes no lock: it may look while the app runs
    const reader = createApp({ dataDir: dir, version: 'test', readOnly: true });
    cleanups.push(() => reader.dispose());
    expect(reader.owner).toBeUndefined();
  });

  it('says which folder it cannot use', () => {
    const file = path.join(tmpDataDir(), 'file');
    writeFileSync(file, '');
    expect(() => acquireOwner(path.join(file, 'sub'), { transport: 'serve', version: 'test' })).toThrow(`cannot use data folder ${path.join(file, 'sub')}: ENOTDIR`);
  });
});

describe('lineReader', () => {
  const collect = (max: number) => {
    const lines: string[] = [];
    let tooLong = 0;
    return { lines, tooLong: () => tooLong, read: lineReader(max, (l) => lines.push(l), () => tooLong++) };
  };

  it('splits frames on newlines wherever the chunks break, UTF-8 included', () => {
    const c = collect(100);
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n\n{"c":"日本"}\n');
    for (let i = 0; i < bytes.length; i += 3) c.read(bytes.subarray(i, i + 3)); // splits inside multi-byte characters
    expect(c.lines).toEqual(['{"a":"é"}', '{"b":2}', '{"c":"日本"}']);
    const whole = collect(100);
    whole.read(bytes);
    expect(whole.lines).toEqual(c.lines);
  });

  it('takes a line of exactly the bound and refuses one byte more, once, and nothing after it', () => {
    const ok = collect(8);
    ok.read(Buffer.from('12345678\n'));
    expect(ok.lines).toEqual(['12345678']);
    const over = collect(8);
    over.read(Buffer.from('1234'));
    over.read(Buffer.from('56789'));
    over.read(Buffer.from('\n{"after":1}\n'));
    expect(over.lines).toEqual([]);
    expect(over.tooLong()).toBe(1);
    const overInOne = collect(8);
    overInOne.read(Buffer.from('ok\n123456789\nlate\n'));
    expect(overInOne.lines).toEqual(['ok']);
    expect(overInOne.tooLong()).toBe(1);
  });
});

describe.runIf(unix)('the control socket', () => {
  /** An owner core of `dir` answering on its control socket (as app.start() does for the desktop app and serve). */
  async function owned(dir: string): Promise<{ app: App; control: ControlServer }> {
    const app = createApp({ dataDir: dir, version: 'test', persistMetrics: false, owner: { transport: 'serve' } });
    const control = await listenControl({ address: controlAddress(dir), router: app.router, bus: app.bus, journal: app.events });
    cleanups.push(() => app.dispose());
    cleanups.push(() => control.close());
    return { app, control };
  }

  it('is created 0600 in a 0700 folder and answers calls with the same envelopes as the WebSocket', async () => {
    const dir = tmpDataDir();
    const { control } = await owned(dir);
    expect(control.address).toBe(path.join(dir, OWNER_DIR, CONTROL_SOCKET));
    expect(statSync(control.address).isSocket()).toBe(true);
    expect(statSync(control.address).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(control.address)).mode & 0o777).toBe(0o700);
    const client = await connectControl(dir, 5000);
    if (!client) throw new Error('nothing answered');
    cleanups.push(() => client.close());
    expect(client.who).toBe(`the running app (pid ${process.pid})`);
    expect(await client.call('app.info', {}, 5000)).toMatchObject({ ok: true, value: { pid: process.pid, dataDir: dir } });
    expect(await client.call('containers.inspect', { id: '' }, 5000)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await client.call('no.such', {}, 5000)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown request "no.such"' } });
    // subscriptions work as on any connection
    expect(await client.call('events.subscribe', { names: ['status.changed'] }, 5000)).toEqual({ ok: true, value: { subscribed: ['status.changed'] } });
  });

  it('refuses a connection from another local user by the socket file\'s own mode', async () => {
    if (process.getuid?.() !== 0) return void console.warn('SKIPPED: needs root to connect as another user; the mode bits are tested above');
    const dir = tmpDataDir();
    const { control } = await owned(dir);
    // Open the two private folders on the way (0711: enter, not list; the temporary directory above is
    // open to all), so that only the socket's own 0600 stands between another user and the app.
    chmodSync(path.dirname(control.address), 0o711);
    chmodSync(dir, 0o711);
    const probe = `require('net').connect(${JSON.stringify(control.address)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
    const asNobody = () => spawnSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, encoding: 'utf8' }).stdout.trim();
    expect(asNobody()).toBe('EACCES');
    chmodSync(control.address, 0o666); // what the mode bits alone decide: opened up, the same user gets in
    expect(asNobody()).toBe('connected');
  });

  it('replaces a socket file left by an owner that was killed; a client finds nothing there until then', async () => {
    const dir = tmpDataDir();
    const address = controlAddress(dir);
    mkdirSync(path.dirname(address), { recursive: true, mode: 0o700 });
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(address)}, () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => child.stdout.once('data', r));
    await killHard(child);
    expect(statSync(address).isSocket()).toBe(true); // left behind
    expect(await connectControl(dir, 5000)).toBeUndefined(); // ECONNREFUSED: nothing runs
    await owned(dir);
    const client = await connectControl(dir, 5000);
    cleanups.push(() => client?.close());
    expect(await client?.call('app.info', {}, 5000)).toMatchObject({ ok: true, value: { pid: process.pid } });
  });

  it('refuses a frame over the bound and one that is not JSON, in words', async () => {
    const dir = tmpDataDir();
    const { control } = await owned(dir);
    const raw = async (payload: string) =>
      new Promise<string>((resolve) => {
        const s = connect(control.address);
        let text = '';
        s.on('data', (d: Buffer) => {
          text += d.toString();
          if (payload.length < 100) s.end();
        });
        s.on('error', () => undefined);
        s.on('close', () => resolve(text));
        s.write(payload);
      });
    expect(JSON.parse(await raw('this is not json\n'))).toEqual({ type: 'result', id: null, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'message is not JSON' } } });
    const huge = await raw('{"type":"call","id":1,"name":"app.info","input":"' + 'x'.repeat(MAX_CALL_BYTES) + '"}\n');
    expect(JSON.parse(huge.split('\n')[0]!)).toEqual({
      type: 'result',
      id: null,
      result: { ok: false, error: { code: 'INVALID_INPUT', message: `a frame is longer than ${MAX_CALL_BYTES} bytes; the connection is closed` } },
    });
  });
});

describe.runIf(unix)('a CLI call to an owner that is busy or dies', () => {
  /** An owner of `dir` whose control socket does `onData` with each connection's first call. */
  async function fakeOwner(dir: string, onData: (s: Socket) => void): Promise<Owner> {
    const owner = acquireOwner(dir, { transport: 'desktop', version: 'test' });
    const address = controlAddress(dir);
    const server: Server = createServer((s) => s.once('data', () => onData(s)));
    await new Promise<void>((r) => server.listen(address, r));
    cleanups.push(() => owner.release());
    cleanups.push(() => new Promise((r) => server.close(r)));
    return owner;
  }

  it('fails with "stopped answering" when no answer comes in time', async () => {
    const dir = tmpDataDir();
    await fakeOwner(dir, () => undefined); // reads the call, never answers
    const client = await connectControl(dir, 5000);
    const call = client!.call('containers.list', { all: true }, 300);
    await expect(call).rejects.toThrow(ControlError);
    await expect(call).rejects.toThrow(`the running app (pid ${process.pid}) stopped answering: no reply to containers.list within 0.3 s`);
  });

  it('fails with "closed the connection before answering" when the owner goes away mid-call, and calls no more', async () => {
    const dir = tmpDataDir();
    await fakeOwner(dir, (s) => s.destroy());
    const client = await connectControl(dir, 5000);
    await expect(client!.call('containers.stop', { id: 'x' }, 5000)).rejects.toThrow(
      `the running app (pid ${process.pid}) closed the connection before answering containers.stop; it may have quit or crashed`,
    );
    await expect(client!.ended).resolves.toBeInstanceOf(ControlError);
    await expect(client!.call('containers.list', {}, 5000)).rejects.toThrow('closed the connection');
  });
});
