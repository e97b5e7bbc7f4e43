import { adminRequest } from '../admin/client.ts';
import { WebfarmError } from '../model/errors.ts';

/**
 * The service argument of `webfarm drain/enable`: `tcp:ADDR:PORT`, `udp:ADDR:PORT`, `ADDR:PORT` (TCP), or
 * a service's `name` from the config (looked up through the API). Returns the service id.
 */
export async function resolveService(socket: string, text: string): Promise<string> {
  if (/^(tcp|udp):/.test(text)) return text;
  if (/^(\[[0-9a-fA-F:.]+\]|[0-9.]+):\d+$/.test(text)) return `tcp:${text}`;
  const services = (await adminRequest(socket, 'GET', '/v1/services')) as Array<{
    id: string;
    name?: string;
  }>;
  const found = services.filter((s) => s.name === text);
  if (found.length === 1) return (found[0] as { id: string }).id;
  throw new WebfarmError(
    'WF_ERR_DIRECTOR_NO_SERVICE',
    found.length > 1 ? `service name "${text}" is ambiguous` : `no virtual service ${text}`,
  );
}

/** The API path of a real server. */
export const realPath = (sid: string, rid: string): string =>
  `/v1/services/${encodeURIComponent(sid)}/reals/${encodeURIComponent(rid)}`;
