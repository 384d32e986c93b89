import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { PrivacyRequest, RequestKind, VisitorRecord } from '../api-types.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { downloadJson, exportFilename } from '../download.ts';
import { countryName, formatDate, formatFull } from '../format.ts';
import { currentLanguage, type MessageKey, t } from '../i18n/i18n.ts';
import { confirmDialog } from './dialog.ts';
import { page, section, table } from './page.ts';

/** The rights a visitor exercises through the business (RET-4), by the policy's right ids. */
export const REQUEST_KINDS: readonly { kind: RequestKind; label: MessageKey }[] = [
  { kind: 'access', label: 'privacy.kind.access' },
  { kind: 'export', label: 'privacy.kind.export' },
  { kind: 'rectification', label: 'privacy.kind.rectification' },
  { kind: 'erasure', label: 'privacy.kind.erasure' },
];

function kindLabel(kind: string): string {
  const label = REQUEST_KINDS.find((entry) => entry.kind === kind)?.label;
  return label ? t(label) : kind;
}

/** Table names from the erasure report, for people: `chat_messages` → "chat messages". */
function tableLabel(name: string): string {
  return name.replace(/[_-]+/g, ' ');
}

/** Owner: answer visitors' privacy requests (find, export, correct, erase) and keep track of their deadlines. */
export function privacyView(api: ApiClient): View {
  // ---- find a visitor ----
  const query = h('input', {
    type: 'search',
    required: true,
    maxlength: 254,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const searchStatus = feedback();
  const results = h('div', { class: 'visitor-results' });
  const searchForm = h(
    'form',
    { class: 'inline-form', role: 'search' },
    field(t('privacy.query'), query, t('privacy.queryHint')),
    h('button', { type: 'submit', class: 'button button-primary' }, t('privacy.find')),
  );

  const search = async () => {
    searchStatus.clear();
    const text = query.value.trim();
    if (!text) return;
    try {
      const { visitors } = await busy(searchForm, () => api.findVisitors(text));
      renderResults(visitors);
      if (visitors.length === 0) searchStatus.info(t('privacy.noMatch'));
      else searchStatus.info(t('privacy.found', { count: visitors.length }));
    } catch (error) {
      fill(results);
      searchStatus.error(describeFailure(error, t('privacy.findingVisitors')));
    }
  };
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });

  const visitorCard = (visitor: VisitorRecord): HTMLElement => {
    const status = feedback();
    const correction = h('div', { hidden: true });
    const name = visitor.name?.trim() || null;
    const email = visitor.email?.trim() || null;

    const exportButton = h('button', { type: 'button', class: 'button button-small' }, t('privacy.export'));
    exportButton.addEventListener('click', async () => {
      status.clear();
      try {
        const data = await busy(exportButton, () => api.exportVisitor(visitor.id));
        downloadJson(data, exportFilename(`visitor-${visitor.id}`));
        status.success(t('privacy.exported'));
      } catch (error) {
        status.error(messageOf(error));
      }
    });

    const correctButton = h(
      'button',
      { type: 'button', class: 'button button-small', 'aria-expanded': 'false' },
      t('privacy.correct'),
    );
    correctButton.addEventListener('click', () => {
      const opening = correction.hidden;
      correction.hidden = !opening;
      correctButton.setAttribute('aria-expanded', String(opening));
      if (opening) correction.querySelector('input')?.focus();
    });
    const nameInput = h('input', { type: 'text', value: name ?? '', maxlength: 80, autocomplete: 'off' });
    const emailInput = h('input', { type: 'email', value: email ?? '', maxlength: 254, autocomplete: 'off' });
    const correctForm = h(
      'form',
      { class: 'inline-form' },
      field(t('conversation.name'), nameInput),
      field(t('conversation.email'), emailInput),
      h(
        'button',
        { type: 'submit', class: 'button button-primary button-small' },
        t('privacy.saveCorrection'),
      ),
    );
    correctForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      const update: { name?: string; email?: string } = {};
      if (nameInput.value.trim() !== (name ?? '')) update.name = nameInput.value.trim();
      if (emailInput.value.trim() !== (email ?? '')) update.email = emailInput.value.trim();
      if (Object.keys(update).length === 0) {
        status.info(t('privacy.nothingChanged'));
        return;
      }
      try {
        await busy(correctForm, () => api.correctVisitor(visitor.id, update));
        status.success(t('privacy.corrected'));
        await search();
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    correction.append(correctForm);

    const eraseButton = h(
      'button',
      { type: 'button', class: 'button button-small button-danger-quiet' },
      t('privacy.erase'),
    );
    eraseButton.addEventListener('click', async () => {
      status.clear();
      const who = name ?? email ?? t('privacy.thisVisitor');
      const confirmed = await confirmDialog({
        title: t('privacy.eraseTitle', { who }),
        body: [t('privacy.eraseBody', { who, count: visitor.conversations }), t('privacy.eraseExportFirst')],
        confirmLabel: t('privacy.eraseConfirm'),
        danger: true,
      });
      if (!confirmed) return;
      try {
        const { erased } = await busy(eraseButton, () => api.eraseVisitor(visitor.id));
        const counts = Object.entries(erased ?? {}).filter(([, count]) => count > 0);
        fill(
          card,
          h('h3', null, t('privacy.erased')),
          h('p', null, t('privacy.erasedText', { who })),
          counts.length > 0
            ? h(
                'ul',
                { class: 'erase-report' },
                counts.map(([name, count]) => h('li', null, `${tableLabel(name)}: ${count}`)),
              )
            : null,
        );
        card.querySelector('h3')?.setAttribute('tabindex', '-1');
        card.querySelector<HTMLElement>('h3')?.focus();
      } catch (error) {
        status.error(messageOf(error));
      }
    });

    const card = h(
      'li',
      { class: 'visitor-card' },
      h('h3', null, name ?? email ?? t('privacy.nameless')),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, t('conversation.email')),
        h('dd', { class: 'break' }, email ?? t('privacy.notGiven')),
        h('dt', null, t('conversation.country')),
        h('dd', null, visitor.country ? countryName(visitor.country) : t('privacy.unknown')),
        h('dt', null, t('privacy.lastSeen')),
        h('dd', null, visitor.lastSeenAt ? formatFull(visitor.lastSeenAt) : t('privacy.unknown')),
        h('dt', null, t('list.conversations')),
        h('dd', null, new Intl.NumberFormat(currentLanguage()).format(visitor.conversations)),
        h('dt', null, t('privacy.visitorId')),
        h('dd', { class: 'mono break' }, visitor.id),
      ),
      h('div', { class: 'button-row' }, exportButton, correctButton, eraseButton),
      correction,
      status.element,
    );
    return card;
  };

  const renderResults = (visitors: VisitorRecord[]) => {
    fill(results, visitors.length ? h('ul', { class: 'visitor-list' }, visitors.map(visitorCard)) : null);
  };

  // ---- requests ----
  const requestsBody = h('div', null, h('p', null, t('privacy.loadingRequests')));
  const requestsStatus = feedback();
  const loadRequests = async () => {
    try {
      const { requests } = await api.requests();
      renderRequests(requests);
    } catch (error) {
      fill(requestsBody);
      requestsStatus.error(describeFailure(error, t('privacy.requestsTitle')));
    }
  };
  const renderRequests = (requests: PrivacyRequest[]) => {
    if (requests.length === 0) {
      fill(requestsBody, h('p', { class: 'muted' }, t('privacy.noRequests')));
      return;
    }
    const sorted = [...requests].sort((a, b) => {
      const openA = a.completedAt ? 1 : 0;
      const openB = b.completedAt ? 1 : 0;
      return openA - openB || Date.parse(a.deadlineAt) - Date.parse(b.deadlineAt);
    });
    const overdue = sorted.filter((request) => request.overdue && !request.completedAt).length;
    const rows = sorted.map((request) =>
      h(
        'tr',
        { class: request.overdue && !request.completedAt ? 'row-overdue' : null },
        h('td', null, kindLabel(request.kind)),
        h('td', null, formatDate(request.receivedAt)),
        h('td', null, formatDate(request.deadlineAt)),
        h(
          'td',
          null,
          request.completedAt
            ? t('privacy.done', { date: formatDate(request.completedAt) })
            : request.overdue
              ? h('strong', { class: 'overdue' }, t('privacy.overdue'))
              : t('privacy.open'),
        ),
      ),
    );
    fill(
      requestsBody,
      overdue > 0
        ? h('p', { class: 'feedback feedback-error' }, t('privacy.overdueCount', { count: overdue }))
        : null,
      table(
        t('privacy.requestsTitle'),
        [t('privacy.request'), t('privacy.received'), t('privacy.deadline'), t('privacy.status')],
        rows,
      ),
    );
  };

  const kind = h(
    'select',
    { required: true },
    REQUEST_KINDS.map((entry) => h('option', { value: entry.kind }, t(entry.label))),
  );
  const visitorId = h('input', {
    type: 'text',
    required: true,
    maxlength: 64,
    autocomplete: 'off',
    class: 'mono',
  });
  const recordStatus = feedback();
  const recordForm = h(
    'form',
    { class: 'inline-form' },
    field(t('privacy.asksTo'), kind),
    field(t('privacy.visitorId'), visitorId, t('privacy.visitorIdHint')),
    h('button', { type: 'submit', class: 'button' }, t('privacy.record')),
  );
  recordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    recordStatus.clear();
    try {
      await busy(recordForm, () =>
        api.recordRequest({ kind: kind.value as RequestKind, visitorId: visitorId.value.trim() }),
      );
      recordStatus.success(t('privacy.recorded'));
      visitorId.value = '';
      await loadRequests();
    } catch (error) {
      recordStatus.error(describeFailure(error, t('privacy.recording')));
    }
  });

  void loadRequests();
  return {
    element: page(
      t('privacy.requestsTitle'),
      t('privacy.intro'),
      section(t('privacy.findVisitor'), searchForm, searchStatus.element, results),
      section(
        t('privacy.requests'),
        requestsStatus.element,
        requestsBody,
        h('h3', null, t('privacy.recordNew')),
        recordForm,
        recordStatus.element,
      ),
    ),
    destroy() {},
  };
}
