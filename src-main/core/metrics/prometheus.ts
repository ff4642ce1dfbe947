// GET /metrics in serve mode: the latest snapshot in Prometheus text format (prom-client).
// Gauges are filled at scrape time from the sampler's newest snapshot; nothing runs between scrapes.
import { Gauge, Registry } from 'prom-client';
import type { MetricsSnapshot } from '@shared/contract';

export function createPrometheusExport(latest: () => MetricsSnapshot | undefined) {
  const registry = new Registry();
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name: `mlenv_${name}`, help, labelNames, registers: [registry] });
  const hostCpu = g('host_cpu_percent', 'Host CPU busy, % of all cores');
  const hostMem = g('host_memory_used_bytes', 'Host memory in use (total minus available)');
  const hostMemTotal = g('host_memory_total_bytes', 'Host memory');
  const hostLoad = g('host_load1', 'Load average over 1 minute');
  const hostTemp = g('host_cpu_temperature_celsius', 'Hottest CPU sensor');
  const diskUsed = g('host_disk_used_percent', 'Filesystem use', ['mount']);
  const netRx = g('host_network_receive_bytes_per_second', 'Received', ['iface']);
  const netTx = g('host_network_transmit_bytes_per_second', 'Sent', ['iface']);
  const gpuLabels = ['gpu', 'uuid', 'name'];
  const gpuUtil = g('gpu_utilization_percent', 'GPU utilisation', gpuLabels);
  const gpuMem = g('gpu_memory_used_mib', 'VRAM used', gpuLabels);
  const gpuMemTotal = g('gpu_memory_total_mib', 'VRAM total', gpuLabels);
  const gpuTemp = g('gpu_temperature_celsius', 'GPU temperature', gpuLabels);
  const gpuPower = g('gpu_power_draw_watts', 'GPU power draw', gpuLabels);
  const gpuThrottle = g('gpu_throttle_reason', 'Active throttle (clock event) reason: 1 when active', [...gpuLabels, 'reason']);
  const cLabels = ['container', 'name', 'project'];
  const cCpu = g('container_cpu_percent', 'Container CPU, % of its limit', cLabels);
  const cMem = g('container_memory_used_bytes', 'Container memory', cLabels);
  const cRx = g('container_network_receive_bytes_per_second', 'Container received', cLabels);
  const cTx = g('container_network_transmit_bytes_per_second', 'Container sent', cLabels);
  const age = g('snapshot_age_seconds', 'Age of the newest sample');

  const set = (gauge: Gauge, labels: Record<string, string>, v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) gauge.set(labels, v); // unknown stays absent, never 0
  };

  return {
    contentType: registry.contentType,
    async render(): Promise<string> {
      registry.resetMetrics();
      const s = latest();
      if (s) {
        set(hostCpu, {}, s.host.cpu.percent);
        set(hostMem, {}, s.host.memory.used);
        set(hostMemTotal, {}, s.host.memory.total);
        set(hostLoad, {}, s.host.load[0]);
        set(hostTemp, {}, s.host.cpuTemperatureC);
        for (const d of s.host.disks ?? []) set(diskUsed, { mount: d.mount }, d.percent);
        for (const n of s.host.network ?? []) {
          set(netRx, { iface: n.iface }, n.rxBytesPerSec);
          set(netTx, { iface: n.iface }, n.txBytesPerSec);
        }
        for (const x of s.gpus ?? []) {
          const l = { gpu: String(x.index), uuid: x.uuid, name: x.name };
          set(gpuUtil, l, x.utilizationGpu);
          set(gpuMem, l, x.memoryUsedMiB);
          set(gpuMemTotal, l, x.memoryTotalMiB);
          set(gpuTemp, l, x.temperatureC);
          set(gpuPower, l, x.powerDrawW);
          for (const r of x.throttleReasons ?? []) set(gpuThrottle, { ...l, reason: r }, 1);
        }
        for (const c of s.containers ?? []) {
          const l = { container: c.id.slice(0, 12), name: c.name, project: c.project ?? '' };
          set(cCpu, l, c.cpuPercent);
          set(cMem, l, c.memoryUsed);
          set(cRx, l, c.netRxBytesPerSec);
          set(cTx, l, c.netTxBytesPerSec);
        }
        set(age, {}, (Date.now() - s.ts) / 1000);
      }
      return registry.metrics();
    },
  };
}
