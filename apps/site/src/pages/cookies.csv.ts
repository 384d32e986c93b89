import { cookieTableCsv } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/** The cookie declarations as CSV, for customers' cookie notices and spreadsheets (CK-6). */
export const GET: APIRoute = ({ locals }) =>
  new Response(cookieTableCsv(sitePolicy(locals).content), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  });
