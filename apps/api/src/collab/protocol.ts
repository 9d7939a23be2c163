import * as Y from 'yjs';

/**
 * The Hocuspocus wire protocol as the server receives it, parsed and checked *completely* before
 * anything acts on it: a message that does not parse closes its socket instead of reaching Yjs.
 * Every message is `varString documentName`, `varUint type`, then a type-specific body (lib0
 * encoding: unsigned LEB128 integers, length-prefixed byte arrays and UTF-8 strings).
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Stateless: 5,
  BroadcastStateless: 6,
  Close: 7,
  SyncStatus: 8,
} as const;

const SyncStep1 = 0;
const SyncStep2 = 1;
const SyncUpdate = 2;
const AuthToken = 0;

export type ClientMessage =
  | { docName: string; kind: 'auth'; token: string }
  | { docName: string; kind: 'sync-step1' }
  /** A Yjs update: `step2` answers the server's state vector, `update` is an incremental change. */
  | { docName: string; kind: 'update'; step2: boolean; update: Uint8Array }
  /** Presence: each state is parsed JSON (null: that client left). */
  | { docName: string; kind: 'awareness'; states: AwarenessState[] }
  | { docName: string; kind: 'query-awareness' }
  | { docName: string; kind: 'stateless' }
  | { docName: string; kind: 'broadcast-stateless' }
  | { docName: string; kind: 'close' };

export interface AwarenessState {
  clientId: number;
  clock: number;
  state: unknown;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  uint(): number {
    let result = 0;
    let mult = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtocolError('unexpected end of message');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * mult;
      if (byte < 0x80) return result;
      mult *= 128;
      if (mult > 2 ** 53) throw new ProtocolError('integer too large');
    }
  }

  bytes(): Uint8Array {
    const len = this.uint();
    if (len > this.buf.length - this.pos) throw new ProtocolError('length past the end of the message');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    try {
      return utf8.decode(this.bytes());
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      throw new ProtocolError('string is not UTF-8');
    }
  }

  end() {
    if (this.pos !== this.buf.length) throw new ProtocolError('trailing bytes after the message');
  }
}

/** Checks that `update` is a well-formed Yjs (v1) update before it is stored or applied. */
export function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new ProtocolError('not a valid Yjs update');
  }
}

function parseAwareness(update: Uint8Array): AwarenessState[] {
  const r = new Reader(update);
  const n = r.uint();
  const states: AwarenessState[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = r.uint();
    const clock = r.uint();
    let state: unknown;
    try {
      state = JSON.parse(r.string());
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      throw new ProtocolError('awareness state is not JSON');
    }
    states.push({ clientId, clock, state });
  }
  r.end();
  return states;
}

function writeUint(out: number[], n: number) {
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function writeBytes(out: number[], bytes: Uint8Array) {
  writeUint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** An awareness message (`docName`, type 1, the encoded states), as the server forwards it. */
export function encodeAwarenessMessage(docName: string, states: AwarenessState[]): Uint8Array {
  const enc = new TextEncoder();
  const body: number[] = [];
  writeUint(body, states.length);
  for (const s of states) {
    writeUint(body, s.clientId);
    writeUint(body, s.clock);
    writeBytes(body, enc.encode(JSON.stringify(s.state)));
  }
  const out: number[] = [];
  writeBytes(out, enc.encode(docName));
  writeUint(out, MessageType.Awareness);
  writeBytes(out, Uint8Array.from(body));
  return Uint8Array.from(out);
}

/** Parses one client message; throws ProtocolError for anything malformed, truncated or unknown. */
export function parseClientMessage(data: Uint8Array): ClientMessage {
  const r = new Reader(data);
  const docName = r.string();
  if (!docName) throw new ProtocolError('empty document name');
  const type = r.uint();
  let message: ClientMessage;
  switch (type) {
    case MessageType.Sync:
    case MessageType.SyncReply: {
      const step = r.uint();
      const payload = r.bytes();
      if (step === SyncStep1) {
        try {
          Y.decodeStateVector(payload);
        } catch {
          throw new ProtocolError('not a valid state vector');
        }
        message = { docName, kind: 'sync-step1' };
      } else if (step === SyncStep2 || step === SyncUpdate) {
        checkUpdate(payload);
        message = { docName, kind: 'update', step2: step === SyncStep2, update: payload };
      } else {
        throw new ProtocolError(`unknown sync step ${step}`);
      }
      break;
    }
    case MessageType.Awareness:
      message = { docName, kind: 'awareness', states: parseAwareness(r.bytes()) };
      break;
    case MessageType.Auth: {
      const sub = r.uint();
      if (sub !== AuthToken) throw new ProtocolError('clients only send tokens');
      message = { docName, kind: 'auth', token: r.string() };
      break;
    }
    case MessageType.QueryAwareness:
      message = { docName, kind: 'query-awareness' };
      break;
    case MessageType.Stateless:
      r.string();
      message = { docName, kind: 'stateless' };
      break;
    case MessageType.BroadcastStateless:
      r.string();
      message = { docName, kind: 'broadcast-stateless' };
      break;
    case MessageType.Close:
      message = { docName, kind: 'close' };
      break;
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
  r.end();
  return message;
}

/** True when a Yjs update carries nothing (no structs, empty delete set). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength <= 2 && update.every((b) => b === 0);
}
