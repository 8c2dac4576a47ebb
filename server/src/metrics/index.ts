/**
 * Prometheus metrics (issue 17, docs/deployment.md "Metrics"): one Metrics object per server,
 * fed from the edges — a RoomExtension for rooms, a wrapped store, a wrapped worker pool — and
 * served at GET /metrics.
 */
export { Metrics, processLabels, ROOM_SIZE_BOUNDS, type MetricSources } from './Metrics.ts';
export { roomMetrics } from './roomMetrics.ts';
export { instrumentStore } from './storeMetrics.ts';
export { instrumentClusterPool } from './clusterMetrics.ts';
export { metricsEndpoint, METRICS_PATH } from './endpoint.ts';
