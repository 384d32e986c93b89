import { type ApiClient, describeFailure } from '../api-client.ts';
import type { StatFigure } from '../api-types.ts';
import { fill, h, type View } from '../dom.ts';
import { page, section, table } from './page.ts';

const LABELS: Record<string, string> = {
  chats_per_day: 'Chats per day',
  first_response_seconds: 'Average first response (seconds)',
  average_rating: 'Average rating (1 to 5)',
};

export function figureLabel(name: string): string {
  return LABELS[name] ?? name.replace(/[_-]+/g, ' ').replace(/^./, (first) => first.toUpperCase());
}

/**
 * LOG-3: a figure computed over too few people is suppressed by the server, value and all. Say so, with the group
 * size from the server's reason ("computed over fewer than 10 people").
 */
export function suppressedText(figure: StatFigure): string {
  const minimum = figure.reason?.match(/fewer than (\d+)/)?.[1];
  if (minimum) return `Fewer than ${minimum} people — not shown`;
  return 'Too few people to show without identifying someone — not shown';
}

export function figureText(figure: StatFigure): string {
  if (figure.suppressed || figure.value === null) return suppressedText(figure);
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(figure.value);
}

/** Owner: aggregate, non-identifying figures for the account. */
export function statsView(api: ApiClient): View {
  const body = h('div', null, h('p', null, 'Loading figures…'));
  const status = h('p', { class: 'feedback feedback-error', role: 'alert', hidden: true });
  api
    .stats()
    .then(({ figures }) => {
      if (figures.length === 0) {
        fill(body, h('p', { class: 'muted' }, 'No figures yet.'));
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
      fill(body, table('Statistics', ['Figure', 'Value'], rows));
    })
    .catch((error: unknown) => {
      fill(body);
      status.textContent = describeFailure(error, 'Statistics');
      status.hidden = false;
    });
  return {
    element: page(
      'Stats',
      'Counts and averages only. A figure that covers too few people is withheld so it cannot point to anyone.',
      section('Figures', status, body),
    ),
    destroy() {},
  };
}
