import type { PreChatField, WidgetLanguage } from '@parley/protocol';
import { type ApiClient, ApiError, describeFailure, messageOf } from '../api-client.ts';
import type { Website, WebsiteInput, Weekday, WorkingHours } from '../api-types.ts';
import { copyText } from '../clipboard.ts';
import { busy, checkbox, feedback, field, fill, h, type View } from '../dom.ts';
import { confirmDialog } from './dialog.ts';
import { page, section } from './page.ts';

/** Every word this view shows, in one place so that it can be translated. */
export const WEBSITES_TEXT = {
  title: 'Websites',
  intro:
    'Each website you put the chat on has its own snippet and its own look, languages and hours. Visitors see the settings of the website they are on.',
  loading: 'Loading the websites…',
  list: 'Websites',
  add: 'Add a website',
  edit: 'Edit',
  cancel: 'Cancel',
  save: 'Save website',
  create: 'Create website',
  saved: 'Saved. Pages that already loaded the widget show the new look within five minutes.',
  created: 'Created. Paste its snippet into the pages of that website.',
  delete: 'Delete website…',
  deleteTitle: (name: string) => `Delete ${name}?`,
  deleteBody: [
    'The chat stops working on every page that uses this website’s snippet.',
    'Its conversations stay in the history.',
  ],
  deleteConfirm: 'Delete website',
  deleted: 'The website was deleted.',
  readOnly: 'Only the account’s owner and admins can change websites.',
  newWebsite: 'New website',
  snippet: 'Snippet',
  snippetHint: 'Paste it into every page of this website, just before </body>.',
  copy: 'Copy snippet',
  copied: 'Copied.',
  copyByHand: 'Press Ctrl+C (or ⌘C) to copy the selected snippet.',
  key: 'Public key',
  name: 'Name',
  nameHint: 'For you and your agents: each chat shows the website it came from.',
  origins: 'Allowed origins',
  originsHint:
    'One per line, e.g. https://www.example.com (add :port if any). Pages on any other origin cannot open the chat.',
  originsAny:
    'No origins listed yet: any website can embed this snippet and open chats. List your origins to stop that.',
  color: 'Colour',
  colorHint: 'The launcher’s and the chat’s colour, as #rrggbb.',
  colorPicker: 'Pick the colour',
  position: 'Launcher position',
  positions: { right: 'Bottom right', left: 'Bottom left' },
  label: 'Launcher label',
  labelHint: 'Optional text beside the chat icon, up to 40 characters.',
  greeting: 'Greeting',
  greetingHint:
    'The first thing the chat says. Leave empty for the default greeting in the visitor’s language.',
  agentDisplay: 'Agents are shown to visitors by',
  agentDisplays: { name: 'Their name', initials: 'Their initials' },
  languages: 'Languages',
  languagesHint: 'The widget speaks the first of these the visitor’s browser prefers.',
  defaultLanguage: 'Default language',
  preChatName: 'Pre-chat: name',
  preChatEmail: 'Pre-chat: email address',
  preChatFields: { off: 'Not asked', optional: 'Asked, optional', required: 'Required' },
  hours: 'Working hours',
  hoursOn: 'Agents answer only during working hours',
  hoursHint: 'Outside them the widget offers visitors the offline form.',
  timeZone: 'Time zone',
  timeZoneHint: 'For example Europe/Berlin.',
  open: 'Opens',
  close: 'Closes',
  days: {
    mon: 'Monday',
    tue: 'Tuesday',
    wed: 'Wednesday',
    thu: 'Thursday',
    fri: 'Friday',
    sat: 'Saturday',
    sun: 'Sunday',
  },
  dayOpen: (day: string) => `Open on ${day}`,
  transcripts: 'Visitors may have the transcript mailed to them',
  ratings: 'Ask visitors to rate a chat once it ends',
  preview: 'Preview',
  previewHint:
    'The real widget with the look and languages above, updated as you type. The greeting and hours apply once saved.',
  previewTitle: 'Preview of the widget',
  previewAfterSave: 'The preview appears once the website is saved.',
  fixFields: 'Some settings need a change; see the fields marked below.',
  alwaysOpen: 'Always',
  summary: {
    origins: 'Origins',
    any: 'Any (none listed yet)',
    languages: 'Languages',
    hours: 'Hours',
    color: 'Colour',
  },
  languageNames: {
    en: 'English',
    de: 'Deutsch',
    fr: 'Français',
    es: 'Español',
    it: 'Italiano',
    nl: 'Nederlands',
    pt: 'Português',
    pl: 'Polski',
  } satisfies Record<WidgetLanguage, string>,
} as const;

const T = WEBSITES_TEXT;
/** The widget's languages, in the order the form lists them; every one has a name above (the protocol's list). */
const WIDGET_LANGUAGES = Object.keys(T.languageNames) as WidgetLanguage[];
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PRE_CHAT: readonly PreChatField[] = ['off', 'optional', 'required'];

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
  };
}

