/// <reference types="astro/client" />

// `tsc` does not read `.astro` files (Astro's own checker does); tests import components, so give them a type.
declare module '*.astro' {
  const component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default component;
}

declare namespace App {
  type SiteLocals = import('./site-locals.ts').SiteLocals;
  // What the chat server passes with each request: the policy of the installation serving the site.
  interface Locals extends SiteLocals {}
}
