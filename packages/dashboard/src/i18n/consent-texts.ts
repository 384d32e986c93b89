import { CATALOGUES, type Language } from './i18n.ts';

export { LANGUAGES } from './i18n.ts';

// Words whose hash a consent record keeps: the server reads them here, in the language the dashboard showed them,
// so that the record is of the text the person read, not of a paraphrase of it.

/** COM-2: the account page's product-news switch as it shows it, its label then its hint. */
export function marketingChoiceText(language: Language): string {
  const catalogue = CATALOGUES[language];
  return `${catalogue['account.news']}\n${catalogue['account.newsHint']}`;
}
