export * from './bus.ts';
export * from './clock.ts';
export * from './mail-link-throttle.ts';
export * from './presence.ts';
export * from './sign-in-throttle.ts';
