import { api, type Outputs } from '../api.ts';
import { badge, confirmAction, dataTable, field, h, replaceChildren } from '../dom.ts';
import { humanize, plural } from '../format.ts';
import { act, pageHeader, section, type ViewContext } from '../view.ts';

type Diff = Outputs['policy']['diff'];

const significance = (s: string) =>
  s === 'significant'
    ? badge('Significant', 'warn')
    : s === 'minor'
      ? badge('Minor')
      : badge('First version', 'info');

function diffResult(diff: Diff): HTMLElement {
  if (diff.changes.length === 0)
    return h('p', { class: 'result' }, `Versions ${diff.from} and ${diff.to} say the same thing.`);
  return h(
    'div',
    { class: 'result' },
    h(
      'p',
      {},
      `${plural(diff.changes.length, 'change')} from ${diff.from} to ${diff.to}; `,
      diff.significant
        ? 'some are significant: account holders are told before such a change applies.'
        : 'all are minor.',
    ),
    dataTable({
      caption: `Changes from version ${diff.from} to ${diff.to}`,
      columns: [
        { label: 'Area', cell: (c) => humanize(c.area) },
        { label: 'What', cell: (c) => h('code', {}, c.subject) },
        { label: 'Kind', cell: (c) => significance(c.significance) },
        { label: 'Change', cell: (c) => c.description },
      ],
      rows: diff.changes,
      empty: '',
      rowClass: (c) => (c.significance === 'significant' ? 'row-attention' : undefined),
    }),
    diff.significant
      ? h(
          'details',
          {},
          h('summary', {}, 'The notice text account holders would receive'),
          h('pre', { class: 'mail-preview' }, diff.notice),
        )
      : null,
  );
}

export async function policyView(ctx: ViewContext): Promise<HTMLElement> {
  const versions = await api.policy.versions.query();
  const all = [
    ...versions.published.map((v) => ({
      ...v,
      significance: v.significant ? 'significant' : 'minor',
      state: 'published' as const,
    })),
    ...versions.pending.map((v) => ({ ...v, state: 'pending' as const })),
  ];
  // The first published version has no predecessor on this installation.
  if (all[0] && all[0].state === 'published') all[0].significance = 'first';

  const publishStatus = h('div');
  const publish = h(
    'button',
    { type: 'button', class: 'button primary' },
    `Publish ${plural(versions.pending.length, 'version')}`,
  );
  const notifies = versions.pending.some((v) => v.willNotify);
  publish.addEventListener('click', async () => {
    const yes = await confirmAction({
      title: 'Publish the pending policy versions?',
      body: notifies
        ? 'At least one version changes the policy significantly: every account holder will be emailed a notice that lists the changes.'
        : 'No account holder is emailed: the changes are minor, or this is the first publication on this installation.',
      confirm: 'Publish',
    });
    if (!yes) return;
    const ok = await act(ctx, publish, publishStatus, async () => {
      const r = await api.policy.publish.mutate();
      return `Published ${r.published.map((v) => v.version).join(', ') || 'nothing'}; ${plural(r.noticesQueued, 'notice')} queued.`;
    });
    if (ok) window.setTimeout(() => ctx.refresh(), 1500);
  });

  const versionOptions = (selected: string | undefined) =>
    all.map((v) =>
      h('option', { value: v.version, selected: v.version === selected }, `${v.version} (${v.date})`),
    );
  const from = h('select', { name: 'from' }, versionOptions(all[all.length - 2]?.version ?? all[0]?.version));
  const to = h('select', { name: 'to' }, versionOptions(all[all.length - 1]?.version));
  const diffOut = h('div', { 'aria-live': 'polite' });
  const compare = h('button', { type: 'submit', class: 'button secondary' }, 'Compare');
  const compareForm = h(
    'form',
    { class: 'form inline' },
    field('From version', from),
    field('To version', to),
    h('div', { class: 'actions' }, compare),
  );
  compareForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    await act(ctx, compare, diffOut, async () => {
      replaceChildren(diffOut, diffResult(await api.policy.diff.query({ from: from.value, to: to.value })));
      return null;
    });
  });

  return h(
    'div',
    {},
    pageHeader(
      'Policy versions',
      `Every version of the privacy policy is kept and any two can be compared. Version ${versions.inForce ?? '—'} is in force in the code.`,
      ['CHG-1'],
    ),
    section(
      'Versions',
      dataTable({
        caption: 'Policy versions on this installation',
        columns: [
          { label: 'Version', cell: (v) => v.version, nowrap: true },
          { label: 'Date', cell: (v) => v.date, nowrap: true },
          { label: 'Kind', cell: (v) => significance(v.significance) },
          {
            label: 'Published here',
            cell: (v) => (v.state === 'published' ? badge('Published', 'good') : badge('Not yet', 'warn')),
          },
          { label: 'Summary', cell: (v) => v.summary },
        ],
        rows: all,
        empty: 'No versions.',
      }),
      versions.pending.length > 0
        ? h(
            'div',
            { class: 'callout' },
            h(
              'p',
              {},
              versions.published.length === 0
                ? 'This is the first publication on this installation: the history is recorded and nobody is emailed, since nobody had agreed to an earlier version here.'
                : notifies
                  ? 'Publishing emails every account holder a notice that lists the significant changes.'
                  : 'These changes are minor: publishing sends no email.',
            ),
            h('div', { class: 'actions' }, publish),
            publishStatus,
          )
        : h('p', { class: 'hint' }, 'Every version in the code is published here.'),
    ),
    section('Compare two versions', compareForm, diffOut),
  );
}
