// Cleaning up what a spec made on the real engine.
import { execFileSync } from 'node:child_process';

/** `docker rm -f NAME`: a container already gone, or never created, is no error. */
export function removeContainer(name: string): void {
  try {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  } catch {
    // already gone, or never created
  }
}
