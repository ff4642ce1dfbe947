import { describe, expect, it } from 'vitest';
import { THROTTLE_BITS, throttleNames } from './throttle';

describe('THROTTLE_BITS', () => {
  it('has one distinct power of two per reason, as in nvml.h', () => {
    const bits = THROTTLE_BITS.map(([bit]) => bit);
    expect(new Set(bits).size).toBe(bits.length);
    for (const bit of bits) expect(bit & (bit - 1)).toBe(0);
    expect(THROTTLE_BITS.find(([, n]) => n === 'HwThermalSlowdown')?.[0]).toBe(0x40);
  });

  it('names the reasons of a mask in bit order and ignores bits NVML added later', () => {
    expect(throttleNames(0x4 | 0x40)).toEqual(['SwPowerCap', 'HwThermalSlowdown']);
    expect(throttleNames(0)).toEqual([]);
    expect(throttleNames(0x200)).toEqual([]);
  });
});
