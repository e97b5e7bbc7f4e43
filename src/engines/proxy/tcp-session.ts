import { type Socket, connect } from 'node:net';
import type { Connection } from '../../director/connection.ts';
import type { RealServer } from '../../director/real-server.ts';
import type { Schedule, VirtualService } from '../../director/virtual-service.ts';
import type { FailureKind } from '../../health/passive/outlier.ts';
import type { Timer } from '../../platform/clock.ts';
import type { Flow } from '../../scheduler/scheduler.ts';
import { afterConnectFailure } from './connect-retry.ts';
import type { ProxyContext, Tracked } from './context.ts';
import { Idle } from './idle.ts';
import { proxyHeader, unmap } from './proxy-protocol.ts';
import { Pump, type PumpOwner } from './pump.ts';

type Scheduled = Extract<Schedule, { ok: true }>;
type Phase = 'connecting' | 'spliced' | 'done';

const SESSION = Symbol('webfarm.tcp-session');
type Tagged = Socket & { [SESSION]?: TcpSession };

/**
 * One client TCP connection through the proxy (docs/proxy-engine.md):
 * schedule → connect (with timeout, retries, redispatch) → optional PROXY header → splice both ways with
 * half-close and backpressure → closed. One Connection is opened per connect attempt, so the director's
 * gauges and counters stay exact; the last one lives as long as the session.
 *
 * While connecting, client bytes are held (up to `maxPendingBytes`, then the client is paused) and written
 * after the PROXY header. A client FIN seen meanwhile is forwarded right after them.
 *
 * Teardown: graceful when both directions have ended (FIN each way) and both sockets closed; abrupt when
 * either side errors, resets or closes early, or the idle timeout passes: both sockets are destroyed,
 * and a reset or error on one side is passed on as a reset (RST) to the other.
 *
 * Passive health (docs/passive-health.md) gets one outcome per connect attempt: a refused or timed-out
 * connect is a failure; a connected attempt is a failure ('reset') if the real server resets it before
 * sending a byte, else a success, reported at its first byte or when the session ends.
 *
 * Per-connection cost: socket listeners are module functions shared by every session, which find their
 * session through a symbol on the socket; a session allocates no closures for them (class-field arrow
 * functions also cost an Object.defineProperty each under tsx's keepNames: docs/BENCHMARKS.md).
 */
export class TcpSession implements Tracked, PumpOwner {
  readonly #ctx: ProxyContext;
  readonly #svc: VirtualService;
  readonly #client: Socket;
  readonly #flow: Omit<Flow, 'nowMs'>;
  readonly #idle: Idle;
  /** Real servers whose connect failed in this session (allocated on the first failure). */
  #failed: Set<RealServer> | undefined;
  #phase: Phase = 'connecting';
  #schedule: Scheduled | undefined;
  #attempts = 0;
  #conn: Connection | undefined;
  #upstream: Socket | undefined;
  #connectTimer: Timer | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #inDone = false;
  #outDone = false;
  #clientClosed = false;
  #upClosed = true;
  /** Connected, and the real server has neither answered nor reset yet (passive health verdict open). */
  #unanswered = false;
  #finished = false;
  #waiters: (() => void)[] = [];

