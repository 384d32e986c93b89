export * from './describe.ts';
export * from './diff.ts';
export * from './duration.ts';
export * from './exports.ts';
export { parleyPolicy } from './history.ts';
export * from './installation.ts';
export * from './language.ts';
export * from './localize.ts';
export { PROMISE_IDS } from './promise-ids.ts';
export * from './render-html.ts';
export * from './render-policy.ts';
export * from './schema.ts';
export * from './signal-retention.ts';
export * from './signup-terms.ts';
export * from './store-engine.ts';
export {
  fidesDataCategories,
  fidesDataSubjects,
  fidesDataUses,
  isFidesCategory,
  isFidesSubject,
  isFidesUse,
} from './taxonomy.ts';
export * from './validate.ts';
export * from './words.ts';
