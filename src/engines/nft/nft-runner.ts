import { WebfarmError } from '../../model/errors.ts';
import type { ExecResult, ExecRunner } from './exec-runner.ts';
import { NftShell } from './nft-shell.ts';

/**
 * Thin adapter over the `nft` binary (argv, never a shell). `apply` feeds one script to `nft -f -`: the
 * kernel applies the whole batch or nothing. Failures become WebfarmErrors:
 * WF_ERR_NFT_MISSING (not installed), WF_ERR_NFT_PERMISSION (no CAP_NET_ADMIN), WF_ERR_NFT_APPLY (the
 * batch was refused; the previous ruleset stays in force).
 */
export class NftRunner {
  readonly #exec: ExecRunner;
  readonly #bin: string;
  readonly #shell: NftShell | undefined;

  /** `shell`: send element batches to a long-lived `nft -i` (when `exec` can start one; nft-shell.ts). */
  constructor(exec: ExecRunner, bin = 'nft', shell = false) {
    this.#exec = exec;
    this.#bin = bin;
    this.#shell = shell && exec.wrap ? new NftShell(exec.wrap([bin])) : undefined;
  }

  /**
   * Apply a batch of complete one-line commands (element changes): through the `nft -i` shell when there
   * is one, else as `apply`. A shell that died or hung is replaced by one `nft -f -` run of the same batch.
   */
  async applyLines(script: string): Promise<void> {
    if (script === '') return;
    if (!this.#shell) return this.apply(script);
    const r = await this.#shell.apply(script);
    if (r.errno) return this.apply(script);
    check(r, 'nft -i');
  }

  /** End the shell, if any (stop). */
  close(): void {
    this.#shell?.close();
  }

  /** Is nft there and may we program it? Lists the tables (read-only) to find out. */
  async probe(): Promise<void> {
    check(await this.#exec.run([this.#bin, 'list', 'tables']), 'nft list tables');
  }

  async apply(script: string): Promise<void> {
    if (script === '') return;
    check(await this.#exec.run([this.#bin, '-f', '-'], script), 'nft -f -');
  }

  /** `nft -j list …` parsed; the objects of its `nftables` array. */
  async listJson(args: readonly string[]): Promise<Array<Record<string, unknown>>> {
    const r = await this.#exec.run([this.#bin, '-j', 'list', ...args]);
    check(r, `nft -j list ${args.join(' ')}`);
    const doc = JSON.parse(r.stdout || '{"nftables":[]}') as { nftables?: Array<Record<string, unknown>> };
    return doc.nftables ?? [];
  }

  /** Does the table exist? (`nft list table` fails with ENOENT otherwise.) */
  async hasTable(family: string, name: string): Promise<boolean> {
    const r = await this.#exec.run([this.#bin, 'list', 'table', family, name]);
    if (r.code === 0) return true;
    if (r.errno || /not permitted/i.test(r.stderr)) check(r, 'nft list table');
    return false;
  }
}

function check(r: ExecResult, what: string): void {
  if (r.errno === 'ENOENT') {
    throw new WebfarmError(
      'WF_ERR_NFT_MISSING',
      'nft is not installed (the nft engine needs nftables ≥ 1.0)',
    );
  }
  if (r.errno) throw new WebfarmError('WF_ERR_NFT_APPLY', `${what} could not run: ${r.stderr}`);
  if (r.code === 0) return;
  const msg = firstLines(r.stderr);
  if (/Operation not permitted|Permission denied/i.test(r.stderr)) {
    throw new WebfarmError(
      'WF_ERR_NFT_PERMISSION',
      `${what}: no permission (run as root or with CAP_NET_ADMIN): ${msg}`,
    );
  }
  throw new WebfarmError('WF_ERR_NFT_APPLY', `${what} failed, nothing applied: ${msg}`);
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' | ');
}
