import { count, users, watches } from '@handoff/db';
import type { Deps } from '../context.ts';
import { createUser } from '../domain/users.ts';
import { newId } from '../domain/ids.ts';
import { insertSpace, upsertMembership } from '../domain/spaces.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { CreateDocInput, PatchDocInput } from '../domain/doc-engine.ts';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import type { DocContext } from './doc-context.ts';
import { setThreadResolution } from './resolve-thread.ts';

export const DEMO_PASSWORD = 'handoff-demo-2026';

const people = [
  { key: 'lena', name: 'Lena Fischer', city: 'Berlin', timezone: 'Europe/Berlin', title: 'Staff engineer' },
  { key: 'marcus', name: 'Marcus Chen', city: 'San Francisco', timezone: 'America/Los_Angeles', title: 'Engineering manager' },
  { key: 'priya', name: 'Priya Raman', city: 'Bangalore', timezone: 'Asia/Kolkata', title: 'Backend engineer' },
  { key: 'sam', name: 'Sam Okafor', city: 'San Francisco', timezone: 'America/Los_Angeles', title: 'Product manager' },
  { key: 'jonas', name: 'Jonas Weber', city: 'Berlin', timezone: 'Europe/Berlin', title: 'Product designer' },
  { key: 'ananya', name: 'Ananya Iyer', city: 'Bangalore', timezone: 'Asia/Kolkata', title: 'QA lead' },
] as const;
type Key = (typeof people)[number]['key'];

/** A clock that walks forward from a start time, so the demo history spreads over days. */
function steppingClock(start: number): Clock & { advance(minutes: number): void } {
  let now = start;
  return { ...systemClock, now: () => now, advance: (m) => void (now += m * 60_000) };
}

/**
 * On an empty database: a distributed team in Berlin, San Francisco and Bangalore with spaces,
 * documents, revisions by different people with their reasons, and decision records.
 * Returns the log-in details, or null when the database already has people.
 */
export async function seedDemoWorkspace(deps: Deps) {
  const existing = await deps.db.select({ n: count() }).from(users).get();
  if ((existing?.n ?? 0) > 0) return null;
  const clock = steppingClock(deps.clock.now() - 4 * 24 * 3600_000);
  const u = await seedPeople(deps.db, clock);
  // Before anyone can sign in: no cache or socket to tell, so spaces and members are written directly.
  const space = async (name: string, isPrivate: boolean, members: Array<[Key, 'viewer' | 'editor' | 'admin']>) => {
    const now = clock.now();
    const id = newId();
    await insertSpace(deps.db, { id, name, private: isPrivate, commenting: 'readers', createdBy: u[members[0]![0]].id, createdAt: now, updatedAt: now });
    for (const [key, role] of members) await upsertMembership(deps.db, id, u[key].id, role, now);
    return id;
  };
  const spaceIds: SpaceIds = {
    engineering: await space('Engineering', false, [['marcus', 'admin'], ['lena', 'editor'], ['priya', 'editor']]),
    product: await space('Product', false, [['sam', 'admin'], ['jonas', 'editor']]),
    leadership: await space('Leadership', true, [['marcus', 'admin'], ['sam', 'editor']]),
  };
  // The app's engine (its lock, admission and event bus) with the demo's walking clock.
  const docs = deps.docs.withClock(clock);
  const author: Author = {
    u,
    create: async (who, input) => {
      clock.advance(37);
      return docs.create(u[who], input);
    },
    edit: async (who, id, input) => {
      clock.advance(53);
      return (await docs.patch(u[who], id, input)).doc;
    },
  };
  const { design, adr1, adr2 } = await seedEngineering(author, spaceIds);
  await seedOtherSpaces(author, spaceIds);
  clock.advance(600);
  const adr3 = await seedOvernight(author, spaceIds, { design, adr2 });
  await seedComments({ ...deps, clock, docs }, () => clock.advance(11), u, { design, adr3 });
  await deps.db.insert(watches).values({ userId: u.lena.id, targetType: 'doc', targetId: adr1.id, createdAt: clock.now() });

  return {
    password: DEMO_PASSWORD,
    people: people.map((p) => ({ email: `${p.key}@handoff.demo`, name: p.name, city: p.city })),
  };
}

