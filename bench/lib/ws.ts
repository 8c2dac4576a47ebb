/**
 * The `ws` package as the server workspace has it (8.x). The repository root also holds an old
 * 6.x copy (an optional dependency of @y/websocket-server); every benchmark process — our
 * server, the reference server, the floor and the clients — uses the same 8.x copy so that the
 * transport is identical and only the code around it differs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './report.ts';

type Ws = typeof import('ws');
const require = createRequire(path.join(REPO_ROOT, 'server/package.json'));
const ws = require('ws') as Ws;

export const WebSocket: Ws['WebSocket'] = ws.WebSocket;
export const WebSocketServer: Ws['WebSocketServer'] = ws.WebSocketServer;
export type WebSocketT = InstanceType<Ws['WebSocket']>;
