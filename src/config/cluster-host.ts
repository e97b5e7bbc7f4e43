import { existsSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/**
 * What the cluster checks need to know about the host the config will run on (cluster-semantic.ts):
 * its network devices, whether a tty path exists, key files' modes and text. Injected so the checks stay
 * testable; `webfarm import` skips them (they are facts of the director, checked there).
 */
export interface ClusterHost {
  /** Names of this host's network devices (os.networkInterfaces: devices that have an address). */
  interfaceNames(): readonly string[];
  pathExists(path: string): boolean;
  /** `stat().mode`, or undefined when the file cannot be examined. */
  fileMode(path: string): number | undefined;
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
}

export const fsClusterHost: ClusterHost = {
  interfaceNames: () => Object.keys(networkInterfaces()),
  pathExists: (p) => existsSync(p),
  fileMode: (p) => {
    try {
      return statSync(p).mode;
    } catch {
      return undefined;
    }
  },
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};
