import { revokeApiKey } from '../../../apps/gateway/src/portals/portal-registry.js';
import { PortalRateLimiter } from '../../../apps/gateway/src/portals/rate-limiter.js';
import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IDEMPOTENCY_LOCK_CLASS, PII_PURPOSE } from '../../../apps/gateway/src/applications/submit-application.js';
import { PiiCipher, placeParameterValue, PublishedParameters, queueSchema } from '../../../libs/infra/src/index.js';
import { toShanghaiDate } from '../../../libs/domain/src/index.js';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { eventually } from '../../support/given.js';
import { listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import {
  get,
  givenPortal,
  legalAidApplication,
  minimumLivingApplication,
  nextIdNumber,
  post,
  rowCounts,
} from './intake-fixtures.js';

describe('POST /v1/applications', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let portal: { portalId: string; apiKey: string };
  /** `null` sends no Idempotency-Key. */
  const submit = (body: unknown, key: string | null = randomUUID(), apiKey = portal.apiKey) =>
    post(base, '/v1/applications', apiKey, body, key ?? undefined);

  beforeAll(async () => {
    env = await createTestEnvironment('intake applications');
    app = await createGateway(env.config);
    base = await listen(app);
    portal = await givenPortal(env);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  describe('a valid application', () => {
    it('opens a case in one transaction and answers 202 with its routing', async () => {
      const idNumber = nextIdNumber();
      const body = minimumLivingApplication(idNumber);
      const { status, body: answer } = await submit(body);
      expect(status).toBe(202);
      expect(answer).toMatchObject({
        status: 'submitted',
        itemCode: 'BPS-064',
        procedureId: 'minimum-living',
        leadDepartment: 'civil-affairs',
        acceptingOffice: { level: 'street', divisionCode: '650102002', name: '燕儿窝街道' },
        approvingOffice: { level: 'district', divisionCode: '650102', name: '天山区民政局' },
        portalReference: body.portalReference,
        links: { self: `/v1/cases/${answer.caseId}`, events: `/v1/cases/${answer.caseId}/events` },
      });
      expect(answer.trackingNumber).toMatch(/^WLMQ-20\d\d-\d{8}$/);

      const { rows: cases } = await env.db.query(`SELECT * FROM cases WHERE id = $1`, [answer.caseId]);
      expect(cases[0]).toMatchObject({
        status: 'submitted',
        machine_id: 'minimum-living',
        machine_version: 2,
        snapshot: null,
        portal_id: portal.portalId,
        department_code: 'civil-affairs',
        accepting_division: '650102002',
        approving_division: '650102',
        last_event_seq: 1,
      });
      expect(cases[0].facts).toMatchObject({
        householdSize: 1,
        householdMonthlyIncomeFen: 25000,
        perCapitaMonthlyIncomeFen: 25000,
        procedureInput: { approvalDelegatedToStreet: false },
      });
      const { rows: events } = await env.db.query(`SELECT * FROM case_events WHERE case_id = $1`, [answer.caseId]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ seq: 1, type: 'APPLICATION_SUBMITTED', actor: `portal:${portal.portalId}` });
      const { rows: outbox } = await env.db.query(`SELECT * FROM outbox WHERE case_id = $1`, [answer.caseId]);
      expect(outbox).toHaveLength(1);
      expect(outbox[0].kind).toBe('case.command');
      expect(outbox[0].payload).toMatchObject({
        caseId: answer.caseId,
        event: { type: 'SUBMITTED' },
        actor: `portal:${portal.portalId}`,
      });
      const everything = JSON.stringify([cases, events, outbox]);
      expect(everything).not.toContain(idNumber);
      expect(everything).not.toContain('张三');
    });

    it('accepts the GB 11643 vector 11010519491231002X and normalises a lower-case x and full-width digits', async () => {
      const vector = '11010519491231002X';
      const body = minimumLivingApplication(vector);
      body.applicant.idNumber = ' １１０１０５１９４９１２３１００２x ';
      body.household.members[0]!.birthDate = '1949-12-31';
      const first = await submit(body);
      expect(first.status).toBe(202);
      // The same person again (now in the plain form): one applicant row, and the open-case rule applies.
      const plain = minimumLivingApplication(vector);
      plain.household.members[0]!.birthDate = '1949-12-31';
      const again = await submit(plain);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CASE.ALREADY_OPEN');
    });
  });

  describe('the means test unit (docs/domain.md §3.1)', () => {
    /** The applicant, severely disabled and without income, living with a spouse who earns. */
    const livingWithSpouse = (itemCode: string) => {
      const idNumber = nextIdNumber();
      const spouse = nextIdNumber();
      const body = minimumLivingApplication(idNumber, { itemCode });
      const head = body.household.members[0]!;
      head.monthlyIncome = { wages: 0, netTransfer: 0 };
      Object.assign(head, {
        disability: { category: 'physical', grade: 1, certificateNumber: 'CERT000000001' },
      });
      body.household.members.push({
        relation: 'spouse',
        name: '李四',
        idNumber: spouse,
        birthDate: '1980-01-01',
        health: 'healthy',
        workCapacity: 'full',
        monthlyIncome: { wages: 300000, netTransfer: 0 },
      });
      body.materials = [...body.materials, { ...body.materials[0]!, type: 'disability-certificate', reference: 'dc' }];
      return body;
    };
    let both: { apiKey: string };
    beforeAll(async () => {
      both = await givenPortal(env, { items: ['BPS-064', 'BPS-073'] });
    });
    const factsOfCase = async (caseId: string) =>
      (await env.db.query(`SELECT facts FROM cases WHERE id = $1`, [caseId])).rows[0].facts;

    it('counts the applicant alone for 无业重度残疾人最低生活保障 (BPS-073, a one-person household 单人户)', async () => {
      const { status, body } = await submit(livingWithSpouse('BPS-073'), randomUUID(), both.apiKey);
      expect([status, body.errors]).toEqual([202, undefined]);
      expect(await factsOfCase(body.caseId)).toMatchObject({
        meansTestUnit: 'single-person',
        membersLivingTogether: 2,
        householdSize: 1,
        householdMonthlyIncomeFen: 0,
        perCapitaMonthlyIncomeFen: 0,
        members: [{ relation: 'head', disabilityGrade: 1 }],
      });
    });

    it('counts every member living together for the ordinary 低保 (BPS-064)', async () => {
      const { status, body } = await submit(livingWithSpouse('BPS-064'), randomUUID(), both.apiKey);
      expect([status, body.errors]).toEqual([202, undefined]);
      const facts = await factsOfCase(body.caseId);
      expect(facts).toMatchObject({
        meansTestUnit: 'household',
        householdSize: 2,
        householdMonthlyIncomeFen: 300000,
        perCapitaMonthlyIncomeFen: 150000,
      });
      expect(facts.membersLivingTogether).toBeUndefined();
    });
  });

  describe('validation', () => {
    const field = (answer: any) => answer.errors.map((e: any) => [e.field, e.code]);

    it('refuses 110105194912310021 (bad check digit) with a field-level error', async () => {
      const body = minimumLivingApplication(nextIdNumber());
      body.applicant.idNumber = '110105194912310021';
      const { status, body: answer } = await submit(body);
      expect(status).toBe(400);
      expect(answer.code).toBe('VALIDATION.FAILED');
      expect(field(answer)).toContainEqual(['applicant.idNumber', 'ID_NUMBER.BAD_CHECK_DIGIT']);
      expect(JSON.stringify(answer)).not.toContain('110105194912310021');
    });

    type Mutate = (body: ReturnType<typeof minimumLivingApplication>) => unknown;
    const cases: [string, Mutate, string, string][] = [
      ['an unknown top-level field', (b) => ({ ...b, extra: 1 }), 'extra', 'UNRECOGNIZED_KEY'],
      [
        'an unknown nested field',
        (b) => ({ ...b, applicant: { ...b.applicant, nickname: 'x' } }),
        'applicant.nickname',
        'UNRECOGNIZED_KEY',
      ],
      ['a missing item code', ({ itemCode: _, ...b }) => b, 'itemCode', 'INVALID_TYPE'],
      ['an unknown item', (b) => ({ ...b, itemCode: 'BPS-999' }), 'itemCode', 'APPLICATION.UNKNOWN_ITEM'],
      [
        'an item without applications',
        (b) => ({ ...b, itemCode: 'BPS-001' }),
        'itemCode',
        'APPLICATION.ITEM_NOT_APPLICABLE',
      ],
      [
        'an internal space in the ID number',
        (b) => ({ ...b, applicant: { ...b.applicant, idNumber: '110105 19491231002X' } }),
        'applicant.idNumber',
        'ID_NUMBER.BAD_FORMAT',
      ],
      [
        'a 15-digit ID number',
        (b) => ({ ...b, applicant: { ...b.applicant, idNumber: '110105491231002' } }),
        'applicant.idNumber',
        'ID_NUMBER.BAD_LENGTH',
      ],
      [
        'an ID number with an unknown region',
        (b) => ({ ...b, applicant: { ...b.applicant, idNumber: '000000198001010010' } }),
        'applicant.idNumber',
        'ID_NUMBER.BAD_REGION',
      ],
      [
        'an ID number with an impossible birth date',
        (b) => ({ ...b, applicant: { ...b.applicant, idNumber: '110105198002300010' } }),
        'applicant.idNumber',
        'ID_NUMBER.BAD_BIRTH_DATE',
      ],
      [
        'an ID number born in the future',
        (b) => ({ ...b, applicant: { ...b.applicant, idNumber: '110105209901010010' } }),
        'applicant.idNumber',
        'ID_NUMBER.FUTURE_BIRTH_DATE',
      ],
      [
        'a bad phone number',
        (b) => ({ ...b, applicant: { ...b.applicant, phone: '12345' } }),
        'applicant.phone',
        'PHONE.BAD_FORMAT',
      ],
      [
        'an unknown registration division',
        (b) => ({ ...b, applicant: { ...b.applicant, householdRegistrationDivision: '650199001' } }),
        'applicant.householdRegistrationDivision',
        'DIVISION.UNKNOWN_CODE',
      ],
      [
        'a malformed residence division',
        (b) => ({ ...b, applicant: { ...b.applicant, residenceDivision: '6501' } }),
        'applicant.residenceDivision',
        'INVALID_FORMAT',
      ],
      [
        'a district where the street office must accept',
        (b) => ({ ...b, applicant: { ...b.applicant, householdRegistrationDivision: '650102' } }),
        'applicant.householdRegistrationDivision',
        'ROUTING.STREET_REQUIRED',
      ],
      [
        'a missing required material',
        (b) => ({ ...b, materials: b.materials.filter((m) => m.type !== 'income-proof') }),
        'materials',
        'MATERIALS.MISSING',
      ],
      [
        'no consent to the economic-data check',
        (b) => ({ ...b, consent: { ...b.consent, economicDataCheck: false } }),
        'consent.economicDataCheck',
        'CONSENT.REQUIRED',
      ],
      [
        'no household for a means-tested item',
        ({ household: _, ...b }) => b,
        'household',
        'APPLICATION.HOUSEHOLD_REQUIRED',
      ],
      [
        'an amount in yuan with decimals',
        (b) => ({
          ...b,
          household: {
            ...b.household,
            members: [{ ...b.household.members[0]!, monthlyIncome: { wages: 200.5 } }],
          },
        }),
        'household.members.0.monthlyIncome.wages',
        'INVALID_TYPE',
      ],
      [
        'a negative amount',
        (b) => ({
          ...b,
          household: {
            ...b.household,
            essentialSpendingLast12Months: { ...b.household.essentialSpendingLast12Months, medical: -1 },
          },
        }),
        'household.essentialSpendingLast12Months.medical',
        'TOO_SMALL',
      ],
      [
        'an amount beyond the safe integers',
        (b) => ({
          ...b,
          household: {
            ...b.household,
            essentialSpendingLast12Months: { ...b.household.essentialSpendingLast12Months, other: 2 ** 60 },
          },
        }),
        'household.essentialSpendingLast12Months.other',
        'TOO_BIG',
      ],
      [
        'a member birth date that differs from the ID number',
        (b) => ({
          ...b,
          household: { ...b.household, members: [{ ...b.household.members[0]!, birthDate: '1980-01-02' }] },
        }),
        'household.members.0.birthDate',
        'HOUSEHOLD.BIRTH_DATE_MISMATCH',
      ],
      [
        'a household without a head',
        (b) => ({
          ...b,
          household: { ...b.household, members: [{ ...b.household.members[0]!, relation: 'spouse' }] },
        }),
        'household.members',
        'HOUSEHOLD.ONE_HEAD_REQUIRED',
      ],
      [
        'an applicant who is not a member',
        (b) => {
          const other = nextIdNumber();
          return {
            ...b,
            household: { ...b.household, members: [{ ...b.household.members[0]!, idNumber: other }] },
          };
        },
        'household.members',
        'HOUSEHOLD.APPLICANT_NOT_MEMBER',
      ],
      [
        'too many materials',
        (b) => ({ ...b, materials: Array.from({ length: 51 }, () => b.materials[0]) }),
        'materials',
        'TOO_BIG',
      ],
      [
        'a too-long description',
        (b) => ({ ...b, reason: { category: 'illness', description: '长'.repeat(2001) } }),
        'reason.description',
        'TOO_BIG',
      ],
      [
        'a detail the procedure does not use',
        (b) => ({ ...b, details: { urgent: true } }),
        'details.urgent',
        'APPLICATION.DETAIL_NOT_APPLICABLE',
      ],
      [
        'a bad material hash',
        (b) => ({ ...b, materials: [{ ...b.materials[0]!, sha256: 'XYZ' }, ...b.materials.slice(1)] }),
        'materials.0.sha256',
        'INVALID_FORMAT',
      ],
    ];

    it.each(cases)('refuses %s', async (_label, mutate, expectedField, expectedCode) => {
      const before = await rowCounts(env);
      const { status, body: answer } = await submit(mutate(minimumLivingApplication(nextIdNumber())));
      expect(status).toBe(400);
      expect(answer.code).toBe('VALIDATION.FAILED');
      expect(field(answer)).toContainEqual([expectedField, expectedCode]);
      expect(await rowCounts(env)).toEqual(before);
    });

    it('needs the details its procedure starts from (temporary assistance)', async () => {
      const idNumber = nextIdNumber();
      const body = {
        ...minimumLivingApplication(idNumber),
        itemCode: 'BPS-069',
        materials: [
          'application-form',
          'id-card',
          'household-register',
          'hardship-proof',
          'economic-check-authorisation',
        ].map((type) => ({ type, fileName: 'f.pdf', sha256: 'a'.repeat(64), reference: `r-${type}` })),
      };
      const missing = await submit({ ...body, details: { assistanceType: 'emergency' } });
      expect(missing.status).toBe(400);
      expect(field(missing.body)).toContainEqual(['details.requestedAmountFen', 'APPLICATION.DETAIL_REQUIRED']);
      const ok = await submit({ ...body, details: { assistanceType: 'emergency', requestedAmountFen: 100_000 } });
      expect(ok.status).toBe(202);
      const { rows } = await env.db.query(`SELECT facts FROM cases WHERE id = $1`, [ok.body.caseId]);
      expect(rows[0].facts.procedureInput).toMatchObject({
        assistanceType: 'emergency',
        requestedAmountFen: 100_000,
        capFen: 190_000, // 5 × the urban standard of 380 yuan
        streetApprovalLimitFen: 0,
      });
    });

    it('answers 403 for an item the portal may not submit', async () => {
      const narrow = await givenPortal(env, { items: ['BPS-071'] });
      const { status, body } = await submit(minimumLivingApplication(), randomUUID(), narrow.apiKey);
      expect(status).toBe(403);
      expect(body.code).toBe('PORTAL.ITEM_NOT_ALLOWED');
    });

    it('answers 413 for a body over 256 KiB and 400 for JSON that does not parse', async () => {
      const big = await submit({ ...minimumLivingApplication(), padding: 'x'.repeat(300 * 1024) });
      expect(big.status).toBe(413);
      const broken = await submit('{"itemCode":');
      expect(broken.status).toBe(400);
    });
  });

  describe('authentication', () => {
    it('answers 401 without a key, with a malformed key and with a wrong or revoked secret', async () => {
      const body = minimumLivingApplication();
      expect((await submit(body, randomUUID(), '')).status).toBe(401);
      expect((await submit(body, randomUUID(), 'msk_nope')).status).toBe(401);
      const other = await givenPortal(env);
      const forged = other.apiKey.slice(0, -4) + (other.apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expect((await submit(body, randomUUID(), forged)).status).toBe(401);
      expect((await submit(body, randomUUID(), other.apiKey)).status).not.toBe(401);
      expect(await revokeApiKey(env.db, other.prefix)).toBe(true);
      expect(await revokeApiKey(env.db, other.prefix)).toBe(false);
      // The gateway still remembers the key as verified; the statement that would open the case checks it again.
      const before = await rowCounts(env);
      const fresh = minimumLivingApplication();
      expect((await submit(fresh, randomUUID(), other.apiKey)).status).toBe(401);
      expect((await submit(fresh, randomUUID(), other.apiKey)).status).toBe(401);
      expect(await rowCounts(env)).toEqual(before);
      const { rows } = await env.db.query(`SELECT key_hash FROM portal_api_keys WHERE prefix = $1`, [other.prefix]);
      // The secret follows `msk_<prefix>_` and is base64url, which may itself begin with or hold `_`.
      const secret = other.apiKey.slice(`msk_${other.prefix}_`.length);
      expect(secret.length).toBeGreaterThan(0);
      expect(rows[0].key_hash).not.toContain(secret);
    });

    it('accepts Authorization: ApiKey …', async () => {
      const response = await fetch(`${base}/v1/cases?portalReference=none`, {
        headers: { authorization: `ApiKey ${portal.apiKey}` },
      });
      expect(response.status).toBe(200);
    });
  });

  describe('idempotency', () => {
    it('requires the Idempotency-Key header', async () => {
      const { status, body } = await submit(minimumLivingApplication(), null);
      expect(status).toBe(400);
      expect(body.code).toBe('IDEMPOTENCY.KEY_MISSING');
      expect((await submit(minimumLivingApplication(), 'x'.repeat(201))).body.code).toBe('IDEMPOTENCY.KEY_INVALID');
    });

    it('replays the first answer for the same key and body, and answers 422 for another body', async () => {
      const key = randomUUID();
      const body = minimumLivingApplication();
      const first = await submit(body, key);
      const second = await submit(body, key);
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const reused = await submit({ ...body, portalReference: 'changed' }, key);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      const { rows } = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE portal_reference = $1`, [
        body.portalReference,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('opens exactly one case for 50 concurrent requests with one key; the others replay it or answer 409', async () => {
      const key = randomUUID();
      const body = minimumLivingApplication();
      const answers = await Promise.all(Array.from({ length: 50 }, () => submit(body, key)));
      const created = answers.filter((a) => a.status === 202);
      const inProgress = answers.filter((a) => a.status === 409);
      // How many overlap the first (409) rather than follow it (replay) depends on timing; the in-progress answer
      // itself is pinned down by the next test.
      expect(created.length + inProgress.length).toBe(50);
      expect(created.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      for (const a of inProgress) expect(a.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
      expect(new Set(created.map((a) => a.body.caseId)).size).toBe(1);
      const { rows } = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE portal_reference = $1`, [
        body.portalReference,
      ]);
      expect(rows[0].n).toBe(1);
      // After the race, the key answers the stored result.
      const later = await submit(body, key);
      expect(later.status).toBe(202);
      expect(later.body.caseId).toBe(created[0]?.body.caseId ?? later.body.caseId);
    });

    it('answers 409 IN_PROGRESS, writing nothing, while a request with the same key is being written', async () => {
      const key = randomUUID();
      const body = minimumLivingApplication();
      const before = await rowCounts(env);
      // A request in flight holds its key's advisory lock until its statement commits; hold it here instead.
      const inFlight = await env.db.connect();
      try {
        await inFlight.query(`SELECT pg_advisory_lock($1::int, hashtext($2::text || '/' || $3::text))`, [
          IDEMPOTENCY_LOCK_CLASS,
          portal.portalId,
          key,
        ]);
        const refused = await submit(body, key);
        expect(refused.status).toBe(409);
        expect(refused.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
        expect(await rowCounts(env)).toEqual(before);
        await inFlight.query(`SELECT pg_advisory_unlock_all()`);
      } finally {
        inFlight.release();
      }
      expect((await submit(body, key)).status).toBe(202);
    });

    it('releases the key of a refused request so it can be retried', async () => {
      const key = randomUUID();
      const idNumber = nextIdNumber();
      expect((await submit(minimumLivingApplication(idNumber), randomUUID())).status).toBe(202);
      const duplicate = await submit(minimumLivingApplication(idNumber), key);
      expect(duplicate.status).toBe(409);
      const { rows } = await env.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [key]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('one open case per applicant per item', () => {
    it('answers 409 CASE.ALREADY_OPEN with the open case, and accepts another item', async () => {
      const idNumber = nextIdNumber();
      const first = await submit(minimumLivingApplication(idNumber));
      expect(first.status).toBe(202);
      const second = await submit(minimumLivingApplication(idNumber));
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({
        code: 'CASE.ALREADY_OPEN',
        openCase: { caseId: first.body.caseId, trackingNumber: first.body.trackingNumber },
      });
      const legalAid = await submit(legalAidApplication(idNumber));
      expect(legalAid.status).toBe(202);
      expect(legalAid.body.acceptingOffice).toMatchObject({ level: 'district', name: '天山区司法局' });
    });

    it('opens one case when the same applicant applies ten times at once under different keys', async () => {
      const idNumber = nextIdNumber();
      const before = await rowCounts(env);
      const answers = await Promise.all(Array.from({ length: 10 }, () => submit(minimumLivingApplication(idNumber))));
      expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
      // Whether a loser saw the winner's case before writing or met it in the unique index, it answers the same.
      for (const a of answers.filter((a) => a.status !== 202)) {
        expect(a.status).toBe(409);
        expect(a.body.code).toBe('CASE.ALREADY_OPEN');
      }
      expect(await rowCounts(env)).toEqual({
        cases: before.cases + 1,
        applicants: before.applicants + 1,
        events: before.events + 1,
        outbox: before.outbox + 1,
        idempotency: before.idempotency + 1,
      });
    });

    it('undoes its whole statement when it meets a case being opened at the same moment, then answers 409', async () => {
      const idNumber = nextIdNumber();
      const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
      const before = await rowCounts(env);
      // Another writer opens a case for the same applicant and item and has not committed yet.
      const other = await env.db.connect();
      let committedAt = 0;
      try {
        await other.query('BEGIN');
        const { rows } = await other.query(
          `WITH a AS (INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
                      VALUES ($1, 'placeholder', 'placeholder') RETURNING id)
           INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status,
                              applicant_id, department_code, accepting_division, approving_division,
                              application_encrypted)
           SELECT 'RACE-' || $2, 'BPS-064', 'minimum-living', 'minimum-living', 1, 'submitted', a.id,
                  'civil-affairs', '650102002', '650102', 'placeholder' FROM a
           RETURNING id`,
          [cipher.lookupHash(idNumber, PII_PURPOSE.idNumber), randomUUID()],
        );
        const [{ pid }] = (await other.query(`SELECT pg_backend_pid() AS pid`)).rows;
        const pending = submit(minimumLivingApplication(idNumber)).then((answer) => ({ answer, at: Date.now() }));
        // The request has reached the applicant row when a backend waits on this writer's lock.
        await eventually(async () => {
          const { rows: waiting } = await env.db.query(
            `SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))`,
            [pid],
          );
          return waiting.length > 0;
        });
        await other.query('COMMIT');
        committedAt = Date.now();
        const { answer, at } = await pending;
        expect(at).toBeGreaterThanOrEqual(committedAt);
        expect(answer.status).toBe(409);
        // The other writer's case is no case of this portal: it is said to be open elsewhere, without identifiers
        // (docs/api.md "The applicant's view").
        expect(answer.body).toMatchObject({ code: 'CASE.ALREADY_OPEN', openElsewhere: true });
        expect(JSON.stringify(answer.body)).not.toContain(rows[0].id);
      } finally {
        other.release();
      }
      // Only the other writer's applicant and case: the refused request left nothing, not even its name update.
      expect(await rowCounts(env)).toEqual({ ...before, cases: before.cases + 1, applicants: before.applicants + 1 });
      const { rows: applicant } = await env.db.query(
        `SELECT name_encrypted FROM applicants WHERE id_number_hash = $1`,
        [cipher.lookupHash(idNumber, PII_PURPOSE.idNumber)],
      );
      expect(applicant[0].name_encrypted).toBe('placeholder');
    });

    it('refuses a second use of the same portal reference', async () => {
      const first = minimumLivingApplication();
      expect((await submit(first)).status).toBe(202);
      const again = await submit({ ...minimumLivingApplication(), portalReference: first.portalReference });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CASE.PORTAL_REFERENCE_TAKEN');
    });
  });

  describe('routing', () => {
    it.each([
      ['650102002', '650102', '天山区民政局'],
      ['650103001', '650103', '沙依巴克区民政局'],
      ['650104001', '650104', '新市区民政局'],
      ['650105001', '650105', '水磨沟区民政局'],
      ['650106001', '650106', '头屯河区民政局'],
      ['650107001', '650107', '达坂城区民政局'],
      ['650109001', '650109', '米东区民政局'],
      ['650121001', '650121', '乌鲁木齐县民政局'],
    ])('routes a household registered at %s to that street and to %s', async (street, district, bureau) => {
      const body = minimumLivingApplication();
      body.applicant.householdRegistrationDivision = `${street}000`; // the 12-digit portal form
      const { status, body: answer } = await submit(body);
      expect(status).toBe(202);
      expect(answer.acceptingOffice.divisionCode).toBe(street);
      expect(answer.approvingOffice).toMatchObject({ divisionCode: district, name: bureau });
      const { rows } = await env.db.query(`SELECT accepting_division, approving_division FROM cases WHERE id = $1`, [
        answer.caseId,
      ]);
      expect(rows[0]).toEqual({ accepting_division: street, approving_division: district });
    });

    it('routes legal aid to the district of the case-handling organ the application names, not the registration', async () => {
      const body = legalAidApplication(nextIdNumber(), '650103002'); // the court sits in 沙依巴克区
      expect(body.applicant.householdRegistrationDivision).toMatch(/^650102/); // registered in 天山区
      const { status, body: answer } = await submit(body);
      expect(status).toBe(202);
      expect(answer.acceptingOffice).toMatchObject({
        level: 'district',
        divisionCode: '650103',
        name: '沙依巴克区司法局',
      });
      expect(answer.approvingOffice).toMatchObject({ divisionCode: '650103' });
      const { rows } = await env.db.query(
        `SELECT accepting_division, approving_division, facts FROM cases WHERE id = $1`,
        [answer.caseId],
      );
      expect(rows[0]).toMatchObject({ accepting_division: '650103', approving_division: '650103' });
      expect(rows[0].facts).toMatchObject({
        competence: { division: '650103002', ground: 'case-handling-organ' },
        procedureInput: { urgent: false, dayCounting: 'working-days' },
      });
    });

    it('refuses legal aid that names no competent division, naming the field', async () => {
      const { details, ...body } = legalAidApplication();
      const { status, body: answer } = await submit({ ...body, details: { urgent: details.urgent } });
      expect(status).toBe(400);
      expect(answer.errors).toContainEqual(
        expect.objectContaining({ field: 'details.competentDivision', code: 'ROUTING.COMPETENT_DIVISION_REQUIRED' }),
      );
    });
  });

  describe('the portal’s view of a case', () => {
    it('shows status, offices and a masked timeline to its portal, and 404 to another portal', async () => {
      const idNumber = nextIdNumber();
      const body = minimumLivingApplication(idNumber);
      const { body: created } = await submit(body);
      const mine = await get(base, `/v1/cases/${created.caseId}`, portal.apiKey);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({
        caseId: created.caseId,
        trackingNumber: created.trackingNumber,
        status: 'submitted',
        acceptingOffice: { divisionCode: '650102002', divisionName: '燕儿窝街道' },
        applicant: { idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}` },
        dueAt: null,
      });
      expect(mine.body.events).toEqual([
        expect.objectContaining({ seq: 1, type: 'APPLICATION_SUBMITTED', actor: 'portal' }),
      ]);
      expect(JSON.stringify(mine.body)).not.toContain(idNumber);

      const byReference = await get(base, `/v1/cases?portalReference=${body.portalReference}`, portal.apiKey);
      expect(byReference.body.items.map((c: any) => c.caseId)).toEqual([created.caseId]);

      const other = await givenPortal(env);
      expect((await get(base, `/v1/cases/${created.caseId}`, other.apiKey)).status).toBe(404);
      expect((await get(base, `/v1/cases/${created.caseId}/events`, other.apiKey)).status).toBe(404);
      expect((await get(base, `/v1/cases?portalReference=${body.portalReference}`, other.apiKey)).body.items).toEqual(
        [],
      );
      expect((await get(base, `/v1/cases/not-a-uuid`, portal.apiKey)).status).toBe(400);
    });

    it('shows the overall due date when the case has a running clock', async () => {
      const { body: created } = await submit(minimumLivingApplication());
      await env.db.query(
        `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at)
         VALUES ($1, 'overall', 'deadline', 30, 'working-days', 'test', now(), '2030-01-31T15:59:59Z')`,
        [created.caseId],
      );
      const { body } = await get(base, `/v1/cases/${created.caseId}`, portal.apiKey);
      expect(body.dueAt).toBe('2030-01-31T15:59:59.000Z');
    });

    it('records a withdrawal and a supplement idempotently, each with an event and an engine command', async () => {
      const { body: created } = await submit(minimumLivingApplication());
      const key = randomUUID();
      const withdrawal = () =>
        post(base, `/v1/cases/${created.caseId}/withdrawal`, portal.apiKey, { reason: 'applicant-request' }, key);
      const first = await withdrawal();
      const second = await withdrawal();
      expect(first.status).toBe(202);
      expect(second.body).toEqual(first.body);

      const supplement = await post(
        base,
        `/v1/cases/${created.caseId}/supplements`,
        portal.apiKey,
        { materials: [{ type: 'income-proof', fileName: '收入.pdf', sha256: 'f'.repeat(64), reference: 'oss://x' }] },
        randomUUID(),
      );
      expect(supplement.status).toBe(202);
      const { rows: events } = await env.db.query(`SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq`, [
        created.caseId,
      ]);
      expect(events.map((e) => e.type)).toEqual([
        'APPLICATION_SUBMITTED',
        'WITHDRAWAL_REQUESTED',
        'SUPPLEMENT_SUBMITTED',
      ]);
      const { rows: commands } = await env.db.query(`SELECT payload FROM outbox WHERE case_id = $1 ORDER BY id`, [
        created.caseId,
      ]);
      expect(commands.map((c) => c.payload.event)).toEqual([
        { type: 'SUBMITTED' },
        { type: 'WITHDRAWN', reason: 'applicant-request' },
        { type: 'SUPPLEMENT_RECEIVED', materials: ['income-proof'] },
      ]);
      expect(JSON.stringify(commands)).not.toContain('收入.pdf');

      const refused = await post(
        base,
        `/v1/cases/${created.caseId}/withdrawal`,
        portal.apiKey,
        { reason: 'x' },
        randomUUID(),
      );
      expect(refused.status).toBe(400);
      const other = await givenPortal(env);
      const foreign = await post(
        base,
        `/v1/cases/${created.caseId}/withdrawal`,
        other.apiKey,
        { reason: 'other' },
        randomUUID(),
      );
      expect(foreign.status).toBe(404);
      await env.db.query(`UPDATE cases SET closed_at = now() WHERE id = $1`, [created.caseId]);
      const closed = await post(
        base,
        `/v1/cases/${created.caseId}/withdrawal`,
        portal.apiKey,
        { reason: 'other' },
        randomUUID(),
      );
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe('CASE.CLOSED');
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After past the portal’s limit per minute', async () => {
      const limited = await givenPortal(env, { rateLimitPerMinute: 3 });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      const windowOf = () => Math.floor(Date.now() / 60_000);
      const firstWindow = windowOf();
      for (let i = 0; i < 4; i++) {
        const response = await get(base, `/v1/cases?portalReference=none`, limited.apiKey);
        statuses.push(response.status);
        retryAfter = response.headers.get('retry-after') ?? retryAfter;
      }
      // Three in one window are allowed; if the minute turned during the loop a fourth may pass too.
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      if (windowOf() === firstWindow) expect(statuses[3]).toBe(429);
      if (statuses[3] === 429) {
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(retryAfter)).toBeLessThanOrEqual(61);
      }
      // On Redis the windows are counters every gateway shares, holding only the portal id; without Redis they are
      // counted in the gateway's memory (docs/operations.md "Queue backends"), which the statuses above show.
      if (env.redis !== undefined) {
        const keys = await env.redis.keys(`${env.config.redis.queuePrefix}:rate-limit:portal:${limited.portalId}:*`);
        expect(keys.length).toBeGreaterThan(0);
        const counts = await Promise.all(keys.map((k) => env.redis!.get(k)));
        expect(counts.reduce((a, c) => a + Number(c), 0)).toBe(4);
      }
    });

    it('counts requests arriving together with one increment, each still refused or allowed by its own place', async () => {
      // The Redis counter coalesces them (bench/profiles/intake.md "The gateway's cost, second pass (2026-12-07)");
      // the count in the gateway's memory, without Redis, must give the same answers.
      const limiter = new PortalRateLimiter(env.redis ?? null, env.config);
      const portalId = `together-${randomUUID()}`;
      const minute = Date.UTC(2026, 5, 1, 1, 0, 0);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => limiter.consume(portalId, 3, minute + 15_000)),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
      expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({
        code: 'RATE_LIMIT.EXCEEDED',
        details: { retryAfterSeconds: 45, limitPerMinute: 3 },
      });
      await limiter.consume(portalId, 6, minute + 20_000);
      await expect(limiter.consume(portalId, 6, minute + 20_000)).rejects.toMatchObject({
        code: 'RATE_LIMIT.EXCEEDED',
      });
      if (env.redis !== undefined) {
        const key = `${env.config.redis.queuePrefix}:rate-limit:portal:${portalId}:${Math.floor(minute / 60_000)}`;
        expect(await env.redis.get(key)).toBe('7');
        // The window's expiry was set by the batch that opened it.
        expect(await env.redis.pttl(key)).toBeGreaterThan(59_000);
      }
    });
  });

  describe('personal data at rest', () => {
    it('a dump of every table of the schema holds no identity number in clear', async () => {
      const idNumbers = [nextIdNumber(), nextIdNumber(), nextIdNumber()];
      for (const id of idNumbers) expect((await submit(minimumLivingApplication(id))).status).toBe(202);
      // The queue store too: on the PostgreSQL backend its tables are in a schema of their own (queueSchema).
      const schemas = [env.config.database.schema];
      if (env.queueBackend === 'postgres') schemas.push(queueSchema(env.config.redis.queuePrefix));
      const { rows: tables } = await env.db.query(
        `SELECT table_schema, table_name FROM information_schema.tables
         WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
        [schemas],
      );
      expect(new Set(tables.map((t) => t.table_schema))).toEqual(new Set(schemas));
      let dump = '';
      for (const { table_schema, table_name } of tables) {
        const { rows } = await env.db.query(`SELECT t::text AS row FROM "${table_schema}"."${table_name}" t`);
        dump += rows.map((r) => r.row).join('\n');
      }
      expect(dump.length).toBeGreaterThan(1000);
      for (const id of [...idNumbers, '11010519491231002X']) expect(dump).not.toContain(id);
      expect(dump).not.toContain('张三');
      if (env.redis !== undefined) {
        const redis = env.redis;
        for (const key of await redis.keys(`${env.config.redis.queuePrefix}:*`)) {
          if ((await redis.type(key)) === 'string') expect(await redis.get(key)).not.toMatch(/\d{17}[\dX]/);
        }
      }
    });
  });

  // Last in the file: the regional standard it publishes would change the caps the tests above expect.
  describe('values from the published parameters', () => {
    it('fixes the temporary-assistance caps from the regional standard in force, with its provenance', async () => {
      const today = toShanghaiDate(env.clock.now());
      await placeParameterValue(
        { query: async (sql, values) => (await env.db.query(sql, values as unknown[])).rows },
        {
          key: 'temporary-assistance.regional-urban-standard',
          itemCode: 'BPS-069',
          value: 60_000,
          unit: 'fen-per-person-per-month',
          bound: 'exact',
          validFrom: today,
          validFromPrecision: 'day',
          validTo: null,
          source: '自治区民政厅通知',
          evidence: 'V',
          note: null,
          reason: 'the regional figure',
          origin: 'operator',
          seedId: null,
          publishedBy: 'staff:test',
        },
      );
      await app.get(PublishedParameters).reload();
      const body = {
        ...minimumLivingApplication(nextIdNumber()),
        itemCode: 'BPS-069',
        materials: [
          'application-form',
          'id-card',
          'household-register',
          'hardship-proof',
          'economic-check-authorisation',
        ].map((type) => ({ type, fileName: 'f.pdf', sha256: 'a'.repeat(64), reference: `r-${type}` })),
        details: { assistanceType: 'expenditure', requestedAmountFen: 100_000 },
      };
      const { status, body: answer } = await submit(body);
      expect(status).toBe(202);
      const { rows } = await env.db.query(`SELECT facts FROM cases WHERE id = $1`, [answer.caseId]);
      expect(rows[0].facts.procedureInput).toMatchObject({ capFen: 480_000 }); // 8 × 600.00
      expect(rows[0].facts.procedureInputParameters[0]).toMatchObject({
        key: 'temporary-assistance.regional-urban-standard',
        value: 60_000,
        on: today,
        evidence: 'V',
        provisional: false,
      });
    });
  });

  describe('the application window of 抚恤 (BPS-082, 军人抚恤优待条例 art. 30, docs/domain.md §3.17)', () => {
    /** A disabled veteran's application to transfer the disability pension, stating the day of leaving service. */
    const pensionTransfer = (leftServiceOn: string) => ({
      ...minimumLivingApplication(nextIdNumber()),
      itemCode: 'BPS-082',
      materials: ['id-card', 'veteran-status-proof'].map((type) => ({
        type,
        fileName: 'f.pdf',
        sha256: 'a'.repeat(64),
        reference: `r-${type}`,
      })),
      details: { leftServiceOn },
    });

    it('refuses an application more than 60日 after leaving service, naming the field, and writes nothing', async () => {
      const veterans = await givenPortal(env, { items: ['BPS-082'] });
      const before = await rowCounts(env);
      // Business day 2026-06-01: 60 days after 2026-03-01 is 2026-04-30, a working day.
      const late = await submit(pensionTransfer('2026-03-01'), randomUUID(), veterans.apiKey);
      expect(late.status).toBe(400);
      expect(late.body.errors).toEqual([
        expect.objectContaining({
          field: 'details.leftServiceOn',
          code: 'APPLICATION.WINDOW_PASSED',
          message: expect.stringContaining('by 2026-04-30'),
        }),
      ]);
      expect(await rowCounts(env)).toEqual(before);

      const inTime = await submit(pensionTransfer('2026-05-01'), randomUUID(), veterans.apiKey);
      expect([inTime.status, inTime.body.itemCode]).toEqual([202, 'BPS-082']);
    });
  });
});
