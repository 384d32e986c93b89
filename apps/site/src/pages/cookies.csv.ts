import { cookieTableCsv } from '@parley/policy';
import type { APIRoute } from 'astro';
import { content } from '../policy.ts';

/** The cookie declarations as CSV, for customers' cookie notices and spreadsheets (CK-6). */
export const GET: APIRoute = () =>
  new Response(cookieTableCsv(content), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
