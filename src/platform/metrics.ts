import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpDuration = new client.Histogram({
  name: 'earshot_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const jobsFinished = new client.Counter({
  name: 'earshot_jobs_finished_total',
  help: 'Jobs finished by type and outcome',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const metricsContentType = registry.contentType;
export const metricsText = () => registry.metrics();
