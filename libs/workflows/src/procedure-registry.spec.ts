import { describe, expect, it } from '@jest/globals';
import { PROCEDURE_IDS } from '@minsheng/domain';
import { setup } from 'xstate';
import { SERVICE_ITEMS } from '@minsheng/domain';
import type { CaseTag } from './case-status.js';
import type { CaseEvent } from './events.js';
import { generalReviewInput } from './general-review/general-review.machine.js';
import { closeCase, intentActions, openTask } from './intents.js';
import { minimumLivingMachine } from './minimum-living/minimum-living.machine.js';
import {
  advance,
  currentStepsOf,
  describeState,
  machineFor,
  PROCEDURE_VERSIONS,
  startCase,
  versionsFor,
} from './procedure-registry.js';
import { createProcedureRunner, type StoredCase } from './procedure-runner.js';
import { approve, SUBMITTED } from './testing/case-events.js';

/**
 * The application items and their procedures written out by hand, independently of the catalog (docs/domain.md §2;
 * item codes in the standard's order).
 */
const ISSUE_5_PROCEDURES: Record<string, readonly string[]> = {
  'minimum-living': ['BPS-064', 'BPS-073'],
  'extreme-poverty': ['BPS-066'],
  'temporary-assistance': ['BPS-069'],
  'disability-subsidies': ['BPS-072'],
  'legal-aid': ['BPS-071'],
  'public-rental-housing': ['BPS-060'],
  'unemployment-benefit': ['BPS-032'],
  'general-review': [
    4, 7, 8, 14, 16, 18, 24, 25, 26, 27, 35, 36, 52, 53, 54, 56, 57, 58, 59, 63, 67, 70, 74, 75, 76, 80, 81, 82, 84, 86,
  ].map((n) => `BPS-${String(n).padStart(3, '0')}`),
};

const stored = (snapshot: StoredCase['snapshot'], machineId = 'minimum-living', version = 1): StoredCase => ({
  machineId,
  version,
  snapshot,
});

