import type {
  FileKind,
  PreChatField,
  VisitorContextItems,
  Weekday,
  WidgetLanguage,
  WorkingHours,
} from '@parley/protocol';
import { type ApiClient, ApiError, describeFailure, messageOf } from '../api-client.ts';
import type { Website, WebsiteInput } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { currentLanguage, type MessageKey, t } from '../i18n/i18n.ts';
import { confirmDialog } from './dialog.ts';
import { page, section } from './page.ts';

/**
 * The widget's languages, each by its own name as its speakers write it (as the dashboard's own language choice
 * does): an agent picks the languages their visitors read, whatever language the dashboard speaks.
 */
const WIDGET_LANGUAGE_NAMES: Record<WidgetLanguage, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
  nl: 'Nederlands',
  pt: 'Português',
  pl: 'Polski',
};
/** The widget's languages, in the order the form lists them (the protocol's list). */
const WIDGET_LANGUAGES = Object.keys(WIDGET_LANGUAGE_NAMES) as WidgetLanguage[];
// The protocol's list, written out: the dashboard's bundle imports only types from it, not its zod.
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Weekday[];
const PRE_CHAT: readonly PreChatField[] = ['off', 'optional', 'required'];
const POSITION_LABELS: Record<WebsiteInput['position'], MessageKey> = {
  right: 'websites.position.right',
  left: 'websites.position.left',
};
const AGENT_DISPLAY_LABELS: Record<WebsiteInput['agentDisplay'], MessageKey> = {
  name: 'websites.agentDisplay.name',
  initials: 'websites.agentDisplay.initials',
};
const PRE_CHAT_LABELS: Record<PreChatField, MessageKey> = {
  off: 'websites.preChat.off',
  optional: 'websites.preChat.optional',
  required: 'websites.preChat.required',
};

export interface WebsitesViewOptions {
  api: ApiClient;
  /** Owners and admins change websites; agents see them. */
  canEdit: boolean;
}

/** Settings for a website nobody has set up yet. */
export function blankWebsite(name = ''): WebsiteInput {
  return {
    name,
    origins: [],
    color: '#2a5d9f',
    position: 'right',
    launcherLabel: null,
    greeting: null,
    agentDisplay: 'name',
    languages: ['en'],
    preChat: { name: 'off', email: 'off' },
    hours: null,
    transcripts: true,
    ratings: true,
    proactiveGreeting: null,
    context: { pages: false, localTime: false, country: false, browser: false, history: false },
    fileKinds: ['image', 'pdf'],
  };
}

/** Each kind of file visitors may send, with its label. */
const FILE_KIND_ITEMS: ReadonlyArray<{ kind: FileKind; label: MessageKey }> = [
  { kind: 'image', label: 'websites.files.image' },
  { kind: 'pdf', label: 'websites.files.pdf' },
  { kind: 'text', label: 'websites.files.text' },
];

/** Each item of visitor context with its label and the line saying what agents will see. */
const CONTEXT_ITEMS: ReadonlyArray<{ item: keyof VisitorContextItems; label: MessageKey; hint: MessageKey }> =
  [
    { item: 'pages', label: 'websites.context.pages', hint: 'websites.context.pagesHint' },
    { item: 'localTime', label: 'websites.context.localTime', hint: 'websites.context.localTimeHint' },
    { item: 'country', label: 'websites.context.country', hint: 'websites.context.countryHint' },
    { item: 'browser', label: 'websites.context.browser', hint: 'websites.context.browserHint' },
    { item: 'history', label: 'websites.context.history', hint: 'websites.context.historyHint' },
  ];

/**
 * The preview page's address for `key` with the launcher part of the draft settings, and the dashboard's language
 * for the page's own words (the widget in it speaks the visitor's).
 */
