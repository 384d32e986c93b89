export * from './bus-suite.ts';
export * from './mail-link-suite.ts';
export * from './manual-clock.ts';
export * from './presence-suite.ts';
export * from './redis.ts';
export * from './sign-in-bursts.ts';
export * from './window-counter-suite.ts';
