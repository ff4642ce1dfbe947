// Search ranking on a real SQLite file: the exact repository (or name) first, then a repository path
// segment / name / display name starting with the text, then words matched by FTS5 ranked by bm25
// (a name match above a description match), then popularity; filters by category, architecture and
// source; FTS syntax in the text is taken as words.
import { describe, expect, it } from 'vitest';
import { catalogEntry, testCatalog } from '../../test-support/catalog';
import { tmpDataDir } from '../../test-support';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function ranked() {
  const t = testCatalog(tmpDataDir(), T0);
  t.repositories.catalog.importAll(
    [
      catalogEntry('nvidia/pytorch', { displayName: 'PyTorch', popularity: 10, categories: ['Deep Learning Frameworks'], architectures: ['amd64', 'arm64'] }),
      catalogEntry('nvidia/pytorch-geometric', { displayName: 'PyG', popularity: 50 }),
      catalogEntry('nvidia/pytorch-lightning', { displayName: 'Lightning', popularity: 80 }),
      catalogEntry('nvidia/l4t-pytorch', { displayName: 'L4T PyTorch', popularity: 5, categories: ['Jetson'], architectures: ['arm64'] }),
      catalogEntry('acme/trainer', { displayName: 'Trainer', summary: 'Fine-tuning recipes built on PyTorch and friends.', popularity: 900 }),
      catalogEntry('nvidia/tritonserver', { displayName: 'Triton Inference Server', summary: 'Serves TensorRT, PyTorch and ONNX models.', popularity: 700, categories: ['Inference'] }),
      catalogEntry('nvidia/rapidsai/base', { displayName: 'RAPIDS', popularity: 300, categories: ['Data Science'] }),
      catalogEntry('127.0.0.1:5000/team/notebook', { registry: '127.0.0.1:5000', source: 'custom', displayName: 'Team notebook', categories: ['Data Science'], architectures: [] }),
    ],
    'replace',
  );
  return t.catalog;
}
const order = (c: ReturnType<typeof ranked>, text: string, extra: Record<string, unknown> = {}) =>
  c.search({ text, limit: 50, offset: 0, ...extra }).hits.map((h) => `${h.repository} ${h.match}`);

describe('catalog search ranking', () => {
  it('exact repository name first, then prefixes by popularity, then text by bm25 (name before description)', () => {
    expect(order(ranked(), 'pytorch')).toEqual([
      'nvidia/pytorch exact',
      'nvidia/pytorch-lightning prefix',
      'nvidia/pytorch-geometric prefix',
      'nvidia/l4t-pytorch text',
      // both only in their summaries: bm25 ties are broken by popularity
      'acme/trainer text',
      'nvidia/tritonserver text',
    ]);
  });
  it('the whole repository is exact too, and a path prefix is a prefix', () => {
    const c = ranked();
    expect(order(c, 'nvidia/pytorch')[0]).toBe('nvidia/pytorch exact');
    expect(order(c, 'NVIDIA/PYT').slice(0, 3)).toEqual(['nvidia/pytorch-lightning prefix', 'nvidia/pytorch-geometric prefix', 'nvidia/pytorch prefix']);
    expect(order(c, 'rapids')).toEqual(['nvidia/rapidsai/base exact']); // the display name, whole
    expect(order(c, 'rapidsa')).toEqual(['nvidia/rapidsai/base prefix']); // a path segment (rapidsai)
    expect(order(c, 'triton')).toEqual(['nvidia/tritonserver prefix']);
  });
  it('as the user types, a prefix of a word already matches', () => {
    expect(order(ranked(), 'pyt').slice(0, 3)).toEqual(['nvidia/pytorch-lightning prefix', 'nvidia/pytorch-geometric prefix', 'nvidia/pytorch prefix']);
  });
  it('several words must all match', () => {
    expect(order(ranked(), 'pytorch onnx')).toEqual(['nvidia/tritonserver text']);
  });
  it('no text lists everything, most popular first', () => {
    const c = ranked();
    const all = c.search({ text: '', limit: 3, offset: 0 });
    expect(all.total).toBe(8);
    expect(all.hits.map((h) => [h.repository, h.match])).toEqual([
      ['acme/trainer', 'all'],
      ['nvidia/tritonserver', 'all'],
      ['nvidia/rapidsai/base', 'all'],
    ]);
    expect(c.search({ text: '', limit: 3, offset: 6 }).hits.map((h) => h.repository)).toEqual(['nvidia/l4t-pytorch', '127.0.0.1:5000/team/notebook']);
    expect(c.search({ text: '', limit: 3, offset: 60 })).toEqual({ hits: [], total: 8 });
  });
  it('filters by category (any case), architecture and source', () => {
    const c = ranked();
    expect(order(c, '', { category: 'data science' })).toEqual(['nvidia/rapidsai/base all', '127.0.0.1:5000/team/notebook all']);
    expect(order(c, 'pytorch', { architecture: 'arm64' })).toEqual(['nvidia/pytorch exact', 'nvidia/l4t-pytorch text']);
    expect(order(c, '', { source: 'custom' })).toEqual(['127.0.0.1:5000/team/notebook all']);
    expect(c.search({ text: 'pytorch', category: 'Jetson', limit: 10, offset: 0 }).total).toBe(1);
  });
  it('takes FTS5 and LIKE syntax in the text as plain words', () => {
    const c = ranked();
    expect(order(c, '"pytorch" OR NEAR(x')).toEqual([]);
    expect(order(c, '%')).toEqual([]);
    expect(order(c, 'trainer*')).toEqual(['acme/trainer text']);
  });
  it('gives each hit the name Docker pulls', () => {
    const c = ranked();
    expect(c.search({ text: 'nvidia/pytorch', limit: 1, offset: 0 }).hits[0]!.pullName).toBe('nvcr.io/nvidia/pytorch');
    expect(c.search({ text: 'notebook', limit: 1, offset: 0 }).hits[0]!.pullName).toBe('127.0.0.1:5000/team/notebook');
  });
});
