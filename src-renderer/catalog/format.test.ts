import { describe, expect, it } from 'vitest';
import type { CatalogStatus } from '@shared/contract';
import { catalogRoute, dateText, hostArchitecture, imageHref, refreshPercent, sizeText, statusText } from './format';

const DEC_22 = Date.UTC(2025, 11, 22);
const status = (over: Partial<CatalogStatus>): CatalogStatus => ({
  dataSource: 'seed', lastRefreshAt: null, offline: false, offlineReason: null, offlineSince: null, dataAsOf: DEC_22, stale: true, retryNotBefore: null, refresh: null, images: 25, apiKeySet: false, ...over,
});

describe('catalog formats', () => {
  it('flags an estimated size and says when a size is unknown', () => {
    expect(sizeText(10519125052, false)).toBe('9.8 GiB');
    expect(sizeText(10519125052, true)).toBe('≈ 9.8 GiB estimated');
    expect(sizeText(null, false)).toBe('size unknown');
  });
  it('writes dates in UTC, an estimated one to the month only', () => {
    expect(dateText(DEC_22)).toBe('2025-12-22');
    expect(dateText(DEC_22, true)).toBe('≈ 2025-12');
    expect(dateText(null)).toBe('date unknown');
  });
  it('takes the engine’s GOARCH as the host architecture, and nothing it does not know', () => {
    expect(hostArchitecture('amd64')).toBe('amd64');
    expect(hostArchitecture('arm64')).toBe('arm64');
    expect(hostArchitecture('x86_64')).toBeUndefined();
    expect(hostArchitecture(undefined)).toBeUndefined();
  });
  it('says offline first, with the date the catalog is from', () => {
    expect(statusText(status({ offline: true, offlineReason: 'NGC did not answer within 15 s.' }))).toBe('offline — catalog from 2025-12-22');
    expect(statusText(status({ dataSource: 'live', images: 812 }))).toBe('catalog from 2025-12-22 (refreshed from NGC) · 812 images');
  });
  it('has no percentage before the refresh knows its total', () => {
    expect(refreshPercent({ phase: 'searching NGC', done: 0, total: 0, startedAt: 0 })).toBeNull();
    expect(refreshPercent({ phase: 'reading tags', done: 3, total: 12, startedAt: 0 })).toBe(25);
  });
  it('routes an image page by its repository, slashes and ports included', () => {
    for (const repo of ['nvidia/pytorch', 'nim/meta/llama-3.1-8b-instruct', '127.0.0.1:5000/team/app']) {
      expect(catalogRoute(imageHref(repo))).toEqual({ repository: repo, customise: false });
      expect(catalogRoute(imageHref(repo, true))).toEqual({ repository: repo, customise: true });
    }
    expect(catalogRoute('#/catalog')).toEqual({ customise: false });
    expect(catalogRoute('#/catalog/%E0%A4%A')).toEqual({ customise: false });
  });
});
