import { type ApiClient, describeFailure, messageOf } from '../api-client.ts';
import type { PrivacyRequest, RequestKind, VisitorRecord } from '../api-types.ts';
import { busy, feedback, field, fill, h, type View } from '../dom.ts';
import { downloadJson, exportFilename } from '../download.ts';
import { countryName, formatDate, formatFull, plural } from '../format.ts';
import { confirmDialog } from './dialog.ts';
import { page, section, table } from './page.ts';

/** The rights a visitor exercises through the business (RET-4), by the policy's right ids. */
export const REQUEST_KINDS: readonly { kind: RequestKind; label: string }[] = [
  { kind: 'access', label: 'See their data' },
  { kind: 'export', label: 'Export their data' },
  { kind: 'rectification', label: 'Correct their data' },
  { kind: 'erasure', label: 'Erase their data' },
];

function kindLabel(kind: string): string {
  return REQUEST_KINDS.find((entry) => entry.kind === kind)?.label ?? kind;
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
    field('Email address or chat id', query, 'The email the visitor gave in a chat, or their chat id.'),
    h('button', { type: 'submit', class: 'button button-primary' }, 'Find'),
  );

  const search = async () => {
    searchStatus.clear();
    const text = query.value.trim();
    if (!text) return;
    try {
      const { visitors } = await busy(searchForm, () => api.findVisitors(text));
      renderResults(visitors);
      if (visitors.length === 0)
        searchStatus.info('No visitor matches. Check the spelling, or ask for their chat id.');
      else searchStatus.info(`${plural(visitors.length, 'visitor', 'visitors')} found.`);
    } catch (error) {
      fill(results);
      searchStatus.error(describeFailure(error, 'Finding visitors'));
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

    const exportButton = h('button', { type: 'button', class: 'button button-small' }, 'Export');
    exportButton.addEventListener('click', async () => {
      status.clear();
      try {
        const data = await busy(exportButton, () => api.exportVisitor(visitor.id));
        downloadJson(data, exportFilename(`visitor-${visitor.id}`));
        status.success('The export has downloaded. Send it to the visitor by a channel you trust.');
      } catch (error) {
        status.error(messageOf(error));
      }
    });

    const correctButton = h(
      'button',
      { type: 'button', class: 'button button-small', 'aria-expanded': 'false' },
      'Correct…',
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
      field('Name', nameInput),
      field('Email', emailInput),
      h('button', { type: 'submit', class: 'button button-primary button-small' }, 'Save correction'),
    );
    correctForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.clear();
      const update: { name?: string; email?: string } = {};
      if (nameInput.value.trim() !== (name ?? '')) update.name = nameInput.value.trim();
      if (emailInput.value.trim() !== (email ?? '')) update.email = emailInput.value.trim();
      if (Object.keys(update).length === 0) {
        status.info('Nothing changed.');
        return;
      }
      try {
        await busy(correctForm, () => api.correctVisitor(visitor.id, update));
        status.success('Corrected.');
        await search();
      } catch (error) {
        status.error(messageOf(error));
      }
    });
    correction.append(correctForm);

    const eraseButton = h(
      'button',
      { type: 'button', class: 'button button-small button-danger-quiet' },
      'Erase…',
    );
    eraseButton.addEventListener('click', async () => {
      status.clear();
      const who = name ?? email ?? 'this visitor';
      const confirmed = await confirmDialog({
        title: `Erase ${who}?`,
        body: [
          `Parley deletes everything about ${who}: ${plural(visitor.conversations, 'conversation', 'conversations')} with every message, their name, email and other details, from every table, and overwrites the freed space.`,
          'Export first if the visitor asked for a copy. This cannot be undone.',
        ],
        confirmLabel: 'Erase visitor',
        danger: true,
      });
      if (!confirmed) return;
      try {
        const { erased } = await busy(eraseButton, () => api.eraseVisitor(visitor.id));
        const counts = Object.entries(erased ?? {}).filter(([, count]) => count > 0);
        fill(
          card,
          h('h3', null, 'Erased'),
          h('p', null, `Everything about ${who} is gone.`),
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
      h('h3', null, name ?? email ?? 'Visitor without a name'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Email'),
        h('dd', { class: 'break' }, email ?? 'Not given'),
        h('dt', null, 'Country'),
        h('dd', null, visitor.country ? countryName(visitor.country) : 'Unknown'),
        h('dt', null, 'Last seen'),
        h('dd', null, visitor.lastSeenAt ? formatFull(visitor.lastSeenAt) : 'Unknown'),
        h('dt', null, 'Conversations'),
        h('dd', null, String(visitor.conversations)),
        h('dt', null, 'Visitor id'),
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
  const requestsBody = h('div', null, h('p', null, 'Loading requests…'));
  const requestsStatus = feedback();
  const loadRequests = async () => {
    try {
      const { requests } = await api.requests();
      renderRequests(requests);
    } catch (error) {
      fill(requestsBody);
      requestsStatus.error(describeFailure(error, 'Privacy requests'));
    }
  };
  const renderRequests = (requests: PrivacyRequest[]) => {
    if (requests.length === 0) {
      fill(requestsBody, h('p', { class: 'muted' }, 'No requests recorded.'));
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
            ? `Done ${formatDate(request.completedAt)}`
            : request.overdue
              ? h('strong', { class: 'overdue' }, 'Overdue')
              : 'Open',
        ),
      ),
    );
    fill(
      requestsBody,
      overdue > 0
        ? h(
            'p',
            { class: 'feedback feedback-error' },
            `${plural(overdue, 'request is', 'requests are')} past the deadline. Answer ${overdue === 1 ? 'it' : 'them'} first.`,
          )
        : null,
      table('Privacy requests', ['Request', 'Received', 'Deadline', 'Status'], rows),
    );
  };

  const kind = h(
    'select',
    { required: true },
    REQUEST_KINDS.map((entry) => h('option', { value: entry.kind }, entry.label)),
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
    field('The visitor asks to', kind),
    field('Visitor id', visitorId, 'From the search above.'),
    h('button', { type: 'submit', class: 'button' }, 'Record request'),
  );
  recordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    recordStatus.clear();
    try {
      await busy(recordForm, () =>
        api.recordRequest({ kind: kind.value as RequestKind, visitorId: visitorId.value.trim() }),
      );
      recordStatus.success('Recorded. The deadline is in the list.');
      visitorId.value = '';
      await loadRequests();
    } catch (error) {
      recordStatus.error(describeFailure(error, 'Recording requests'));
    }
  });

  void loadRequests();
  return {
    element: page(
      'Privacy requests',
      'When a visitor asks to see, export, correct or erase their data, find them here and answer within the deadline.',
      section('Find a visitor', searchForm, searchStatus.element, results),
      section(
        'Requests',
        requestsStatus.element,
        requestsBody,
        h('h3', null, 'Record a new request'),
        recordForm,
        recordStatus.element,
      ),
    ),
    destroy() {},
  };
}