  constructor(ctx: ProxyContext, svc: VirtualService, client: Socket) {
    this.#ctx = ctx;
    this.#svc = svc;
    this.#client = client;
    this.#idle = new Idle(ctx.clock.now());
    this.#flow = {
      protocol: 'tcp',
      clientAddress: unmap(client.remoteAddress ?? ''),
      clientPort: client.remotePort ?? 0,
      virtualAddress: svc.spec.address,
      virtualPort: svc.spec.port,
    };
    (client as Tagged)[SESSION] = this;
    client.on('data', onEarlyData);
    client.on('end', onEarlyEnd);
    client.on('error', onClientError);
    client.on('close', onClientClose);
    ctx.track(this);
    if (client.remoteAddress === undefined) this.#abort(false);
    else this.#attempt();
  }

  sweep(nowMs: number): void {
    const conn = this.#conn;
    if (this.#phase !== 'spliced' || !conn) return;
    const t = this.#ctx.director.timeouts;
    const expires = this.#idle.expiry(nowMs, conn.state === 'established' ? t.tcpMs : t.tcpFinMs);
    conn.expiresMs = expires;
    if (nowMs >= expires) this.#abort(false);
  }

  bufferedBytes(): number {
    return this.#client.writableLength + (this.#upstream?.writableLength ?? 0);
  }

  destroy(): Promise<void> {
    this.#abort(false);
    return this.#finished ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }

  // ── connecting ──────────────────────────────────────────────────────────────────────────────────────

  #attempt(): void {
    const now = this.#ctx.clock.now();
    const flow: Flow = { ...this.#flow, nowMs: now };
    if (!this.#schedule || this.#svc.spec.connect.redispatch) {
      const s = this.#svc.schedule(flow, this.#failed);
      if (!s.ok) {
        this.#refuse();
        return;
      }
      this.#schedule = s;
    }
    const s = this.#schedule;
    const timeoutMs = this.#svc.spec.connect.timeoutMs;
    this.#attempts++;
    const conn = this.#svc.open(s, flow);
    conn.expiresMs = now + timeoutMs;
    this.#conn = conn;
    const up = connect({ host: s.dest.address, port: s.dest.port, allowHalfOpen: true, noDelay: true });
    this.#upstream = up;
    this.#upClosed = false;
    (up as Tagged)[SESSION] = this;
    up.once('connect', onUpstreamConnect);
    up.on('error', onUpstreamError);
    up.on('close', onUpstreamClose);
    this.#connectTimer = this.#ctx.clock.setTimeout(() => this.#onConnectTimeout(), timeoutMs);
  }

  #onConnectTimeout(): void {
    this.#connectTimer = undefined;
    this.#connectFailed('connect-timeout');
  }

  /** The current attempt was refused or timed out: count it, close its Connection, retry or give up. */
  #connectFailed(kind: FailureKind): void {
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    const up = this.#upstream;
    if (up) discard(up);
    this.#upstream = undefined;
    this.#upClosed = true;
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn) {
      conn.dest.connectFailures++;
      this.#ctx.outcomes?.failure(this.#svc, conn.dest, kind);
      this.#failed ??= new Set();
      this.#failed.add(conn.dest);
      conn.close(this.#ctx.clock.now());
    }
    if (this.#phase !== 'connecting') return;
    if (afterConnectFailure(this.#svc.spec.connect, this.#attempts) === 'give-up') this.#refuse();
    else this.#attempt();
  }

  /** No usable real server, or every attempt failed: reset the client at once. */
  #refuse(): void {
    this.#svc.refused++;
    this.#abort(true);
  }

  // ── socket events: entry points for this file's shared listeners, not for other callers ────────────

  /** Client bytes while connecting: held for the real server. */
  earlyData(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= this.#ctx.maxPendingBytes) this.#client.pause();
  }

  /** Client FIN while connecting: passed on once connected. */
  earlyEnd(): void {
    this.#inDone = true;
  }

  upstreamConnected(): void {
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    const up = this.#upstream as Socket;
    const conn = this.#conn as Connection;
    const client = this.#client;
    this.#phase = 'spliced';
    this.#unanswered = true;
    conn.established();
    this.#idle.touch(this.#ctx.clock.now());
    const version = this.#svc.spec.proxyProtocol;
    if (version !== 'off') up.write(proxyHeader(version, this.#proxied()));
    for (const chunk of this.#pending) {
      this.#countIn(chunk.length);
      up.write(chunk);
    }
    this.#pending = [];
    client.off('data', onEarlyData);
    client.off('end', onEarlyEnd);
    const out = new Pump(up, client, this, false);
    out.start();
    if (this.#inDone) {
      up.end();
      this.#halfClosed();
    } else {
      const inbound = new Pump(client, up, this, true);
      inbound.reverse = out;
      out.reverse = inbound;
      inbound.start();
    }
  }

  #proxied() {
    const c = this.#client;
    return {
      protocol: 'tcp' as const,
      sourceAddress: this.#flow.clientAddress,
      sourcePort: this.#flow.clientPort,
      destAddress: unmap(c.localAddress ?? this.#svc.spec.address),
      destPort: c.localPort ?? this.#svc.spec.port,
    };
  }

  // ── spliced ─────────────────────────────────────────────────────────────────────────────────────────

  #countIn(bytes: number): void {
    this.#idle.ticks++;
    (this.#conn as Connection).countIn(bytes);
  }

  #countOut(bytes: number): void {
    if (this.#unanswered) this.#verdict(undefined);
    this.#idle.ticks++;
    (this.#conn as Connection).countOut(bytes);
  }

  /** PumpOwner: a chunk relayed in one direction. */
  pumped(inbound: boolean, bytes: number): void {
    if (inbound) this.#countIn(bytes);
    else this.#countOut(bytes);
  }

  /** PumpOwner: a FIN passed on in one direction. */
  pumpEnded(inbound: boolean): void {
    if (inbound) this.#inDone = true;
    else this.#outDone = true;
    this.#halfClosed();
  }

  /** A FIN went through: the entry becomes inactive (FIN_WAIT) and the tcpfin timeout starts now. */
  #halfClosed(): void {
    this.#conn?.closing();
    this.#idle.touch(this.#ctx.clock.now());
  }

  // ── teardown ────────────────────────────────────────────────────────────────────────────────────────

  clientError(): void {
    this.#abort(true);
  }

  upstreamError(err: NodeJS.ErrnoException): void {
    const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
    if (reset && this.#conn) this.#conn.dest.resets++;
    if (this.#phase === 'connecting') {
      // Accepted and reset before the connect completed here: a reset; anything else: refused/unreachable.
      this.#connectFailed(reset ? 'reset' : 'connect-refused');
      return;
    }
    if (this.#unanswered) this.#verdict(reset ? 'reset' : undefined);
    this.#abort(true);
  }

  /** Report the connected attempt's outcome to passive health, once: a failure kind, or success. */
  #verdict(failure: FailureKind | undefined): void {
    this.#unanswered = false;
    const dest = this.#conn?.dest;
    const outcomes = this.#ctx.outcomes;
    if (!dest || !outcomes) return;
    if (failure) outcomes.failure(this.#svc, dest, failure);
    else outcomes.success(this.#svc, dest);
  }

  clientClosed(): void {
    this.#clientClosed = true;
    this.#socketClosed();
  }

  upstreamClosed(): void {
    this.#upClosed = true;
    this.#socketClosed();
  }

  #socketClosed(): void {
    const graceful = this.#phase === 'spliced' && this.#inDone && this.#outDone;
    if (!graceful) this.#abort(false);
    this.#maybeFinish();
  }

  /** Destroy both sockets (with RST when `reset`) and close the Connection now. Idempotent. */
  #abort(reset: boolean): void {
    if (this.#phase === 'done') return;
    const spliced = this.#phase === 'spliced';
    this.#phase = 'done';
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    kill(this.#client, reset);
    const up = this.#upstream;
    if (up) kill(up, reset && spliced);
    this.#conn?.close(this.#ctx.clock.now());
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.#finished || !this.#clientClosed || !this.#upClosed) return;
    this.#finished = true;
    this.#phase = 'done';
    if (this.#unanswered) this.#verdict(undefined);
    this.#conn?.close(this.#ctx.clock.now());
    this.#ctx.untrack(this);
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }
}

function kill(s: Socket, reset: boolean): void {
  if (s.destroyed) return;
  if (reset) s.resetAndDestroy();
  else s.destroy();
}

/** Drop a failed upstream attempt: no more events from it reach the session. */
function discard(s: Socket): void {
  s.removeAllListeners();
  s.on('error', () => {});
  s.destroy();
}

// Shared socket listeners (`this` is the socket): one set for every session, found through SESSION.
function onEarlyData(this: Tagged, chunk: Buffer): void {
  this[SESSION]?.earlyData(chunk);
}
function onEarlyEnd(this: Tagged): void {
  this[SESSION]?.earlyEnd();
}
function onClientError(this: Tagged): void {
  this[SESSION]?.clientError();
}
function onClientClose(this: Tagged): void {
  this[SESSION]?.clientClosed();
}
function onUpstreamConnect(this: Tagged): void {
  this[SESSION]?.upstreamConnected();
}
function onUpstreamError(this: Tagged, err: NodeJS.ErrnoException): void {
  this[SESSION]?.upstreamError(err);
}
function onUpstreamClose(this: Tagged): void {
  this[SESSION]?.upstreamClosed();
}
