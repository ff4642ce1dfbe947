import { useState, type FormEvent } from 'react';
import { PRIORITIES, SELECTION_MODES, type Model, type Priority, type Selection, type SelectionMode } from '@shared/contract';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { formatDuration, formatPrediction } from './format';

/** "Which model would answer this task, and how long until it is ready?" — `tiers.select`, which changes nothing. */
export function SelectionTester({ models }: { models: Model[] }) {
  const [form, setForm] = useState<{ mode: SelectionMode; task: string; priority: Priority; model: string }>({ mode: 'auto', task: '', priority: 'balanced', model: '' });
  const [result, setResult] = useState<Selection>();
  const [state, setState] = useState<{ kind: 'idle' | 'asking' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'asking' });
    try {
      setResult(
        await api.call('tiers.select', {
          mode: form.mode,
          priority: form.priority,
          ...(form.task.trim() ? { task: form.task.trim() } : {}),
          ...(form.mode !== 'auto' && form.model ? { model: form.model } : {}),
        }),
      );
      setState({ kind: 'idle' });
    } catch (err) {
      setResult(undefined);
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return (
    <section className="card" data-testid="selection-tester">
      <h3>Which model would answer?</h3>
      <form className="toolbar" onSubmit={(e) => void ask(e)}>
        <input placeholder="task, e.g. text-generation" value={form.task} onChange={(e) => setForm({ ...form, task: e.target.value })} aria-label="Task" data-testid="select-task" />
        <select value={form.priority} onChange={(e) => setForm({ ...form, priority: e.target.value as Priority })} aria-label="Priority">
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value as SelectionMode })} aria-label="Selection mode">
          {SELECTION_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        {form.mode !== 'auto' && (
          <select value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} aria-label="Your pick">
            <option value="">pick a model</option>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        )}
        <FormActions label={state.kind === 'asking' ? 'Asking…' : 'Ask'} disabled={state.kind === 'asking'} testId="select-ask" error={state.kind === 'error' ? state.message : undefined} />
      </form>
      {result && (
        <div data-testid="selection-result">
          <p>
            {result.model ? (
              <>
                <strong>{result.model}</strong> ({result.tier}) would answer: {result.predictedReady ? (result.predictedReady.ms === 0 ? 'ready now' : `ready in ${formatPrediction(result.predictedReady)}`) : 'ready time unknown'}.
              </>
            ) : (
              <strong>No model can serve this.</strong>
            )}{' '}
            <span className="muted">{result.reason}</span>
          </p>
          {result.candidates.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th>Candidate</th>
                  <th>Score</th>
                  <th>Tier</th>
                  <th>Ready in</th>
                </tr>
              </thead>
              <tbody>
                {result.candidates.map((c) => (
                  <tr key={c.model}>
                    <td>{c.model}</td>
                    <td>{c.score.toFixed(2)}</td>
                    <td>{c.tier}</td>
                    <td>{c.predictedReadyMs === 0 ? 'now' : formatDuration(c.predictedReadyMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
