/**
 * Every error webfarm reports to a user has a stable code (WF_ERR_<AREA>_<WHAT>) and a one-line message.
 * Expected outcomes (no server, probe failed) are values, not errors; these are for bad input and broken
 * invariants. docs/errors.md lists each code.
 */
export const ERROR_CODES = [
  'WF_ERR_CONFIG_SYNTAX',
  'WF_ERR_CONFIG_INVALID',
  'WF_ERR_CONFIG_READ',
  'WF_ERR_DIRECTOR_DUPLICATE_SERVICE',
  'WF_ERR_DIRECTOR_NO_SERVICE',
  'WF_ERR_DIRECTOR_DUPLICATE_REAL',
  'WF_ERR_DIRECTOR_NO_REAL',
  'WF_ERR_DIRECTOR_INVALID',
  'WF_ERR_SCHEDULER_UNKNOWN',
  'WF_ERR_SCHEDULER_FLAG',
  'WF_ERR_SCHEDULER_OPTION',
  'WF_ERR_ENGINE_LISTEN',
  'WF_ERR_ENGINE_UNSUPPORTED',
  'WF_ERR_ADMIN_UNREACHABLE',
  'WF_ERR_ADMIN_REQUEST',
  'WF_ERR_ADMIN_BAD_REQUEST',
  'WF_ERR_ADMIN_TOKEN',
  'WF_ERR_ADMIN_UNAUTHORIZED',
  'WF_ERR_CLI_USAGE',
  'WF_ERR_RELOAD_CONFIG',
  'WF_ERR_RELOAD_BIND',
  'WF_ERR_RELOAD_UNAVAILABLE',
  'WF_ERR_STATE_FILE',
  'WF_ERR_CLUSTER_AUTHKEYS',
  'WF_ERR_CLUSTER_AUTHKEYS_MODE',
  'WF_ERR_CLUSTER_GENERATION',
  'WF_ERR_NFT_MISSING',
  'WF_ERR_NFT_PERMISSION',
  'WF_ERR_NFT_APPLY',
  'WF_ERR_NFT_UNSUPPORTED',
  'WF_ERR_NFT_SEGMENT',
  'WF_ERR_NFT_NEIGHBOUR',
  'WF_ERR_NFT_DEVICE',
  'WF_ERR_REALSERVER_SETUP',
  'WF_ERR_CLUSTER_TIMING',
  'WF_ERR_CLUSTER_MEDIUM',
  'WF_ERR_CLUSTER_RESOURCE',
  'WF_ERR_CLUSTER_KEY',
  'WF_ERR_CLUSTER_UNAVAILABLE',
  'WF_ERR_CLUSTER_REFUSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class WebfarmError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'WebfarmError';
  }
}

export function isWebfarmError(e: unknown): e is WebfarmError {
  return e instanceof WebfarmError;
}
