import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import {
  authkeysError,
  authkeysModeError,
  checkAuthkeysMode,
  parseAuthkeys,
} from '../cluster/authkeys-file.ts';
import type { ConfigIssue } from '../config/issue.ts';
import { assembleHaD, type HaDInputs } from './had-assemble.ts';
import type { ImportEngine, ImportResult } from './import-ldirectord.ts';

/**
 * `webfarm import DIR` for an ha.d directory: reads DIR/ha.cf, DIR/haresources, DIR/authkeys (refused
 * unless mode 0600, as heartbeat) and every ldirectord.cf that haresources names, then assembles them
 * (had-assemble.ts, pure). An ldirectord file is looked for as written, then relative to DIR (and for
 * /etc/ha.d/NAME, as DIR/NAME), then DIR/conf/NAME (heartbeat 0.4.8's place).
 */
export interface HaDOptions {
  /** This director's node name (default: uname -n when it is one of the nodes). */
  readonly node?: string;
  /** The engine the config names (default proxy; nft: `gate` → `forward: route`). */
  readonly engine?: ImportEngine;
  /** ldirectord.cf files given on the command line besides the directory. */
  readonly extra?: ReadonlyArray<{ file: string; text: string }>;
}

export async function importHaD(dir: string, o: HaDOptions = {}): Promise<ImportResult> {
  const issues: ConfigIssue[] = [];
  const read = async (file: string): Promise<string | undefined> => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      issues.push({
        file,
        line: 0,
        col: 0,
        message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      });
      return undefined;
    }
  };
  const haCf = join(dir, 'ha.cf');
  const haRes = join(dir, 'haresources');
  const authkeys = join(dir, 'authkeys');
  const haCfText = await read(haCf);
  const haResText = await read(haRes);
  const auth = await readAuthkeys(authkeys, issues);
  if (haCfText === undefined || haResText === undefined || auth === undefined) return { ok: false, issues };
  const inputs: HaDInputs = {
    haCf: { file: haCf, text: haCfText },
    haresources: { file: haRes, text: haResText },
    authkeys: auth,
    hostname: hostname(),
    extra: o.extra ?? [],
    ...(o.node === undefined ? {} : { node: o.node }),
    ...(o.engine === undefined ? {} : { engine: o.engine }),
    loadLdirectord: async (name) => findLdirectord(dir, name),
  };
  return assembleHaD(inputs);
}

/** The authkeys file: mode 0600 and parseable, else the errors with its lines. */
async function readAuthkeys(
  file: string,
  issues: ConfigIssue[],
): Promise<{ file: string; sendId: number; method: string } | undefined> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, 'utf8');
  } catch (e) {
    issues.push({
      file,
      line: 0,
      col: 0,
      message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    });
    return undefined;
  }
  const m = checkAuthkeysMode(mode);
  if (!m.ok) {
    issues.push({ file, line: 0, col: 0, message: authkeysModeError(file, m.message).message });
    return undefined;
  }
  const parsed = parseAuthkeys(text);
  if (!parsed.ok) {
    for (const line of authkeysError(file, parsed.issues).message.split('\n')) {
      const at = /^.*?:(\d+): /.exec(line);
      issues.push({
        file,
        line: at ? Number(at[1]) : 0,
        col: at ? 1 : 0,
        message: at ? line.slice(at[0].length) : line,
      });
    }
    return undefined;
  }
  const send = parsed.keys.keys.get(parsed.keys.sendId);
  return { file, sendId: parsed.keys.sendId, method: send?.method ?? '?' };
}

async function findLdirectord(
  dir: string,
  name: string | undefined,
): Promise<{ file: string; text: string } | undefined> {
  const n = name ?? 'ldirectord.cf';
  const candidates = n.startsWith('/')
    ? [
        n,
        ...(n.startsWith('/etc/ha.d/') ? [join(dir, n.slice('/etc/ha.d/'.length))] : []),
        join(dir, basename(n)),
      ]
    : [join(dir, n), join(dir, 'conf', n)];
  for (const file of candidates) {
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch {
      // try the next place
    }
  }
  return undefined;
}
