/**
 * Results of the wire codecs. Decoding never throws: malformed input is a value with a reason code and the
 * byte offset where decoding stopped. Encoding refuses messages the format cannot carry the same way.
 */

export type DecodeReason =
  | 'empty'
  | 'too-large'
  | 'no-start'
  | 'no-end'
  | 'nul-byte'
  | 'no-equals'
  | 'empty-name'
  | 'bad-name'
  | 'bad-value'
  | 'bad-type'
  | 'bad-base64'
  | 'bad-netstring'
  | 'no-fields'
  | 'trailing-data';

export type EncodeReason = 'bad-name' | 'bad-value' | 'too-large' | 'no-fields';

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: DecodeReason; readonly offset: number; readonly detail: string };

export type Encoded =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: EncodeReason; readonly detail: string };

export function decodeFail(reason: DecodeReason, offset: number, detail: string): Decoded<never> {
  return { ok: false, reason, offset, detail };
}

export function encodeFail(reason: EncodeReason, detail: string): Encoded {
  return { ok: false, reason, detail };
}
