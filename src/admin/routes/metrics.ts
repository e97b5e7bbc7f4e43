import type { ServerResponse } from 'node:http';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';
import type { AdminRuntime } from '../runtime.ts';

/** GET /metrics: Prometheus text exposition 0.0.4 (docs/metrics.md). */
export function serveMetrics(runtime: AdminRuntime, res: ServerResponse): void {
  const text = runtime.metricsText();
  res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
