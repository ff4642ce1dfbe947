import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@shared/errors';
import { REQUEST_NAMES, requests } from '@shared/contract';
import { createBus } from './core/bus';
import { connectionContext } from './connection';
import { createRouter, type Handlers } from './router';

// Handlers that record what they were given; each request name maps to one.
function recordingHandlers(impl?: (name: string, input: unknown) => unknown) {
  const seen: { name: string; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    REQUEST_NAMES.map((name) => [
      name,
      (input: unknown) => {
        seen.push({ name, input });
        return impl ? impl(name, input) : 'ok';
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, seen };
}

describe('router', () => {
  it('validates, calls the handler with parsed input, wraps the result', async () => {
    const { handlers, seen } = recordingHandlers();
    const router = createRouter(handlers);
    expect(await router.dispatch('metrics.recent', { seconds: 5 })).toEqual({ ok: true, value: 'ok' });
    expect(seen).toEqual([{ name: 'metrics.recent', input: { seconds: 5 } }]);
  });

  it('rejects unknown names and bad input with INVALID_INPUT naming the field, without calling the handler', async () => {
    const { handlers, seen } = recordingHandlers();
    const onFailure = vi.fn();
    const router = createRouter(handlers, { onFailure });
    const unknown = await router.dispatch('nope.nothing', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown request "nope.nothing"' } });
    const bad = await router.dispatch('metrics.recent', { seconds: 'ten' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!bad.ok && bad.error.message).toMatch(/^metrics\.recent: seconds: /);
    expect(seen).toEqual([]);
    expect(onFailure).toHaveBeenCalledTimes(2);
  });

  it('passes typed errors through and turns anything else into INTERNAL, never throwing', async () => {
    const { handlers } = recordingHandlers((name) => {
      if (name === 'engine.get') throw new AppError('ENGINE_UNAVAILABLE', 'Docker is not running');
      throw new TypeError('boom');
    });
    const router = createRouter(handlers, {
      onFailure: () => {
        throw new Error('a broken logger must not break the reply');
      },
    });
    expect(await router.dispatch('engine.get', {})).toEqual({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'Docker is not running' } });
    // The logger threw, so nothing was journaled: the answer says where the details are instead.
    expect(await router.dispatch('app.info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside MLEnv (not journaled: the details are in its log)' },
    });
  });

  it('answers INTERNAL errors with a generic sentence and the journal event id; the journal gets the details', async () => {
    const journal: { id: number; name: string; code: string; message: string }[] = [];
    const { handlers } = recordingHandlers((name) => {
      if (name === 'app.info') throw new TypeError("Cannot read properties of undefined (reading 'path') at /home/u/secret.db");
      if (name === 'db.backup') throw new AppError('INTERNAL', "EACCES: permission denied, mkdir '/srv/mlenv/backups'");
      throw new AppError('NOT_FOUND', 'no container "x"');
    });
    const router = createRouter(handlers, {
      onFailure: (name, error) => {
        const id = 41 + journal.length;
        journal.push({ id, name, code: error.code, message: error.message });
        return id;
      },
    });
    const thrown = await router.dispatch('app.info', {});
    expect(thrown).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside MLEnv (journal event 41)', details: { eventId: 41 } } });
    // A handler's own INTERNAL error is hidden the same way (its text may hold paths).
    const typed = await router.dispatch('db.backup', {});
    expect(typed).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside MLEnv (journal event 42)', details: { eventId: 42 } } });
    expect(JSON.stringify([thrown, typed])).not.toMatch(/secret\.db|EACCES|\/srv/);
    expect(journal.slice(0, 2)).toEqual([
      { id: 41, name: 'app.info', code: 'INTERNAL', message: "app.info failed: Cannot read properties of undefined (reading 'path') at /home/u/secret.db" },
      { id: 42, name: 'db.backup', code: 'INTERNAL', message: "EACCES: permission denied, mkdir '/srv/mlenv/backups'" },
    ]);
    // Errors worded for a person pass as they are.
    expect(await router.dispatch('engine.get', {})).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no container "x"' } });
  });

  it('every request input is a strict object schema (so a stray field is an error, not ignored)', () => {
    for (const name of REQUEST_NAMES) {
      const schema = requests[name].input;
      expect(schema.safeParse({ __unexpected__: 1 }).success, name).toBe(false);
      expect(schema.safeParse(42).success, name).toBe(false);
    }
  });

  it('hands the caller\'s connection to the handler; closing it runs what was tied to it, once', async () => {
    const closed: string[] = [];
    const { handlers } = recordingHandlers();
    (handlers as unknown as Record<string, unknown>)['metrics.recent'] = (_i: unknown, ctx: { onDisconnect(fn: () => void): void }) => {
      ctx.onDisconnect(() => closed.push('follow'));
      return 'ok';
    };
    const ctx = connectionContext(createBus(), () => undefined);
    await createRouter(handlers).dispatch('metrics.recent', {}, ctx);
    expect(closed).toEqual([]);
    ctx.close();
    ctx.close();
    expect(closed).toEqual(['follow']);
    ctx.onDisconnect(() => closed.push('late')); // tied after the caller left: runs at once
    expect(closed).toEqual(['follow', 'late']);
  });
});
