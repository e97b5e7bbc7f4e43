import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The admin socket used when none is configured: /run/webfarm/admin.sock for root, else a per-user path. */
export const ROOT_SOCKET = '/run/webfarm/admin.sock';

export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEBFARM_ADMIN_SOCKET) return env.WEBFARM_ADMIN_SOCKET;
  if (process.getuid?.() === 0) return ROOT_SOCKET;
  const base = env.XDG_RUNTIME_DIR ?? tmpdir();
  return join(base, `webfarm-${process.getuid?.() ?? 'user'}`, 'admin.sock');
}
