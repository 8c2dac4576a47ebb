/**
 * Wires the layers together: store → rooms → transports (HTTP, y-websocket, socket.io), all on
 * one HTTP server. `createMaillageServer` is what main.ts and the tests call.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CloseCode } from '@maillage/shared';
import type { Config } from './config.ts';
import { createLogger, errorFields, type Logger } from './logger.ts';
import { openStore, type BoardStore } from './store/index.ts';
import { RoomManager } from './sync/RoomManager.ts';
import { SyncServer } from './sync/SyncServer.ts';
import { BoardService } from './boards/BoardService.ts';
import { createApp } from './http/app.ts';
import { SnapshotService } from './snapshots/SnapshotService.ts';
import { registerSnapshotCommands } from './snapshots/sessionCommands.ts';
import { ExportService } from './export/ExportService.ts';
import { createClusterPool } from './cluster/pool.ts';
import { ClusterJobs } from './jobs/ClusterJobs.ts';
import { createSessionServer, type SessionIo } from './session/SessionServer.ts';
import { SessionService, boardRoom } from './session/SessionService.ts';
import type { ScaleOut } from './scale/index.ts';
import { Limits } from './limits/index.ts';
import { ContactService } from './contacts/ContactService.ts';
import { ErasureService } from './contacts/ErasureService.ts';
import { ContactPush, registerContactCommands } from './session/contactCommands.ts';
import { Metrics, instrumentClusterPool, instrumentStore, metricsEndpoint, roomMetrics } from './metrics/index.ts';

export interface MaillageServer {
  config: Config;
  http: http.Server;
  io: SessionIo;
  sync: SyncServer;
  rooms: RoomManager;
  store: BoardStore;
  boards: BoardService;
  sessions: SessionService;
  limits: Limits;
  snapshots: SnapshotService;
  exports: ExportService;
  clusters: ClusterJobs;
  contacts: ContactService;
  erasure: ErasureService;
  /** Prometheus metrics of this server, served at GET /metrics (docs/deployment.md). */
  metrics: Metrics;
  log: Logger;
  /** Starts listening; resolves with the actual port (useful with PORT=0). */
  listen(): Promise<number>;
  /** Graceful stop: refuse new connections, flush every wall, close the store. */
  close(): Promise<void>;
}

