// The Jetson line of `mlenv stats`, from real tegrastats lines through the real parser.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTegrastats } from '../core/sampler/jetson/tegrastats-line';
import { formatJetson } from './stats';

const line = (board: string) =>
  readFileSync(path.resolve(__dirname, '../core/sampler/fixtures/tegrastats', `${board}.txt`), 'utf8')
    .split('\n')
    .find((l) => l && !l.startsWith('#'))!;

describe('mlenv stats: the Jetson line', () => {
  it('AGX Thor: GPU unknown, the total from the VIN input rail', () => {
    const text = formatJetson(parseTegrastats(line('agx-thor-jp72'))!);
    expect(text).toMatch(/^Jetson: GPU —  RAM 36529 of 125749 MiB  cores 2 % 1 % 0 %/);
    expect(text).toMatch(/board 87426 mW \(input rail VIN\)$/);
  });

  it('AGX Xavier: the total is a sum of rails', () => {
    expect(formatJetson(parseTegrastats(line('agx-xavier-jp42'))!)).toMatch(/^Jetson: GPU 0 %  .*board 7632 mW \(sum of rails\)$/);
  });

  it('Nano with two cores off', () => {
    const busy = readFileSync(path.resolve(__dirname, '../core/sampler/fixtures/tegrastats/nano-jp4.txt'), 'utf8').split('\n')[1]!;
    expect(formatJetson(parseTegrastats(busy)!)).toContain('cores 12 % off off 3 %  board 2410 mW (input rail POM_5V_IN)');
  });
});