export function previewUrl(key: string, draft: WebsiteInput): string {
  const query = new URLSearchParams({
    color: draft.color,
    position: draft.position,
    label: draft.launcherLabel ?? '',
    languages: draft.languages.join(','),
    // Shown on the preview page whatever its paths, a second after it loads.
    proactive: draft.proactiveGreeting?.text ?? '',
    lang: currentLanguage(),
  });
  return `/w/${encodeURIComponent(key)}/preview?${query.toString()}`;
}

function select<V extends string>(
  options: readonly V[],
  label: (option: V) => string,
  value: V,
): HTMLSelectElement {
  return h(
    'select',
    null,
    options.map((option) => h('option', { value: option, selected: option === value }, label(option))),
  );
}

/** The name of `day` in the dashboard's language, read from a week that starts on Monday 1 January 2024. */
export function weekdayName(day: Weekday, width: 'long' | 'short' = 'long'): string {
  const date = Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day));
  return new Intl.DateTimeFormat(currentLanguage(), { weekday: width, timeZone: 'UTC' }).format(date);
}

/**
 * "Central European Time" for `Europe/Berlin`, in the dashboard's language; null where the browser knows the zone
 * only by its offset from GMT, or not at all.
 */
function zoneName(timeZone: string): string | null {
  try {
    const name = new Intl.DateTimeFormat(currentLanguage(), { timeZone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((part) => part.type === 'timeZoneName')?.value;
    return name && !/^(GMT|UTC)/.test(name) ? name : null;
  } catch {
    return null;
  }
}

/** "Central European Time (Europe/Berlin)" in the dashboard's language, or the identifier alone. */
export function timeZoneName(timeZone: string): string {
  const name = zoneName(timeZone);
  return name ? `${name} (${timeZone})` : timeZone;
}

/** Every time zone the browser knows, to choose from while typing, each with its name in the dashboard's language. */
function timeZoneChoices(): HTMLOptionElement[] {
  return Intl.supportedValuesOf('timeZone').map((zone) =>
    h('option', { value: zone, label: zoneName(zone) ?? zone }),
  );
}

/** "Mon 09:00–17:00, Tue 09:00–17:00 · Central European Time (Europe/Berlin)", or "Always". */
export function hoursText(hours: WorkingHours | null): string {
  if (!hours) return t('websites.alwaysOpen');
  const days = WEEKDAYS.flatMap((day) => {
    const times = hours.days[day];
    return times ? [`${weekdayName(day, 'short')} ${times.open}–${times.close}`] : [];
  });
  return `${days.join(', ') || '—'} · ${timeZoneName(hours.timeZone)}`;
}

/** The form for one website's settings, with an error line beside each field and the live preview. */
function websiteForm(options: {
  api: ApiClient;
  website: Website | null;
  /** A key whose preview page can show the draft of a website not saved yet. */
  previewKey: string | null;
  onSaved(website: Website): void;
  onCancel(): void;
}): HTMLElement {
  const start: WebsiteInput = options.website ?? blankWebsite();
  const errors = new Map<string, HTMLParagraphElement>();
  const status = feedback();

  /** A field with a line for its error, which the server names by `name`. */
  const checked = (name: string, element: HTMLElement, control: HTMLElement): HTMLElement => {
    const error = h('p', {
      class: 'field-error',
      id: `website-${name.replace('.', '-')}-error`,
      hidden: true,
    });
    errors.set(name, error);
    control.setAttribute('data-field', name);
    return h('div', null, element, error);
  };

  const name = h('input', { type: 'text', required: true, maxlength: 120, value: start.name });
  const origins = h('textarea', { rows: 3, spellcheck: false, autocomplete: 'off' });
  origins.value = start.origins.join('\n');
  const colorText = h('input', {
    type: 'text',
    maxlength: 7,
    value: start.color,
    class: 'mono',
    spellcheck: false,
  });
  const colorPicker = h('input', {
    type: 'color',
    value: start.color,
    'aria-label': t('websites.colorPicker'),
  });
  colorPicker.addEventListener('input', () => {
    colorText.value = colorPicker.value;
  });
  colorText.addEventListener('input', () => {
    if (/^#[0-9a-fA-F]{6}$/.test(colorText.value.trim()))
      colorPicker.value = colorText.value.trim().toLowerCase();
  });
  const position = select(['right', 'left'] as const, (option) => t(POSITION_LABELS[option]), start.position);
  const label = h('input', { type: 'text', maxlength: 40, value: start.launcherLabel ?? '' });
  const greeting = h('textarea', { rows: 2, maxlength: 500 });
  greeting.value = start.greeting ?? '';
  const agentDisplay = select(
    ['name', 'initials'] as const,
    (option) => t(AGENT_DISPLAY_LABELS[option]),
    start.agentDisplay,
  );
  const languageBoxes = new Map(
    WIDGET_LANGUAGES.map((language) => [
      language,
      h('input', { checked: start.languages.includes(language) }),
    ]),
  );
  const defaultLanguage = select(
    WIDGET_LANGUAGES,
    (language) => WIDGET_LANGUAGE_NAMES[language],
    start.languages[0] ?? 'en',
  );
  const preChatName = select(PRE_CHAT, (option) => t(PRE_CHAT_LABELS[option]), start.preChat.name);
  const preChatEmail = select(PRE_CHAT, (option) => t(PRE_CHAT_LABELS[option]), start.preChat.email);
  const hoursOn = h('input', { checked: start.hours !== null });
  const timeZone = h('input', {
    type: 'text',
    maxlength: 100,
    value: start.hours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    spellcheck: false,
    list: 'website-time-zones',
  });
  const zoneList = h('datalist', { id: 'website-time-zones' });
  // Some four hundred names: looked up once the field is used, not each time the form opens.
  timeZone.addEventListener('focus', () => {
    if (zoneList.childNodes.length === 0) fill(zoneList, timeZoneChoices());
  });
  const dayRows = WEEKDAYS.map((day) => {
    const times = start.hours?.days[day];
    const isOpen = h('input', {
      checked: start.hours ? times !== undefined : day !== 'sat' && day !== 'sun',
    });
    const open = h('input', {
      type: 'time',
      value: times?.open ?? '09:00',
      'aria-label': t('websites.opensAt', { day: weekdayName(day) }),
    });
    const close = h('input', {
      type: 'time',
      value: times?.close ?? '17:00',
      'aria-label': t('websites.closesAt', { day: weekdayName(day) }),
    });
    const row = h('div', { class: 'hours-day' }, checkbox(weekdayName(day), isOpen), open, close);
    return { day, isOpen, open, close, row };
  });
  const hoursBody = h(
    'fieldset',
    { class: 'hours', hidden: !hoursOn.checked },
    h('legend', { class: 'sr-only' }, t('websites.hours')),
    checked('hoursTimeZone', field(t('websites.timeZone'), timeZone, t('websites.timeZoneHint')), timeZone),
    zoneList,
    dayRows.map(({ day, row, open }) => checked(`hours.${day}`, row, open)),
  );
  hoursOn.addEventListener('change', () => {
    hoursBody.hidden = !hoursOn.checked;
  });
  const transcripts = h('input', { checked: start.transcripts });
  const ratings = h('input', { checked: start.ratings });
  const contextBoxes = CONTEXT_ITEMS.map((entry) => ({
    ...entry,
    box: h('input', { checked: start.context[entry.item] }),
  }));

  const fileBoxes = FILE_KIND_ITEMS.map((entry) => ({
    ...entry,
    box: h('input', { checked: (start.fileKinds ?? []).includes(entry.kind) }),
  }));

  const contextChecked = (item: keyof VisitorContextItems): boolean =>
    contextBoxes.find((entry) => entry.item === item)?.box.checked === true;

  const proactiveOn = h('input', { checked: start.proactiveGreeting !== null });
  const proactiveText = h('textarea', { rows: 2, maxlength: 140 });
  proactiveText.value = start.proactiveGreeting?.text ?? '';
  const proactiveAfter = h('input', {
    type: 'number',
    min: 0,
    max: 600,
    step: 1,
    inputmode: 'numeric',
    value: String(start.proactiveGreeting?.after ?? 30),
  });
  const proactivePaths = h('textarea', { rows: 3 });
  proactivePaths.value = (start.proactiveGreeting?.paths ?? ['/*']).join('\n');
  const proactiveBody = h(
    'div',
    { class: 'stack-form', hidden: !proactiveOn.checked },
    checked(
      'proactiveText',
      field(t('websites.proactiveText'), proactiveText, t('websites.proactiveTextHint')),
      proactiveText,
    ),
    checked('proactiveAfter', field(t('websites.proactiveAfter'), proactiveAfter), proactiveAfter),
    checked(
      'proactivePaths',
      field(t('websites.proactivePaths'), proactivePaths, t('websites.proactivePathsHint')),
      proactivePaths,
    ),
  );
  proactiveOn.addEventListener('change', () => {
    proactiveBody.hidden = !proactiveOn.checked;
  });

  const draft = (): WebsiteInput => {
    const offered = WIDGET_LANGUAGES.filter((language) => languageBoxes.get(language)?.checked);
    const first = defaultLanguage.value as WidgetLanguage;
    return {
      name: name.value,
      origins: origins.value.split(/[\s,]+/).filter((line) => line !== ''),
      color: colorText.value.trim(),
      position: position.value as WebsiteInput['position'],
      launcherLabel: label.value.trim() || null,
      greeting: greeting.value.trim() || null,
      agentDisplay: agentDisplay.value as WebsiteInput['agentDisplay'],
      // The default leads, offered or not: choosing it offers it.
      languages: [first, ...offered.filter((language) => language !== first)],
      preChat: { name: preChatName.value as PreChatField, email: preChatEmail.value as PreChatField },
      hours: hoursOn.checked
        ? {
            timeZone: timeZone.value.trim(),
            days: Object.fromEntries(
              dayRows
                .filter((d) => d.isOpen.checked)
                .map((d) => [d.day, { open: d.open.value, close: d.close.value }]),
            ),
          }
        : null,
      transcripts: transcripts.checked,
      ratings: ratings.checked,
      proactiveGreeting: proactiveOn.checked
        ? {
            text: proactiveText.value.trim(),
            // Not a whole number (or empty): sent as it is, for the server to say what is wrong.
            after: proactiveAfter.value.trim() === '' ? -1 : Number(proactiveAfter.value),
            paths: proactivePaths.value
              .split('\n')
              .map((line) => line.trim())
              .filter((line) => line !== ''),
          }
        : null,
      context: {
        pages: contextChecked('pages'),
        localTime: contextChecked('localTime'),
        country: contextChecked('country'),
        browser: contextChecked('browser'),
        history: contextChecked('history'),
      },
      fileKinds: fileBoxes.filter(({ box }) => box.checked).map(({ kind }) => kind),
    };
  };

  // ---- live preview ----
  const key = options.website?.publicKey ?? options.previewKey;
  const frame = key
    ? h('iframe', { class: 'widget-preview', title: t('websites.previewTitle'), src: previewUrl(key, start) })
    : null;
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshPreview = () => {
    if (!frame || !key) return;
    clearTimeout(previewTimer);
    // Redrawn once typing pauses, not on every keystroke: each redraw reloads the page in the frame.
    previewTimer = setTimeout(() => {
      const next = previewUrl(key, draft());
      if (frame.getAttribute('src') !== next) frame.setAttribute('src', next);
    }, 300);
  };

  const showErrors = (fields: Readonly<Record<string, string>>) => {
    for (const [fieldName, line] of errors) {
      const message = fields[fieldName];
      line.textContent = message ?? '';
      line.hidden = message === undefined;
      const control = form.querySelector(`[data-field="${fieldName}"]`);
      if (message) {
        control?.setAttribute('aria-invalid', 'true');
        control?.setAttribute('aria-describedby', line.id);
      } else control?.removeAttribute('aria-invalid');
    }
    // A problem with no field of its own (the hours as a whole) is said in the form's status line.
    const elsewhere = Object.entries(fields).filter(([fieldName]) => !errors.has(fieldName));
    return elsewhere.map(([, message]) => message).join(' ');
  };

  const departments = offeredDepartments(options.api, options.website?.id ?? null);
  const cancel = h('button', { type: 'button', class: 'button' }, t('websites.cancel'));
  cancel.addEventListener('click', () => options.onCancel());
  const form = h(
    'form',
    { class: 'stack-form website-form', novalidate: true },
    checked('name', field(t('websites.name'), name, t('websites.nameHint')), name),
    checked('origins', field(t('websites.origins'), origins, t('websites.originsHint')), origins),
    h(
      'div',
      { class: 'website-look' },
      checked(
        'color',
        h(
          'div',
          { class: 'color-row' },
          field(t('websites.color'), colorText, t('websites.colorHint')),
          colorPicker,
        ),
        colorText,
      ),
      checked('position', field(t('websites.position'), position), position),
      checked('launcherLabel', field(t('websites.label'), label, t('websites.labelHint')), label),
    ),
    checked('greeting', field(t('websites.greeting'), greeting, t('websites.greetingHint')), greeting),
    checked('agentDisplay', field(t('websites.agentDisplay'), agentDisplay), agentDisplay),
    h(
      'fieldset',
      { class: 'languages' },
      h('legend', null, t('websites.languages')),
      h('p', { class: 'hint' }, t('websites.languagesHint')),
      WIDGET_LANGUAGES.map((language) =>
        checkbox(WIDGET_LANGUAGE_NAMES[language], languageBoxes.get(language)!),
      ),
      checked('languages', field(t('websites.defaultLanguage'), defaultLanguage), defaultLanguage),
    ),
    checked('preChatName', field(t('websites.preChatName'), preChatName), preChatName),
    checked('preChatEmail', field(t('websites.preChatEmail'), preChatEmail), preChatEmail),
    h(
      'fieldset',
      { class: 'hours-section' },
      h('legend', null, t('websites.hours')),
      checkbox(t('websites.hoursOn'), hoursOn, t('websites.hoursHint')),
      hoursBody,
    ),
    checkbox(t('websites.transcripts'), transcripts),
    checkbox(t('websites.ratings'), ratings),
    h(
      'fieldset',
      { class: 'proactive-section' },
      h('legend', null, t('websites.proactive')),
      checkbox(t('websites.proactiveOn'), proactiveOn, t('websites.proactiveHint')),
      proactiveBody,
    ),
    h(
      'fieldset',
      { class: 'visitor-context' },
      h('legend', null, t('websites.context')),
      h('p', { class: 'hint' }, t('websites.contextHint')),
      contextBoxes.map(({ label, hint, box }) => checkbox(t(label), box, t(hint))),
    ),
    h(
      'fieldset',
      { class: 'file-kinds' },
      h('legend', null, t('websites.files')),
      h('p', { class: 'hint' }, t('websites.filesHint')),
      fileBoxes.map(({ label, box }) => checkbox(t(label), box)),
    ),
    departments.element,
    status.element,
    h(
      'div',
      { class: 'button-row' },
      h(
        'button',
        { type: 'submit', class: 'button button-primary' },
        options.website ? t('websites.save') : t('websites.create'),
      ),
      cancel,
    ),
  );
  form.addEventListener('input', refreshPreview);
  form.addEventListener('change', refreshPreview);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    showErrors({});
    const input = draft();
    try {
      const saved = await busy(form, async () => {
        const website = options.website
          ? await options.api.updateWebsite(options.website.id, input)
          : await options.api.createWebsite(input);
        const chosen = departments.chosen();
        if (chosen) await options.api.setWebsiteDepartments(website.id, chosen);
        return website;
      });
      options.onSaved(saved);
    } catch (error) {
      // Nothing typed is lost: the form stays as it was, with each problem beside its field.
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        const rest = showErrors(error.fields);
        status.error(rest ? `${t('websites.fixFields')} ${rest}` : t('websites.fixFields'));
        form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      } else status.error(messageOf(error));
    }
  });

  return h(
    'div',
    { class: 'website-editor' },
    form,
    h(
      'aside',
      { class: 'website-preview' },
      h('h3', null, t('websites.preview')),
      h('p', { class: 'hint' }, frame ? t('websites.previewHint') : t('websites.previewAfterSave')),
      frame,
    ),
  );
}

