// The admin API from the browser. The bearer token comes from the URL fragment once (#token=…, removed
// from the address bar at once) or from the token form, and is kept in sessionStorage (this tab only).
import { SseParser } from './sse.js';

const KEY = 'webfarm-token';

export function takeToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

export function setToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}

export class Unauthorized extends Error {}

function headers(extra = {}) {
  const token = sessionStorage.getItem(KEY);
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/** JSON request; throws Unauthorized on 401 and Error(message) on any other error reply. */
export async function api(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) throw new Unauthorized(json.error?.message ?? 'unauthorized');
  if (!res.ok) throw new Error(json.error?.message ?? `${method} ${path}: ${res.status}`);
  return json;
}

/**
 * Follow GET /v1/events with fetch (EventSource cannot send the Authorization header), reconnecting with
 * Last-Event-ID. Calls onEvent(event), onState('live'|'offline'); returns stop().
 */
export function followEvents(onEvent, onState) {
  let lastId;
  let stopped = false;
  let controller;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const extra = lastId === undefined ? {} : { 'last-event-id': lastId };
        const res = await fetch('/v1/events', { headers: headers(extra), signal: controller.signal });
        if (res.status === 401) throw new Unauthorized('unauthorized');
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        onState('live');
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const m of parser.push(value)) {
            if (m.event === '') continue;
            if (m.id !== undefined) lastId = m.id;
            onEvent(JSON.parse(m.data));
          }
        }
      } catch (e) {
        if (e instanceof Unauthorized) {
          onState('unauthorized');
          return;
        }
      }
      if (stopped) return;
      onState('offline');
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
