// Jupyter links from the log shapes Jupyter itself prints (jupyter_server ServerApp, classic
// NotebookApp 5/6), rewritten to the published host address and port.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerPort } from '@shared/contract';
import { findJupyter, publishedHost } from './jupyter';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const lines = (text: string) => text.split('\n').map((t) => ({ text: t }));
/** 8888 published on host port 49153 on all addresses, as `docker run -p 8888` does (IPv4 and IPv6). */
const P8888: ContainerPort[] = [{ containerPort: 8888, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 49153 }];
const TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef';

describe('findJupyter: the reported cases', () => {
  it('Notebook 5 "(<container id> or 127.0.0.1)" host: the loopback link on the published port, with its token', () => {
    expect(findJupyter(lines(fixture('jupyter-notebook5-host-or-loopback.log')), P8888)).toEqual({
      url: `http://127.0.0.1:49153/?token=${TOKEN}`,
      authenticated: true,
    });
  });

  it('a server started without a token: the bare link, and the log\'s "All authentication is disabled" read as no authentication', () => {
    expect(findJupyter(lines(fixture('jupyter-no-token.log')), P8888)).toEqual({ url: 'http://127.0.0.1:49153/', authenticated: false });
  });
});

describe('findJupyter: Jupyter Server (JupyterLab 3/4, Notebook 7) output', () => {
  it('JupyterLab 3: "http://<hostname>:8888/lab?token=…" then " or http://127.0.0.1:8888/lab?token=…"', () => {
    const log = [
      '[I 2021-03-01 10:00:00.000 ServerApp] Jupyter Server 1.4.1 is running at:',
      '[I 2021-03-01 10:00:00.000 ServerApp] http://b3e0c1a3f7a2:8888/lab?token=3f0e2a',
      '[I 2021-03-01 10:00:00.000 ServerApp]  or http://127.0.0.1:8888/lab?token=3f0e2a',
      '[I 2021-03-01 10:00:00.000 ServerApp] Use Control-C to stop this server and shut down all kernels (twice to skip confirmation).',
    ].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab?token=3f0e2a', authenticated: true });
  });

  it('JupyterLab 4: "To access the server, open this file in a browser" block, coloured by a TTY; the file:// URL is not a link', () => {
    const log = [
      '\x1b[32m[I 2024-01-05 10:00:00.123 ServerApp]\x1b[m Jupyter Server 2.12.1 is running at:',
      '\x1b[32m[I 2024-01-05 10:00:00.123 ServerApp]\x1b[m http://4d2c1f0e9a7b:8888/lab?token=9c1d',
      '\x1b[32m[I 2024-01-05 10:00:00.123 ServerApp]\x1b[m     http://127.0.0.1:8888/lab?token=9c1d',
      '\x1b[35m[C 2024-01-05 10:00:00.130 ServerApp]\x1b[m ',
      '    ',
      '    To access the server, open this file in a browser:',
      '        file:///root/.local/share/jupyter/runtime/jpserver-7-open.html',
      '    Or copy and paste one of these URLs:',
      '        http://4d2c1f0e9a7b:8888/lab?token=9c1d',
      '        http://127.0.0.1:8888/lab?token=9c1d',
    ].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab?token=9c1d', authenticated: true });
  });

  it('prefers the loopback line even when the hostname line comes last or differs (custom_display_url)', () => {
    const log = ['    http://127.0.0.1:8888/lab?token=abc', 'http://myhost:8888/custom/?token=abc'].join('\n');
    expect(findJupyter(lines(log), P8888)?.url).toBe('http://127.0.0.1:49153/lab?token=abc');
  });

  it('https with a certfile and a base_url path are kept', () => {
    const log = '[I 2024-01-05 ServerApp] https://127.0.0.1:8888/jupyter/lab?token=abc123';
    expect(findJupyter(lines(log), P8888)?.url).toBe('https://127.0.0.1:49153/jupyter/lab?token=abc123');
  });

  it('a JupyterHub single-user path /user/<name>/…', () => {
    const log = '[I 2024-01-05 SingleUserLabApp] http://jupyter-alice:8888/user/alice/tree?token=abc';
    expect(findJupyter(lines(log), P8888)?.url).toBe('http://127.0.0.1:49153/user/alice/tree?token=abc');
  });

  it('a token set by the user (JUPYTER_TOKEN) of any characters, URL-encoded as Jupyter logs it, is kept byte for byte', () => {
    // urllib.parse.urlencode({"token": "my secret/tøken_~.-!"}) == "token=my+secret%2Ft%C3%B8ken_~.-%21"
    const log = 'http://127.0.0.1:8888/lab?token=my+secret%2Ft%C3%B8ken_~.-%21';
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab?token=my+secret%2Ft%C3%B8ken_~.-%21', authenticated: true });
  });

  it('a token from config is logged as "?token=...": the link opens the login page, the server is authenticated', () => {
    const log = ['http://b3e0c1a3f7a2:8888/lab?token=...', '    http://127.0.0.1:8888/lab?token=...'].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab', authenticated: true });
  });

  it('no token and no word about authentication: unknown (a password may protect it)', () => {
    const log = ['Jupyter Server 2.14.0 is running at:', 'http://localhost:8888/lab'].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab', authenticated: null });
  });

  it('"listening on all IP addresses and not using authentication" also reads as none', () => {
    const log = [
      '[W 2024-01-05 ServerApp] WARNING: The Jupyter server is listening on all IP addresses and not using authentication. This is highly insecure and not recommended.',
      '[I 2024-01-05 ServerApp] http://0.0.0.0:8888/lab',
    ].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab', authenticated: false });
  });
});