/** The preview page's address for `key` with the launcher part of the draft settings. */
export function previewUrl(key: string, draft: WebsiteInput): string {
  const query = new URLSearchParams({
    color: draft.color,
    position: draft.position,
    label: draft.launcherLabel ?? '',
    languages: draft.languages.join(','),
  });
  return `/w/${encodeURIComponent(key)}/preview?${query.toString()}`;
}

function select<V extends string>(
  options: readonly V[],
  labels: Record<V, string>,
  value: V,
): HTMLSelectElement {
  return h(
    'select',
    null,
    options.map((option) => h('option', { value: option, selected: option === value }, labels[option])),
  );
}

function hoursText(hours: WorkingHours | null): string {
  if (!hours) return T.alwaysOpen;
  const days = WEEKDAYS.flatMap((day) => {
    const times = hours.days[day];
    return times ? [`${T.days[day].slice(0, 3)} ${times.open}–${times.close}`] : [];
  });
  return `${days.join(', ') || '—'} (${hours.timeZone})`;
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
  const colorPicker = h('input', { type: 'color', value: start.color, 'aria-label': T.colorPicker });
  colorPicker.addEventListener('input', () => {
    colorText.value = colorPicker.value;
  });
  colorText.addEventListener('input', () => {
    if (/^#[0-9a-fA-F]{6}$/.test(colorText.value.trim()))
      colorPicker.value = colorText.value.trim().toLowerCase();
  });
  const position = select(['right', 'left'] as const, T.positions, start.position);
  const label = h('input', { type: 'text', maxlength: 40, value: start.launcherLabel ?? '' });
  const greeting = h('textarea', { rows: 2, maxlength: 500 });
  greeting.value = start.greeting ?? '';
  const agentDisplay = select(['name', 'initials'] as const, T.agentDisplays, start.agentDisplay);
  const languageBoxes = new Map(
    WIDGET_LANGUAGES.map((language) => [
      language,
      h('input', { checked: start.languages.includes(language) }),
    ]),
  );
  const defaultLanguage = select(WIDGET_LANGUAGES, T.languageNames, start.languages[0] ?? 'en');
  const preChatName = select(PRE_CHAT, T.preChatFields, start.preChat.name);
  const preChatEmail = select(PRE_CHAT, T.preChatFields, start.preChat.email);
  const hoursOn = h('input', { checked: start.hours !== null });
  const timeZone = h('input', {
    type: 'text',
    maxlength: 100,
    value: start.hours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    spellcheck: false,
  });
  const dayRows = WEEKDAYS.map((day) => {
    const times = start.hours?.days[day];
    const isOpen = h('input', {
      checked: start.hours ? times !== undefined : day !== 'sat' && day !== 'sun',
    });
    const open = h('input', {
      type: 'time',
      value: times?.open ?? '09:00',
      'aria-label': `${T.days[day]}: ${T.open}`,
    });
    const close = h('input', {
      type: 'time',
      value: times?.close ?? '17:00',
      'aria-label': `${T.days[day]}: ${T.close}`,
    });
    const row = h('div', { class: 'hours-day' }, checkbox(T.days[day], isOpen), open, close);
    return { day, isOpen, open, close, row };
  });
  const hoursBody = h(
    'fieldset',
    { class: 'hours', hidden: !hoursOn.checked },
    h('legend', { class: 'sr-only' }, T.hours),
    checked('hoursTimeZone', field(T.timeZone, timeZone, T.timeZoneHint), timeZone),
    dayRows.map(({ day, row, open }) => checked(`hours.${day}`, row, open)),
  );
  hoursOn.addEventListener('change', () => {
    hoursBody.hidden = !hoursOn.checked;
  });
  const transcripts = h('input', { checked: start.transcripts });
  const ratings = h('input', { checked: start.ratings });

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
    };
  };

  // ---- live preview ----
  const key = options.website?.publicKey ?? options.previewKey;
  const frame = key
    ? h('iframe', { class: 'widget-preview', title: T.previewTitle, src: previewUrl(key, start) })
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

  const cancel = h('button', { type: 'button', class: 'button' }, T.cancel);
  cancel.addEventListener('click', () => options.onCancel());
  const form = h(
    'form',
    { class: 'stack-form website-form', novalidate: true },
    checked('name', field(T.name, name, T.nameHint), name),
    checked('origins', field(T.origins, origins, T.originsHint), origins),
    h(
      'div',
      { class: 'website-look' },
      checked(
        'color',
        h('div', { class: 'color-row' }, field(T.color, colorText, T.colorHint), colorPicker),
        colorText,
      ),
      checked('position', field(T.position, position), position),
      checked('launcherLabel', field(T.label, label, T.labelHint), label),
    ),
    checked('greeting', field(T.greeting, greeting, T.greetingHint), greeting),
    checked('agentDisplay', field(T.agentDisplay, agentDisplay), agentDisplay),
    h(
      'fieldset',
      { class: 'languages' },
      h('legend', null, T.languages),
      h('p', { class: 'hint' }, T.languagesHint),
      WIDGET_LANGUAGES.map((language) => checkbox(T.languageNames[language], languageBoxes.get(language)!)),
      checked('languages', field(T.defaultLanguage, defaultLanguage), defaultLanguage),
    ),
    checked('preChatName', field(T.preChatName, preChatName), preChatName),
    checked('preChatEmail', field(T.preChatEmail, preChatEmail), preChatEmail),
    h(
      'fieldset',
      { class: 'hours-section' },
      h('legend', null, T.hours),
      checkbox(T.hoursOn, hoursOn, T.hoursHint),
      hoursBody,
    ),
    checkbox(T.transcripts, transcripts),
    checkbox(T.ratings, ratings),
    status.element,
    h(
      'div',
      { class: 'button-row' },
      h('button', { type: 'submit', class: 'button button-primary' }, options.website ? T.save : T.create),
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
      const saved = await busy(form, () =>
        options.website
          ? options.api.updateWebsite(options.website.id, input)
          : options.api.createWebsite(input),
      );
      options.onSaved(saved);
    } catch (error) {
      // Nothing typed is lost: the form stays as it was, with each problem beside its field.
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        const rest = showErrors(error.fields);
        status.error(rest ? `${T.fixFields} ${rest}` : T.fixFields);
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
      h('h3', null, T.preview),
      h('p', { class: 'hint' }, frame ? T.previewHint : T.previewAfterSave),
      frame,
    ),
  );
}

