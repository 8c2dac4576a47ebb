/**
 * Child processes for benchmarks: servers and client workers run in their own processes so the
 * process being measured never shares an event loop with the load generator. Requests and
 * replies travel over the IPC channel (structured clone, so typed arrays pass as they are);
 * every request has a deadline, and a child exits when its parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './report.ts';

interface Request {
  id: number;
  type: string;
  payload: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Event = { event: string; data: unknown };

const children = new Set<ChildProc>();
let exitHookInstalled = false;

export class ChildProc {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly listeners = new Map<string, ((data: unknown) => void)[]>();
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        children.delete(this);
        for (const w of this.waiting.values()) {
          clearTimeout(w.timer);
          w.reject(new Error(`${name} exited (${code}) before replying`));
        }
        this.waiting.clear();
        resolve(code);
      }),
    );
    child.on('message', (m: Reply | Event) => {
      if ('event' in m) {
        for (const l of this.listeners.get(m.event) ?? []) l(m.data);
        return;
      }
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`${name}: ${m.error}`));
    });
  }

  request<T>(type: string, payload: unknown = {}, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: '${type}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ id, type, payload } satisfies Request);
    });
  }

  on(event: string, fn: (data: unknown) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
  }

  /** Asks nicely, then SIGKILLs after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      await this.request('exit', {}, graceMs);
    } catch {
      /* it may exit before replying */
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

/**
 * Forks `file` (a .ts module run through tsx) and waits for its 'ready' event.
 * @throws when it exits or is not ready within `timeoutMs`.
 */
export async function spawnChild<R>(
  name: string,
  file: string,
  opts: { args?: string[]; nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ proc: ChildProc; ready: R }> {
  const child = fork(file, opts.args ?? [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
    env: { ...process.env, ...opts.env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const proc = new ChildProc(name, child);
  children.add(proc);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) c.child.kill('SIGKILL');
    });
  }
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready after ${opts.timeoutMs ?? 30_000} ms`));
    }, opts.timeoutMs ?? 30_000);
    proc.on('ready', (data) => {
      clearTimeout(timer);
      resolve(data as R);
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready`));
    });
  });
  return { proc, ready };
}

/** Kills every child still running (safety net for failed runs). */
export function killAllChildren(): void {
  for (const c of children) c.child.kill('SIGKILL');
}

/* ------------------------------------------------------------------ child side */

export type Handlers = Record<string, (payload: never) => unknown>;

/** Serves requests from the parent; exits when the parent disconnects or asks it to. */
export function serveParent(handlers: Handlers, ready: unknown): void {
  if (!process.send) throw new Error('not started with an IPC channel');
  const send = (m: Reply | Event) => process.send?.(m);
  process.on('message', (m: Request) => {
    if (m.type === 'exit') {
      send({ id: m.id, ok: true, result: null });
      setTimeout(() => process.exit(0), 20);
      return;
    }
    const h = handlers[m.type];
    if (!h) return send({ id: m.id, ok: false, error: `unknown request ${m.type}` });
    Promise.resolve()
      .then(() => h(m.payload as never))
      .then(
        (result) => send({ id: m.id, ok: true, result }),
        (err: unknown) => send({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  send({ event: 'ready', data: ready });
}

/** CPU and memory of this process, for the parent's accounting. */
export function usage(): { cpu: NodeJS.CpuUsage; mem: NodeJS.MemoryUsage; at: number } {
  return { cpu: process.cpuUsage(), mem: process.memoryUsage(), at: performance.timeOrigin + performance.now() };
}

export type Usage = ReturnType<typeof usage>;

/** CPU share (1.0 = one core) between two usage readings. */
export function cpuShare(a: Usage, b: Usage): number {
  const cpuMs = (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1000;
  return cpuMs / (b.at - a.at);
}