describe('procedure registry', () => {
  it('has a machine for every procedure id, named after it, latest version for new cases, every older one kept', () => {
    for (const id of PROCEDURE_IDS) {
      const definition = machineFor(id);
      const versions = versionsFor(id);
      const latest = Math.max(...versions);
      expect([id, definition.id, definition.machine.id, definition.version]).toEqual([id, id, id, latest]);
      expect(definition.machine.config.meta).toEqual({ version: latest });
      expect(versions).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
      expect(machineFor(id, latest)).toBe(definition);
      for (const version of versions) expect(machineFor(id, version).machine.config.meta).toEqual({ version });
    }
    expect(versionsFor('legal-aid')).toEqual([1, 2]);
    expect(versionsFor('minimum-living')).toEqual([1, 2]);
    expect(versionsFor('extreme-poverty')).toEqual([1, 2]);
    expect(versionsFor('temporary-assistance')).toEqual([1, 2, 3]);
    expect(Object.keys(PROCEDURE_VERSIONS).sort()).toEqual([...PROCEDURE_IDS].sort());
  });

  it('resolves the procedure of every application item of the catalog', () => {
    const applicationItems = SERVICE_ITEMS.filter((item) => item.procedure !== null);
    expect(applicationItems.length).toBe(38);
    for (const item of applicationItems) {
      expect([item.code, machineFor(item.procedure!).id]).toEqual([item.code, item.procedure]);
      if (item.procedure === 'general-review') expect(generalReviewInput(item.code).itemCode).toBe(item.code);
    }
  });

  it('agrees with the catalog on which procedure handles which item', () => {
    const byProcedure: Record<string, string[]> = {};
    for (const item of SERVICE_ITEMS) if (item.procedure !== null) (byProcedure[item.procedure] ??= []).push(item.code);
    expect(byProcedure).toEqual(ISSUE_5_PROCEDURES);
  });

  it.each([
    ['an unknown procedure', () => machineFor('housing-benefit'), 'WORKFLOW.UNKNOWN_PROCEDURE'],
    ['a prototype key', () => machineFor('constructor'), 'WORKFLOW.UNKNOWN_PROCEDURE'],
    ['an unknown version', () => machineFor('legal-aid', 3), 'WORKFLOW.UNKNOWN_VERSION'],
    [
      'advancing an unknown version',
      () => advance(stored({ status: 'active', value: 'submitted', context: {} }, 'legal-aid', 7), SUBMITTED),
      'WORKFLOW.UNKNOWN_VERSION',
    ],
  ])('refuses %s', (_label, attempt, code) => {
    expect(attempt).toThrow(expect.objectContaining({ code }));
  });

  it('starts a case as submitted, with a JSON snapshot and nothing to do yet', () => {
    const started = startCase('minimum-living', { approvalDelegatedToStreet: false });
    expect(started).toMatchObject({
      machineId: 'minimum-living',
      version: 2,
      status: 'submitted',
      closed: false,
      intents: [],
      currentSteps: [],
    });
    expect(JSON.parse(JSON.stringify(started.snapshot))).toEqual(started.snapshot);
    expect(started.snapshot).toMatchObject({ status: 'active', value: 'submitted' });
  });

  it('advances a stored case and reports no change for an event the state does not take', () => {
    const started = startCase('minimum-living', { approvalDelegatedToStreet: false });
    const refused = advance(stored(started.snapshot), approve('acceptance'));
    expect(refused).toMatchObject({ changed: false, intents: [], status: 'submitted', currentSteps: [] });
    expect(refused.snapshot).toEqual(started.snapshot);

    const submitted = advance(stored(started.snapshot), SUBMITTED);
    expect(submitted).toMatchObject({
      changed: true,
      status: 'in-review',
      currentSteps: ['acceptance'],
      closed: false,
    });
    expect(currentStepsOf(stored(submitted.snapshot))).toEqual(['acceptance']);
  });

  it('describes a live snapshot and a stored case alike', () => {
    const started = startCase('legal-aid', { urgent: false, dayCounting: 'calendar-days' });
    const next = advance(stored(started.snapshot, 'legal-aid'), SUBMITTED);
    expect(describeState(stored(next.snapshot, 'legal-aid'))).toBe('in-review');
    const live = machineFor('legal-aid').machine.resolveState(next.snapshot as never);
    expect(describeState(live)).toBe('in-review');
  });

  it.each([
    ['a state the machine does not have', { status: 'active', value: 'limbo', context: {} }],
    ['a value that is not a state', { status: 'active', value: 42, context: {} }],
  ])('refuses a stored snapshot with %s', (_label, snapshot) => {
    expect(() => advance(stored(snapshot as StoredCase['snapshot']), SUBMITTED)).toThrow(
      expect.objectContaining({ code: 'WORKFLOW.BAD_SNAPSHOT' }),
    );
  });

  describe('versions', () => {
    // A stand-in for a future v2 of minimum-living: new cases start on it, old cases stay on v1.
    const v2 = setup({ types: { events: {} as CaseEvent, tags: {} as CaseTag }, actions: intentActions }).createMachine(
      {
        id: 'minimum-living',
        meta: { version: 2 },
        initial: 'submitted',
        states: {
          submitted: { tags: ['submitted'], on: { SUBMITTED: 'triage' } },
          triage: {
            tags: ['in-review', 'step:triage'],
            entry: openTask({
              step: 'triage',
              level: 'street',
              kind: 'review',
              outcomes: ['approve'],
              rejectReasons: [],
            }),
            on: { DECIDED: 'done' },
          },
          done: { type: 'final', tags: ['approved'], entry: closeCase('approved') },
        },
      },
    );
    const runner = createProcedureRunner({
      'minimum-living': {
        1: { id: 'minimum-living', version: 1, machine: minimumLivingMachine },
        2: { id: 'minimum-living', version: 2, machine: v2 },
      },
    });

    it('starts new cases on the latest version', () => {
      expect(runner.versionsFor('minimum-living')).toEqual([1, 2]);
      const started = runner.startCase('minimum-living', {});
      expect(started.version).toBe(2);
      expect(runner.advance(stored(started.snapshot, 'minimum-living', 2), SUBMITTED).currentSteps).toEqual(['triage']);
    });

    it('keeps an existing case on the version it started with', () => {
      const v1Case = startCase('minimum-living', { approvalDelegatedToStreet: false });
      const next = runner.advance(stored(v1Case.snapshot, 'minimum-living', 1), SUBMITTED);
      expect(next.currentSteps).toEqual(['acceptance']);
      expect(next.intents).toEqual([
        {
          type: 'openTask',
          params: {
            step: 'acceptance',
            level: 'street',
            kind: 'acceptance',
            outcomes: ['approve', 'return'],
            rejectReasons: [],
          },
        },
      ]);
    });

    it('refuses a procedure the runner does not know', () => {
      expect(() => runner.machineFor('legal-aid')).toThrow(
        expect.objectContaining({ code: 'WORKFLOW.UNKNOWN_PROCEDURE' }),
      );
    });
  });
});
