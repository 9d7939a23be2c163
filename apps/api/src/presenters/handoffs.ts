import type { WaitingAsk } from '../domain/handoff-asks.ts';
import type { HandoffLogDay } from '../domain/handoffs.ts';
import { presentDocSummary } from './docs.ts';
import { iso } from './time.ts';

export function presentWaitingHandoffAsk(a: WaitingAsk) {
  return { docId: a.docId, title: a.title, section: a.section, text: a.text, askedBy: a.askedBy, askedAt: iso(a.askedAt) };
}

export function presentHandoffDay(day: HandoffLogDay) {
  return {
    date: day.date,
    handoffs: day.handoffs.map((h) => ({ doc: presentDocSummary(h.doc, null, { to: h.to }), author: h.author, to: h.to, counts: h.counts })),
  };
}
