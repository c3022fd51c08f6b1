/**
 * The statutory procedures minsheng runs. Each application item of the catalog names one; `libs/workflows`
 * has one versioned machine per id. Items without a dedicated procedure run `general-review`, configured per item.
 */
export const PROCEDURE_IDS = [
  'minimum-living', // 最低生活保障
  'extreme-poverty', // 特困人员救助供养
  'temporary-assistance', // 临时救助
  'disability-subsidies', // 困难残疾人生活补贴和重度残疾人护理补贴
  'legal-aid', // 法律援助
  'public-rental-housing', // 公租房保障
  'unemployment-benefit', // 失业保险金
  'general-review', // one parameterised review procedure for every other application item
] as const;

export type ProcedureId = (typeof PROCEDURE_IDS)[number];

/** The administrative level that acts on a step (社区/村, 乡镇/街道, 区县, 市). */
export const LEVELS = ['community', 'street', 'district', 'city'] as const;
export type Level = (typeof LEVELS)[number];