export async function createMaillageServer(config: Config, opts: { log?: Logger } = {}): Promise<MaillageServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  // Wrapped at its edge: store errors and flush latency are counted without touching the stores.
  const store = instrumentStore(await openStore(config, log), metrics);
  // Loaded on demand, like pg: an embedded install never opens a Redis connection.
  let scale: ScaleOut | null = null;
  if (config.redisUrl) {
    const { connectScaleOut } = await import('./scale/index.ts');
    scale = await connectScaleOut({ redisUrl: config.redisUrl, log }).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
  }
  const limits = await Limits.create({ limits: config.limits, trustProxy: config.trustProxy, redisUrl: config.redisUrl, log });
  const rooms = new RoomManager(store, log, { idleMs: config.roomIdleMs, compactAfter: config.compactAfter, lock: scale?.lock });
  // Before any room loads (issue 13): emails written on notes go to the contact store, never
  // into the document, its stored updates or other clients.
  const contacts = new ContactService(store, log);
  rooms.contacts = { save: (id, taken) => contacts.saveFromDocument(id, taken) };
  scale?.attach(rooms, store);
  rooms.use(roomMetrics(metrics));
  const boards = new BoardService(store, rooms, log);
  const sessions = new SessionService(store, rooms);
  const snapshots = new SnapshotService(store, rooms, boards, log, { intervalMs: config.snapshotIntervalMs, lock: scale?.lock, contacts: contacts.directory });
  const exports = new ExportService(boards, log, contacts.directory, (id, taken) => contacts.saveFromDocument(id, taken));
  // Clustering runs in worker threads (piscina): the event loop keeps serving while it works. The
  // vocabulary route derives taught pairs in the same threads; the metrics count clustering jobs.
  const workers = createClusterPool();
  const clusterPool = instrumentClusterPool(workers, metrics);
  const clusters = new ClusterJobs(clusterPool, boards, sessions, log);
  // Emails on private and held notes go to the contact store too, never into session records.
  sessions.contactSink = (id, taken) => contacts.saveFromDocument(id, taken);
  const erasure = new ErasureService(store, rooms, sessions, contacts, log, { sweepMs: config.contactSweepMs, lock: scale?.lock });
  let ioRef: SessionIo | null = null;
  const contactPush = new ContactPush(() => ioRef, { sessions, contacts, log });
  contacts.onChanged = (id) => contactPush.wallChanged(id);
  const app = createApp({ boards, snapshots, exports, clusters, clusterPool: workers, contacts: { contacts, erasure }, store, log, clientDist: config.clientDist, readiness: scale ? [() => scale.ready()] : [], trustProxy: config.trustProxy, wallCreationLimit: limits.wallCreation() });
  const serveMetrics = metricsEndpoint(metrics, { token: config.metricsToken, log });
  const server = http.createServer((req, res) => {
    if (!serveMetrics(req, res)) app(req, res);
  });
  // Every socket the server accepted, upgraded ones included: the HTTP server's own tracking lets
  // go of a socket once it is upgraded, yet its 'close' waits for it.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const allowed = new Set(config.allowedOrigins);
  // Browsers always send Origin on websocket upgrades: accept our own host and listed origins.
  // Non-browser clients (tests, tools) send none and authenticate by key like everyone else.
  // The same rule guards socket.io's handshakes (websocket and polling).
  const checkOrigin = (origin: string | undefined, req: http.IncomingMessage): boolean => {
    if (!origin) return true;
    if (allowed.has(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
  const sync = new SyncServer({ rooms, store, log, checkOrigin, limits });
  const io = createSessionServer(server, {
    boards,
    rooms,
    sessions,
    clusters,
    log,
    allowedOrigins: config.allowedOrigins,
    checkOrigin,
    // Explicit: the HTTP listener is not the Express app itself (/metrics answers before it).
    clientAddress: (req) => limits.clientIp(req),
    onJoined: (socket) => contactPush.toSocket(socket),
    onContactsChanged: (id) => contactPush.toWall(id),
  });
  ioRef = io;
  metrics.sources.sessionConnections = () => io.engine.clientsCount;
  clusters.attach(io);
  // Callbacks below run outside any request: each catches its own errors (docs/spec.md R60), so
  // a throw is logged (no message: it may quote input) and ends nothing but that callback.
  const guard = (what: string, board?: string) => (err: unknown) => log.error({ board, ...errorFields(err) }, `${what} failed`);
  boards.onDeleted = (id) => {
    try {
      io.to(boardRoom(id)).emit('board:deleted', { boardId: id });
    } catch (err) {
      guard('board:deleted notice', id)(err);
    }
  };
  io.on('connection', (socket) => {
    try {
      registerSnapshotCommands(socket, { log, sessions, snapshots });
      registerContactCommands(socket, { log, sessions, contacts, erasure });
    } catch (err) {
      guard('registering snapshot commands')(err);
    }
  });
  sync.onPeersChanged = (id) => {
    try {
      sessions.announceCount(id).catch(guard('announcing the connection count', id));
    } catch (err) {
      guard('announcing the connection count', id)(err);
    }
  };
  // Before any connection: room broadcasts and serverSideEmit then reach every process.
  if (scale) {
    io.adapter(scale.ioAdapter);
    sessions.scaleOut = true;
  }
  // Last middleware: a socket counted against its address's connections always connects.
  limits.attachSocketIo(io);

  // A throw while upgrading closes that one socket (500) and nothing else (R60).
  server.on('upgrade', (req, socket, head) => {
    try {
      if (sync.handleUpgrade(req, socket, head)) return;
      if ((req.url ?? '').startsWith('/socket.io/')) return; // socket.io's own listener has it
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } catch (err) {
      guard('websocket upgrade')(err);
      try {
        if (socket.writable) socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        else socket.destroy();
      } catch {
        socket.destroy();
      }
    }
  });

  let closing: Promise<void> | null = null;
  return {
    config,
    http: server,
    io,
    sync,
    rooms,
    store,
    boards,
    sessions,
    limits,
    snapshots,
    exports,
    clusters,
    contacts,
    erasure,
    metrics,
    log,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const port = (server.address() as AddressInfo).port;
          log.info({ port, store: store.kind, redis: Boolean(scale) }, 'maillage listening');
          resolve(port);
        });
      }),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((r) => server.close(() => r()));
        sync.close(CloseCode.ShuttingDown, 'server shutting down');
        await snapshots.close();
        await erasure.close();
        // socket.io's close waits for the HTTP server to close, i.e. for every client to answer the
        // close handshake: a busy or frozen page would hold the shutdown (a ws peer that never
        // answers is only dropped after 30 s). Past the grace, the stragglers are cut below.
        await graceful(new Promise<void>((r) => io.close(() => r())), SHUTDOWN_GRACE_MS);
        await rooms.closeAll();
        await clusterPool.close();
        // After the rooms: their last compaction takes the Redis lock.
        await scale?.close();
        await limits.close();
        await store.close();
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await stopped;
        log.info('maillage stopped');
      })();
      return closing;
    },
  };
}

/** How long shutdown waits for clients to finish their close handshakes before cutting them. */
const SHUTDOWN_GRACE_MS = 2000;

/** `promise`, or nothing after `ms` (whichever first). */
async function graceful(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
