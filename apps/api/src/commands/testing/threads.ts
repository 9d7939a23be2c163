import type { DocRow, SpaceRow, UserRow } from '../../domain/model.ts';
import { createDoc } from '../create-doc.ts';
import { createSpace } from '../create-space.ts';
import type { CommandTestApp } from './command-test-app.ts';

/** Ada (admin) and Lena in a space with one document of two paragraphs: the setting of the thread command tests. */
export async function threadSetting(app: CommandTestApp): Promise<{ ada: UserRow; lena: UserRow; space: SpaceRow; doc: DocRow }> {
  const ada = await app.person('ada');
  const lena = await app.person('lena');
  const space = await createSpace(app.deps, ada, { name: 'Launch' });
  const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Plan', markdown: 'We ship on Friday at noon.\n\nRollback is manual.' });
  return { ada, lena, space, doc };
}