interface SpaceIds {
  engineering: string;
  product: string;
  leadership: string;
}

/** Documents made and changed by the demo's people, each step a little later. */
interface Author {
  u: Record<Key, UserRow>;
  create(who: Key, input: CreateDocInput): Promise<DocRow>;
  edit(who: Key, id: string, input: PatchDocInput): Promise<DocRow>;
}

async function seedPeople(db: Deps['db'], clock: Clock): Promise<Record<Key, UserRow>> {
  const u = {} as Record<Key, UserRow>;
  for (const p of people) {
    u[p.key] = await createUser(db, clock, {
      email: `${p.key}@handoff.demo`,
      name: p.name,
      handle: p.key,
      password: DEMO_PASSWORD,
      timezone: p.timezone,
      briefHour: 8,
    });
  }
  return u;
}

/** The sync design (edited once) and the first two release decisions. */
async function seedEngineering({ u, create, edit }: Author, { engineering }: SpaceIds) {
  const design = await create('lena', {
    spaceId: engineering,
    title: 'Sync API design',
    markdown: [
      '## Goal',
      'Let clients catch up after being offline for hours without downloading whole documents.',
      '## Endpoint',
      '`GET /sync?since=<cursor>` returns the changed documents since the cursor, oldest first.',
      '## Open questions',
      '- [ ] Decide how long we keep tombstones',
      '- [ ] Load test with 10k documents',
      '- [x] Agree on cursor format',
    ].join('\n\n'),
  });
  await edit('priya', design.id, {
    markdown: [
      '## Goal',
      'Let clients catch up after being offline for hours without downloading whole documents.',
      '## Endpoint',
      '`GET /sync?since=<cursor>` returns the changed documents since the cursor, oldest first, in pages of at most 500.',
      '## Open questions',
      '- [ ] Decide how long we keep tombstones (proposal: 30 days)',
      '- [ ] Load test with 10k documents',
      '- [x] Agree on cursor format',
    ].join('\n\n'),
    message: 'Added paging so one slow client cannot pull everything at once',
  });

  const adr1 = await create('marcus', {
    spaceId: engineering,
    kind: 'decision',
    title: 'ADR-001: Store everything in libSQL',
    markdown: '## Context\n\nWe need one embedded database for laptops and a server for production.\n\n## Decision\n\nUse libSQL: a file locally, sqld in production.',
    decision: { status: 'accepted', owners: [u.marcus.id, u.lena.id] },
  });
  const adr2 = await create('sam', {
    spaceId: engineering,
    kind: 'decision',
    title: 'ADR-002: Ship release 4.2 on Thursday',
    markdown: '## Context\n\nThe launch event is on Friday.\n\n## Decision\n\nCut the 4.2 release on **Thursday** at 17:00 Pacific.',
    decision: { status: 'proposed', owners: [u.sam.id, u.marcus.id] },
  });
  await edit('marcus', adr2.id, { decision: { status: 'accepted' }, message: 'Agreed in the Tuesday sync: QA sign-off is on track' });

  return { design, adr1, adr2 };
}

