// Test support: Debian's `docker-registry` on 127.0.0.1 (a free port, temporary storage), and a
// multi-layer image built offline by committing containers that wrote files.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export async function startRegistry(): Promise<{ host: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlenv-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const host = `127.0.0.1:${port}`;
  const end = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://${host}/v2/`).then((r) => r.ok).catch(() => false);
    if (up) break;
    if (proc.exitCode !== null || Date.now() > end) {
      proc.kill();
      throw new Error(`docker-registry did not start on ${host} (apt-get install docker-registry): ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const follow = (docker: Docker, stream: NodeJS.ReadableStream) =>
  new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const e = err ?? (out.find((o) => o.error) ? new Error(out.find((o) => o.error)!.error) : null);
      if (e) reject(e);
      else resolve();
    }),
  );

/** Builds `ref` with two layers of `mib` MiB of random data on top of `base`, pushes it, and removes it locally. */
export async function pushLayeredImage(docker: Docker, base: string, ref: string, registry: string, mib: number, labels: Record<string, string>): Promise<void> {
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  let from = base;
  const made: string[] = [];
  for (const n of [1, 2]) {
    const c = await docker.createContainer({ Image: from, Cmd: ['sh', '-c', `head -c ${mib}m /dev/urandom > /layer${n}.bin`], Labels: labels });
    await c.start();
    await c.wait();
    const { Id } = (await c.commit({})) as { Id: string };
    await c.remove({ force: true });
    made.push(Id);
    from = Id;
  }
  await docker.getImage(from).tag({ repo, tag });
  await follow(docker, (await docker.getImage(ref).push({ authconfig: { serveraddress: registry } })) as NodeJS.ReadableStream);
  await docker.getImage(ref).remove({ force: true });
  for (const id of made.reverse()) await docker.getImage(id).remove({ force: true }).catch(() => undefined);
}

/** The token the fake JupyterLab of pushJupyterImage announces. */
export const FAKE_JUPYTER_TOKEN = 'mlenvtesttoken0123456789abcdef';

// A stand-in for `jupyter` in an NGC image: it checks that it was asked to serve JupyterLab as NGC
// documents it (lab, --ip=0.0.0.0, --port=8888), prints the announcement jupyter_server prints
// (ServerApp's display_url lines), then serves HTTP on 8888 with busybox httpd.
const FAKE_JUPYTER = `#!/bin/sh
[ "$1" = lab ] || { echo "jupyter: expected the lab subcommand, got $1" >&2; exit 2; }
case " $* " in *" --ip=0.0.0.0 "*) ;; *) echo "jupyter: expected --ip=0.0.0.0 in: $*" >&2; exit 2 ;; esac
case " $* " in *" --port=8888 "*) ;; *) echo "jupyter: expected --port=8888 in: $*" >&2; exit 2 ;; esac
echo "[I 2026-01-05 10:00:00.100 ServerApp] Jupyter Server 2.14.2 is running at:"
echo "[I 2026-01-05 10:00:00.100 ServerApp] http://$(hostname):8888/lab?token=${FAKE_JUPYTER_TOKEN}"
echo "[I 2026-01-05 10:00:00.100 ServerApp]     http://127.0.0.1:8888/lab?token=${FAKE_JUPYTER_TOKEN}"
mkdir -p /tmp/www && echo ok > /tmp/www/index.html
exec httpd -f -p 8888 -h /tmp/www
`;

/**
 * Builds, from `base` (the busybox test image), an image with a `jupyter` command that behaves as the
 * JupyterLab of an NGC framework image does on the outside (its announcement, a server on 8888), and
 * tags it `ref` (e.g. 127.0.0.1:5000/nvidia/pytorch:25.12-py3). The image's command stays `sh`.
 */
export async function buildJupyterImage(docker: Docker, base: string, ref: string, labels: Record<string, string>): Promise<void> {
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  const script = Buffer.from(FAKE_JUPYTER).toString('base64');
  const c = await docker.createContainer({ Image: base, Cmd: ['sh', '-c', `echo ${script} | base64 -d > /bin/jupyter && chmod 755 /bin/jupyter`], Labels: labels });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`writing the fake jupyter exited with ${StatusCode}`);
    const { Id } = (await c.commit({ changes: 'CMD ["sh"]' })) as { Id: string };
    await docker.getImage(Id).tag({ repo, tag });
  } finally {
    await c.remove({ force: true });
  }
}

/** buildJupyterImage, then pushed to `registry` as `ref` and removed here, so that a launch of `ref` pulls it. */
export async function pushJupyterImage(docker: Docker, base: string, ref: string, registry: string, labels: Record<string, string>): Promise<void> {
  await buildJupyterImage(docker, base, ref, labels);
  const { Id } = await docker.getImage(ref).inspect();
  await follow(docker, (await docker.getImage(ref).push({ authconfig: { serveraddress: registry } })) as NodeJS.ReadableStream);
  await docker.getImage(ref).remove({ force: true });
  await docker.getImage(Id).remove({ force: true }).catch(() => undefined);
}
