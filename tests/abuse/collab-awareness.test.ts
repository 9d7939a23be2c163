// Issue 8, item 12: presence (awareness) must show who is really connected. Whatever name and
// colour a client claims, others see the name of the authenticated person and their colour; a
// client may not publish a presence state under another connection's client id. Cursor fields
// (anchor, focus, focusing) pass through untouched.

import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { http, raw, rawSocket, varUint, waitFor } from '../collab/helpers.ts';
import { login, startAbuseServer, type RunningServer, type Session } from './harness.ts';

let server: RunningServer;
let wsUrl: string;
let lena: Session;
let priya: Session;
let docId: string;
const providers: HocuspocusProvider[] = [];

/** The web app's colour of a person (apps/web/src/editor/user-color.ts). */
function userColor(userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `hsl(${(h >>> 0) % 360} 70% 45%)`;
}

/** A raw awareness message for `docId`: one client's state (JSON) at `clock`. */
function awarenessMessage(clientId: number, clock: number, state: Record<string, unknown>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const body = [1, ...varUint(clientId), ...varUint(clock), ...varUint(json.length), ...json];
  const name = new TextEncoder().encode(docId);
  return Uint8Array.from([...varUint(name.length), ...name, 1, ...varUint(body.length), ...body]);
}

function open(token: string) {
  const provider = new HocuspocusProvider({ url: wsUrl, name: docId, token, document: new Y.Doc(), WebSocketPolyfill: WebSocket } as unknown as HocuspocusProviderConfiguration);
  providers.push(provider);
  return provider;
}

beforeAll(async () => {
  server = await startAbuseServer({ env: { HANDOFF_LOG_LEVEL: 'warn' } });
  wsUrl = `${server.url.replace('http:', 'ws:')}/api/collab`;
  lena = await login(server.url, 'lena@handoff.demo');
  priya = await login(server.url, 'priya@handoff.demo');
  const spaces = (await http(server.url, 'GET', '/api/spaces', undefined, lena.token)).body.spaces as Array<{ id: string; name: string }>;
  const space = spaces.find((s) => s.name === 'Engineering')!.id;
  docId = (await http(server.url, 'POST', '/api/docs', { spaceId: space, title: 'Presence', markdown: 'Who is here?' }, lena.token)).body.doc.id;
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await server?.stop();
});

describe('presence', () => {
  it('shows the authenticated person’s name and colour, whatever the client claims; keeps cursor fields', async () => {
    const me = (await http(server.url, 'GET', '/api/me', undefined, priya.token)).body.user as { id: string; name: string };
    const observer = open(lena.token);
    const forger = open(priya.token);
    await waitFor(() => observer.synced && forger.synced, 10_000, 'sync');
    forger.awareness!.setLocalState({
      name: 'Lena (admin)',
      color: '#ff0000',
      awarenessData: { userId: lena.userId },
      focusing: true,
      anchorPos: { cursor: 'kept' },
      focusPos: null,
    });
    const forgerId = forger.document.clientID;
    const seen = await waitFor(() => observer.awareness!.getStates().get(forgerId) as Record<string, unknown> | undefined, 5000, 'the forger’s presence');
    expect(seen.name).toBe(me.name);
    expect(seen.color).toBe(userColor(priya.userId));
    expect((seen.awarenessData as { userId: string }).userId).toBe(priya.userId);
    expect(seen.focusing).toBe(true);
    expect(seen.anchorPos).toEqual({ cursor: 'kept' });
  });

  it('drops a presence state published under another connection’s client id', async () => {
    const victim = open(lena.token);
    const third = open(lena.token);
    await waitFor(() => victim.synced && third.synced, 10_000, 'sync');
    victim.awareness!.setLocalStateField('focusing', false);
    const victimId = victim.document.clientID;
    await waitFor(() => third.awareness!.getStates().get(victimId), 5000, 'the victim’s presence');

    const sock = await rawSocket(wsUrl);
    await sock.send(raw.auth(docId, priya.token));
    await waitFor(() => sock.messages.length > 0, 5000, 'the auth answer');
    // An awareness update for the victim's client id with a much higher clock ...
    await sock.send(awarenessMessage(victimId, 1000, { name: 'Hijacked', color: '#000', focusing: true }));
    // ... then one for a client id of its own. Messages of one connection are handled and
    // forwarded in order, so once the second one reached a reader, the first one was decided.
    const ownId = 0x7ffff;
    await sock.send(awarenessMessage(ownId, 1, { focusing: true }));
    await waitFor(() => third.awareness!.getStates().get(ownId), 5000, 'the sender’s own presence');
    const after = third.awareness!.getStates().get(victimId) as Record<string, unknown> | undefined;
    expect(after?.name).not.toBe('Hijacked');
    expect(after).toBeDefined();
    sock.ws.close();
  });
});