describe('findJupyter: host forms and published addresses', () => {
  it.each([
    ['http://(a1b2c3d4e5f6 or 127.0.0.1):8888/?token=abc', '/?token=abc'],
    ['http://[all ip addresses on your system]:8888/?token=abc', '/?token=abc'],
    ['http://0.0.0.0:8888/?token=abc', '/?token=abc'],
    ['http://localhost:8888/tree?token=abc', '/tree?token=abc'],
    ['http://172.17.0.2:8888/?token=abc', '/?token=abc'],
    ['http://[::1]:8888/lab?token=abc', '/lab?token=abc'],
    ['http://[fe80::42:acff:fe11:2]:8888/lab?token=abc', '/lab?token=abc'],
    ['http://a1b2c3d4e5f6:8888', '/'],
  ])('%s → http://127.0.0.1:49153%s', (logged, rest) => {
    expect(findJupyter(lines(`[I 07:28:25.795 NotebookApp] ${logged}`), P8888)?.url).toBe(`http://127.0.0.1:49153${rest}`);
  });

  it('uses the binding\'s HostIp when it is a specific address, 127.0.0.1 for 0.0.0.0 / :: / none', () => {
    const log = lines('http://127.0.0.1:8888/?token=abc');
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'tcp', hostIp: '192.168.1.5', hostPort: 49153 }])?.url).toBe('http://192.168.1.5:49153/?token=abc');
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'tcp', hostIp: '::1', hostPort: 49153 }])?.url).toBe('http://[::1]:49153/?token=abc');
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'tcp', hostIp: '::', hostPort: 49153 }])?.url).toBe('http://127.0.0.1:49153/?token=abc');
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'tcp', hostPort: 49153 }])?.url).toBe('http://127.0.0.1:49153/?token=abc');
    expect([publishedHost('0.0.0.0'), publishedHost('::'), publishedHost(''), publishedHost('10.0.0.2'), publishedHost('fd00::2')]).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1',
      '10.0.0.2',
      '[fd00::2]',
    ]);
  });

  it('prefers a binding a browser here reaches when one port is published on several addresses', () => {
    const ports: ContainerPort[] = [
      { containerPort: 8888, protocol: 'tcp', hostIp: '192.168.1.5', hostPort: 49001 },
      { containerPort: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49002 },
    ];
    expect(findJupyter(lines('http://127.0.0.1:8888/?token=abc'), ports)?.url).toBe('http://127.0.0.1:49002/?token=abc');
  });
});

describe('findJupyter: never a link to an unpublished port, never a URL that is not the announcement', () => {
  it('offers nothing when the logged port is not published, published on UDP only, or no URL was logged', () => {
    const log = lines('http://127.0.0.1:8888/?token=abc');
    expect(findJupyter(log, [])).toBeNull();
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'tcp' }])).toBeNull();
    expect(findJupyter(log, [{ containerPort: 8888, protocol: 'udp', hostPort: 49153 }])).toBeNull();
    expect(findJupyter(log, [{ containerPort: 8889, protocol: 'tcp', hostPort: 49153 }])).toBeNull();
    expect(findJupyter(lines('no url here'), P8888)).toBeNull();
  });

  it('a server on an unpublished port is skipped for one that is published', () => {
    const log = ['http://127.0.0.1:8888/?token=abc', 'https://proxy.example.org:8443/?token=abc'].join('\n');
    expect(findJupyter(lines(log), P8888)?.url).toBe('http://127.0.0.1:49153/?token=abc');
  });

  it('ignores URLs quoted inside other messages (access-log referer, file:// links)', () => {
    const log = [
      'http://127.0.0.1:8888/lab?token=abc',
      '[W 2024-01-05 10:01:00.000 ServerApp] 404 GET /api/nope (@172.17.0.1) 1.20ms referer=http://localhost:8888/lab/tree/x.ipynb',
      '[I 2024-01-05 10:01:00.000 ServerApp] Connecting to http://localhost:8888/api/kernels for a kernel',
    ].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/lab?token=abc', authenticated: true });
  });
});

describe('findJupyter: restarts', () => {
  it('the newest start wins, with its own token', () => {
    const log = ['http://127.0.0.1:8888/lab?token=old', '[I ServerApp] Shutting down', 'http://hostname:8888/lab?token=new', '    http://127.0.0.1:8888/lab?token=new'].join('\n');
    expect(findJupyter(lines(log), P8888)?.url).toBe('http://127.0.0.1:49153/lab?token=new');
  });

  it('a warning of an earlier start does not speak for the newest one', () => {
    const log = [
      '[W 05:10:14.215 NotebookApp] All authentication is disabled.  Anyone who can connect to this server will be able to run code.',
      'The Jupyter Notebook is running at: http://0.0.0.0:8888/',
      'http://127.0.0.1:8888/?token=abc',
      'http://127.0.0.1:8888/',
    ].join('\n');
    expect(findJupyter(lines(log), P8888)).toEqual({ url: 'http://127.0.0.1:49153/', authenticated: null });
    expect(findJupyter(lines(log.split('\n').slice(0, 3).join('\n')), P8888)).toEqual({ url: 'http://127.0.0.1:49153/?token=abc', authenticated: true });
  });
});
