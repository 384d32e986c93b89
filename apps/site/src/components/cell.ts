/** A table cell: plain text, or text that links somewhere or is a code token (a cookie name, a taxonomy key). */
export type Cell = string | { text: string; href?: string; code?: boolean };
