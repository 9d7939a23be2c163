import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userById } from '../domain/users.ts';
import { updateProfile } from './update-profile.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('updateProfile', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('changes only what is given and emits user.access (profile)', async () => {
    const ada = await app.person('ada');
    const updated = await updateProfile(app.deps, ada.id, { timezone: 'Asia/Kolkata', briefHour: 7 });
    expect(updated).toMatchObject({ name: 'ada', timezone: 'Asia/Kolkata', briefHour: 7 });
    expect(await userById(app.deps.db, ada.id)).toMatchObject({ timezone: 'Asia/Kolkata', briefHour: 7, email: ada.email });
    const event = { topic: 'user.access', userId: ada.id, reason: 'profile' };
    expect(await app.outboxOf('user.access')).toEqual([event]);
    expect(app.published).toEqual([event]);
  });
});
