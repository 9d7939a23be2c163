import { describe, expect, it } from 'vitest';
import { attachmentDisposition, fileNameFor, FolderNames, safeStem } from './file-names.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('fileNameFor', () => {
  it('keeps Unicode and replaces only what Windows, macOS or Linux cannot hold', () => {
    expect(fileNameFor('Grüße')).toBe('Grüße.md');
    expect(fileNameFor('日本語のメモ 🚀')).toBe('日本語のメモ 🚀.md');
    expect(fileNameFor('a<b>c:d"e/f\\g|h?i*j')).toBe('a_b_c_d_e_f_g_h_i_j.md');
    expect(fileNameFor('tab\there\u0007bell')).toBe('tab_here_bell.md');
    expect(fileNameFor('Ends with dots... ')).toBe('Ends with dots.md');
    expect(fileNameFor('.env notes')).toBe('_env notes.md');
    expect(fileNameFor('  ')).toBe('Untitled.md');
    expect(fileNameFor('Cafe\u0301')).toBe('Café.md');
  });

  it('never produces a Windows device name', () => {
    expect(fileNameFor('CON')).toBe('CON_.md');
    expect(fileNameFor('nul')).toBe('nul_.md');
    expect(fileNameFor('com1.txt')).toBe('com1_.txt.md');
    expect(fileNameFor('LPT9 ')).toBe('LPT9_.md');
    expect(fileNameFor('Console')).toBe('Console.md');
  });

  it('keeps names within 255 bytes of UTF-8 without splitting a character', () => {
    const name = fileNameFor('ü'.repeat(300));
    expect(bytes(name)).toBeLessThanOrEqual(255);
    expect(name).toBe(`${'ü'.repeat(126)}.md`);
    const emoji = fileNameFor('🚀'.repeat(100));
    expect(bytes(emoji)).toBeLessThanOrEqual(255);
    expect(emoji.replace('.md', '')).toMatch(/^(🚀)+$/u);
    expect(bytes(safeStem('a'.repeat(1000)))).toBe(255);
  });
});

describe('FolderNames', () => {
  it('gives duplicates " (2)", " (3)", ignoring case and normalization, still within 255 bytes', () => {
    const names = new FolderNames();
    expect(names.take('Setup', '.md')).toBe('Setup');
    expect(names.take('setup', '.md')).toBe('setup (2)');
    expect(names.take('Setup', '.md')).toBe('Setup (3)');
    expect(names.take('Café', '.md')).toBe('Café');
    expect(names.take('Cafe\u0301', '.md')).toBe('Café (2)');
    const long = 'x'.repeat(400);
    expect(names.take(long, '.md')).toBe('x'.repeat(252));
    const second = names.take(long, '.md');
    expect(second).toBe(`${'x'.repeat(248)} (2)`);
    expect(bytes(`${second}.md`)).toBe(255);
  });
});

describe('attachmentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('Grüße (1).md')).toBe(`attachment; filename="Gr__e (1).md"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%281%29.md`);
  });
});
