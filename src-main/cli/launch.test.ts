// `mlenv launch <repository>[:tag]`: the reference split as Docker reads one (a registry's port is not a tag).
import { describe, expect, it } from 'vitest';
import { splitReference } from './launch';

describe('splitReference', () => {
  it('splits the tag after the last slash, and drops nvcr.io in front of an NGC repository', () => {
    expect(splitReference('nvidia/pytorch')).toEqual({ repository: 'nvidia/pytorch' });
    expect(splitReference('nvidia/pytorch:25.12-py3')).toEqual({ repository: 'nvidia/pytorch', tag: '25.12-py3' });
    expect(splitReference('nvcr.io/nvidia/pytorch:25.12-py3')).toEqual({ repository: 'nvidia/pytorch', tag: '25.12-py3' });
    expect(splitReference('127.0.0.1:5000/team/app')).toEqual({ repository: '127.0.0.1:5000/team/app' });
    expect(splitReference('127.0.0.1:5000/team/app:v2')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: 'v2' });
  });
});
