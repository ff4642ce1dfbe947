import { describe, expect, it } from 'vitest';
import { EMPTY_QUOTA, quotaForm, quotaInput } from './quota-form';

const GiB = 1024 ** 3;

describe('project quota form', () => {
  it('blank ceilings mean no limit; sizes and CPUs go as typed', () => {
    expect(quotaInput({ project: ' research ', containers: '3', memory: '64g', cpus: '500m', gpus: '' })).toEqual({
      input: { project: 'research', containers: 3, memory: '64g', cpus: '500m', gpus: null },
      errors: {},
    });
    expect(quotaInput({ ...EMPTY_QUOTA, project: 'p' }).input).toEqual({ project: 'p', containers: null, memory: null, cpus: null, gpus: null });
  });

  it('refuses a bad project, counts that are not whole numbers and sizes that are not sizes', () => {
    const { errors } = quotaInput({ project: 'two words', containers: '1.5', memory: 'lots', cpus: 'many', gpus: '-1' });
    expect(Object.keys(errors).sort()).toEqual(['containers', 'cpus', 'gpus', 'memory', 'project']);
    expect(errors.project).toBe('a project is 1–64 letters, digits, _ . or -');
    expect(errors.containers).toBe('"1.5" is not a whole number of containers');
    expect(errors.memory).toContain('"lots" is not a size');
    expect(errors.cpus).toContain('"many" is not a CPU amount');
    expect(quotaInput({ ...EMPTY_QUOTA }).errors.project).toBeDefined();
  });

  it('shows a stored quota with its ceilings, blank where there is none', () => {
    expect(quotaForm({ project: 'p', containers: 2, memoryBytes: 16 * GiB, cpus: 4, gpus: null, updatedAt: 1, updatedBy: 'user' })).toEqual({
      project: 'p',
      containers: '2',
      memory: '16g',
      cpus: '4',
      gpus: '',
    });
  });
});
