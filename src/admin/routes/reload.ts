import type { DiffSummary } from '../../config/diff.ts';
import type { ErrorCode } from '../../model/errors.ts';
import { ApiError, readJson, validate } from '../http.ts';
import { emptySchema } from '../schemas.ts';
import type { Handler } from './context.ts';

/** What a reload did (src/bin/reload.ts makes it): the reply of POST /v1/reload. */
export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly config: string;
      readonly changed: DiffSummary;
      /** One line per operation applied, in apply order (`add-real tcp:… 10.0.0.3:80`). */
      readonly operations: readonly string[];
    }
  | {
      readonly ok: false;
      /** 422 the config has errors; 409 a new service cannot listen, or nothing to reload. */
      readonly status: 409 | 422;
      readonly code: ErrorCode;
      readonly message: string;
      /** Every problem, one line each (`FILE:LINE:COL: message` for the config). */
      readonly errors: readonly string[];
    };

export type ReloadFn = () => Promise<ReloadOutcome>;

/**
 * POST /v1/reload (`webfarm reload`): re-read the config file and apply the difference. 200 with what
 * changed, or the error object with `errors` (every problem) and nothing applied.
 */
export const reloadConfig: Handler = async (ctx, _p, req) => {
  validate(emptySchema, await readJson(req));
  if (!ctx.reload) {
    throw new ApiError(409, 'WF_ERR_RELOAD_UNAVAILABLE', 'this API serves no reloadable director', 'path');
  }
  const o = await ctx.reload();
  if (o.ok) return [200, { reloaded: true, config: o.config, changed: o.changed, operations: o.operations }];
  return [o.status, { error: { code: o.code, message: o.message, field: 'config', errors: o.errors } }];
};
