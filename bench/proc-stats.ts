import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/PID/stat utime/stime (USER_HZ; 100 on every Linux build we run). */
export const USER_HZ = 100;

/**
 * utime+stime of a process in seconds from the text of /proc/PID/stat. Field 2 (comm) may contain spaces
 * and parentheses, so fields are counted from the last ')'. utime and stime are fields 14 and 15.
 */
export function parseCpuSeconds(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat line');
  return (utime + stime) / USER_HZ;
}

/** VmRSS in KiB from the text of /proc/PID/status. */
export function parseRssKiB(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS line');
  return Number(m[1]);
}

/** utime and stime separately, seconds. */
export function parseCpuSplit(stat: string): { user: number; sys: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(rest[11]) / USER_HZ, sys: Number(rest[12]) / USER_HZ };
}

export function cpuSplit(pid: number): { user: number; sys: number } {
  return parseCpuSplit(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function cpuSeconds(pid: number): number {
  return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function rssKiB(pid: number): number {
  return parseRssKiB(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
