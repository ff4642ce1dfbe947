// How a model's container is named and found. Everything we touch is found by its labels (DESIGN,
// "Labels on every container we create"): io.mlenv.model=<model name> marks a tiered workload.
import { createHash } from 'node:crypto';

export const LABEL_MODEL = 'io.mlenv.model';

/**
 * The container name of model `name`: "mlenv-model-" and the name with every character Docker
 * does not allow in a container name ([a-zA-Z0-9_.-]) turned into "-"; when that changed the name,
 * 8 hex digits of its SHA-256 follow, so "a/b" and "a:b" do not share a container.
 */
export function containerNameFor(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9_.-]/g, '-');
  const suffix = safe === name ? '' : `-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  return `mlenv-model-${safe}${suffix}`;
}