/**
 * The departments the website's pre-chat form offers, as checkboxes, filled in once the account's departments (and
 * the website's choice, when it exists) have loaded. `chosen` is null until then, so saving never clears a choice
 * the form could not show.
 */
function offeredDepartments(api: ApiClient, websiteId: string | null) {
  const body = h('div', null, h('p', { class: 'hint' }, t('departments.loading')));
  let boxes: Array<{ id: string; box: HTMLInputElement }> | null = null;
  Promise.all([api.departments(), websiteId ? api.websiteDepartments(websiteId) : Promise.resolve([])])
    .then(([{ departments }, offered]) => {
      const shown = departments.map((department) => ({
        id: department.id,
        name: department.name,
        box: h('input', { checked: offered.some((o) => o.id === department.id) }),
      }));
      boxes = shown;
      fill(
        body,
        departments.length === 0
          ? h('p', { class: 'hint' }, t('departments.noneToOffer'))
          : h('p', { class: 'hint' }, t('departments.offeredHint')),
        shown.map(({ name, box }) => checkbox(name, box)),
      );
    })
    .catch((error: unknown) => fill(body, h('p', { class: 'feedback feedback-error' }, messageOf(error))));
  return {
    element: h('fieldset', null, h('legend', null, t('departments.offered')), body),
    chosen: (): string[] | null =>
      boxes === null || boxes.length === 0 ? null : boxes.filter((b) => b.box.checked).map((b) => b.id),
  };
}

