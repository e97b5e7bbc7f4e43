import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * A real Debian server run as a child of the test (redis-server, slapd, postgres, mariadbd): started with a
 * generated config, awaited until it says it is ready (bounded), and stopped by its own PID.
 */
export interface ChildServer {
  readonly pid: number;
  /** Everything the child printed so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The absolute path of `name` on PATH or in the sbin directories, or undefined when not installed. */
export function findBinary(name: string, extraDirs: readonly string[] = []): string | undefined {
  for (const dir of [...extraDirs, '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin']) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface StartOptions {
  readonly args: readonly string[];
  /** Printed by the child once it accepts connections, or the address it will accept on (polled). */
  readonly ready: RegExp | { readonly host: string; readonly port: number };
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Run as this uid/gid (postgres refuses to run as root); see `systemUser`. */
  readonly uid?: number;
  readonly gid?: number;
}

export async function startChild(binary: string, opts: StartOptions): Promise<ChildServer> {
  const child: ChildProcess = spawn(binary, [...opts.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  });
  let text = '';
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const ready = new Promise<void>((resolve, reject) => {
    const { ready: want } = opts;
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (want instanceof RegExp && want.test(text)) resolve();
    };
    if (!(want instanceof RegExp)) void pollConnect(want.host, want.port, () => exited).then(resolve, reject);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(() => reject(new Error(`${binary} exited before it was ready:\n${text}`)));
    child.once('error', reject);
  });
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${binary} not ready after ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
  });
  const server: ChildServer = {
    pid: child.pid ?? -1,
    output: () => text,
    async stop() {
      if (exited || child.pid === undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    },
  };
  try {
    await Promise.race([ready, timeout]);
  } catch (e) {
    await server.stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return server;
}

/** Resolve once host:port accepts a connection, trying every few ms until `gaveUp()` (the child exited). */
async function pollConnect(host: string, port: number, gaveUp: () => boolean): Promise<void> {
  while (!gaveUp()) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The uid and gid of a local account from /etc/passwd, or undefined when there is none. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** A child server that owns a scratch directory: `stop()` stops the child, then removes the directory. */
export interface DirPeer {
  readonly port: number;
  readonly server: ChildServer;
  stop(): Promise<void>;
}

/** `startChild`, with `dir` removed if the start fails and when the peer stops. */
export async function startInDir(
  dir: string,
  port: number,
  binary: string,
  opts: StartOptions,
): Promise<DirPeer> {
  let server: ChildServer;
  try {
    server = await startChild(binary, opts);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    server,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
