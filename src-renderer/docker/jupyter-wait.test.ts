import { describe, expect, it } from 'vitest';
import type { ContainerDetail } from '@shared/contract';
import { awaitsJupyter } from './useJupyterWait';

const detail = (over: Partial<ContainerDetail>): ContainerDetail =>
  ({
    id: 'c1', name: 'pytorch-1', image: 'nvcr.io/nvidia/pytorch:25.12-py3', state: 'running', status: 'Up 2 seconds', created: 0, managed: true, project: 'default', engine: 'local',
    ports: [{ containerPort: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }], labels: { 'io.mlenv.catalog': 'nvidia/pytorch' }, jupyter: null, ...over,
  }) as ContainerDetail;

describe('awaitsJupyter', () => {
  it('waits for a running catalog launch with a published port until its link is found', () => {
    expect(awaitsJupyter(detail({}))).toBe(true);
    expect(awaitsJupyter(detail({ jupyter: { url: 'http://127.0.0.1:49153/lab?token=abc', authenticated: true } }))).toBe(false);
  });
  it('does not wait for a stopped container, one without a published port, one not from the catalog or not MLEnv’s', () => {
    expect(awaitsJupyter(detail({ state: 'exited' }))).toBe(false);
    expect(awaitsJupyter(detail({ ports: [{ containerPort: 8888, protocol: 'tcp' }] }))).toBe(false);
    expect(awaitsJupyter(detail({ labels: {} }))).toBe(false);
    expect(awaitsJupyter(detail({ managed: false }))).toBe(false);
    expect(awaitsJupyter(undefined)).toBe(false);
  });
});
