// A custom image on a real registry (Debian's docker-registry on 127.0.0.1): its tags, architectures,
// compressed sizes (config + layers of the manifest Docker pushed) and build dates read anonymously
// over the registry v2 API; a registry that is not there is a warning and the entry stays as it was.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import { testCatalog } from '../../test-support/catalog';
import { startRegistry } from '../../test-support/registry-fixture';

const docker = await realDocker();
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

const push = (d: Docker, ref: string, registry: string) =>
  new Promise<void>((resolve, reject) => {
    d.getImage(ref)
      .push({ authconfig: { serveraddress: registry } })
      .then((stream) =>
        d.modem.followProgress(stream as NodeJS.ReadableStream, (err: Error | null, out: { error?: string }[]) => {
          const e = err ?? (out.find((o) => o.error) ? new Error(out.find((o) => o.error)!.error) : null);
          if (e) reject(e);
          else resolve();
        }),
      )
      .catch(reject);
  });

describe.skipIf(!docker)('custom images on a real registry', () => {
  const d = docker as Docker;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let repo: string;
  beforeAll(async () => {
    registry = await startRegistry();
    repo = `${registry.host}/mlenv-test/catalog`;
    for (const tag of ['1.0', '2.0']) {
      await d.getImage(TEST_IMAGE).tag({ repo, tag });
      await push(d, `${repo}:${tag}`, registry.host);
      await d.getImage(`${repo}:${tag}`).remove();
    }
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it('reads tags, sizes, architecture and date from the registry, anonymously', async () => {
    const t = testCatalog(tmpDataDir(), T0);
    const added = t.catalog.add({ reference: repo, displayName: 'Catalog test', description: '', jupyterLab: false, framework: false });
    expect(added).toMatchObject({ repository: repo, registry: registry.host, pullName: repo, versions: [] });
    const tags = await t.catalog.tags(repo, true);
    expect(tags).toMatchObject({ source: 'live', warning: null, fetchedAt: T0 });
    expect(tags.versions.map((v) => v.tag)).toEqual(['2.0', '1.0']);

    // What the registry itself says, read without our client.
    const manifest = (await (
      await fetch(`http://${registry.host}/v2/mlenv-test/catalog/manifests/1.0`, {
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
      })
    ).json()) as { config: { size: number }; layers: { size: number }[] };
    const size = manifest.config.size + manifest.layers.reduce((s, l) => s + l.size, 0);
    const inspect = await d.getImage(TEST_IMAGE).inspect();
    for (const v of tags.versions) {
      expect(v).toMatchObject({ compressedSize: size, sizeEstimated: false, architectures: [inspect.Architecture], updatedAt: Date.parse(inspect.Created) });
    }
    expect(t.repositories.catalog.get(repo)).toMatchObject({ latestTag: '2.0', compressedSize: size, architectures: [inspect.Architecture], tagsFetchedAt: T0 });
  });

  it('a registry that does not answer: a warning, the journal, the entry as it was', async () => {
    const t = testCatalog(tmpDataDir(), T0, { requestTimeoutMs: 800 });
    const gone = await startRegistry();
    const ref = `${gone.host}/mlenv-test/catalog`;
    await gone.stop();
    t.catalog.add({ reference: `${ref}:1.0`, description: '', jupyterLab: false, framework: false });
    const before = t.repositories.catalog.get(ref);
    const tags = await t.catalog.tags(ref, true);
    expect(tags.warning).toBe(`Registry ${gone.host} could not be reached (ECONNREFUSED).`);
    expect(tags.versions.map((v) => v.tag)).toEqual(['1.0']);
    expect(t.repositories.catalog.get(ref)).toEqual(before);
    expect(t.events.recent(10).find((e) => e.type === 'catalog.tags')).toMatchObject({ outcome: 'error', error: tags.warning });
  });
});
