// The pieces of the docker run line: each `--gpus` value reads back (by the CLI's grammar, parseGpus)
// to the same DeviceRequest, sizes keep their bytes, and words are quoted only where a shell needs it.
// The whole line against the create body is src-main/core/docker/docker-run-line.test.ts.
import { describe, expect, it } from 'vitest';
import { splitCommand } from './command';
import { bytesValue, gpusValue, portValue, shellLine } from './docker-run-line';
import { parseGpus } from './gpus';
import { parsePort } from './launch';
import { parseBytes } from './units';
import migInstances from './fixtures/cases/gpus-mig-instances.txt?raw';
import quotedDeviceList from './fixtures/cases/gpus-quoted-device-list.txt?raw';

describe('gpusValue', () => {
  it('writes each selection so that the CLI reads back the same DeviceRequest', () => {
    for (const v of [
      'all',
      '2',
      '1',
      'device=0',
      '"device=0,1"',
      quotedDeviceList.trim(),
      migInstances.trim(),
      'device=GPU-3a1f2b4c-1111-2222-3333-444455556666',
      '"device=MIG-4b5d6e7f-aaaa-bbbb-cccc-ddddeeeeffff,MIG-5c6d7e8f-aaaa-bbbb-cccc-ddddeeeeffff"',
      'driver=nvidia,count=all',
      '"capabilities=compute,utility",all',
      'capabilities=gpu,2',
      '"options=mode=exclusive,b=x",1',
      '"options=""a=1,2"",b=3",all',
    ]) {
      const g = parseGpus(v)!;
      expect(parseGpus(gpusValue(g)), v).toEqual(g);
    }
  });
  it('writes the common selections as people type them', () => {
    expect(gpusValue(parseGpus('all')!)).toBe('all');
    expect(gpusValue(parseGpus('2')!)).toBe('2');
    expect(gpusValue(parseGpus('0,1')!)).toBe('"device=0,1"');
    expect(gpusValue(parseGpus('device=1')!)).toBe('device=1');
    expect(gpusValue(parseGpus('"capabilities=compute,utility",all')!)).toBe('all,"capabilities=compute,utility"');
  });
});

describe('bytesValue', () => {
  it('uses the largest binary unit that keeps the bytes whole, and reads back to them', () => {
    const cases: [number, string][] = [
      [32 * 1024 ** 3, '32g'],
      [1.5 * 1024 ** 3, '1536m'],
      [512 * 1024 ** 2, '512m'],
      [67108864, '64m'],
      [4096, '4k'],
      [1000, '1000'],
      [1, '1'],
    ];
    for (const [bytes, text] of cases) {
      expect(bytesValue(bytes)).toBe(text);
      expect(parseBytes(text)).toBe(bytes);
    }
  });
});

describe('portValue', () => {
  it('binds 127.0.0.1 unless the launch exposes its ports or the mapping names an address', () => {
    const cases: [string, boolean, string][] = [
      ['8888', false, '127.0.0.1::8888'],
      ['8888', true, '8888'],
      ['0:8888', false, '127.0.0.1::8888'],
      ['9000:8888', false, '127.0.0.1:9000:8888'],
      ['9000:8888', true, '9000:8888'],
      ['0.0.0.0:9000:8888', false, '0.0.0.0:9000:8888'],
      ['10.0.0.5:0:53/udp', true, '10.0.0.5::53/udp'],
      ['53/udp', true, '53/udp'],
    ];
    for (const [spec, expose, text] of cases) expect(portValue(parsePort(spec), expose), spec).toBe(text);
  });
});

describe('shellLine', () => {
  it('leaves plain words alone and quotes the rest so that sh reads back the same words', () => {
    const words = ['docker', 'run', '--ulimit', 'stack=67108864', '-p', '127.0.0.1::8888', '-v', '/home/me/my work:/workspace/my work', '"device=0,1"', 'it\'s "x" $HOME `y` !', '', '~/x', '#c', 'a*b', 'line\nbreak', 'C:\\code:/app', 'é'];
    const line = shellLine(words);
    expect(line.startsWith('docker run --ulimit stack=67108864 -p 127.0.0.1::8888 -v ')).toBe(true);
    expect(splitCommand(line)).toEqual(words);
  });
});
