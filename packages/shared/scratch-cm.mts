import spec from 'commonmark-spec';
import { Parser, HtmlRenderer } from 'commonmark';
import { createHandoffHeadlessEditor } from './src/lexical/nodes.ts';
import { $setRootFromMarkdown, $rootToMarkdown } from './src/markdown/index.ts';
const parser = new Parser(); const renderer = new HtmlRenderer();
const render = (md: string) => renderer.render(parser.parse(md));
const bySection = new Map<string, [number, number]>();
const fails: string[] = [];
const only = process.argv[2];
for (const ex of spec.tests as Array<{markdown:string;html:string;section:string;number:number}>) {
  if (only && ex.section !== only) continue;
  let out = '';
  try {
    const editor = createHandoffHeadlessEditor();
    editor.update(() => $setRootFromMarkdown(ex.markdown), { discrete: true });
    out = editor.getEditorState().read($rootToMarkdown);
  } catch (e) { out = 'ERROR ' + e; }
  const ok = render(ex.markdown) === render(out);
  const s = bySection.get(ex.section) ?? [0, 0]; s[1]++; if (ok) s[0]++; bySection.set(ex.section, s);
  if (!ok) fails.push(`#${ex.number} [${ex.section}]\n${JSON.stringify(ex.markdown)}\n=> ${JSON.stringify(out)}\n   ${JSON.stringify(render(ex.markdown))}\n   ${JSON.stringify(render(out))}`);
}
for (const [k, [p, t]] of bySection) console.log(k.padEnd(45), p, '/', t);
if (process.argv[3]) console.log(fails.join('\n'));
