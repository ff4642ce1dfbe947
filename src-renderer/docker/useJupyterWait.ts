import { useEffect, useRef, useState } from 'react';
import type { ContainerDetail } from '@shared/contract';
import { LABEL_CATALOG } from '@shared/labels';

/** How often, and how many times, the page reads the container again while Jupyter has not printed its address. */
export const JUPYTER_WAIT_EVERY_MS = 2000;
export const JUPYTER_WAIT_TRIES = 60;

/**
 * Whether to wait for Jupyter's link: a running catalog launch with a published port and no link yet
 * (the server prints its token URL seconds after the start, and no engine event says so).
 */
export const awaitsJupyter = (d: ContainerDetail | undefined): boolean =>
  !!d && d.managed && d.state === 'running' && !d.jupyter && LABEL_CATALOG in d.labels && d.ports.some((p) => p.hostPort);

/**
 * While awaitsJupyter(d), reads the container again every JUPYTER_WAIT_EVERY_MS (inspect finds the
 * link in its log), at most JUPYTER_WAIT_TRIES times. Returns whether it is still waiting.
 */
export function useJupyterWait(d: ContainerDetail | undefined, reload: () => void): boolean {
  const waiting = awaitsJupyter(d);
  const [gaveUp, setGaveUp] = useState(false);
  const latestReload = useRef(reload);
  latestReload.current = reload;
  useEffect(() => {
    if (!waiting) return;
    let tries = 0;
    const t = setInterval(() => {
      if (++tries >= JUPYTER_WAIT_TRIES) {
        clearInterval(t);
        setGaveUp(true);
      }
      latestReload.current();
    }, JUPYTER_WAIT_EVERY_MS);
    return () => clearInterval(t);
  }, [waiting]);
  return waiting && !gaveUp;
}
