import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb, sqliteOf } from './connection.ts';
import { type CopyProgress, copyStore, StoreCopyError } from './copy-store.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';
import { createTestPostgres } from './testing/postgres.ts';
import { countRows, deleteRows, insertRows, readRows, type TableName, updateRows } from './testing/rows.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TABLES: Record<TableName, string> = {
  accounts: 'accounts',
  paymentCards: 'payment_cards',
  websites: 'websites',
  agents: 'agents',
  agentInvitations: 'agent_invitations',
  personLinks: 'person_links',
  sessions: 'sessions',
  operatorStaff: 'operator_staff',
  secondFactors: 'second_factors',
  recoveryCodes: 'recovery_codes',
  visitors: 'visitors',
  conversations: 'conversations',
  messages: 'messages',
  offlineMessages: 'offline_messages',
  consentRecords: 'consent_records',
  marketingPreferences: 'marketing_preferences',
  dataSubjectRequests: 'data_subject_requests',
  disclosures: 'disclosures',
  processorHandoffs: 'processor_handoffs',
  auditLog: 'audit_log',
  accessLog: 'access_log',
  policyVersions: 'policy_versions',
  policyVersionRuns: 'policy_version_runs',
  noticeOutbox: 'notice_outbox',
  mailLimits: 'mail_limits',
  installationSecrets: 'installation_secrets',
  pendingSignups: 'pending_signups',
  installationTokens: 'installation_tokens',
  accountSuspensions: 'account_suspensions',
  supportThreads: 'support_threads',
  supportMessages: 'support_messages',
  pageVisits: 'page_visits',
  visitorBlocks: 'visitor_blocks',
  offlineReplies: 'offline_replies',
  cannedReplies: 'canned_replies',
  tags: 'tags',
  conversationTags: 'conversation_tags',
  departments: 'departments',
  departmentAgents: 'department_agents',
  websiteDepartments: 'website_departments',
  notes: 'notes',
  files: 'files',
  erasureLedger: 'erasure_ledger',
};

