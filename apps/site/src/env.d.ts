/// <reference types="astro/client" />

// `tsc` does not read `.astro` files (Astro's own checker does); tests import components, so give them a type.
declare module '*.astro' {
  const component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default component;
}
