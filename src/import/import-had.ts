import type { ImportResult } from './import-ldirectord.ts';

export interface HaDOptions {
  readonly node?: string;
  readonly extra?: ReadonlyArray<{ file: string; text: string }>;
}

export async function importHaD(dir: string, _o: HaDOptions = {}): Promise<ImportResult> {
  return {
    ok: false,
    issues: [{ file: dir, line: 0, col: 0, message: `${dir}: ha.d import not built yet` }],
  };
}
