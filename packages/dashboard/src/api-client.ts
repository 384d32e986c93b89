import type { ChatMessage } from '@parley/protocol';
import type {
  Account,
  AccountUpdate,
  CannedReply,
  ClosedConversations,
  ConversationDetail,
  Department,
  Departments,
  EnrolmentOffer,
  Invitation,
  OfflineMessage,
  OfflineReply,
  PrivacyRequest,
  Profile,
  ProfileChange,
  RequestKind,
  SearchParams,
  SearchResults,
  SecondFactorStatus,
  SecondFactorStep,
  Session,
  SignInRecord,
  StatFigure,
  SupportMessage,
  SupportThread,
  Tag,
  TagFigure,
  TeamMember,
  VisitorBlock,
  VisitorRecord,
  Website,
  WebsiteInput,
} from './api-types.ts';
import { currentLanguage, type Language, type MessageKey, t } from './i18n/i18n.ts';

/** An API failure with the server's code and a message fit to show the user. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's `error.code`, or `network`, `bad_response` or `http_<status>` when it sent none. */
    readonly code: string,
    message: string,
    /** What was wrong with each field of a form, by the field's name, when the server said. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Prefix for every path; the dashboard is served under `/app`. */
  base?: string;
  /** Called when a request that needs a session gets 401: the session expired or was revoked. */
  onUnauthorized?: (error: ApiError) => void;
}

interface RequestOptions {
  body?: unknown;
  /** Sent as the request's body as it is (a file), with these headers, instead of `body` as JSON. */
  file?: { body: Blob; headers: Record<string, string> };
  /** False for requests made without a session (sign-in, invitations): their 401 is an answer, not an expiry. */
  session?: boolean;
}

const FALLBACK_MESSAGES: Record<number, MessageKey> = {
  400: 'api.400',
  403: 'api.403',
  // A 404 without Parley's error body comes from a route the server does not have (yet), not from a missing record.
  404: 'api.404',
  409: 'api.409',
  413: 'api.413',
  429: 'api.429',
};

function fallbackMessage(status: number): string {
  if (status === 401) return t('api.401');
  if (status >= 500) return t('api.500');
  const known = FALLBACK_MESSAGES[status];
  return known ? t(known) : t('api.failed', { status: String(status) });
}

/** Reads `{ error: { code, message } }` from a failed response, tolerating any other body. */
async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = fallbackMessage(response.status);
  let fields: Record<string, string> = {};
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; fields?: unknown };
    } | null;
    const error = body?.error;
    if (error && typeof error.code === 'string') code = error.code;
    if (error && typeof error.message === 'string' && error.message.trim() !== '') message = error.message;
    if (error && typeof error.fields === 'object' && error.fields !== null)
      fields = Object.fromEntries(
        Object.entries(error.fields).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
  } catch {
    // Not JSON (a proxy's error page, an empty body): keep the fallback.
  }
  return new ApiError(response.status, code, message, fields);
}

/**
 * The dashboard's HTTP client: same-origin, cookie-authenticated JSON with the CSRF header on every state-changing
 * request. Every failure is an `ApiError` whose message can be shown as is.
 */
