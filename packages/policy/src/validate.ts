import { PROMISE_IDS } from './promise-ids.ts';
import { type PolicyContent, PolicyModel } from './schema.ts';
import { isFidesCategory, isFidesSubject, isFidesUse, parentKey } from './taxonomy.ts';

/** A policy that breaks one of the model's rules; `problems` names each broken rule in words. */
export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`The privacy policy model is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'PolicyError';
  }
}

const duplicates = <T>(items: readonly T[]): T[] =>
  items.filter((item, index) => items.indexOf(item) !== index);

/** The rules that tie one version's parts together; returns every problem found, not just the first. */
export function contentProblems(content: PolicyContent): string[] {
  const problems: string[] = [];
  const extensionKeys = new Set(content.extensions.map((extension) => extension.key));
  const declared = new Map(content.categories.map((category) => [category.key, category]));
  const storedKeys = new Set(content.categories.filter((c) => c.storage === 'stored').map((c) => c.key));
  const processorIds = new Set(content.processors.map((processor) => processor.id));
  const subjectIds = new Set(content.subjects.map((subject) => subject.id));

  for (const extension of content.extensions) {
    if (isFidesCategory(extension.key))
      problems.push(`extension "${extension.key}" already exists in fideslang; use it directly`);
    if (!isFidesCategory(extension.parent))
      problems.push(
        `extension "${extension.key}" hangs under "${extension.parent}", which is not a fideslang category`,
      );
    if (parentKey(extension.key) !== extension.parent)
      problems.push(`extension "${extension.key}" must be a direct child of "${extension.parent}"`);
  }
  for (const category of content.categories) {
    if (!isFidesCategory(category.key) && !extensionKeys.has(category.key)) {
      problems.push(`data category "${category.key}" is neither a fideslang key nor a documented extension`);
    }
  }
  for (const key of duplicates(content.categories.map((c) => c.key)))
    problems.push(`data category "${key}" is declared twice`);
  for (const subject of content.subjects) {
    if (!isFidesSubject(subject.fidesKey))
      problems.push(
        `subject "${subject.id}" maps to "${subject.fidesKey}", which is not a fideslang data subject`,
      );
  }

  for (const activity of content.activities) {
    if (!isFidesUse(activity.use))
      problems.push(`activity "${activity.id}" has use "${activity.use}", which is not a fideslang data use`);
    for (const key of activity.categories) {
      if (!storedKeys.has(key))
        problems.push(
          `activity "${activity.id}" processes "${key}", which the policy does not declare as stored`,
        );
    }
    for (const id of activity.processors) {
      if (!processorIds.has(id))
        problems.push(`activity "${activity.id}" names processor "${id}", which is not declared`);
    }
    for (const id of activity.subjects) {
      if (!subjectIds.has(id))
        problems.push(`activity "${activity.id}" names subject "${id}", which is not declared`);
    }
  }

  const ruleKeys = content.retention.map(
    (rule) => `${rule.category} / ${rule.subject}${rule.store ? ` / ${rule.store}` : ''}`,
  );
  for (const key of duplicates(ruleKeys)) problems.push(`retention for "${key}" is declared twice`);
  for (const rule of content.retention) {
    if (!storedKeys.has(rule.category))
      problems.push(
        `retention rule for "${rule.category}" concerns a category the policy does not declare as stored`,
      );
  }
  for (const key of storedKeys) {
    if (!content.retention.some((rule) => rule.category === key))
      problems.push(`stored category "${key}" has no retention period`);
  }

  for (const processor of content.processors) {
    if (!content.regions.available.includes(processor.region)) {
      problems.push(
        `processor "${processor.id}" works in ${processor.region}, which is not a listed processing region`,
      );
    }
    for (const key of processor.categories) {
      if (!declared.has(key))
        problems.push(`processor "${processor.id}" receives "${key}", which is not a declared data category`);
      const sentBy = content.activities.filter(
        (a) => a.processors.includes(processor.id) && a.categories.includes(key),
      );
      if (declared.has(key) && sentBy.length === 0) {
        problems.push(
          `processor "${processor.id}" receives "${key}", but no activity that uses this processor processes it`,
        );
      }
    }
  }
  if (!content.regions.available.includes(content.regions.installation)) {
    problems.push(
      `this installation runs in ${content.regions.installation}, which is not a listed processing region`,
    );
  }

  for (const name of duplicates(content.cookies.map((cookie) => cookie.name)))
    problems.push(`cookie "${name}" is declared twice`);
  for (const cookie of content.cookies) {
    if (!storedKeys.has(cookie.dataCategory))
      problems.push(
        `cookie "${cookie.name}" holds "${cookie.dataCategory}", which is not a declared stored category`,
      );
    if (
      !content.retention.some(
        (rule) => rule.category === cookie.dataCategory && rule.subject === cookie.subject,
      )
    ) {
      problems.push(
        `cookie "${cookie.name}" holds "${cookie.dataCategory}" of ${cookie.subject}s, which has no retention period`,
      );
    }
    if (cookie.sameSite === 'None' && !cookie.secure)
      problems.push(`cookie "${cookie.name}" is SameSite=None but not Secure`);
    if (cookie.setBy === 'widget' && cookie.httpOnly)
      problems.push(`cookie "${cookie.name}" is set by the widget's script, so it cannot be HttpOnly`);
  }

  for (const id of duplicates(content.rights.map((right) => right.id)))
    problems.push(`right "${id}" is declared twice`);

  const promiseIds = content.promises.map((p) => p.id);
  for (const id of PROMISE_IDS) if (!promiseIds.includes(id)) problems.push(`promise ${id} is missing`);
  for (const id of duplicates(promiseIds)) problems.push(`promise ${id} is declared twice`);
  return problems;
}

export const compareVersions = (a: string, b: string): number => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** Parses and checks a policy model; throws a `PolicyError` that names every problem. */
export function validatePolicy(input: unknown): PolicyModel {
  const parsed = PolicyModel.safeParse(input);
  if (!parsed.success) {
    throw new PolicyError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'model'}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const { versions } = parsed.data;
  versions.forEach((version, index) => {
    for (const problem of contentProblems(version.content))
      problems.push(`version ${version.version}: ${problem}`);
    const previous = versions[index - 1];
    if (previous && compareVersions(previous.version, version.version) >= 0) {
      problems.push(`version ${version.version} must be greater than ${previous.version}`);
    }
    if (previous && previous.date > version.date)
      problems.push(`version ${version.version} is dated before ${previous.version}`);
    if (previous?.inForceFrom && version.inForceFrom && previous.inForceFrom > version.inForceFrom)
      problems.push(`version ${version.version} would come into force before ${previous.version}`);
  });
  if (problems.length > 0) throw new PolicyError(problems);
  return parsed.data;
}
