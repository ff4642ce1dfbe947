// Host PID → Docker container id through /proc/<pid>/cgroup (cgroup v1 and v2, cgroupfs and systemd drivers).
import { readFile } from 'node:fs/promises';

const CONTAINER_ID = /(?:docker[-/]|\/docker\/|libpod-|crio-|containerd\/)?([0-9a-f]{64})(?:\.scope)?/;

/** The 64-hex container id a cgroup file names, or null for a host process. */
export function containerIdFromCgroup(text: string): string | null {
  for (const line of text.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    const m = CONTAINER_ID.exec(path);
    if (m) return m[1]!;
  }
  return null;
}

export async function containerIdOfPid(pid: number, procRoot = '/proc'): Promise<string | null> {
  try {
    return containerIdFromCgroup(await readFile(`${procRoot}/${pid}/cgroup`, 'utf8'));
  } catch {
    return null; // the process ended, or is not visible from here
  }
}
