import { isIP } from 'node:net';
import type { DirectorSnapshot, RealServerSnapshot, ServiceSnapshot } from '../../director/snapshot.ts';
import type { PortNames } from './address.ts';
import type { ListFormat } from './command.ts';
import {
  addrPort,
  compareAddress,
  forwardName,
  forwardSwitch,
  largeNum,
  left,
  maskText,
  right,
} from './format-text.ts';

/**
 * `ipvsadm -L` / `-S` text, byte for byte as ipvsadm 1.31 prints it (ipvsadm.c print_title,
 * print_service_entry, list_all, list_timeout). Pure: the snapshot and port names in, text out.
 * webfarm has no kernel table: the version line always reads IPVS 1.2.1 with the LVS default size 4096.
 */
export const VERSION_LINE = 'IP Virtual Server version 1.2.1 (size=4096)\n';

/** `-L` of the whole table (with the version line) or, given `only`, of one service (without it). */
export function formatList(
  snap: DirectorSnapshot,
  format: ListFormat,
  names: PortNames,
  only?: ServiceSnapshot,
): string {
  const services = only ? [only] : sortServices(snap.services, format.nosort);
  let out = only ? '' : VERSION_LINE;
  out += title(format);
  for (const s of services) out += serviceEntry(s, format, names);
  return out;
}

/**
 * `-S [-n]`: the table as `-A`/`-a` lines that `-R` reads back. One deliberate difference: a real server's
 * non-zero thresholds are saved as ` -x N -y M` after ipvsadm's fields, so that nothing is lost on restore.
 */
export function formatSave(snap: DirectorSnapshot, numeric: boolean, names: PortNames): string {
  let out = '';
  for (const s of sortServices(snap.services, false)) {
    const svc = `${s.protocol === 'tcp' ? '-t' : '-u'} ${addrPort(s.address, s.port, s.protocol, numeric, names)}`;
    out += `-A ${svc} -s ${s.scheduler}`;
    if (s.persistence) {
      out += ` -p ${seconds(s.persistence.timeoutMs)}`;
      const mask = maskText(s.address, s.persistence.prefix);
      if (mask !== undefined) out += ` -M ${mask}`;
    }
    if (s.onePacket) out += ' -o';
    const flags = schedFlags(s);
    if (flags) out += ` -b ${flags}`;
    out += '\n';
    for (const r of sortReals(s.reals, false)) {
      const dname = addrPort(r.address, r.port, s.protocol, numeric, names);
      const tun = r.forward === 'tunnel' ? ' --tun-type ipip' : '';
      // webfarm keeps -x/-y (ipvsadm 1.31's -S drops them): with them the save round-trips through -R.
      const x = r.upperThreshold ? ` -x ${r.upperThreshold}` : '';
      const y = r.lowerThreshold ? ` -y ${r.lowerThreshold}` : '';
      out += `-a ${svc} -r ${dname} ${forwardSwitch(r.forward)} -w ${r.weight}${tun}${x}${y}\n`;
    }
  }
  return out;
}

/** `-L --timeout`, in whole seconds. */
export function formatTimeouts(t: DirectorSnapshot['timeouts']): string {
  return `Timeout (tcp tcpfin udp): ${seconds(t.tcpMs)} ${seconds(t.tcpFinMs)} ${seconds(t.udpMs)}\n`;
}

function title(f: ListFormat): string {
  const head = left('Prot LocalAddress:Port', 33);
  const remote = '  -> RemoteAddress:Port\n';
  const cols = (xs: string[]) => xs.map((x) => ` ${right(x, 8)}`).join('');
  if (f.stats) return `${head}${cols(['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'])}\n${remote}`;
  if (f.rate) return `${head}${cols(['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'])}\n${remote}`;
  if (f.thresholds) {
    return `${head} ${left('Uthreshold', 10)} ${left('Lthreshold', 10)} ${left('ActiveConn', 10)} ${left('InActConn', 10)}\n${remote}`;
  }
  if (f.persistentConn) {
    return `${head} ${left('Weight', 9)} ${left('PersistConn', 11)} ${left('ActiveConn', 10)} ${left('InActConn', 10)}\n${remote}`;
  }
  const forward = f.tunInfo ? 'Forward TunnelInfo    Weight' : 'Forward Weight';
  return `Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           ${forward} ActiveConn InActConn\n`;
}

