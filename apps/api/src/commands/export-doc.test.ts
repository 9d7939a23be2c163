import { describe, expect, it } from 'vitest';
import { exportDoc } from './export-doc.ts';

describe('exportDoc', () => {
  it('puts the title (escaped) as the first heading and names the file safely', () => {
    expect(exportDoc({ title: 'Plan #2: *ship*', markdown: 'Body.\n' })).toEqual({ fileName: 'Plan-2-ship.md', body: '# Plan \\#2: \\*ship\\*\n\nBody.\n' });
    expect(exportDoc({ title: '→', markdown: '' })).toEqual({ fileName: 'document.md', body: '# →\n' });
  });
});
