import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, type Route } from './router.ts';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['', { name: 'inbox', conversationId: null }],
    ['#', { name: 'inbox', conversationId: null }],
    ['#/', { name: 'inbox', conversationId: null }],
    ['#/c/conv_123', { name: 'inbox', conversationId: 'conv_123' }],
    ['#/history', { name: 'history', conversationId: null }],
    ['#/history/conv_1/', { name: 'history', conversationId: 'conv_1' }],
    ['#/team', { name: 'team' }],
    ['#/messages', { name: 'messages' }],
    ['#/account', { name: 'account' }],
    ['#/websites', { name: 'websites' }],
    ['#/replies', { name: 'replies' }],
    ['#/privacy', { name: 'privacy' }],
    ['#/stats', { name: 'stats' }],
    ['#/invite/tok-ABC_123', { name: 'invite', token: 'tok-ABC_123' }],
    ['#/invite', { name: 'not-found', path: 'invite' }],
    ['#/profile', { name: 'profile' }],
    ['#/forgot-password', { name: 'forgot-password' }],
    ['#/reset-password/tok_1', { name: 'reset-password', token: 'tok_1' }],
    ['#/confirm-email/tok_2', { name: 'confirm-email', token: 'tok_2' }],
    ['#/reset-password', { name: 'not-found', path: 'reset-password' }],
    ['#/profile/x', { name: 'not-found', path: 'profile/x' }],
    ['#/c/<script>', { name: 'not-found', path: 'c/<script>' }],
    ['#/c/%E0%A4%A', { name: 'not-found', path: 'c/%E0%A4%A' }],
    ['#/team/extra', { name: 'not-found', path: 'team/extra' }],
    ['#main', { name: 'not-found', path: 'main' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips through hrefFor', () => {
    const routes: Route[] = [
      { name: 'inbox', conversationId: null },
      { name: 'inbox', conversationId: 'c_1' },
      { name: 'history', conversationId: 'c_2' },
      { name: 'team' },
      { name: 'invite', token: 't_3' },
      { name: 'profile' },
      { name: 'reset-password', token: 't_4' },
      { name: 'confirm-email', token: 't_5' },
    ];
    for (const route of routes) expect(parseRoute(hrefFor(route))).toEqual(route);
  });
});
