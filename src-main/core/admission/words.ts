// How admission writes figures in its sentences: sizes as the rest of the app writes them (units.ts),
// without a trailing ".0" ("8 GiB", "14.2 GiB"), percentages to one decimal where it matters ("91 %",
// "85.4 %"), and names in backquotes as a person types them.
import { formatBytes } from '@shared/units';

/** "8 GiB", "14.2 GiB", "512 MiB". */
export const bytes = (n: number): string => {
  const s = formatBytes(n, 1);
  return s.includes('.0 ') ? s.replace('.0 ', ' ') : s;
};

/** "91 %", "85.4 %". */
export const pct = (p: number): string => `${Math.round(p * 10) / 10} %`;

/** "`train-3`". */
export const named = (name: string): string => `\`${name}\``;

/** "2 CPUs", "1 CPU", "0.5 CPUs". */
export const cpus = (n: number): string => `${Math.round(n * 100) / 100} CPU${n === 1 ? '' : 's'}`;

/** "1 GPU", "3 GPUs". */
export const gpus = (n: number): string => `${n} GPU${n === 1 ? '' : 's'}`;

/** "a", "a and b", "a, b and c". */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "a", "a or b", "a, b or c". */
export function either(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** "GPUs 0–3" for a run, "GPUs 0, 2" otherwise, "GPU 1" alone. */
export function gpuList(indexes: number[]): string {
  if (indexes.length === 1) return `GPU ${indexes[0]}`;
  const run = indexes.length > 2 && indexes.every((x, i) => i === 0 || x === indexes[i - 1]! + 1);
  return run ? `GPUs ${indexes[0]}–${indexes.at(-1)}` : `GPUs ${indexes.join(', ')}`;
}