/** One website as everyone sees it: its snippet, ready to copy, and its settings. */
function websiteCard(website: Website, actions: HTMLElement | null): HTMLElement {
  const snippet = h('input', { type: 'text', readonly: true, value: website.snippet, class: 'mono' });
  const copy = h('button', { type: 'button', class: 'button' }, T.copy);
  const copyStatus = feedback();
  copy.addEventListener('click', async () => {
    if (await copyText(website.snippet, snippet)) copyStatus.success(T.copied);
    else copyStatus.info(T.copyByHand);
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
    h('div', { class: 'copy-row' }, field(T.snippet, snippet, T.snippetHint), copy),
    copyStatus.element,
    website.origins.length === 0 ? h('p', { class: 'feedback feedback-info' }, T.originsAny) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, T.key),
      h('dd', { class: 'mono break' }, website.publicKey),
      h('dt', null, T.summary.origins),
      h('dd', null, website.origins.length > 0 ? website.origins.join(', ') : T.summary.any),
      h('dt', null, T.summary.color),
      h('dd', { class: 'mono' }, website.color),
      h('dt', null, T.summary.languages),
      h('dd', null, website.languages.map((language) => T.languageNames[language]).join(', ')),
      h('dt', null, T.summary.hours),
      h('dd', null, hoursText(website.hours)),
      h('dt', null, T.greeting),
      h('dd', null, website.greeting ?? '—'),
    ),
    actions,
  );
}

/** The account's websites: everyone sees their snippets and settings; owners and admins change them. */
export function websitesView(options: WebsitesViewOptions): View {
  const { api, canEdit } = options;
  const list = h('div', { class: 'website-list' }, h('p', null, T.loading));
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
          return T.saved;
        });
      if (!canEdit) return websiteCard(website, null);
      const edit = h('button', { type: 'button', class: 'button' }, T.edit);
      edit.addEventListener('click', () => {
        editing = website.id;
        status.clear();
        render();
      });
      const remove = h('button', { type: 'button', class: 'button button-danger-quiet' }, T.delete);
      remove.addEventListener('click', async () => {
        status.clear();
        const confirmed = await confirmDialog({
          title: T.deleteTitle(website.name),
          body: [...T.deleteBody],
          confirmLabel: T.deleteConfirm,
          danger: true,
        });
        if (!confirmed) return;
        try {
          await busy(remove, () => api.deleteWebsite(website.id));
          websites = websites.filter((w) => w.id !== website.id);
          render();
          status.success(T.deleted);
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
        ? editor(T.newWebsite, null, websites[0]?.publicKey ?? null, (saved) => {
            websites = [...websites, saved];
            return T.created;
          })
        : null;
    const add = h(
      'button',
      { type: 'button', class: 'button button-primary', hidden: !canEdit || editing !== null },
      T.add,
    );
    add.addEventListener('click', () => {
      editing = 'new';
      status.clear();
      render();
    });
    fill(list, canEdit ? null : h('p', { class: 'hint' }, T.readOnly), cards, adding, add);
  };

  api
    .websites()
    .then((found) => {
      websites = found;
      render();
    })
    .catch((error: unknown) => {
      fill(list);
      status.error(describeFailure(error, T.list));
    });

  return {
    element: page(T.title, T.intro, status.element, list),
    destroy() {},
  };
}
