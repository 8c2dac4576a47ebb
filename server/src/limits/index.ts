/**
 * Rate and connection limits (docs/security.md): plugged into the transports at their edges by
 * server.ts, never reaching into rooms or the store.
 */
export { Limits, LIMITS_REDIS_PREFIX, type ConnectionGuard, type LimitsOptions } from './Limits.ts';
export { TokenBucket } from './TokenBucket.ts';
export { ConnectionCounter } from './ConnectionCounter.ts';
export { clientAddress, compileTrust, limitKey } from './clientIp.ts';
export { awarenessOverLimit, AWARENESS_IDS_PER_CONNECTION, AWARENESS_STATE_BYTES } from './awareness.ts';
