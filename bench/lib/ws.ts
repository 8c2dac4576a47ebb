/**
 * The `ws` package as the server workspace has it (8.x). The repository root also holds an old
 * 6.x copy (an optional dependency of @y/websocket-server); every benchmark process — our
 * server, the reference server, the floor and the clients — uses the same 8.x copy so that the
 * transport is identical and only the code around it differs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type WsModule from 'ws';
import { REPO_ROOT } from './report.ts';

const require = createRequire(path.join(REPO_ROOT, 'server/package.json'));
const ws = require('ws') as typeof WsModule;

export const WebSocket = ws;
export const WebSocketServer = ws.WebSocketServer;
export type WebSocketT = WsModule;
