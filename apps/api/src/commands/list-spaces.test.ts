import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { listSpaces } from './list-spaces.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listSpaces', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('shows open spaces to everyone, private ones to their members and workspace admins, by name', async () => {
    const admin = await app.person('root');
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await createSpace(app.deps, ada, { name: 'Zeta', private: true });
    await createSpace(app.deps, ada, { name: 'Alpha' });
    const names = async (who: typeof ada) => (await listSpaces(app.deps, who)).map((s) => `${s.space.name}:${s.role}`);
    expect(await names(ada)).toEqual(['Alpha:admin', 'Zeta:admin']);
    expect(await names(bob)).toEqual(['Alpha:editor']);
    expect(await names(admin)).toEqual(['Alpha:admin', 'Zeta:admin']);
  });
});
