import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '@shared/contract';
import { engineName, pulledTags } from './pulled';

const image = (...tags: string[]): ImageSummary => ({ id: `sha256:${tags.join()}`, tags, size: 1, created: 0, containers: null });

describe('pulledTags', () => {
  it('finds the tags of the image the engine has, whatever else it holds', () => {
    const images = [image('nvcr.io/nvidia/pytorch:25.12-py3', 'mine:1'), image('nvcr.io/nvidia/pytorch:25.11-py3'), image('nvcr.io/nvidia/pytorch-extra:25.12-py3'), image()];
    expect([...pulledTags(images, 'nvcr.io/nvidia/pytorch')].sort()).toEqual(['25.11-py3', '25.12-py3']);
    expect(pulledTags(undefined, 'nvcr.io/nvidia/pytorch').size).toBe(0);
  });

  it('reads Docker Hub names as the engine lists them, and a registry with a port as written', () => {
    expect(engineName('docker.io/library/python')).toBe('python');
    expect(engineName('docker.io/pytorch/pytorch')).toBe('pytorch/pytorch');
    expect(engineName('127.0.0.1:5000/nvidia/pytorch')).toBe('127.0.0.1:5000/nvidia/pytorch');
    expect([...pulledTags([image('python:3.12'), image('127.0.0.1:5000/nvidia/pytorch:25.12-py3')], 'docker.io/library/python')]).toEqual(['3.12']);
  });
});
