import type { WidgetCookieDeclaration } from './cookie-rules.ts';

// Values the build injects with esbuild `define` (scripts/build.ts computes them from the policy in force), so the
// browser bundles carry the policy's cookie declarations without the policy model or zod. Only the entry points
// read this module; everything else takes these values as arguments, which keeps it testable under Node.

declare const __PARLEY_WIDGET_COOKIES__: readonly WidgetCookieDeclaration[];

/** The cookies the policy in force declares as set by the widget (CK-6, CK-7). */
export const WIDGET_COOKIES: readonly WidgetCookieDeclaration[] = __PARLEY_WIDGET_COOKIES__;
