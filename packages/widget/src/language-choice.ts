import type { WidgetLanguage } from '@parley/protocol';

// Which language the widget speaks, decided once by the launcher: the first of the browser's languages (then the
// page's `<html lang>`) that the website offers, else the website's first language. The launcher's own word for
// each language is kept here, in one small table, because it is all widget.js needs before the visitor acts.

export type Lang = WidgetLanguage;

/** The launcher's accessible name, "Open chat", in every language the widget speaks. */
export const LAUNCHER_LABELS: Record<Lang, string> = {
  en: 'Open chat',
  de: 'Chat öffnen',
  fr: 'Ouvrir le chat',
  es: 'Abrir el chat',
  it: 'Apri la chat',
  nl: 'Chat openen',
  pt: 'Abrir o chat',
  pl: 'Otwórz czat',
};

/** Every language the widget speaks, English first. */
export const LANGUAGES = Object.keys(LAUNCHER_LABELS) as Lang[];

export const isLang = (value: unknown): value is Lang => LANGUAGES.includes(value as Lang);

/**
 * The first of `preferred` (language tags, most wanted first: `navigator.languages`, then the page's lang) whose
 * language `offered` holds; `de-AT` matches `de`. Without a match, the website's first language.
 */
export function pickLanguage(
  offered: readonly Lang[],
  preferred: readonly (string | null | undefined)[],
): Lang {
  for (const tag of preferred) {
    const language = String(tag).toLowerCase().split(/[-_]/)[0];
    if (offered.includes(language as Lang)) return language as Lang;
  }
  return offered[0] ?? 'en';
}