/** One website as everyone sees it: its snippet, ready to copy, and its settings. */
function websiteCard(website: Website, actions: HTMLElement | null): HTMLElement {
  const snippet = h('input', { type: 'text', readonly: true, value: website.snippet, class: 'mono' });
  const copy = h('button', { type: 'button', class: 'button' }, t('websites.copy'));
  const copyStatus = feedback();
  copy.addEventListener('click', async () => {
    if (await copyText(website.snippet, snippet)) copyStatus.success(t('websites.copied'));
    else copyStatus.info(t('websites.copyByHand'));
  });
  return h(
    'section',
    { class: 'card website-card', 'data-website': website.id },
    h(
      'h2',
      null,
      // A colour input shows the colour itself, which a style attribute may not (the page's CSP forbids them).
      h('input', {
        type: 'color',
        value: website.color,
        disabled: true,
        tabindex: -1,
        'aria-hidden': 'true',
        class: 'swatch',
      }),
      website.name,
    ),
    h('div', { class: 'copy-row' }, field(t('websites.snippet'), snippet, t('websites.snippetHint')), copy),
    copyStatus.element,
    website.origins.length === 0
      ? h('p', { class: 'feedback feedback-info' }, t('websites.originsAny'))
      : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, t('websites.key')),
      h('dd', { class: 'mono break' }, website.publicKey),
      h('dt', null, t('websites.summary.origins')),
      h('dd', null, website.origins.length > 0 ? website.origins.join(', ') : t('websites.summary.any')),
      h('dt', null, t('websites.color')),
      h('dd', { class: 'mono' }, website.color),
      h('dt', null, t('websites.languages')),
      h('dd', null, website.languages.map((language) => WIDGET_LANGUAGE_NAMES[language]).join(', ')),
      h('dt', null, t('websites.summary.hours')),
      h('dd', null, hoursText(website.hours)),
      h('dt', null, t('websites.greeting')),
      h('dd', null, website.greeting ?? '—'),
      h('dt', null, t('websites.proactive')),
      h(
        'dd',
        null,
        website.proactiveGreeting
          ? `${website.proactiveGreeting.text} (${website.proactiveGreeting.paths.join(', ')})`
          : '—',
      ),
    ),
    actions,
  );
}

