// Issue 8, item 6: no self-service membership change raises anyone's rights. In an open space the
// default for every member is editor; an explicit viewer role there is binding, so a viewer may
// not leave (that would make them an editor), re-add or promote themselves.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from '../api/client.ts';

let api: ApiClient;
let owner: Person;
let vic: Person;
let eddie: Person;

beforeAll(async () => {
  api = await ApiClient.start();
  await api.signup('root'); // the workspace admin (administers every space anyway)
  owner = await api.signup('owner');
  vic = await api.signup('vic');
  eddie = await api.signup('eddie');
});
afterAll(() => api.close());

describe('open space membership', () => {
  it('a viewer of an open space cannot become an editor by removing their own membership', async () => {
    const open = await api.space(owner, 'Open');
    const doc = await api.doc(owner, open, 'Page', 'Text.');
    expect((await api.put(`/api/spaces/${open}/members/${vic.id}`, { role: 'viewer' }, owner.token)).status).toBe(200);
    expect((await api.patch(`/api/docs/${doc.id}`, { markdown: 'Vandalised.' }, vic.token)).status).toBe(403);
    const leave = await api.del(`/api/spaces/${open}/members/${vic.id}`, vic.token);
    expect(leave.status).toBe(403);
    expect((await api.patch(`/api/docs/${doc.id}`, { markdown: 'Vandalised.' }, vic.token)).status).toBe(403);
    expect((await api.get(`/api/spaces/${open}`, vic.token)).body.space.role).toBe('viewer');
  });

  it('a viewer cannot re-add, promote or demote themselves', async () => {
    const open = await api.space(owner, 'Open 2');
    await api.put(`/api/spaces/${open}/members/${vic.id}`, { role: 'viewer' }, owner.token);
    for (const role of ['editor', 'admin', 'viewer']) {
      expect((await api.put(`/api/spaces/${open}/members/${vic.id}`, { role }, vic.token)).status).toBe(403);
    }
    expect((await api.get(`/api/spaces/${open}`, vic.token)).body.space.role).toBe('viewer');
  });

  it('an editor or admin may leave an open space (they keep at most the default, editor)', async () => {
    const open = await api.space(owner, 'Open 3');
    await api.put(`/api/spaces/${open}/members/${eddie.id}`, { role: 'editor' }, owner.token);
    expect((await api.del(`/api/spaces/${open}/members/${eddie.id}`, eddie.token)).status).toBe(204);
    expect((await api.get(`/api/spaces/${open}`, eddie.token)).body.space.role).toBe('editor');
  });

  it('anyone may leave a private space', async () => {
    const secret = await api.space(owner, 'Private', true);
    await api.put(`/api/spaces/${secret}/members/${vic.id}`, { role: 'viewer' }, owner.token);
    expect((await api.del(`/api/spaces/${secret}/members/${vic.id}`, vic.token)).status).toBe(204);
    expect((await api.get(`/api/spaces/${secret}`, vic.token)).status).toBe(404);
  });

  it('the last admin of a space cannot leave or demote themselves (409); with another admin they can', async () => {
    const secret = await api.space(owner, 'Only admin', true);
    expect((await api.del(`/api/spaces/${secret}/members/${owner.id}`, owner.token)).status).toBe(409);
    expect((await api.put(`/api/spaces/${secret}/members/${owner.id}`, { role: 'editor' }, owner.token)).status).toBe(409);
    await api.put(`/api/spaces/${secret}/members/${eddie.id}`, { role: 'admin' }, owner.token);
    expect((await api.del(`/api/spaces/${secret}/members/${owner.id}`, owner.token)).status).toBe(204);
    expect((await api.get(`/api/spaces/${secret}`, owner.token)).status).toBe(404);
  });
});
