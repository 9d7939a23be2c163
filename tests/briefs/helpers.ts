import { expect } from 'vitest';
import { systemClock, type Clock } from '@handoff/api/testing';
import { ApiClient, type Person } from '../api/client.ts';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private at: number) {}
  now = () => this.at;
  // Briefs are built by driving the scheduler by hand; anything else that waits uses real time.
  setTimeout = systemClock.setTimeout;
  clearTimeout = systemClock.clearTimeout;
  set(iso: string) {
    const next = Date.parse(iso);
    if (next < this.at) throw new Error(`the clock only moves forward (${iso})`);
    this.at = next;
  }
  advance(ms: number) {
    this.at += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface Brief {
  id: string;
  userId: string;
  since: string;
  until: string;
  writer: 'extractive' | 'llm';
  readingSeconds: number;
  markdown: string;
  items: Array<{ docId: string; title: string; spaceId: string; reasons: string[]; fromRevision: number; toRevision: number; authors: string[]; summary: string; diffUrl: string }>;
  omitted: number;
  acknowledgedAt: string | null;
}

/** Helpers over the HTTP API for brief tests. */
export class BriefApi {
  /** With a clock, `caughtUp` moves it on a minute, so that what follows is plainly after the window. */
  constructor(
    readonly api: ApiClient,
    private readonly clock?: FakeClock,
  ) {}

  async member(owner: Person, spaceId: string, who: Person, role: 'viewer' | 'editor' | 'admin' = 'editor') {
    const res = await this.api.put(`/api/spaces/${spaceId}/members/${who.id}`, { role }, owner.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async removeMember(owner: Person, spaceId: string, who: Person) {
    const res = await this.api.del(`/api/spaces/${spaceId}/members/${who.id}`, owner.token);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  }

  async edit(who: Person, docId: string, patch: Record<string, unknown>) {
    const res = await this.api.patch(`/api/docs/${docId}`, patch, who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.doc as { id: string; revision: number };
  }

  async read(who: Person, docId: string) {
    expect((await this.api.get(`/api/docs/${docId}`, who.token)).status).toBe(200);
  }

  async build(who: Person, since?: string): Promise<Brief> {
    const res = await this.api.post('/api/briefs', since ? { since } : {}, who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.brief;
  }

  async latest(who: Person): Promise<Brief> {
    const res = await this.api.get('/api/briefs/latest', who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.brief;
  }

  async ack(who: Person, briefId: string) {
    expect((await this.api.post(`/api/briefs/${briefId}/ack`, {}, who.token)).status).toBe(204);
  }

  /** Builds a brief and acknowledges it: the reader's next window starts now. */
  async caughtUp(who: Person) {
    const brief = await this.build(who);
    await this.ack(who, brief.id);
    this.clock?.advance(MINUTE);
    return brief;
  }
}

export const itemOf = (brief: Brief, docId: string) => brief.items.find((i) => i.docId === docId);
