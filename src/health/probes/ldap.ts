import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { BER, children, decodeInteger, integer, octetString, readHeader, type Tlv, tlv } from './ber.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { type Conversation, dialogue, fail, quote } from './line-protocol.ts';

/**
 * ldap (ldirectord `service = ldap`): an LDAPv3 simple bind (RFC 4511 §4.2) — anonymous, or `login` as the
 * DN with `password`. Up iff the BindResponse says resultCode 0 (success); then UnbindRequest. A Notice of
 * Disconnection (RFC 4511 §4.4.1) is down with its diagnostic. The password never appears in a reason.
 */
const RULES: SettingsRules = { type: 'ldap', reads: ['login', 'password'], passwordNeedsLogin: true };

const OP = {
  BIND_REQUEST: 0x60,
  BIND_RESPONSE: 0x61,
  UNBIND_REQUEST: 0x42,
  EXTENDED_RESPONSE: 0x78,
} as const;

/** Largest LDAP message the probe reads (bytes): a BindResponse is tiny. */
export const LDAP_MAX_MESSAGE = 64 * 1024;

/** RFC 4511 Appendix A result codes a bind can plausibly return, for reasons. */
const RESULT_NAMES: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'operationsError',
  2: 'protocolError',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  13: 'confidentialityRequired',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};

export function bindRequest(messageId: number, dn: string, password: string): Buffer {
  const bind = tlv(OP.BIND_REQUEST, integer(3), octetString(dn), octetString(password, 0x80));
  return tlv(BER.SEQUENCE, integer(messageId), bind);
}

export function unbindRequest(messageId: number): Buffer {
  return tlv(BER.SEQUENCE, integer(messageId), Buffer.from([OP.UNBIND_REQUEST, 0x00]));
}

export interface LdapResult {
  readonly messageId: number;
  readonly op: number;
  readonly resultCode: number;
  readonly diagnostic: string;
}

/** An LDAPMessage carrying an LDAPResult (BindResponse, ExtendedResponse): its id, op and result. */
export function parseResultMessage(message: Buffer): LdapResult {
  const [outer] = children(message);
  if (outer?.tag !== BER.SEQUENCE) throw new Error('not an LDAPMessage');
  const [id, op] = children(outer.content) as [Tlv | undefined, Tlv | undefined];
  if (id?.tag !== BER.INTEGER || !op) throw new Error('LDAPMessage without messageID and protocolOp');
  const [code, _matched, diagnostic] = children(op.content);
  if (code?.tag !== BER.ENUMERATED) throw new Error('LDAPResult without resultCode');
  return {
    messageId: decodeInteger(id.content),
    op: op.tag,
    resultCode: decodeInteger(code.content),
    diagnostic: diagnostic?.tag === BER.OCTET_STRING ? diagnostic.content.toString('utf8') : '',
  };
}

/** One whole LDAPMessage from the conversation. */
async function readMessage(c: Conversation): Promise<Buffer> {
  let head = await c.bytes(2);
  if (head[0] !== BER.SEQUENCE)
    fail(`not an LDAP message from ${c.peer}: first byte 0x${head[0]!.toString(16)}`);
  let h = readHeaderOrFail(head);
  if (!h) {
    head = Buffer.concat([head, await c.bytes((head[1]! & 0x7f) as number)]);
    h = readHeaderOrFail(head);
  }
  if (!h) fail(`malformed LDAP message header from ${c.peer}`);
  if (h.length > LDAP_MAX_MESSAGE) fail(`LDAP message of ${h.length} bytes from ${c.peer}`);
  return Buffer.concat([head, await c.bytes(h.length)]);
}

function readHeaderOrFail(buf: Buffer): ReturnType<typeof readHeader> {
  try {
    return readHeader(buf);
  } catch (e) {
    return fail(`malformed LDAP message: ${(e as Error).message}`);
  }
}

function describe(r: LdapResult): string {
  const name = RESULT_NAMES[r.resultCode] ?? 'unknown';
  return `resultCode ${r.resultCode} (${name})${r.diagnostic ? `: ${quote(r.diagnostic)}` : ''}`;
}

export async function ldapDialogue(c: Conversation, settings: ProbeSettings): Promise<ProbeResult> {
  const dn = settings.login ?? '';
  c.send(bindRequest(1, dn, settings.password ?? ''));
  const message = await readMessage(c);
  let r: LdapResult;
  try {
    r = parseResultMessage(message);
  } catch (e) {
    return fail(`malformed LDAP answer from ${c.peer}: ${(e as Error).message}`);
  }
  if (r.messageId === 0 && r.op === OP.EXTENDED_RESPONSE) fail(`notice of disconnection: ${describe(r)}`);
  if (r.op !== OP.BIND_RESPONSE || r.messageId !== 1) {
    fail(`expected a BindResponse to message 1, got op 0x${r.op.toString(16)} for message ${r.messageId}`);
  }
  if (r.resultCode !== 0) fail(`bind${dn ? ` as ${quote(dn)}` : ' (anonymous)'}: ${describe(r)}`);
  c.finish(unbindRequest(2));
  return { ok: true, detail: dn ? `bound as ${dn}` : 'anonymous bind' };
}

export const ldapProbe: ProbeFactory = {
  type: 'ldap',
  summary: 'LDAPv3 simple bind (anonymous, or login DN + password) answered success',
  validate(settings: ProbeSettings, target) {
    const problems = checkSettings(RULES, settings, target);
    if (settings.login && settings.password === undefined) {
      problems.push('login: needs a password (a bind with a DN and no password is unauthenticated)');
    }
    return problems;
  },
  create(): Probe {
    return {
      type: 'ldap',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) => ldapDialogue(c, settings)),
    };
  },
};
