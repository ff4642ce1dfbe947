// Labels, tags and image kinds by the rules NGC and nvcr.io follow (research notes §1.1, §2).
import { describe, expect, it } from 'vitest';
import { cleanLabels, compareTagsNewestFirst, hostArchitecture, isCosignTag, isFrameworkImage, isJetsonImage, offerableTags, shipsJupyterLab } from './traits';

describe('labels', () => {
  it('drops NVIDIA product-security ids (NSPECT-…), the unresolved marker and blanks, keeps order, once each', () => {
    expect(cleanLabels(['Deep Learning Frameworks', 'NSPECT-ABCD-1234', 'Training', ' ', '_LABEL_FAILED_TO_RESOLVE_', 'nspect-y9g4-ii8q', 'Training'])).toEqual(['Deep Learning Frameworks', 'Training']);
  });
});

describe('tags', () => {
  const sig = `sha256-${'c'.repeat(64)}.sig`;
  it('knows cosign signature, attestation and SBOM tags, and nothing else', () => {
    expect(isCosignTag(sig)).toBe(true);
    expect(isCosignTag(`sha256-${'0'.repeat(64)}.att`)).toBe(true);
    expect(isCosignTag(`sha256-${'0'.repeat(64)}.sbom`)).toBe(true);
    expect(isCosignTag(`sha256-${'0'.repeat(63)}.sig`)).toBe(false);
    expect(isCosignTag('25.12-py3')).toBe(false);
    expect(isCosignTag('sig')).toBe(false);
  });
  it('never offers `latest` for framework images, and never a signature tag', () => {
    expect(offerableTags(['25.12-py3', 'latest', sig], true)).toEqual(['25.12-py3']);
    expect(offerableTags(['1.8.6', 'latest', sig], false)).toEqual(['1.8.6', 'latest']);
  });
  it('orders tags newest-looking first, comparing numbers as numbers', () => {
    const tags = ['24.12-py3', '25.9-py3', '25.12-py3-igpu', '25.12-py3', '25.10-py3', 'latest', '1.3.0rc1', '1.3.0', '1.2.1', 'r35.2.1', 'r36.4.0'];
    expect([...tags].sort(compareTagsNewestFirst)).toEqual(['25.12-py3', '25.12-py3-igpu', '25.10-py3', '25.9-py3', '24.12-py3', '1.3.0', '1.3.0rc1', '1.2.1', 'latest', 'r36.4.0', 'r35.2.1']);
  });
});

describe('image kinds', () => {
  it('framework images: NVIDIA deep-learning framework repositories or the category', () => {
    expect(isFrameworkImage('nvidia/pytorch', [])).toBe(true);
    expect(isFrameworkImage('nvidia/l4t-pytorch', ['Jetson'])).toBe(true);
    expect(isFrameworkImage('acme/trainer', ['Deep Learning Frameworks'])).toBe(true);
    expect(isFrameworkImage('nvidia/tritonserver', ['Inference'])).toBe(false);
    expect(isFrameworkImage('nvidia/cuda', ['Base Images'])).toBe(false);
  });
  it('JupyterLab ships in the framework images that document it', () => {
    expect(shipsJupyterLab('nvidia/pytorch')).toBe(true);
    expect(shipsJupyterLab('nvidia/l4t-ml')).toBe(true);
    expect(shipsJupyterLab('nvidia/tritonserver')).toBe(false);
  });
  it('Jetson images: an l4t- path segment or the Jetson category', () => {
    expect(isJetsonImage('nvidia/l4t-base', [])).toBe(true);
    expect(isJetsonImage('nvidia/riva/riva-speech', ['Jetson'])).toBe(true);
    expect(isJetsonImage('nvidia/pytorch', ['Training'])).toBe(false);
  });
  it("names this host's architecture as OCI platforms do", () => {
    expect(hostArchitecture('x64')).toBe('amd64');
    expect(hostArchitecture('arm64')).toBe('arm64');
    expect(hostArchitecture('ppc64')).toBe('ppc64le');
    expect(hostArchitecture('mips')).toBeNull();
  });
});