export class ApiClient {
  readonly #fetch: FetchLike;
  readonly #base: string;
  /** Called when a request that needs a session gets 401. */
  onUnauthorized: ((error: ApiError) => void) | undefined;
  #csrfToken: string | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#base = options.base ?? '/app/api';
    this.onUnauthorized = options.onUnauthorized;
  }

  get signedIn(): boolean {
    return this.#csrfToken !== null;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    // The server writes its error messages in the language asked for first: the one the dashboard speaks.
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-language': currentLanguage(),
    };
    const changesState = method !== 'GET' && method !== 'HEAD';
    if (changesState) {
      headers['content-type'] = options.file
        ? options.file.body.type || 'application/octet-stream'
        : 'application/json';
      if (this.#csrfToken) headers['x-parley-csrf'] = this.#csrfToken;
      Object.assign(headers, options.file?.headers);
    }
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: options.file ? options.file.body : changesState ? JSON.stringify(options.body ?? {}) : null,
      });
    } catch {
      throw new ApiError(0, 'network', t('api.network'));
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && options.session !== false) {
        this.#csrfToken = null;
        this.onUnauthorized?.(error);
      }
      throw error;
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'bad_response', t('api.badResponse'));
    }
  }

  #session(session: Session): Session {
    this.#csrfToken = session.csrfToken;
    return session;
  }

  /** Forgets the CSRF token, e.g. after the server ended the session on its own. */
  forget(): void {
    this.#csrfToken = null;
  }

  // ---- session ------------------------------------------------------------------------------------------------------

  async me(): Promise<Session> {
    return this.#session(await this.request<Session>('GET', '/me', { session: false }));
  }

  /** The password step: a session, or the second factor's step (SEC-1). */
  async signIn(input: {
    email: string;
    password: string;
    rememberEmail: boolean;
  }): Promise<Session | SecondFactorStep> {
    const answer = await this.request<Session | SecondFactorStep>('POST', '/sign-in', {
      body: input,
      session: false,
    });
    return 'csrfToken' in answer ? this.#session(answer) : answer;
  }

  /** SEC-1: the second step, with a code from the app or a recovery code. */
  async signInWithCode(input: { challenge: string; code: string; rememberEmail: boolean }): Promise<Session> {
    return this.#session(
      await this.request<Session>('POST', '/sign-in/second-factor', { body: input, session: false }),
    );
  }

  /** SEC-1: someone required to have a second factor sets it up before their first session. */
  enrolAtSignIn(challenge: string): Promise<EnrolmentOffer> {
    return this.request('POST', '/sign-in/enrol', { body: { challenge }, session: false });
  }

  async confirmAtSignIn(input: {
    challenge: string;
    code: string;
    rememberEmail: boolean;
  }): Promise<Session & { recoveryCodes: string[] }> {
    const session = await this.request<Session & { recoveryCodes: string[] }>(
      'POST',
      '/sign-in/enrol/confirm',
      {
        body: input,
        session: false,
      },
    );
    this.#session(session);
    return session;
  }

  async signOut(): Promise<void> {
    try {
      await this.request<void>('POST', '/sign-out', { session: false });
    } finally {
      this.#csrfToken = null;
    }
  }

  rememberedEmail(): Promise<{ email: string | null }> {
    return this.request('GET', '/remembered-email', { session: false });
  }

  invitation(token: string): Promise<Invitation> {
    return this.request('GET', `/invitations/${encodeURIComponent(token)}`, { session: false });
  }

  async acceptInvitation(token: string, password: string): Promise<Session> {
    const path = `/invitations/${encodeURIComponent(token)}/accept`;
    return this.#session(await this.request<Session>('POST', path, { body: { password }, session: false }));
  }

  /** RET-2: confirms a new sign-in email from the link mailed to it; works signed in or not. */
  confirmEmail(token: string): Promise<{ email: string }> {
    return this.request('POST', `/email-change/${encodeURIComponent(token)}/confirm`, { session: false });
  }

  /** RET-2: mails a password link if the address signs in; the answer is the same either way. */
  askPasswordReset(email: string): Promise<{ message: string }> {
    return this.request('POST', '/password-reset', { body: { email }, session: false });
  }

  passwordReset(token: string): Promise<{ email: string; expiresAt: string }> {
    return this.request('GET', `/password-reset/${encodeURIComponent(token)}`, { session: false });
  }

  resetPassword(token: string, password: string): Promise<{ email: string }> {
    return this.request('POST', `/password-reset/${encodeURIComponent(token)}`, {
      body: { password },
      session: false,
    });
  }

  // ---- one's own profile and sign-ins -------------------------------------------------------------------------------

  profile(): Promise<Profile> {
    return this.request('GET', '/profile');
  }

  updateProfile(change: ProfileChange): Promise<Profile> {
    return this.request('PATCH', '/profile', { body: change });
  }

  /**
   * Mails a confirmation link to the new address; the current password proves it is the person asking. A wrong
   * password is a 401 answer here, not the end of the session.
   */
  changeEmail(input: {
    email: string;
    password: string;
  }): Promise<{ pendingEmail: string; expiresAt: string }> {
    return this.request('POST', '/profile/email', { body: input, session: false });
  }

  /** Ends every other sign-in of this person; this one stays. A wrong current password is a 401 answer here. */
  changePassword(input: {
    currentPassword: string;
    newPassword: string;
  }): Promise<{ sessionsEnded: number }> {
    return this.request('POST', '/profile/password', { body: input, session: false });
  }

  secondFactor(): Promise<SecondFactorStatus> {
    return this.request('GET', '/second-factor');
  }

  startEnrolment(): Promise<EnrolmentOffer> {
    return this.request('POST', '/second-factor/enrol');
  }

  confirmEnrolment(code: string): Promise<{ recoveryCodes: string[] }> {
    return this.request('POST', '/second-factor/confirm', { body: { code } });
  }

  turnOffSecondFactor(code: string): Promise<{ enrolled: false }> {
    return this.request('POST', '/second-factor/disable', { body: { code } });
  }

  resetSecondFactor(agentId: string): Promise<{ reset: string }> {
    return this.request('DELETE', `/agents/${encodeURIComponent(agentId)}/second-factor`);
  }

  signIns(): Promise<{ sessions: SignInRecord[] }> {
    return this.request('GET', '/sessions');
  }

  endSignIn(id: string): Promise<{ ended: number; current: boolean }> {
    return this.request('DELETE', `/sessions/${encodeURIComponent(id)}`);
  }

  endOtherSignIns(): Promise<{ ended: number }> {
    return this.request('POST', '/sessions/end-others');
  }

  // ---- team ---------------------------------------------------------------------------------------------------------

  agents(): Promise<{ agents: TeamMember[] }> {
    return this.request('GET', '/agents');
  }

  invite(input: { email: string; name: string }): Promise<{ link: string; expiresAt?: string }> {
    return this.request('POST', '/invitations', { body: input });
  }

  /** Makes a member an admin or a plain agent; their open dashboards reconnect with the new rights. */
  setRole(id: string, role: 'admin' | 'agent'): Promise<{ agent: TeamMember }> {
    return this.request('PATCH', `/agents/${encodeURIComponent(id)}`, { body: { role } });
  }

  removeAgent(id: string): Promise<void> {
    return this.request('DELETE', `/agents/${encodeURIComponent(id)}`);
  }

  // ---- account ------------------------------------------------------------------------------------------------------

  async account(): Promise<Account> {
    return unwrapAccount(await this.request<Account | { account: Account }>('GET', '/account'));
  }

  async updateAccount(update: AccountUpdate): Promise<Account | null> {
    const body = await this.request<Account | { account: Account } | undefined>('PATCH', '/account', {
      body: update,
    });
    return body ? unwrapAccount(body) : null;
  }

  rotateApiKey(): Promise<{ apiKey: string }> {
    return this.request('POST', '/api-key');
  }

  // ---- canned replies and tags ---------------------------------------------------------------------------------------

  async cannedReplies(): Promise<CannedReply[]> {
    return (await this.request<{ cannedReplies: CannedReply[] }>('GET', '/canned-replies')).cannedReplies;
  }

  createCannedReply(input: { shortName: string; body: string }): Promise<CannedReply> {
    return this.request('POST', '/canned-replies', { body: input });
  }

  deleteCannedReply(id: string): Promise<void> {
    return this.request('DELETE', `/canned-replies/${encodeURIComponent(id)}`);
  }

  createTag(input: { name: string; color?: string | null }): Promise<Tag> {
    return this.request('POST', '/tags', { body: input });
  }

  deleteTag(id: string): Promise<void> {
    return this.request('DELETE', `/tags/${encodeURIComponent(id)}`);
  }

  async tags(): Promise<Tag[]> {
    return (await this.request<{ tags: Tag[] }>('GET', '/tags')).tags;
  }

  tagConversation(conversationId: string, tagId: string): Promise<void> {
    return this.request(
      'PUT',
      `/conversations/${encodeURIComponent(conversationId)}/tags/${encodeURIComponent(tagId)}`,
    );
  }

  untagConversation(conversationId: string, tagId: string): Promise<void> {
    return this.request(
      'DELETE',
      `/conversations/${encodeURIComponent(conversationId)}/tags/${encodeURIComponent(tagId)}`,
    );
  }

  // ---- departments --------------------------------------------------------------------------------------------------

  departments(): Promise<Departments> {
    return this.request('GET', '/departments');
  }

  createDepartment(name: string): Promise<Department> {
    return this.request('POST', '/departments', { body: { name } });
  }

  renameDepartment(id: string, name: string): Promise<{ id: string; name: string }> {
    return this.request('PATCH', `/departments/${encodeURIComponent(id)}`, { body: { name } });
  }

  deleteDepartment(id: string): Promise<void> {
    return this.request('DELETE', `/departments/${encodeURIComponent(id)}`);
  }

  setDepartmentAgents(id: string, agentIds: string[]): Promise<{ id: string; agentIds: string[] }> {
    return this.request('PUT', `/departments/${encodeURIComponent(id)}/agents`, { body: { agentIds } });
  }

  setCapacity(agentId: string, capacity: number): Promise<{ id: string; capacity: number }> {
    return this.request('PUT', `/agents/${encodeURIComponent(agentId)}/capacity`, { body: { capacity } });
  }

  async websiteDepartments(websiteId: string): Promise<Array<{ id: string; name: string }>> {
    const path = `/websites/${encodeURIComponent(websiteId)}/departments`;
    return (await this.request<{ departments: Array<{ id: string; name: string }> }>('GET', path))
      .departments;
  }

  setWebsiteDepartments(websiteId: string, departmentIds: string[]): Promise<unknown> {
    return this.request('PUT', `/websites/${encodeURIComponent(websiteId)}/departments`, {
      body: { departmentIds },
    });
  }

  // ---- websites -----------------------------------------------------------------------------------------------------

  async websites(): Promise<Website[]> {
    return (await this.request<{ websites: Website[] }>('GET', '/websites')).websites;
  }

  createWebsite(input: WebsiteInput): Promise<Website> {
    return this.request('POST', '/websites', { body: input });
  }

  updateWebsite(id: string, input: WebsiteInput): Promise<Website> {
    return this.request('PUT', `/websites/${encodeURIComponent(id)}`, { body: input });
  }

  deleteWebsite(id: string): Promise<void> {
    return this.request('DELETE', `/websites/${encodeURIComponent(id)}`);
  }

  marketing(): Promise<{ optedIn: boolean }> {
    return this.request('GET', '/marketing');
  }

  /** COM-2: the choice, and the language its words were shown in (their hash is recorded with it). */
  setMarketing(optedIn: boolean, language: Language): Promise<{ optedIn: boolean } | undefined> {
    return this.request('PUT', '/marketing', { body: { optedIn, language } });
  }

  exportAccount(): Promise<unknown> {
    return this.request('GET', '/account/export');
  }

  closeAccount(organization: string): Promise<void> {
    return this.request('POST', '/account/close', { body: { confirm: organization } });
  }

  // ---- conversations ------------------------------------------------------------------------------------------------

  /** A page of closed conversations, newest first; pass the previous page's `nextCursor` for the next. */
  /**
   * A page of the history, newest first; with `tagId`, only conversations carrying that tag; with `spam`, only those
   * reported as spam (otherwise they are left out).
   */
  closedConversations(
    cursor?: string | null,
    tagId?: string | null,
    spam = false,
  ): Promise<ClosedConversations> {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const tag = tagId ? `&tag=${encodeURIComponent(tagId)}` : '';
    return this.request('GET', `/conversations?status=closed${tag}${spam ? '&spam=1' : ''}${after}`);
  }

  /** The conversations the agent may see that match, newest first, a page at a time. */
  search(params: SearchParams, cursor?: string | null): Promise<SearchResults> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/search?${query.toString()}`);
  }

  conversation(id: string): Promise<ConversationDetail> {
    return this.request('GET', `/conversations/${encodeURIComponent(id)}`);
  }

  offlineMessages(includeHandled: boolean): Promise<{ offlineMessages: OfflineMessage[] }> {
    return this.request('GET', `/offline-messages${includeHandled ? '?all=1' : ''}`);
  }

  markOfflineMessageHandled(id: string): Promise<unknown> {
    return this.request('POST', `/offline-messages/${encodeURIComponent(id)}/handled`);
  }

  /** Mails an answer to the visitor who left the message; the message counts as handled. */
  replyToOfflineMessage(id: string, text: string): Promise<{ reply: OfflineReply }> {
    return this.request('POST', `/offline-messages/${encodeURIComponent(id)}/replies`, { body: { text } });
  }

  /**
   * Sends a file into a conversation, as the agent's message; `key` makes sending it again harmless. The server
   * checks it by its bytes and answers with the message, which also arrives over the socket.
   */
  async sendFile(conversationId: string, file: Blob & { name?: string }, key: string): Promise<ChatMessage> {
    const { message } = await this.request<{ message: ChatMessage }>(
      'POST',
      `/conversations/${encodeURIComponent(conversationId)}/files`,
      {
        file: {
          body: file,
          headers: { 'x-parley-name': encodeURIComponent(file.name ?? ''), 'x-parley-key': key },
        },
      },
    );
    return message;
  }

  /** KID-1: erases the visitor of this conversation. */
  flagChild(conversationId: string): Promise<unknown> {
    return this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/flag-child`);
  }

  /** SEC-1: the periods a block may last, in days, as the privacy policy in force allows. */
  blockPeriods(): Promise<{ days: number[] }> {
    return this.request('GET', '/block-periods');
  }

  /** SEC-1: blocks the visitor of this conversation for `days`; the chat ends. */
  blockVisitor(conversationId: string, days: number, reason: string | null): Promise<unknown> {
    return this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/block`, {
      body: { days, reason },
    });
  }

  /** SEC-1: reports this conversation as spam; it ends and leaves every inbox, the history and the statistics. */
  reportSpam(conversationId: string): Promise<unknown> {
    return this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/spam`);
  }

  /** SEC-1: takes a spam report back (owners, admins and the reporter). */
  clearSpam(conversationId: string): Promise<unknown> {
    return this.request('DELETE', `/conversations/${encodeURIComponent(conversationId)}/spam`);
  }

  /** SEC-1: the blocks in force, for owners and admins. */
  blocks(): Promise<{ blocks: VisitorBlock[] }> {
    return this.request('GET', '/blocks');
  }

  /** SEC-1: lifts a block before it ends. */
  liftBlock(id: string): Promise<unknown> {
    return this.request('DELETE', `/blocks/${encodeURIComponent(id)}`);
  }

  // ---- privacy operations -------------------------------------------------------------------------------------------

  findVisitors(query: string): Promise<{ visitors: VisitorRecord[] }> {
    return this.request('GET', `/visitors?query=${encodeURIComponent(query)}`);
  }

  exportVisitor(id: string): Promise<unknown> {
    return this.request('GET', `/visitors/${encodeURIComponent(id)}/export`);
  }

  correctVisitor(id: string, update: { name?: string; email?: string }): Promise<unknown> {
    return this.request('PATCH', `/visitors/${encodeURIComponent(id)}`, { body: update });
  }

  eraseVisitor(id: string): Promise<{ erased: Record<string, number> }> {
    return this.request('POST', `/visitors/${encodeURIComponent(id)}/erase`);
  }

  requests(): Promise<{ requests: PrivacyRequest[] }> {
    return this.request('GET', '/requests');
  }

  recordRequest(input: { kind: RequestKind; visitorId: string }): Promise<unknown> {
    return this.request('POST', '/requests', { body: input });
  }

  stats(): Promise<{ figures: StatFigure[]; tags: TagFigure[] }> {
    return this.request('GET', '/stats');
  }

  supportThreads(): Promise<{ threads: SupportThread[]; unread: number }> {
    return this.request('GET', '/support');
  }

  supportThread(id: string): Promise<{ thread: SupportThread; messages: SupportMessage[] }> {
    return this.request('GET', `/support/${encodeURIComponent(id)}`);
  }

  openSupportRequest(input: { subject: string; body: string }): Promise<{ id: string }> {
    return this.request('POST', '/support', { body: input });
  }

  writeToSupport(id: string, body: string): Promise<unknown> {
    return this.request('POST', `/support/${encodeURIComponent(id)}`, { body: { body } });
  }
}

function unwrapAccount(body: Account | { account: Account }): Account {
  return 'account' in body && typeof body.account === 'object' ? body.account : (body as Account);
}

/**
 * The message to show when loading a whole feature fails. A 404 there means the server lacks the route (the privacy
 * operations arrive later than the rest), so say that rather than "not found".
 */
export function describeFailure(error: unknown, feature: string): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return t('api.featureMissing', { feature });
    return error.message;
  }
  return messageOf(error);
}

/** The message to show for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return t('api.unknown');
}
