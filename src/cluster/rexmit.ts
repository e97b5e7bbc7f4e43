import { F, formatHex, T } from './message-fields.ts';
import { type Message, message } from './message.ts';

/**
 * Retransmission protocol messages (heartbeat 0.4.8 `request_msg_rexmit`/`nak_rexmit`, unchanged in 3.0.x):
 * - `NS_rexmit`: ask `dest` to resend its messages `firstseq`..`lastseq`. These two numbers are DECIMAL
 *   (`%lu` on send, `atoi` on receipt) although `seq` itself is hex. 3.0.x asks for one seq per message;
 *   a range is understood by both.
 * - `NS_nak_rexmit`: "cannot resend `firstseq`" (HEX here), with a reason in `info`.
 * Both are un-sequenced (`NS_` prefix); the sender adds src/hg/ts/ttl/auth like any message.
 */

export function rexmitRequest(peer: string, firstSeq: number, lastSeq: number): Message {
  return message([
    [F.type, T.rexmit],
    [F.dest, peer],
    [F.firstseq, String(firstSeq)],
    [F.lastseq, String(lastSeq)],
  ]);
}

export function nakRexmit(seq: number, reason: string): Message {
  return message([
    [F.type, T.nakRexmit],
    [F.firstseq, formatHex(seq)],
    [F.info, reason],
  ]);
}
