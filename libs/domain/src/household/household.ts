import type { IsoDate } from '../calendar/calendar-date.js';
import type { Fen } from '../money/fen.js';

/**
 * A household as a social-assistance case holds it: the members living together (共同生活的家庭成员, whose
 * income counts per 社会救助暂行办法 art. 9), their essential spending and assets, and the people with a legal
 * duty of support who live elsewhere. The fields follow a real local 低保 / 特困 / 临时救助 case form
 * (docs/domain.md §5.4 [S C4]); amounts are integer fen.
 */
export interface Household {
  /** The members living together; the first with relation `head` is the 户主. */
  readonly members: readonly HouseholdMember[];
  /** Essential spending of the last 12 months (刚性支出), the basis of the expenditure-type tests [S P42]. */
  readonly essentialSpendingLast12Months: EssentialSpending;
  readonly assets: HouseholdAssets;
  /** 赡养/扶养/抚养义务人 who do not live with the household. */
  readonly dutyBearers: readonly DutyBearer[];
}

/**
 * Relation to the head of household (与户主关系). The case form distinguishes in-laws (son or son-in-law,
 * daughter or daughter-in-law, parent or parent-in-law); they count the same here.
 */
export const RELATIONS = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
  'other',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** 健康状况. `serious-illness` (重病) is one of the four special categories of 社会救助暂行办法 art. 12. */
export const HEALTH_STATUSES = ['healthy', 'chronic-illness', 'serious-illness'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** 劳动能力: full, partial, none (完全 / 部分 / 无劳动能力). */
export const WORK_CAPACITIES = ['full', 'partial', 'none'] as const;
export type WorkCapacity = (typeof WORK_CAPACITIES)[number];

/** Disability categories of GB/T 26341-2010 (视力, 听力, 言语, 肢体, 智力, 精神, 多重). */
export const DISABILITY_CATEGORIES = [
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'psychiatric',
  'multiple',
] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];

/** Grade 1 is the most severe; grades 1 and 2 are "severe disability" (重度残疾). */
export type DisabilityGrade = 1 | 2 | 3 | 4;

/** A disability as the certificate (残疾人证) records it. */
export interface Disability {
  readonly category: DisabilityCategory;
  readonly grade: DisabilityGrade;
  readonly certificate: {
    /** The certificate number (personal data, like the identity number it embeds). */
    readonly number: string;
    /** Last day of validity, inclusive; undefined for a certificate valid without limit (长期). */
    readonly validUntil?: IsoDate;
  };
}

/**
 * Monthly income categories of the case form (收入类别 A–F). F is a deduction, entered as a positive amount.
 * A missing category is zero.
 */
export const INCOME_CATEGORIES = [
  'wages', // A 工资性收入
  'netBusiness', // B 经营净收入
  'netProperty', // C 财产净收入
  'netTransfer', // D 转移净收入
  'other', // E 其他收入
  'necessaryWorkCostDeduction', // F 必要就业成本抵扣 (deducted)
] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];

/** The letter of each category on the case form. */
export const INCOME_CATEGORY_CODES: Readonly<Record<IncomeCategory, string>> = {
  wages: 'A',
  netBusiness: 'B',
  netProperty: 'C',
  netTransfer: 'D',
  other: 'E',
  necessaryWorkCostDeduction: 'F',
};

export type MonthlyIncome = Readonly<Partial<Record<IncomeCategory, Fen>>>;

export interface HouseholdMember {
  /** Id of the member within the case (not the identity number): safe to log and to store in a breakdown. */
  readonly id: string;
  readonly name: string;
  /** Normalised identity number (see `parseResidentIdNumber`). Personal data: never logged. */
  readonly idNumber: string;
  readonly relation: Relation;
  readonly birthDate: IsoDate;
  readonly disability?: Disability;
  readonly health: HealthStatus;
  /** 重病病种, when `health` is `serious-illness`. */
  readonly seriousIllnessType?: string;
  readonly workCapacity: WorkCapacity;
  readonly monthlyIncome: MonthlyIncome;
}

/** 刚性支出 categories of the case form. */
export interface EssentialSpending {
  readonly medical: Fen;
  readonly education: Fen;
  readonly disabilityRehabilitation: Fen;
  readonly disasterOrAccident: Fen;
  readonly other: Fen;
}

export interface HouseholdAssets {
  readonly vehicles: readonly Vehicle[];
  readonly houses: readonly House[];
}

/** A vehicle or boat (车辆/船舶). */
export interface Vehicle {
  /** Member id of the owner. */
  readonly ownerId: string;
  readonly type: string;
  /** 用途, e.g. a vehicle needed for a disabled member's mobility or for work. */
  readonly use: string;
  readonly purchasedOn: IsoDate;
  readonly value: Fen;
}

export interface House {
  /** Member ids of the owner or co-owners. */
  readonly ownerIds: readonly string[];
  readonly address: string;
  /** Build or purchase date. */
  readonly acquiredOn: IsoDate;
  /** Floor area in square metres as the property register states it (it may have decimals; it is not money). */
  readonly areaSquareMetres: number;
  readonly price: Fen;
  /** 房屋性质, e.g. commercial housing, public rental, self-built. */
  readonly nature: string;
}

/** The legal duty (法定义务): 赡养 of parents and grandparents, 扶养 between spouses or siblings, 抚养 of children. */
export const SUPPORT_DUTIES = ['elder-support', 'mutual-support', 'child-upbringing'] as const;
export type SupportDuty = (typeof SUPPORT_DUTIES)[number];

/** A person with a legal duty of support who lives elsewhere (赡养/扶养/抚养义务人). */
export interface DutyBearer {
  readonly name: string;
  readonly duty: SupportDuty;
  /** Size of the duty-bearer's own family. */
  readonly familySize: number;
  readonly monthlyIncome: Fen;
  readonly maintenancePaidMonthly: Fen;
  /**
   * The reviewer's finding that this person is able to provide support. The local test of that ability is not
   * known (docs/domain.md §3.2 [R 民发〔2021〕43号]), so it is recorded, not computed.
   */
  readonly capableOfSupport: boolean;
}
