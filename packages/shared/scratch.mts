import { markdownToEditorState, editorStateToMarkdown, editorStateToPlainText } from './src/markdown/index.ts';
const samples = [
  '# Hello *world*\n\nSome **bold** and _it_ and ~~del~~ and `code` and [link](http://x.com "T").\nsoft line\\\nhard',
  '- a\n- b\n  - c\n  - d\n- e\n\n1. one\n2. two\n\n- [ ] todo\n- [x] done',
  '> quote\n> more\n>\n> para2\n\n```js\nconst a = 1;\n\tb\n```\n\n---\n\n| a | b |\n|:-|-:|\n| 1 | 2 |',
  'Hi @alice and bob@example.com, see [doc](/docs/abc123) and <https://x.com> and www.y.com',
  '[x](javascript:alert(1)) <script>alert(1)</script>\n\n<div>\nhi\n</div>',
  '* 1\\. not a list \\# nor heading \\*stars\\* a_b_c \\_x\\_ \\[y\\] &amp; &copy; 5 < 6 <br>',
];
for (const s of samples) {
  const json = markdownToEditorState(s);
  const md = editorStateToMarkdown(json);
  const md2 = editorStateToMarkdown(markdownToEditorState(md));
  console.log('-----\n' + md + (md === md2 ? '(stable)' : '!!! UNSTABLE:\n' + md2));
  console.log('plain:', JSON.stringify(editorStateToPlainText(json)));
}