/** The fixture, plus rows in every table it leaves empty, and keys whose byte order differs from a locale's. */
async function filledSource(): Promise<ParleyDb> {
  const db = await createTestDatabase();
  cleanups.push(() => closeDatabase(db));
  const acme = FIXTURE.accounts.acme.id;
  await insertRows(db, 'agentInvitations', [
    {
      id: 'inv_one',
      accountId: acme,
      email: 'new@acme.test',
      name: 'Nadia',
      tokenHash: 'h_inv_one',
      invitedBy: FIXTURE.agents.acmeOwner.id,
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 86_400_000,
    },
  ]);
  await insertRows(db, 'personLinks', [
    {
      id: 'lnk_one',
      agentId: FIXTURE.agents.acmeAgent.id,
      purpose: 'email_change',
      tokenHash: 'h_lnk_one',
      newEmail: 'adam.new@acme.test',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 1_800_000,
    },
  ]);
  await insertRows(db, 'secondFactors', [
    {
      id: 'tfa_one',
      agentId: FIXTURE.agents.acmeAgent.id,
      staffId: null,
      secret: 'v1.k1.sealed',
      confirmedAt: FIXTURE_NOW,
      lastStep: 1234,
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'recoveryCodes', [
    { factorId: 'tfa_one', codeHash: 'h_code', createdAt: FIXTURE_NOW },
  ]);
  await insertRows(db, 'sessions', [
    {
      id: 'ses_B',
      userKind: 'agent',
      userId: FIXTURE.agents.acmeOwner.id,
      csrfTokenHash: 'h1',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 1,
    },
    {
      id: 'ses_a',
      userKind: 'staff',
      userId: FIXTURE.staff.operator.id,
      csrfTokenHash: 'h2',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 1,
    },
    {
      id: 'ses_é',
      userKind: 'staff',
      userId: FIXTURE.staff.operator.id,
      csrfTokenHash: 'h3',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 1,
    },
  ]);
  await insertRows(db, 'disclosures', [
    {
      id: 'dsc_one',
      requester: 'A court',
      legalBasis: 'Order 7',
      categories: ['chat_transcripts', 'contact'],
      accountId: acme,
      receivedAt: FIXTURE_NOW,
      status: 'received',
    },
  ]);
  await insertRows(db, 'processorHandoffs', [
    {
      id: 'hnd_one',
      processorId: 'email_delivery',
      activity: 'transcript',
      accountId: acme,
      sentFields: ['to_email', 'body'],
      droppedFields: [],
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'policyVersions', [
    {
      version: '9.0',
      date: '2040-01-01',
      summary: 'Later',
      contentJson: '{"b":1,"a":[1,2]}',
      significant: true,
      publishedAt: Date.UTC(2040, 0, 1),
    },
    {
      version: '9.1',
      date: '2040-02-01',
      summary: 'Later still',
      contentJson: '{}',
      significant: false,
      publishedAt: Date.UTC(2040, 1, 1),
    },
  ]);
  await insertRows(db, 'policyVersionRuns', [
    { version: '9.0', firstRunAt: FIXTURE_NOW, inForceAt: Date.UTC(2040, 0, 31) },
  ]);
  await insertRows(db, 'mailLimits', [
    { scope: 'recipient', key: 'k1', windowStart: FIXTURE_NOW, count: 2 },
    { scope: 'offline_messages', key: acme, windowStart: FIXTURE_NOW, count: 1 },
  ]);
  await insertRows(db, 'installationSecrets', [
    { name: 'session_keyring', keyId: 'k1', value: 'c2VjcmV0', createdAt: FIXTURE_NOW },
    { name: 'session_keyring', keyId: 'K0', value: 'b2xk', createdAt: FIXTURE_NOW },
  ]);
  await insertRows(db, 'pendingSignups', [
    {
      id: 'sgn_one',
      organization: 'Globex',
      ownerName: 'Greta',
      email: 'greta@globex.test',
      passwordHash: 'scrypt$x',
      phone: null,
      imHandle: '@greta',
      tokenHash: 'h_sgn_one',
      policyVersion: '1.4.0',
      textHash: 'h_text',
      mailsSent: 1,
      lastMailedAt: FIXTURE_NOW,
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 86_400_000,
    },
  ]);
  await insertRows(db, 'installationTokens', [
    {
      id: 'itk_one',
      kind: 'setup',
      tokenHash: 'h_itk_one',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + 1,
    },
  ]);
  await insertRows(db, 'accountSuspensions', [
    { accountId: acme, reason: 'Unpaid', suspendedAt: FIXTURE_NOW },
  ]);
  await insertRows(db, 'supportThreads', [
    {
      id: 'sup_1',
      accountId: acme,
      agentId: FIXTURE.agents.acmeOwner.id,
      subject: 'Invoices',
      status: 'open',
      createdAt: FIXTURE_NOW,
      lastMessageAt: FIXTURE_NOW,
      lastAuthor: 'account',
    },
  ]);
  await insertRows(db, 'supportMessages', [
    {
      id: 'spm_1',
      threadId: 'sup_1',
      accountId: acme,
      author: 'account',
      body: 'Hello',
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'offlineReplies', [
    {
      id: 'ntc_reply',
      accountId: acme,
      offlineMessageId: 'off_anna',
      visitorId: FIXTURE.visitors.anna.id,
      agentId: FIXTURE.agents.acmeOwner.id,
      email: FIXTURE.visitors.anna.email,
      body: 'We open at nine.',
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'websites', [
    {
      id: 'web_shop',
      accountId: acme,
      publicKey: 'pk_acme_shop',
      name: 'Shop',
      origins: ['https://shop.acme.test'],
      color: '#aa3300',
      position: 'left',
      launcherLabel: 'Chat',
      greeting: 'Welcome to the shop',
      agentDisplay: 'initials',
      languages: ['de', 'en'],
      preChatName: 'optional',
      preChatEmail: 'required',
      hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:00' } } },
      transcripts: false,
      ratings: true,
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'cannedReplies', [
    {
      id: 'cnr_1',
      accountId: acme,
      shortName: 'refund',
      body: 'Hello {visitor.name}, your refund is on its way.',
      createdAt: FIXTURE_NOW,
      updatedAt: FIXTURE_NOW,
      updatedBy: FIXTURE.agents.acmeOwner.id,
    },
  ]);
  await insertRows(db, 'tags', [
    {
      id: 'tag_1',
      accountId: acme,
      name: 'Billing',
      nameKey: 'billing',
      color: '#aa3300',
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'conversationTags', [
    {
      conversationId: FIXTURE.conversations.annaClosed,
      tagId: 'tag_1',
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'departments', [
    { id: 'dep_sales', accountId: acme, name: 'Sales', createdAt: FIXTURE_NOW },
  ]);
  await insertRows(db, 'departmentAgents', [
    { departmentId: 'dep_sales', agentId: FIXTURE.agents.acmeAgent.id },
  ]);
  await insertRows(db, 'websiteDepartments', [{ websiteId: 'web_shop', departmentId: 'dep_sales' }]);
  await insertRows(db, 'notes', [
    {
      id: 'not_1',
      conversationId: FIXTURE.conversations.benActive,
      accountId: acme,
      visitorId: FIXTURE.visitors.ben.id,
      agentId: FIXTURE.agents.acmeOwner.id,
      body: 'Asked about roses before',
      createdAt: FIXTURE_NOW,
    },
  ]);
  await insertRows(db, 'auditLog', [
    { actorKind: 'system', action: 'copy.checked', detail: { z: 1, a: { y: true, b: null } }, createdAt: 1 },
  ]);
  // The erasure ledger travels with the store (RET-4), its JSON arrays as jsonb.
  await insertRows(db, 'erasureLedger', [
    {
      id: 'erl_copied',
      kind: 'visitor',
      keyId: 'key_copied',
      subjectHash: 'a'.repeat(64),
      chatHashes: ['b'.repeat(64)],
      emailHashes: [],
      erasedAt: FIXTURE_NOW,
    },
  ]);
  for (const table of Object.keys(TABLES) as TableName[])
    expect(await countRows(db, table), `${table} has rows to copy`).toBeGreaterThan(0);
  return db;
}

async function freshTarget(options: { migrated?: boolean } = {}) {
  const target = await createTestPostgres({ poolSize: 1, ...options });
  cleanups.push(target.close);
  return target;
}

async function targetCounts(pool: { query: (q: string) => Promise<{ rows: unknown[] }> }) {
  const counts: Record<string, number> = {};
  for (const table of Object.values(TABLES)) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = (rows[0] as { n: number }).n;
  }
  return counts;
}

describe('copyStore', () => {
  it('copies every table of a seeded SQLite installation into a fresh PostgreSQL database, counts and checksums equal', async () => {
    const source = await filledSource();
    const target = await freshTarget({ migrated: false });
    const progress: CopyProgress[] = [];
    const report = await copyStore({
      from: source,
      to: target.database.url,
      batchSize: 2,
      onProgress: (p) => progress.push(p),
    });

    expect(report.tables.map((t) => t.table).sort()).toEqual(Object.values(TABLES).sort());
    for (const [name, table] of Object.entries(TABLES) as Array<[TableName, string]>) {
      const copied = report.tables.find((t) => t.table === table)!;
      expect(copied.rows, table).toBe(await countRows(source, name));
      expect(copied.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await targetCounts(target.pool)).toEqual(
      Object.fromEntries(report.tables.map((t) => [t.table, t.rows])),
    );
    expect(report.rows).toBe(report.tables.reduce((n, t) => n + t.rows, 0));

    // Parents before children: every table is copied after the tables it references.
    const order = progress.filter((p) => p.step === 'verified').map((p) => p.table);
    expect(order.indexOf('accounts')).toBeLessThan(order.indexOf('visitors'));
    expect(order.indexOf('visitors')).toBeLessThan(order.indexOf('conversations'));
    expect(order.indexOf('conversations')).toBeLessThan(order.indexOf('messages'));
    // Batches of two: progress reaches every row of a table with more.
    const messages = progress.filter((p) => p.step === 'copying' && p.table === 'messages');
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.at(-1)).toMatchObject({
      copied: report.tables.find((t) => t.table === 'messages')!.rows,
    });
    // PostgreSQL numbers the copied messages' write order as they arrive: in key order, which for ids made by
    // `newOrderedId` is the order of time.
    const written = await target.pool.query<{ id: string }>('SELECT id FROM messages ORDER BY write_order');
    const ids = (await readRows(source, 'messages')).map((m) => m.id);
    expect(written.rows.map((m) => m.id)).toEqual([...ids].sort());
  });

  it('flags arrive as booleans, JSON as jsonb and times as bigint, and new ids continue after the copied ones', async () => {
    const source = await filledSource();
    const target = await freshTarget();
    // The newest audit entry deleted: SQLite's AUTOINCREMENT would not hand its id out again, nor may PostgreSQL.
    await insertRows(source, 'auditLog', [{ actorKind: 'system', action: 'to.delete', createdAt: 2 }]);
    const highest = Math.max(...(await readRows(source, 'auditLog')).map((a) => a.id));
    await deleteRows(source, 'auditLog', { id: highest });
    await copyStore({ from: source, to: target.database.url });

    const types = await target.pool.query<{ flag: string; json: string; time: string }>(
      `SELECT pg_typeof(significant)::text AS flag, pg_typeof(categories)::text AS json, pg_typeof(published_at)::text AS time
       FROM policy_versions, disclosures LIMIT 1`,
    );
    expect(types.rows[0]).toEqual({ flag: 'boolean', json: 'jsonb', time: 'bigint' });
    const flags = await target.pool.query(
      'SELECT version, significant FROM policy_versions ORDER BY version',
    );
    expect(flags.rows).toEqual(
      (await readRows(source, 'policyVersions', {}, { orderBy: 'version' })).map((v) => ({
        version: v.version,
        significant: v.significant,
      })),
    );
    const json = await target.pool.query(
      `SELECT categories, categories->>1 AS second, jsonb_typeof(categories) AS kind FROM disclosures WHERE id = 'dsc_one'`,
    );
    // Parley reads JSON as its text on both engines (`postgres/connection.ts`); jsonb_typeof says it is stored as
    // jsonb, not as a string.
    expect({ ...json.rows[0], categories: JSON.parse(json.rows[0].categories) }).toEqual({
      categories: ['chat_transcripts', 'contact'],
      second: 'contact',
      kind: 'array',
    });
    const detail = await target.pool.query(
      `SELECT jsonb_typeof(detail->'a'->'y') AS kind, detail->'a'->>'y' AS y FROM audit_log WHERE action = 'copy.checked'`,
    );
    expect(detail.rows[0]).toEqual({ kind: 'boolean', y: 'true' });
    // A file's bytes arrive as bytea, byte for byte.
    const photo = await target.pool.query<{ bytes: Buffer; thumbnail: Buffer }>(
      `SELECT bytes, thumbnail FROM files WHERE id = $1`,
      [FIXTURE.files.annaPhoto.id],
    );
    expect(photo.rows[0]?.bytes.toString('base64')).toBe(FIXTURE.files.annaPhoto.png);
    expect(photo.rows[0]?.thumbnail.toString('base64')).toBe(FIXTURE.files.annaPhoto.thumbnail);

    const next = await target.pool.query<{ id: string }>(
      `INSERT INTO audit_log (actor_kind, action, created_at) VALUES ('system', 'after.copy', 1) RETURNING id`,
    );
    expect(Number(next.rows[0]?.id)).toBe(highest + 1);
  });

  it('refuses a second run into the now non-empty target and changes nothing there', async () => {
    const source = await filledSource();
    const target = await freshTarget();
    const first = await copyStore({ from: source, to: target.database.url });
    await updateRows(source, 'accounts', { organization: 'Changed since' }, { id: FIXTURE.accounts.acme.id });

    const error = await copyStore({ from: source, to: target.database.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCopyError);
    expect(error).toMatchObject({ code: 'TARGET_NOT_EMPTY' });
    expect((error as StoreCopyError).tables).toEqual(expect.arrayContaining(['accounts', 'messages']));
    expect((error as Error).message).toMatch(/already holds Parley data/);

    expect(await targetCounts(target.pool)).toEqual(
      Object.fromEntries(first.tables.map((t) => [t.table, t.rows])),
    );
    const organization = await target.pool.query(`SELECT organization FROM accounts WHERE id = $1`, [
      FIXTURE.accounts.acme.id,
    ]);
    expect(organization.rows[0]).toEqual({ organization: 'Acme Gardening GmbH' });
  });

  it('refuses a target with one stray row in one table, naming that table, and copies nothing', async () => {
    const source = await filledSource();
    const target = await freshTarget();
    await target.pool.query(
      `INSERT INTO mail_limits (scope, key, window_start, count) VALUES ('recipient', 'stray', 1, 1)`,
    );
    const error = await copyStore({ from: source, to: target.database.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_NOT_EMPTY', tables: ['mail_limits'] });
    expect((error as Error).message).toContain('mail_limits');
    const counts = await targetCounts(target.pool);
    expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([['mail_limits', 1]]);
  });

  it('a value PostgreSQL cannot hold fails the copy naming its table, and leaves the target empty', async () => {
    const source = await filledSource();
    // SQLite accepts a NUL character in text; PostgreSQL's text does not.
    await updateRows(
      source,
      'messages',
      { body: 'before\u0000after' },
      { id: (await readRows(source, 'messages'))[0]!.id },
    );
    const target = await freshTarget();
    const error = await copyStore({ from: source, to: target.database.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_REFUSED_ROWS', tables: ['messages'] });
    expect(Object.values(await targetCounts(target.pool)).every((n) => n === 0)).toBe(true);
    // Nothing was left behind: the same target now takes a corrected copy.
    await updateRows(source, 'messages', { body: 'fixed' }, { body: 'before\u0000after' });
    await expect(copyStore({ from: source, to: target.database.url })).resolves.toBeTruthy();
  });

  it('a target that stores something other than what was sent fails verification naming the table, nothing committed', async () => {
    const source = await filledSource();
    const target = await freshTarget();
    // A trigger in the target that alters what it is given, as a wrong conversion would.
    await target.pool.query(`
      CREATE FUNCTION shout() RETURNS trigger AS $$ BEGIN NEW.organization := upper(NEW.organization); RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER shout BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION shout();`);
    const error = await copyStore({ from: source, to: target.database.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VERIFICATION_FAILED', tables: ['accounts'] });
    expect((error as Error).message).toMatch(/^accounts differs after copying/);
    expect(Object.values(await targetCounts(target.pool)).every((n) => n === 0)).toBe(true);
  });

  it("refuses a source whose tables lack this version's columns, before touching the target", async () => {
    const source = await createTestDatabase({ seed: false });
    cleanups.push(() => closeDatabase(source));
    // As a file from a version before the column was added would be.
    sqliteOf(source).exec('ALTER TABLE visitors DROP COLUMN current_page');
    const target = await freshTarget();
    const error = await copyStore({ from: source, to: target.database.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_SCHEMA_MISMATCH', tables: ['visitors'] });
    expect((error as Error).message).toMatch(/migrate it first/);
    expect(Object.values(await targetCounts(target.pool)).every((n) => n === 0)).toBe(true);
  });
});
