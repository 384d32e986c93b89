import categoriesFile from '../taxonomy/fideslang-data_categories.json' with { type: 'json' };
import subjectsFile from '../taxonomy/fideslang-data_subjects.json' with { type: 'json' };
import usesFile from '../taxonomy/fideslang-data_uses.json' with { type: 'json' };

/** A key of the fideslang taxonomy, plus the parent it hangs under (null for a root). */
export interface TaxonomyEntry {
  key: string;
  name: string;
  parent: string | null;
}

const entries = (
  items: Array<{ fides_key: string; name: string; parent_key?: string | null }>,
): TaxonomyEntry[] =>
  items.map((item) => ({ key: item.fides_key, name: item.name, parent: item.parent_key ?? null }));

export const fidesDataCategories: readonly TaxonomyEntry[] = entries(categoriesFile.data_category);
export const fidesDataUses: readonly TaxonomyEntry[] = entries(usesFile.data_use);
export const fidesDataSubjects: readonly TaxonomyEntry[] = entries(subjectsFile.data_subject);

const categoryKeys = new Set(fidesDataCategories.map((entry) => entry.key));
const useKeys = new Set(fidesDataUses.map((entry) => entry.key));
const subjectKeys = new Set(fidesDataSubjects.map((entry) => entry.key));

export const isFidesCategory = (key: string): boolean => categoryKeys.has(key);
export const isFidesUse = (key: string): boolean => useKeys.has(key);
export const isFidesSubject = (key: string): boolean => subjectKeys.has(key);

/** The parent key of a dotted taxonomy key (`user.contact.email` → `user.contact`), or null at the root. */
export function parentKey(key: string): string | null {
  const at = key.lastIndexOf('.');
  return at === -1 ? null : key.slice(0, at);
}
