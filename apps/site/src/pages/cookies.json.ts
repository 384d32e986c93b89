import { cookieTable } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/** The cookie declarations, machine-readable, for customers' consent tools (CK-6). */
export const GET: APIRoute = ({ locals }) =>
  new Response(`${JSON.stringify(cookieTable(sitePolicy(locals).content), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
