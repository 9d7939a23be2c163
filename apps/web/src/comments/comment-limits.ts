/** Longest comment the server takes (`COMMENT_MARKDOWN_MAX` of the contract; 413 beyond). */
export const COMMENT_MAX = 10_000;
