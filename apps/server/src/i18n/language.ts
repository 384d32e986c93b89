/** The languages the server writes its messages in; English is the one the code is written in. */
export type ServerLanguage = 'en' | 'de';

/**
 * The language of a request's answers: German when the first tag of `Accept-Language` is German (`de`, `de-AT`, …),
 * English otherwise. The dashboard and the site send the page's language as that first tag.
 */
export function requestLanguage(acceptLanguage: string | undefined): ServerLanguage {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
  return first === 'de' || first.startsWith('de-') ? 'de' : 'en';
}
