/**
 * Every address the site links to. Pages are built as `<path>/index.html`; addresses that end in a version number
 * keep a trailing slash, because static servers read a final `.0` as a file extension and would not look for
 * `index.html` inside the folder.
 */
export const routes = {
  home: '/',
  features: '/features',
  privacy: '/privacy',
  versions: '/privacy/versions',
  cookies: '/cookies',
  regions: '/regions',
  dataMap: '/data-map',
  widgetCookies: '/widget-cookies',
  policyJson: '/policy.json',
  cookiesJson: '/cookies.json',
  cookiesCsv: '/cookies.csv',
  dataMapJson: '/data-map.json',
  signup: '/signup',
} as const;

export const promiseHref = (id: string): string => `${routes.privacy}#${id}`;
export const versionHref = (version: string): string => `${routes.versions}/${version}/`;
export const compareHref = (from: string, to: string): string => `${routes.privacy}/compare/${from}/${to}/`;
