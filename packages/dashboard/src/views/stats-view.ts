import { type ApiClient, describeFailure } from '../api-client.ts';
import type { StatFigure } from '../api-types.ts';
import { fill, h, type View } from '../dom.ts';
import { currentLanguage, type MessageKey, t } from '../i18n/i18n.ts';
import { page, section, table } from './page.ts';

const LABELS: Record<string, MessageKey> = {
  chats_per_day: 'stats.chatsPerDay',
  first_response_seconds: 'stats.firstResponse',
  average_rating: 'stats.averageRating',
};

export function figureLabel(name: string): string {
  const label = LABELS[name];
  if (label) return t(label);
  return name.replace(/[_-]+/g, ' ').replace(/^./, (first) => first.toUpperCase());
}

/**
 * LOG-3: a figure computed over too few people is suppressed by the server, value and all. Say so, with the group
 * size from the server's reason ("computed over fewer than 10 people").
 */
export function suppressedText(figure: StatFigure): string {
  const minimum = figure.reason?.match(/fewer than (\d+)/)?.[1];
  if (minimum) return t('stats.fewerThan', { count: Number(minimum) });
  return t('stats.tooFew');
}

export function figureText(figure: StatFigure): string {
  if (figure.suppressed || figure.value === null) return suppressedText(figure);
  return new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 1 }).format(figure.value);
}

/** Owner: aggregate, non-identifying figures for the account. */
export function statsView(api: ApiClient): View {
  const body = h('div', null, h('p', null, t('stats.loading')));
  const status = h('p', { class: 'feedback feedback-error', role: 'alert', hidden: true });
  api
    .stats()
    .then(({ figures, tags }) => {
      if (figures.length === 0) {
        fill(body, h('p', { class: 'muted' }, t('stats.none')));
        return;
      }
      const rows = figures.map((figure) =>
        h(
          'tr',
          { class: figure.suppressed ? 'row-suppressed' : null },
          h('th', { scope: 'row' }, figureLabel(figure.name)),
          h('td', { class: figure.suppressed ? 'muted' : 'figure' }, figureText(figure)),
        ),
      );
      const perTag = tags.map((figure) =>
        h(
          'tr',
          { class: figure.suppressed ? 'row-suppressed' : null },
          h('th', { scope: 'row' }, figure.tag.name),
          h('td', { class: figure.suppressed ? 'muted' : 'figure' }, figureText(figure)),
        ),
      );
      fill(
        body,
        table(t('stats.statistics'), [t('stats.figure'), t('stats.value')], rows),
        // LOG-3: a tag on the chats of too few visitors shows why it has no count, as any figure does.
        perTag.length > 0 ? table(t('tags.perTag'), [t('tags.tag'), t('tags.conversations')], perTag) : null,
      );
    })
    .catch((error: unknown) => {
      fill(body);
      status.textContent = describeFailure(error, t('stats.statistics'));
      status.hidden = false;
    });
  return {
    element: page(t('shell.nav.stats'), t('stats.intro'), section(t('stats.figures'), status, body)),
    destroy() {},
  };
}
