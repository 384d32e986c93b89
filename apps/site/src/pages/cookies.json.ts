import { cookieTable } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/** The cookie declarations, machine-readable, for customers' consent tools (CK-6); German at `/de/cookies.json`. */
export const GET: APIRoute = ({ locals }) => {
  const { content, language } = sitePolicy(locals);
  return new Response(`${JSON.stringify(cookieTable(content, language), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
