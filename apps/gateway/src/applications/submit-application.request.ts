import {
  DISABILITY_CATEGORIES,
  HEALTH_STATUSES,
  LEGAL_AID_COMPETENCE_GROUNDS,
  MATERIAL_TYPE_CODES,
  RELATIONS,
  SUPPORT_DUTIES,
  WORK_CAPACITIES,
} from '@minsheng/domain';
import { z } from 'zod';

/**
 * The body of `POST /v1/applications`, shaped after the fields a real social-assistance case holds
 * (docs/domain.md §5.4): applicant, household members with their monthly income by category (A–F), essential
 * spending, assets, people with a duty of support, reason, bank account, consent to the economic-data check,
 * materials and the portal's reference. Every object is strict (an unknown field is refused), every string and
 * list has an upper bound, every amount is a non-negative whole number of fen (分).
 *
 * Only the shape is checked here; identity numbers, phone numbers, division codes, the item and its materials are
 * checked against the domain by `checkApplication`.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
/** A non-negative safe integer of fen. */
export const fenAmount = z.int().nonnegative();
const isoDate = z.iso.date();
/** Raw input; `parseResidentIdNumber` normalises and checks it. Bounded so a huge string is refused early. */
const idNumberInput = z.string().min(1).max(40);
const divisionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6-, 9- or 12-digit division code');

const monthlyIncome = z
  .object({
    wages: fenAmount.optional(),
    netBusiness: fenAmount.optional(),
    netProperty: fenAmount.optional(),
    netTransfer: fenAmount.optional(),
    other: fenAmount.optional(),
    necessaryWorkCostDeduction: fenAmount.optional(),
  })
  .strict();

const member = z
  .object({
    relation: z.enum(RELATIONS),
    name: text(50),
    idNumber: idNumberInput,
    birthDate: isoDate,
    disability: z
      .object({
        category: z.enum(DISABILITY_CATEGORIES),
        grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
        certificateNumber: z.string().regex(/^[0-9A-Za-z]{10,30}$/, '10–30 letters or digits'),
        validUntil: isoDate.optional(),
      })
      .strict()
      .optional(),
    health: z.enum(HEALTH_STATUSES),
    seriousIllnessType: text(100).optional(),
    workCapacity: z.enum(WORK_CAPACITIES),
    monthlyIncome,
  })
  .strict();

const household = z
  .object({
    members: z.array(member).min(1).max(20),
    essentialSpendingLast12Months: z
      .object({
        medical: fenAmount,
        education: fenAmount,
        disabilityRehabilitation: fenAmount,
        disasterOrAccident: fenAmount,
        other: fenAmount,
      })
      .strict(),
    assets: z
      .object({
        financialFen: z
          .object({ deposits: fenAmount, securities: fenAmount, insurance: fenAmount, other: fenAmount })
          .strict(),
        vehicles: z
          .array(
            z
              .object({
                ownerMember: z.int().min(0).max(19),
                type: text(50),
                use: text(100),
                purchasedOn: isoDate,
                valueFen: fenAmount,
              })
              .strict(),
          )
          .max(20),
        houses: z
          .array(
            z
              .object({
                ownerMembers: z.array(z.int().min(0).max(19)).min(1).max(20),
                address: text(200),
                acquiredOn: isoDate,
                areaSquareMetres: z.number().positive().max(100_000),
                priceFen: fenAmount,
                nature: text(50),
              })
              .strict(),
          )
          .max(20),
      })
      .strict(),
    dutyBearers: z
      .array(
        z
          .object({
            name: text(50),
            duty: z.enum(SUPPORT_DUTIES),
            familySize: z.int().min(1).max(30),
            monthlyIncomeFen: fenAmount,
            maintenancePaidMonthlyFen: fenAmount,
          })
          .strict(),
      )
      .max(20),
  })
  .strict();

/** Reasons for requesting help, as the case form lists them (docs/domain.md §5.4). */
export const REASON_CATEGORIES = [
  'lack-of-labour',
  'no-income',
  'illness',
  'disability',
  'education',
  'housing',
  'disaster',
  'other',
] as const;

/** What some procedures need to start; checked per procedure by `checkApplication`. */
const details = z
  .object({
    assistanceType: z.enum(['emergency', 'expenditure']).optional(),
    requestedAmountFen: z.int().positive().optional(),
    priorAssistanceThisYearForCause: z.boolean().optional(),
    subsidies: z
      .array(z.enum(['living', 'nursing']))
      .min(1)
      .max(2)
      .optional(),
    urgent: z.boolean().optional(),
    competentDivision: divisionCode.optional(),
    competenceGround: z.enum(LEGAL_AID_COMPETENCE_GROUNDS).optional(),
    priorityHousehold: z.boolean().optional(),
    unemploymentRegistered: z.boolean().optional(),
    leftServiceOn: isoDate.optional(),
  })
  .strict();

export const submitApplicationRequest = z
  .object({
    itemCode: z.string().regex(/^BPS-\d{3}$/, 'an item code such as BPS-064'),
    portalReference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, '1–100 letters, digits and . _ : / -'),
    applicant: z
      .object({
        name: text(50),
        idNumber: idNumberInput,
        phone: z.string().min(1).max(30),
        householdRegistrationDivision: divisionCode,
        householdRegistrationType: z.enum(['urban', 'rural']),
        residenceDivision: divisionCode,
        address: text(200),
      })
      .strict(),
    household: household.optional(),
    reason: z.object({ category: z.enum(REASON_CATEGORIES), description: text(2000) }).strict(),
    bankAccount: z
      .object({
        bankName: text(100),
        accountHolder: text(50),
        accountNumber: z.string().regex(/^\d{10,30}$/, '10–30 digits'),
      })
      .strict()
      .optional(),
    consent: z.object({ economicDataCheck: z.boolean(), givenAt: z.iso.datetime({ offset: true }) }).strict(),
    materials: z
      .array(
        z
          .object({
            type: z.enum(MATERIAL_TYPE_CODES),
            fileName: text(200),
            sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
            reference: text(500),
          })
          .strict(),
      )
      .max(50),
    details: details.optional(),
  })
  .strict();

export type SubmitApplicationRequest = z.output<typeof submitApplicationRequest>;
