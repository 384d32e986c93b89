/**
 * A table cell: plain text, or text that links somewhere, is a code token (a cookie name, a taxonomy key) or is a
 * label such as "Significant".
 */
export type Cell =
  | string
  | { text: string; href?: string; code?: boolean; badge?: 'significant' | 'minor' | 'first' };
