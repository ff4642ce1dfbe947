// The `docker run` line shown before a launch, read back as the docker CLI reads it, must ask the
// engine for the same container as the launch itself (buildCreateOptions). The reading below follows
// the CLI's own rules (docker/cli cli/command/container/opts.go and run.go; pflag's --flag value,
// --flag=value, -abc groups; flags end at the image), written apart from the code under test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchSchema, type LaunchInput } from '@shared/contract';
import { splitCommand } from '@shared/command';
import { dockerRunArgs, dockerRunLine } from '@shared/docker-run-line';
import { parseGpus } from '@shared/gpus';
import { parseBytes, parseUlimit } from '@shared/units';
import { parseVolume } from '@shared/volumes';
import { buildCreateOptions } from './create-options';

type Body = Record<string, unknown> & { HostConfig: Record<string, unknown> };

const VALUE_FLAGS = new Set(['--name', '--pull', '--gpus', '--runtime', '--ipc', '--ulimit', '--shm-size', '--memory', '-m', '--cpus', '--cpuset-cpus', '-p', '--publish', '-v', '--volume', '-e', '--env', '--restart', '--label', '-l', '--entrypoint']);
const BOOL_FLAGS = new Set(['-d', '--detach', '-i', '--interactive', '-t', '--tty', '--init']);

