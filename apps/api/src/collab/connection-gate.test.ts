import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ManualClock } from '../domain/clock.ts';
import { createConnectionGate, DEFAULT_COLLAB_LIMITS } from './connection-gate.ts';
import { CloseCode } from './session.ts';

/** What the gate does to a socket: closed (code), terminated, paused. */
class FakeWs extends EventEmitter {
  readyState = 1;
  closedWith: number | null = null;
  terminated = false;
  paused = false;
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {
    this.terminated = true;
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
}

const request = (ip: string) => ({ socket: { remoteAddress: ip }, headers: {} }) as unknown as IncomingMessage;

function setup(limits: Partial<typeof DEFAULT_COLLAB_LIMITS> = {}) {
  const clock = new ManualClock();
  const gate = createConnectionGate({ config: { trustedProxy: [] }, clock, limits: { ...DEFAULT_COLLAB_LIMITS, ...limits }, timeoutMs: 30_000 });
  const open = (ip = '10.0.0.1') => {
    const reserved = gate.reserve(request(ip));
    if (!('ip' in reserved)) throw new Error(reserved.reason);
    const ws = new FakeWs();
    return { ws, cs: gate.opened(ws as unknown as WebSocket, reserved.ip) };
  };
  return { clock, gate, open };
}

describe('the connection gate', () => {
  it('closes a socket with no authenticated document at the deadline (4408), on the clock', async () => {
    const { clock, gate, open } = setup({ authTimeoutMs: 10_000 });
    const { ws, cs } = open();
    gate.startAuthTimer(cs, () => true);
    await clock.advance(9_999);
    expect(ws.closedWith).toBeNull();
    await clock.advance(1);
    expect(ws.closedWith).toBe(CloseCode.AuthTimeout);
    // A peer that does not answer the close handshake is cut off two seconds later.
    await clock.advance(2_000);
    expect(ws.terminated).toBe(true);
    gate.stop();
  });

  it('leaves a socket alone once authenticated (the timer is stopped or finds it waiting no more)', async () => {
    const { clock, gate, open } = setup({ authTimeoutMs: 10_000 });
    const a = open();
    const b = open();
    gate.startAuthTimer(a.cs, () => true);
    gate.stopAuthTimer(a.cs);
    gate.startAuthTimer(b.cs, () => false);
    await clock.advance(10_000);
    expect(a.ws.closedWith).toBeNull();
    expect(b.ws.closedWith).toBeNull();
    gate.stop();
  });

  it('terminates a silent socket after twice the ping interval, unless it is paused by back-pressure', async () => {
    const { clock, gate, open } = setup({ maxInFlightBytes: 100 });
    const silent = open();
    const paused = open();
    gate.hold(paused.cs, 101);
    expect(paused.ws.paused).toBe(true);
    await clock.advance(60_000);
    expect(silent.ws.terminated).toBe(false); // exactly 2 × 30 s silent: not yet
    await clock.advance(30_000);
    expect(silent.ws.terminated).toBe(true);
    expect(paused.ws.terminated).toBe(false);
    // Below half the limit again, reading resumes.
    gate.release(paused.cs, 60);
    expect(paused.ws.paused).toBe(false);
    gate.stop();
  });

  it('bounds a socket before authentication: 16 messages, maxPreAuthBytes', () => {
    const { gate, open } = setup({ maxPreAuthBytes: 1000 });
    const { cs } = open();
    for (let i = 0; i < 16; i++) expect(gate.withinPreAuth(cs, 10)).toBe(true);
    expect(gate.withinPreAuth(cs, 10)).toBe(false);
    const big = open().cs;
    expect(gate.withinPreAuth(big, 1001)).toBe(false);
    big.authenticated = true;
    expect(gate.withinPreAuth(big, 10_000_000)).toBe(true);
    gate.stop();
  });

  it('caps sockets per address and in total, and gives a slot back when a socket closes', () => {
    const { gate, open } = setup({ maxConnectionsPerIp: 2, maxConnections: 3 });
    const first = open('10.0.0.1');
    open('10.0.0.1');
    expect(gate.reserve(request('10.0.0.1'))).toMatchObject({ status: '429 Too Many Requests' });
    open('10.0.0.2');
    expect(gate.reserve(request('10.0.0.3'))).toMatchObject({ status: '503 Service Unavailable' });
    gate.closed(first.cs);
    expect(gate.reserve(request('10.0.0.1'))).toEqual({ ip: '10.0.0.1' });
    gate.stop();
  });
});
