import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, describeFailure, type FetchLike } from './api-client.ts';
import { setLanguage } from './i18n/i18n.ts';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(...responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const session = {
  agent: { id: 'a1', name: 'Ana', email: 'ana@example.com', role: 'owner' },
  account: { id: 'acc1', organization: 'Acme', publicKey: 'pk_1' },
  csrfToken: 'csrf-123',
};

const headers = (call: Call | undefined) => (call?.init.headers ?? {}) as Record<string, string>;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('ApiClient errors', () => {
  it("surfaces the server's error code and message", async () => {
    const { fetch } = fakeFetch(
      json(422, { error: { code: 'invalid_input', message: 'Email address is not valid.' } }),
    );
    const error = await failure(new ApiClient({ fetch }).invite({ email: 'x', name: 'X' }));
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid_input',
      message: 'Email address is not valid.',
    });
  });

  it("asks the server for its messages in the dashboard's language", async () => {
    const { fetch, calls } = fakeFetch(json(200, { agents: [] }), json(200, { agents: [] }));
    const api = new ApiClient({ fetch });
    try {
      setLanguage('de');
      await api.agents();
      setLanguage('en');
      await api.agents();
    } finally {
      setLanguage(null);
    }
    expect(calls.map((call) => headers(call)['accept-language'])).toEqual(['de', 'en']);
  });

  it('falls back to a readable message when the body is not JSON', async () => {
    const { fetch } = fakeFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await failure(new ApiClient({ fetch }).agents());
    expect(error).toMatchObject({ status: 502, code: 'http_502' });
    expect(error.message).toMatch(/server had a problem/);
  });

  it('falls back when the JSON body has no usable error', async () => {
    const { fetch } = fakeFetch(json(429, { error: { code: 'rate_limited', message: '' } }));
    const error = await failure(new ApiClient({ fetch }).stats());
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many requests. Wait a moment and try again.',
    });
  });

  it('reports a network failure as status 0', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'));
    const error = await failure(new ApiClient({ fetch }).agents());
    expect(error).toMatchObject({ status: 0, code: 'network' });
    expect(error.message).toMatch(/Cannot reach/);
  });

  it('reports an unreadable success body', async () => {
    const { fetch } = fakeFetch(new Response('not json', { status: 200 }));
    expect(await failure(new ApiClient({ fetch }).agents())).toMatchObject({ code: 'bad_response' });
  });

  it('calls onUnauthorized on a 401 to a request that needs a session', async () => {
    const onUnauthorized = vi.fn();
    const { fetch } = fakeFetch(json(401, { error: { code: 'unauthorized', message: 'Please sign in.' } }));
    await failure(new ApiClient({ fetch, onUnauthorized }).agents());
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not treat a wrong password or a missing session at boot as an expiry', async () => {
    const onUnauthorized = vi.fn();
    const { fetch } = fakeFetch(
      json(401, { error: { code: 'invalid_credentials', message: 'Email or password is wrong.' } }),
      json(401, { error: { code: 'unauthorized', message: 'Please sign in.' } }),
    );
    const api = new ApiClient({ fetch, onUnauthorized });
    const error = await failure(api.signIn({ email: 'a@example.com', password: 'x', rememberEmail: false }));
    expect(error.message).toBe('Email or password is wrong.');
    await failure(api.me());
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('describes a missing route as a feature the server does not offer yet', async () => {
    const { fetch } = fakeFetch(new Response('404 Not Found', { status: 404 }));
    const error = await failure(new ApiClient({ fetch }).requests());
    expect(describeFailure(error, 'Privacy requests')).toMatch(
      /^Privacy requests is not available on this server yet/,
    );
    expect(error.message).toMatch(/not available on this server yet/);
  });
});

describe('ApiClient requests', () => {
  it('sends the CSRF token from sign-in on state-changing requests only', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, session),
      json(200, { agents: [] }),
      new Response(null, { status: 204 }),
    );
    const api = new ApiClient({ fetch });
    await api.signIn({ email: 'ana@example.com', password: 'correct horse', rememberEmail: true });
    await api.agents();
    await api.removeAgent('a/2');
    const [signIn, list, remove] = calls;
    expect(signIn?.url).toBe('/app/api/sign-in');
    expect(JSON.parse(String(signIn?.init.body))).toEqual({
      email: 'ana@example.com',
      password: 'correct horse',
      rememberEmail: true,
    });
    expect(headers(signIn)['content-type']).toBe('application/json');
    expect(headers(list)['x-parley-csrf']).toBeUndefined();
    expect(list?.init.body).toBeNull();
    expect(remove?.url).toBe('/app/api/agents/a%2F2');
    expect(remove?.init.method).toBe('DELETE');
    expect(headers(remove)['x-parley-csrf']).toBe('csrf-123');
    expect(headers(remove)['content-type']).toBe('application/json');
  });

  it('takes the CSRF token from /me and from accepting an invitation', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, { ...session, csrfToken: 'from-me' }),
      json(200, { apiKey: 'k' }),
      json(200, { ...session, csrfToken: 'from-invite' }),
      json(200, { optedIn: true }),
    );
    const api = new ApiClient({ fetch });
    await api.me();
    await api.rotateApiKey();
    await api.acceptInvitation('tok_1', 'a long password');
    await api.setMarketing(true, 'de');
    expect(headers(calls[1])['x-parley-csrf']).toBe('from-me');
    expect(calls[2]?.url).toBe('/app/api/invitations/tok_1/accept');
    expect(headers(calls[3])['x-parley-csrf']).toBe('from-invite');
    expect(calls[3]?.init.method).toBe('PUT');
    expect(JSON.parse(String(calls[3]?.init.body))).toEqual({ optedIn: true, language: 'de' });
  });

  it('forgets the CSRF token on sign-out and on a 401', async () => {
    const { fetch } = fakeFetch(
      json(200, session),
      new Response(null, { status: 204 }),
      json(200, session),
      json(401, { error: { code: 'unauthorized', message: 'Please sign in.' } }),
    );
    const api = new ApiClient({ fetch });
    await api.signIn({ email: 'a@example.com', password: 'p', rememberEmail: false });
    await api.signOut();
    expect(api.signedIn).toBe(false);
    await api.me();
    expect(api.signedIn).toBe(true);
    await failure(api.agents());
    expect(api.signedIn).toBe(false);
  });

  it('encodes the visitor query and unwraps the account', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, { visitors: [] }),
      json(200, { account: session.account }),
      json(200, session.account),
    );
    const api = new ApiClient({ fetch });
    await api.findVisitors('jo+1@example.com');
    expect(calls[0]?.url).toBe('/app/api/visitors?query=jo%2B1%40example.com');
    expect(await api.account()).toEqual(session.account);
    expect(await api.account()).toEqual(session.account);
  });
});