/** A launch plan, a handbook, interview notes and a confidential plan. */
async function seedOtherSpaces({ create, edit }: Author, { engineering, product, leadership }: SpaceIds) {
  const launch = await create('sam', {
    spaceId: product,
    title: 'Q3 launch plan',
    markdown: '## Timeline\n\n1. Beta to design partners\n2. Public launch\n\n## Owners\n\nEngineering readiness: @marcus',
  });
  await edit('jonas', launch.id, {
    markdown: '## Timeline\n\n1. Beta to design partners\n2. Public launch\n3. Retrospective\n\n## Owners\n\nEngineering readiness: @marcus\n\nDesign review: @jonas',
    message: 'Added the retro and design review',
  });
  await create('priya', {
    spaceId: engineering,
    title: 'On-call handbook',
    markdown: '## Escalation\n\n| Region | Primary | Backup |\n| --- | --- | --- |\n| EMEA | Lena | Jonas |\n| AMER | Marcus | Sam |\n| APAC | Priya | Ananya |\n\n## First steps\n\n1. Acknowledge the page\n2. Open an incident document\n3. Post the link in #incidents',
  });
  await create('ananya', {
    spaceId: product,
    title: 'Customer interviews, week 32',
    markdown: '> "I wake up to fifty threads and no idea what was decided." — a Berlin engineering lead\n\nThree of five teams keep decisions in chat only.',
  });
  await create('marcus', {
    spaceId: leadership,
    title: 'Hiring plan (confidential)',
    markdown: 'Two backend engineers in Bangalore, one designer in Berlin.',
  });

}

/** Overnight for Berlin: San Francisco changes the release decision twice and mentions Lena. */
async function seedOvernight({ u, create, edit }: Author, { engineering }: SpaceIds, { design, adr2 }: { design: DocRow; adr2: DocRow }) {
  await edit('marcus', adr2.id, {
    decision: { status: 'superseded' },
    message: 'QA found a data-loss bug in sync; Thursday is off',
  });
  const adr3 = await create('marcus', {
    spaceId: engineering,
    kind: 'decision',
    title: 'ADR-003: Move release 4.2 to Monday',
    markdown: '## Context\n\nA data-loss bug in sync blocks Thursday.\n\n## Decision\n\nShip 4.2 on **Monday** after the fix and a full regression run.',
    decision: { status: 'proposed', owners: [u.marcus.id], supersedes: adr2.id },
  });
  await edit('sam', adr3.id, { decision: { status: 'accepted' }, message: 'Launch event moves the demo to the recorded build' });
  await edit('marcus', design.id, {
    markdown: [
      '## Goal',
      'Let clients catch up after being offline for hours without downloading whole documents.',
      '## Endpoint',
      '`GET /sync?since=<cursor>` returns the changed documents since the cursor, oldest first, in pages of at most 500.',
      'Every page carries a checksum so a client can detect a torn page and retry it.',
      '## Open questions',
      '- [ ] Decide how long we keep tombstones (proposal: 30 days)',
      '- [ ] Load test with 10k documents',
      '- [x] Agree on cursor format',
      '@lena can you review the checksum part before the Monday release?',
    ].join('\n\n'),
    message: 'The data-loss bug came from torn pages; checksums catch them',
  });
  return adr3;
}

/**
 * Conversations in the margins: a question San Francisco left for Berlin overnight (so Lena's
 * "waiting on you" is not empty), a resolved one, and a whole-document note.
 */
async function seedComments(ctx: DocContext, step: () => void, u: Record<Key, UserRow>, { design, adr3 }: { design: DocRow; adr3: DocRow }) {
  step();
  const paging = await createThread(ctx, u.priya, design, { markdown: 'Is 500 per page enough for the *mobile* clients?', anchor: { quote: 'in pages of at most 500' } });
  step();
  await addComment(ctx, u.lena, design, paging.thread, 'Yes: they fetch in the background. We can lower it per client later.');
  step();
  await setThreadResolution(ctx, u.priya, design, paging.thread, 'resolved');
  step();
  await createThread(ctx, u.marcus, design, {
    markdown: 'Do we checksum the whole page or each document? Each document would let us retry only what tore. Your call before Monday, @lena.',
    anchor: { quote: 'Every page carries a checksum' },
    ask: [u.lena.id],
  });
  step();
  await createThread(ctx, u.priya, adr3, { markdown: 'The regression run takes 6 hours; I will start it Sunday 22:00 IST so results are in by Monday morning in Berlin.' });
}