function serviceEntry(s: ServiceSnapshot, f: ListFormat, names: PortNames): string {
  const v6 = isIP(s.address) === 6;
  let name = `${left(s.protocol.toUpperCase(), 4)} ${addrPort(s.address, s.port, s.protocol, f.numeric, names)}`;
  if (!v6) name = name.slice(0, 33);
  let out: string;
  if (f.stats) {
    const st = s.stats;
    out =
      left(name, 33) +
      [st.conns, st.inPkts, st.outPkts, st.inBytes, st.outBytes].map((n) => largeNum(n, f.exact)).join('');
  } else if (f.rate) {
    const r = s.rates;
    out =
      left(name, 33) +
      [r.cps, r.inPps, r.outPps, r.inBps, r.outBps].map((n) => largeNum(n, f.exact)).join('');
  } else {
    out = `${name} ${s.scheduler}`;
    const flags = schedFlags(s);
    if (flags) out += ` (${flags})`;
    if (s.persistence) {
      out += ` persistent ${seconds(s.persistence.timeoutMs)}`;
      const mask = maskText(s.address, s.persistence.prefix);
      if (mask !== undefined) out += ` mask ${mask}`;
    }
    if (s.onePacket) out += ' ops';
  }
  out += '\n';
  for (const r of sortReals(s.reals, f.nosort)) out += realEntry(s, r, f, names);
  return out;
}

function realEntry(s: ServiceSnapshot, r: RealServerSnapshot, f: ListFormat, names: PortNames): string {
  let dname = addrPort(r.address, r.port, s.protocol, f.numeric, names);
  if (isIP(r.address) !== 6) dname = dname.slice(0, 28);
  const head = `  -> ${left(dname, 28)}`;
  const u = (n: number, w: number) => left(n, w);
  if (f.stats) {
    const st = r.stats;
    return `${head}${[st.conns, st.inPkts, st.outPkts, st.inBytes, st.outBytes].map((n) => largeNum(n, f.exact)).join('')}\n`;
  }
  if (f.rate) {
    const x = r.rates;
    return `${head} ${right(x.cps, 8)} ${right(x.inPps, 8)} ${right(x.outPps, 8)}${largeNum(x.inBps, f.exact)}${largeNum(x.outBps, f.exact)}\n`;
  }
  if (f.thresholds) {
    return `${head} ${u(r.upperThreshold, 10)} ${u(r.lowerThreshold, 10)} ${u(r.activeConns, 10)} ${u(r.inactConns, 10)}\n`;
  }
  if (f.persistentConn) {
    return `${head} ${u(r.weight, 9)} ${u(r.persistConns, 11)} ${u(r.activeConns, 10)} ${u(r.inactConns, 10)}\n`;
  }
  const tun = f.tunInfo ? ` ${left(r.forward === 'tunnel' ? 'ipip' : 'n/a', 13)}` : '';
  return `${head} ${left(forwardName(r.forward), 7)}${tun} ${u(r.weight, 6)} ${u(r.activeConns, 10)} ${u(r.inactConns, 10)}\n`;
}

/** ipvsadm's print_sched_flags: sh/mh flags in kernel bit order, comma-separated. */
function schedFlags(s: ServiceSnapshot): string {
  const order = ['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port'];
  return order.filter((f) => s.flags.includes(f) && f.startsWith(`${s.scheduler}-`)).join(',');
}

/** ipvsadm's sort: by family, protocol (TCP before UDP), address, port; reals by address, port. */
function sortServices(list: readonly ServiceSnapshot[], nosort: boolean): ServiceSnapshot[] {
  if (nosort) return [...list];
  return [...list].sort(
    (a, b) =>
      (isIP(a.address) === 6 ? 1 : 0) - (isIP(b.address) === 6 ? 1 : 0) ||
      (a.protocol === b.protocol ? 0 : a.protocol === 'tcp' ? -1 : 1) ||
      compareAddress(a.address, b.address) ||
      a.port - b.port,
  );
}

/** Unsorted (--nosort) = scheduling order, newest first, as the kernel's list. */
function sortReals(list: readonly RealServerSnapshot[], nosort: boolean): RealServerSnapshot[] {
  if (nosort) return [...list];
  return [...list].sort((a, b) => compareAddress(a.address, b.address) || a.port - b.port);
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