/** `docker run|create` words → the create body the CLI sends, plus the flags that are not part of it. */
function cliBody(words: string[], env: Record<string, string> = {}): { body: Body; detach: boolean; pull: string | undefined; command: 'run' | 'create' } {
  expect(words[0]).toBe('docker');
  const command = words[1] as 'run' | 'create';
  expect(['run', 'create']).toContain(command);
  const flags: [string, string | true][] = [];
  let i = 2;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-') break; // the image: flags end here (SetInterspersed(false))
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    if (VALUE_FLAGS.has(name)) flags.push([name, eq > 0 ? w.slice(eq + 1) : words[++i]!]);
    else if (BOOL_FLAGS.has(name)) flags.push([name, true]);
    else if (/^-[a-z]{2,}$/.test(w)) for (const c of w.slice(1)) flags.push([`-${c}`, true]);
    else throw new Error(`unknown flag ${w}`);
  }
  const image = words[i]!;
  const args = words.slice(i + 1);
  const hc: Record<string, unknown> = {};
  const body: Body = { Image: image, HostConfig: hc };
  const labels: Record<string, string> = {};
  const envs: string[] = [];
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const binds: string[] = [];
  const volumes: Record<string, object> = {};
  let detach = command === 'create';
  let pull: string | undefined;
  let tty = false;
  let stdin = false;
  for (const [f, v] of flags) {
    const s = v as string;
    if (f === '-d' || f === '--detach') detach = true;
    else if (f === '-i' || f === '--interactive') stdin = true;
    else if (f === '-t' || f === '--tty') tty = true;
    else if (f === '--init') hc.Init = true;
    else if (f === '--name') body.name = s;
    else if (f === '--pull') pull = s;
    else if (f === '--gpus') hc.DeviceRequests = [...((hc.DeviceRequests as unknown[]) ?? []), parseGpus(s)];
    else if (f === '--runtime') hc.Runtime = s;
    else if (f === '--ipc') hc.IpcMode = s;
    else if (f === '--ulimit') hc.Ulimits = [...((hc.Ulimits as unknown[]) ?? []), parseUlimit(s)];
    else if (f === '--shm-size') hc.ShmSize = parseBytes(s);
    else if (f === '--memory' || f === '-m') hc.Memory = parseBytes(s);
    else if (f === '--cpus') {
      // opts.ParseCPUs: a decimal times 1e9 that must come out whole ("value is too precise" otherwise).
      const nano = Number(s) * 1e9;
      expect(Math.abs(nano - Math.round(nano))).toBeLessThan(1e-3);
      hc.NanoCpus = Math.round(nano);
    } else if (f === '--cpuset-cpus') hc.CpusetCpus = s;
    else if (f === '-p' || f === '--publish') {
      // nat.ParsePortSpec: [ip:[hostPort]:]containerPort[/proto]
      const [spec, proto = 'tcp'] = s.split('/');
      const parts = spec!.split(':');
      const key = `${parts.at(-1)}/${proto}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: parts.length === 3 ? parts[0]! : '', HostPort: parts.length >= 2 ? parts.at(-2)! : '' });
    } else if (f === '-v' || f === '--volume') {
      // With a source, the value goes to Binds as written; without one, an anonymous volume.
      const m = parseVolume(s);
      if (m.source !== '') binds.push(s);
      else volumes[m.target] = {};
    } else if (f === '-e' || f === '--env') {
      // NAME without "=": the value of NAME in the CLI's own environment, dropped when it has none.
      if (s.includes('=')) envs.push(s);
      else if (env[s] !== undefined) envs.push(`${s}=${env[s]}`);
    } else if (f === '--restart') {
      const [name, n] = s.split(':');
      hc.RestartPolicy = { Name: name, MaximumRetryCount: n ? Number(n) : 0 };
    } else if (f === '--label' || f === '-l') {
      const k = s.indexOf('=');
      labels[k < 0 ? s : s.slice(0, k)] = k < 0 ? '' : s.slice(k + 1);
    } else if (f === '--entrypoint') body.Entrypoint = [s];
  }
  if (args.length) body.Cmd = args;
  if (envs.length) body.Env = envs;
  if (binds.length) hc.Binds = binds;
  if (Object.keys(bindings).length) {
    hc.PortBindings = bindings;
    body.ExposedPorts = exposed;
  }
  if (Object.keys(volumes).length) body.Volumes = volumes;
  body.Labels = labels;
  body.Tty = tty;
  body.OpenStdin = stdin;
  return { body, detach, pull, command };
}

/**
 * The create body with what the CLI spells another way and the engine reads the same: no HostIp and
 * HostIp "" (every address), MaximumRetryCount absent and 0, the Attach* fields (a detached run
 * attaches nothing), and the process as Entrypoint + Cmd.
 */
function canonical(b: Record<string, unknown>) {
  const { AttachStdin: _i, AttachStdout: _o, AttachStderr: _e, Entrypoint, Cmd, ...rest } = b as Body & { Entrypoint?: string[]; Cmd?: string[] };
  const hc = { ...(rest.HostConfig as Record<string, unknown>) };
  if (hc.PortBindings) {
    hc.PortBindings = Object.fromEntries(
      Object.entries(hc.PortBindings as Record<string, { HostIp?: string; HostPort: string }[]>).map(([k, list]) => [k, list.map((p) => ({ HostIp: p.HostIp ?? '', HostPort: p.HostPort }))]),
    );
  }
  if (hc.RestartPolicy) hc.RestartPolicy = { MaximumRetryCount: 0, ...(hc.RestartPolicy as object) };
  return { ...rest, HostConfig: hc, process: Entrypoint ? { entrypoint: true, argv: [...Entrypoint, ...(Cmd ?? [])] } : { entrypoint: false, argv: Cmd ?? null } };
}

/** The spec's line, split as a POSIX shell splits it and read as the CLI reads it, against the launch's own body. */
function roundTrip(input: LaunchInput, env: Record<string, string> = {}, opts: Parameters<typeof dockerRunLine>[1] = {}) {
  const spec = launchSchema.parse(input);
  const line = dockerRunLine(spec, opts);
  const words = splitCommand(line);
  expect(words).toEqual(dockerRunArgs(spec, opts));
  const read = cliBody(words, env);
  expect(canonical(read.body)).toStrictEqual(canonical(buildCreateOptions(spec) as Record<string, unknown>));
  expect(read.detach).toBe(true);
  expect(read.command).toBe(spec.start ? 'run' : 'create');
  expect(read.pull ?? 'missing').toBe(spec.pull);
  return { line, read, spec };
}

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Body;

describe('docker run line', () => {
  it('says every field of a full launch, and reads back to the same create body', () => {
    const { line } = roundTrip({
      image: 'nvcr.io/nvidia/pytorch:25.12-py3',
      name: 'torch-1',
      project: 'vision',
      cpus: '2.5',
      cpuset: '0-3,8',
      memory: '1.5g',
      shmSize: '16g',
      gpus: '"device=0,1",driver=nvidia,"capabilities=compute,utility","options=a=1,b=2"',
      ulimits: ['memlock=-1', 'stack=67108864', 'nofile=1024:2048'],
      runtime: 'nvidia',
      ports: ['8888', '127.0.0.1:0:6006', '0.0.0.0:8080:80', '53/udp', '9000:9000'],
      env: ['A=1', 'MSG=hello world', 'Q=it\'s "quoted" $HOME `x` !', 'EMPTY='],
      volumes: ['/home/me/my work:/workspace/my work:ro,z', 'cache:/root/.cache', '/scratch', 'C:\\code:/app'],
      command: ['python', '-c', 'print("hi"); import os # comment?', '--flag=~/x', '*.py'],
      restart: 'on-failure',
      labels: { 'org.example.team': 'ml ops', 'io.mlenv.catalog': 'nvidia/pytorch' },
      interactive: true,
      init: true,
      probe: { kind: 'http', port: 8888, path: '/api' },
      pull: 'always',
    });
    expect(line).toContain('--ulimit stack=67108864');
    expect(line).toContain(`--gpus '"device=0,1",driver=nvidia,"capabilities=compute,utility","options=a=1,b=2"'`);
    expect(line).toContain('-p 127.0.0.1::8888 -p 127.0.0.1::6006 -p 0.0.0.0:8080:80 -p 127.0.0.1::53/udp -p 127.0.0.1:9000:9000');
    expect(line).toContain('--label io.mlenv.probe=http:8888/api');
  });

  it('writes NVIDIA’s recommended launch as NVIDIA writes it', () => {
    const { line } = roundTrip({ image: 'nvcr.io/nvidia/pytorch:25.12-py3', gpus: 'all', ipc: 'host', ulimits: ['memlock=-1', 'stack=67108864'], interactive: true, init: true });
    expect(line).toBe(
      'docker run -d -it --init --gpus all --ipc host --ulimit memlock=-1 --ulimit stack=67108864 --label io.mlenv.managed=true --label io.mlenv.project=default nvcr.io/nvidia/pytorch:25.12-py3',
    );
  });

  it('reads back to the bodies the CLI sends for the recorded GPU launches', () => {
    const common = { image: 'nvcr.io/nvidia/pytorch:25.12-py3', command: ['bash'], interactive: true, ulimits: ['memlock=-1', 'stack=67108864'], memory: '32g', cpus: '8', cpuset: '0-7', volumes: ['/home/user/work:/workspace/work'], ports: ['8888:8888'], exposePorts: true };
    for (const [input, file] of [
      [{ ...common, gpus: 'all', ipc: 'host' as const }, 'docker-create-gpu-all.json'],
      [{ ...common, gpus: '"device=0,1"', shmSize: '16g' }, 'docker-create-gpu-devices.json'],
    ] as const) {
      const { read } = roundTrip(input);
      const { Labels, ...body } = read.body;
      expect(Labels).toEqual({ 'io.mlenv.managed': 'true', 'io.mlenv.project': 'default' });
      const recorded = fixture(file);
      expect(canonical(body)).toStrictEqual(canonical(recorded));
    }
  });

  it('covers restart policies, an entrypoint of several words, docker create, named and anonymous volumes', () => {
    for (const restart of ['always', 'unless-stopped', 'on-failure'] as const) roundTrip({ image: 'busybox', restart });
    const { line } = roundTrip({ image: 'busybox', entrypoint: ['/bin/sh', '-c'], command: ['echo $0 hi'] });
    expect(line).toBe("docker run -d --label io.mlenv.managed=true --label io.mlenv.project=default --entrypoint /bin/sh busybox -c 'echo $0 hi'");
    roundTrip({ image: 'busybox', entrypoint: ['tini', '--'] }); // no command: the image's Cmd is dropped either way
    expect(roundTrip({ image: 'busybox', start: false, pull: 'never' }).line).toMatch(/^docker create --pull never /);
    roundTrip({ image: 'busybox', volumes: ['data:/data:nocopy', '/anon'], exposePorts: true, ports: ['80', '8080:80'] });
  });

  it('keeps a secret out of the line on request: docker takes it from the calling shell', () => {
    const input = { image: 'busybox', env: ['NGC_API_KEY=nvapi-secret', 'MODE=fast'] };
    const exact = dockerRunLine(launchSchema.parse(input));
    expect(exact).toContain('-e NGC_API_KEY=nvapi-secret');
    const { line } = roundTrip(input, { NGC_API_KEY: 'nvapi-secret' }, { secretEnv: 'from-environment' });
    expect(line).toContain('-e NGC_API_KEY -e MODE=fast');
    expect(line).not.toContain('nvapi-secret');
  });
});
