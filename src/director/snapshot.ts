import type { Director } from './director.ts';
import { type Rates, roundRates } from './rate-estimator.ts';
import type { AdminState, DownAction, ForwardMethod, Health, LastCheck } from './real-server.ts';
import type { StatsSnapshot } from './stats.ts';
import type { ProxyProtocol } from './virtual-service.ts';

/**
 * A read-only, JSON-ready picture of the director for `webfarm status`, the admin API and metrics.
 * Real servers are listed in scheduling order (newest first); front ends sort for display.
 */
export interface RealServerSnapshot {
  id: string;
  address: string;
  port: number;
  forward: ForwardMethod;
  weight: number;
  configuredWeight: number;
  health: Health;
  /** Why health is what it is (last failure, maintenance); absent when unchecked. */
  healthReason: string | undefined;
  lastCheck: LastCheck | undefined;
  downAction: DownAction;
  /** Inserted by the health subsystem because no real server was up. */
  fallback: boolean;
  /** Passive health: 'ejected' while outlier detection keeps new connections away (docs/passive-health.md). */
  passive: 'ok' | 'ejected';
  /** Failed connect attempts (refused or timed out) since start; never zeroed by -Z. */
  connectFailures: number;
  /** Resets by the real server since start. */
  resets: number;
  admin: AdminState;
  usable: boolean;
  overloaded: boolean;
  upperThreshold: number;
  lowerThreshold: number;
  activeConns: number;
  inactConns: number;
  persistConns: number;
  stats: StatsSnapshot;
  rates: Rates;
}

export interface ServiceSnapshot {
  id: string;
  name: string | undefined;
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  scheduler: string;
  flags: string[];
  persistence: { timeoutMs: number; prefix: number } | undefined;
  onePacket: boolean;
  proxyProtocol: ProxyProtocol;
  refused: number;
  connections: number;
  stats: StatsSnapshot;
  rates: Rates;
  reals: RealServerSnapshot[];
}

export interface DirectorSnapshot {
  timeouts: { tcpMs: number; tcpFinMs: number; udpMs: number };
  services: ServiceSnapshot[];
}

export function snapshotDirector(d: Director): DirectorSnapshot {
  return {
    timeouts: { ...d.timeouts },
    services: [...d.services.values()].map((s) => ({
      id: s.id,
      name: s.spec.name,
      protocol: s.spec.protocol,
      address: s.spec.address,
      port: s.spec.port,
      scheduler: s.spec.scheduler,
      flags: [...s.spec.flags],
      persistence: s.spec.persistence ? { ...s.spec.persistence } : undefined,
      onePacket: s.spec.onePacket,
      proxyProtocol: s.spec.proxyProtocol,
      refused: s.refused,
      connections: s.connections.size,
      stats: s.stats.toJSON(),
      rates: roundRates(s.estimate.rates),
      reals: s.dests.map((r) => ({
        id: r.id,
        address: r.address,
        port: r.port,
        forward: r.forward,
        weight: r.weight,
        configuredWeight: r.configuredWeight,
        health: r.health,
        healthReason: r.healthReason,
        lastCheck: r.lastCheck && { ...r.lastCheck },
        downAction: r.downAction,
        fallback: r.fallback,
        passive: r.passive,
        connectFailures: r.connectFailures,
        resets: r.resets,
        admin: r.admin,
        usable: r.usable,
        overloaded: r.overloaded,
        upperThreshold: r.upperThreshold,
        lowerThreshold: r.lowerThreshold,
        activeConns: r.activeConns,
        inactConns: r.inactConns,
        persistConns: r.persistConns,
        stats: r.stats.toJSON(),
        rates: roundRates(r.estimate.rates),
      })),
    })),
  };
}
