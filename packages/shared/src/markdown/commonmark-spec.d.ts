/** Types for the `commonmark-spec` package (the CommonMark spec's examples), which ships none. */
declare module 'commonmark-spec' {
  export interface CommonMarkExample {
    markdown: string;
    html: string;
    section: string;
    number: number;
  }
  export const tests: CommonMarkExample[];
  export const text: string;
}