/** The account's websites: everyone sees their snippets and settings; owners and admins change them. */
export function websitesView(options: WebsitesViewOptions): View {
  const { api, canEdit } = options;
  const list = h('div', { class: 'website-list' }, h('p', null, t('websites.loading')));
  const status = feedback();
  let websites: Website[] = [];
  /** The website being edited, `new` for one being added, or null. */
  let editing: string | null = null;

  /** The form for `website` (null: a new one); `store` keeps what was saved and says what to tell the user. */
  const editor = (
    title: string,
    website: Website | null,
    previewKey: string | null,
    store: (saved: Website) => string,
  ): HTMLElement =>
    section(
      title,
      websiteForm({
        api,
        website,
        previewKey,
        onSaved: (saved) => {
          const message = store(saved);
          editing = null;
          render();
          status.success(message);
        },
        onCancel: () => {
          editing = null;
          render();
        },
      }),
    );

  const render = () => {
    const cards = websites.map((website) => {
      if (editing === website.id)
        return editor(website.name, website, website.publicKey, (saved) => {
          websites = websites.map((w) => (w.id === saved.id ? saved : w));
          return t('websites.saved');
        });
      if (!canEdit) return websiteCard(website, null);
      const edit = h('button', { type: 'button', class: 'button' }, t('websites.edit'));
      edit.addEventListener('click', () => {
        editing = website.id;
        status.clear();
        render();
      });
      const remove = h(
        'button',
        { type: 'button', class: 'button button-danger-quiet' },
        t('websites.delete'),
      );
      remove.addEventListener('click', async () => {
        status.clear();
        const confirmed = await confirmDialog({
          title: t('websites.deleteTitle', { name: website.name }),
          body: [t('websites.deleteStops'), t('websites.deleteKeeps')],
          confirmLabel: t('websites.deleteConfirm'),
          danger: true,
        });
        if (!confirmed) return;
        try {
          await busy(remove, () => api.deleteWebsite(website.id));
          websites = websites.filter((w) => w.id !== website.id);
          render();
          status.success(t('websites.deleted'));
        } catch (error) {
          status.error(messageOf(error));
        }
      });
      return websiteCard(
        website,
        h('div', { class: 'button-row' }, edit, websites.length > 1 ? remove : null),
      );
    });
    const adding =
      editing === 'new'
        ? editor(t('websites.newWebsite'), null, websites[0]?.publicKey ?? null, (saved) => {
            websites = [...websites, saved];
            return t('websites.created');
          })
        : null;
    const add = h(
      'button',
      { type: 'button', class: 'button button-primary', hidden: !canEdit || editing !== null },
      t('websites.add'),
    );
    add.addEventListener('click', () => {
      editing = 'new';
      status.clear();
      render();
    });
    fill(list, canEdit ? null : h('p', { class: 'hint' }, t('websites.readOnly')), cards, adding, add);
  };

  api
    .websites()
    .then((found) => {
      websites = found;
      render();
    })
    .catch((error: unknown) => {
      fill(list);
      status.error(describeFailure(error, t('websites.list')));
    });

  return {
    element: page(t('shell.nav.websites'), t('websites.intro'), status.element, list),
    destroy() {},
  };
}
