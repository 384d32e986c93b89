export * from './bus.ts';
export * from './clock.ts';
export * from './presence.ts';
export * from './sign-in-throttle.ts';
export * from './sign-up-limits.ts';
