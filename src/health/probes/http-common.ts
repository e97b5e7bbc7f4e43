import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { type RequestOptions, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { errorReason, excerpt, type Finisher, finisher } from './probe-finish.ts';
import { receivePattern, receiveProblems, type SettingName } from './settings-rules.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * The http and https probes (ldirectord "negotiate" for http/https, seed-system §3.5): one request to the
 * real server's address and port; up iff the status matches (`status`, else any 2xx) and, when `receive`
 * is set, the first BODY_LIMIT bytes of the body match it. Redirects are not followed (a 3xx is down unless
 * `status` asks for it). Certificates are not verified unless `verifyTls` is true.
 */
export const BODY_LIMIT = 64 * 1024;

export type HttpScheme = 'http' | 'https';

const READS: Readonly<Record<HttpScheme, readonly SettingName[]>> = {
  http: ['request', 'receive', 'method', 'status', 'virtualhost'],
  https: ['request', 'receive', 'method', 'status', 'virtualhost', 'verifyTls'],
};

/** Host with an optional :port, or a bracketed IPv6 literal with an optional :port. */
const VIRTUALHOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function validateHttp(
  scheme: HttpScheme,
  settings: ProbeSettings,
  target: { protocol: 'tcp' | 'udp' },
): string[] {
  const problems = unusedSettings(scheme, settings, READS[scheme]);
  if (target.protocol !== 'tcp') problems.push(`protocol: the ${scheme} check needs a TCP service`);
  const { request, method, status, virtualhost } = settings;
  if (request !== undefined && (request === '' || /[\s\p{Cc}]/u.test(request))) {
    problems.push('request: must be a non-empty URL path without spaces or control characters');
  } else if (request !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(request)) {
    problems.push('request: give the path only (the address and port come from the real server)');
  }
  if (method !== undefined && method !== 'GET' && method !== 'HEAD') {
    problems.push(`method: must be GET or HEAD, not ${JSON.stringify(method)}`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    problems.push(`status: must be an HTTP status code 100-599, not ${status}`);
  }
  if (virtualhost !== undefined && !VIRTUALHOST.test(virtualhost)) {
    problems.push(`virtualhost: must be a host name or address with an optional :port, not ${virtualhost}`);
  }
  problems.push(...receiveProblems(settings));
  if (method === 'HEAD' && settings.receive) {
    problems.push('receive: a HEAD response has no body to match (use method GET)');
  }
  return problems;
}

/** The request path: `request` with a leading `/` added (ldirectord accepts "index.html"), default "/". */
export function requestPath(request: string | undefined): string {
  if (request === undefined) return '/';
  return request.startsWith('/') ? request : `/${request}`;
}

/** The Host header: `virtualhost`, else the real server's address (IPv6 bracketed) and non-default port. */
export function hostHeader(scheme: HttpScheme, settings: ProbeSettings, target: ProbeTarget): string {
  if (settings.virtualhost !== undefined) return settings.virtualhost;
  const host = isIP(target.address) === 6 ? `[${target.address}]` : target.address;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return target.port === defaultPort ? host : `${host}:${target.port}`;
}

/** The TLS SNI name: `virtualhost` without its port, when it is a name (SNI never carries addresses). */
export function sniName(virtualhost: string | undefined): string | undefined {
  if (virtualhost === undefined) return undefined;
  const host = virtualhost.startsWith('[') ? '' : (virtualhost.split(':')[0] ?? '');
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name !== '' && isIP(name) === 0 ? name : undefined;
}

/** Up iff `code` is `expected`, or any 2xx when nothing is expected (ldirectord). */
export function statusMatches(code: number, expected: number | undefined): boolean {
  return expected === undefined ? code >= 200 && code <= 299 : code === expected;
}

export function runHttp(
  scheme: HttpScheme,
  target: ProbeTarget,
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<ProbeResult> {
  let req: ClientRequest | undefined;
  const f = finisher(signal, () => req?.destroy());
  if (f.done) return f.result;
  const options = requestOptions(scheme, target, settings);
  req = scheme === 'https' ? httpsRequest(options) : httpRequest(options);
  req.on('error', (e) => f.fail(errorReason(e)));
  req.on('response', (res) => onResponse(res, settings, f));
  req.end();
  return f.result;
}

function requestOptions(scheme: HttpScheme, target: ProbeTarget, settings: ProbeSettings): RequestOptions {
  const options: RequestOptions = {
    host: target.address,
    port: target.port,
    method: settings.method ?? 'GET',
    path: requestPath(settings.request),
    headers: {
      Host: hostHeader(scheme, settings, target),
      'User-Agent': 'webfarm-health',
      Connection: 'close',
    },
    agent: false,
  };
  if (scheme === 'https') {
    options.rejectUnauthorized = settings.verifyTls === true;
    const servername = sniName(settings.virtualhost);
    if (servername !== undefined) options.servername = servername;
  }
  return options;
}

function onResponse(res: IncomingMessage, settings: ProbeSettings, f: Finisher): void {
  res.on('error', (e) => f.fail(`reading the body: ${errorReason(e)}`));
  const code = res.statusCode ?? 0;
  const receive = receivePattern(settings);
  if (!statusMatches(code, settings.status)) {
    f.fail(`HTTP ${code}`);
    return;
  }
  if (receive === undefined || settings.method === 'HEAD') {
    f.finish({ ok: true, detail: `HTTP ${code}` });
    return;
  }
  let got = Buffer.alloc(0);
  let body = '';
  res.on('data', (chunk: Buffer) => {
    got = Buffer.concat([got, chunk]).subarray(0, BODY_LIMIT);
    body = got.toString('utf8');
    if (receive.test(body)) f.finish({ ok: true, detail: `HTTP ${code}, body matched ${receive}` });
    else if (got.length >= BODY_LIMIT) {
      f.fail(`body did not match ${receive} in its first ${BODY_LIMIT} bytes`);
    }
  });
  res.on('end', () => f.fail(`body did not match ${receive}; got ${excerpt(body)}`));
  res.on('aborted', () => f.fail(`connection closed mid-body before ${receive} matched`));
}
