import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { invitationRoutes } from '../agents/invitations.ts';
import { AppError } from '../errors.ts';
import { isSameOrigin } from '../security/same-origin.ts';
import type { AppEnv, Services } from '../services.ts';
import { signupRoutes } from '../signup/signup-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { agentRoutes } from './agent-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { blockRoutes } from './block-routes.ts';
import { cannedReplyRoutes } from './canned-reply-routes.ts';
import { conversationFileRoutes, isConversationFileUpload } from './conversation-file-routes.ts';
import { conversationRoutes } from './conversation-routes.ts';
import { departmentRoutes } from './department-routes.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { profileRoutes } from './profile-routes.ts';
import { recoveryRoutes } from './recovery-routes.ts';
import { searchRoutes } from './search-routes.ts';
import { secondFactorRoutes } from './second-factor-routes.ts';
import { supportRoutes } from './support-routes.ts';
import { tagRoutes } from './tag-routes.ts';
import { websiteRoutes } from './website-routes.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * SEC-1: a state-changing request must come from a page of this server. Together with the CSRF token that signed-in
 * routes require, another site can neither sign someone in nor act for them.
 */
export const sameOriginWrites =
  (s: Services): MiddlewareHandler =>
  async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && !isSameOrigin(c, s.config.publicUrl))
      throw new AppError('cross_origin', 'This request must come from the Parley dashboard itself.');
    await next();
  };

/** Answers are about one person's account: no cache, shared or private, keeps them. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};

/** The agent dashboard's JSON API, under /app/api. Cookie-authenticated. */
export function dashboardApi(s: Services) {
  const api = new Hono<AppEnv>();
  api.use('*', noStore);
  api.use('*', sameOriginWrites(s));
  const smallBodies = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', 'The request body is larger than 64 KiB.');
    },
  });
  // A file sent into a conversation has its own limit, the installation's largest file.
  api.use('*', (c, next) =>
    isConversationFileUpload(c.req.method, c.req.path) ? next() : smallBodies(c, next),
  );
  api.route('/', authRoutes(s));
  api.route('/', accountRoutes(s));
  api.route('/', agentRoutes(s));
  api.route('/', invitationRoutes(s));
  api.route('/', conversationRoutes(s));
  api.route('/', searchRoutes(s));
  api.route('/', conversationFileRoutes(s));
  api.route('/', blockRoutes(s));
  api.route('/', departmentRoutes(s));
  api.route('/', privacyRoutes(s));
  api.route('/', profileRoutes(s));
  api.route('/', recoveryRoutes(s));
  api.route('/', signupRoutes(s));
  api.route('/', secondFactorRoutes(s));
  api.route('/', supportRoutes(s));
  api.route('/', websiteRoutes(s));
  api.route('/', cannedReplyRoutes(s));
  api.route('/', tagRoutes(s));
  api.all('*', () => {
    throw new AppError('not_found', 'There is no such dashboard API route.');
  });
  return api;
}
