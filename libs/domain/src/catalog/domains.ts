/**
 * The 9 domains (领域) and 22 aspects (方面) of the Urumqi Basic Public Service Standard (2023), with the
 * counts the standard states (seed: 《乌鲁木齐市基本公共服务标准（2023年版）》政策解读, §三). Codes are
 * stable English identifiers; an aspect code is its domain code, a dot and a suffix.
 */
export const DOMAIN_CODES = [
  'early-childhood', // 幼有所育
  'education', // 学有所教
  'employment', // 劳有所得
  'medical-care', // 病有所医
  'elderly-care', // 老有所养
  'housing', // 住有所居
  'vulnerable-groups', // 弱有所扶
  'veterans', // 优军服务保障
  'culture-sports', // 文体服务保障
] as const;
export type DomainCode = (typeof DOMAIN_CODES)[number];

export const ASPECT_CODES = [
  'early-childhood.prenatal-care',
  'early-childhood.child-health',
  'early-childhood.child-care',
  'education.preschool-aid',
  'education.compulsory',
  'education.senior-secondary-aid',
  'education.vocational-secondary-aid',
  'employment.employment-services',
  'employment.work-injury-unemployment-insurance',
  'medical-care.public-health',
  'medical-care.medical-insurance',
  'medical-care.family-planning-support',
  'elderly-care.elderly-support',
  'elderly-care.pension-insurance',
  'housing.public-rental',
  'housing.renovation',
  'vulnerable-groups.social-assistance',
  'vulnerable-groups.legal-services',
  'vulnerable-groups.disability-support',
  'veterans.preferential-treatment',
  'culture-sports.public-culture',
  'culture-sports.public-sports',
] as const;
export type AspectCode = (typeof ASPECT_CODES)[number];

export interface ServiceDomain {
  readonly code: DomainCode;
  readonly nameZh: string;
  readonly nameEn: string;
  /** The number of items the standard states for the domain. */
  readonly statedItemCount: number;
  /** The number of aspects the standard states for the domain. */
  readonly statedAspectCount: number;
}

export interface ServiceAspect {
  readonly code: AspectCode;
  readonly domain: DomainCode;
  readonly nameZh: string;
  readonly nameEn: string;
}

export const DOMAINS: readonly ServiceDomain[] = [
  {
    code: 'early-childhood',
    nameZh: '幼有所育',
    nameEn: 'Care for young children',
    statedItemCount: 9,
    statedAspectCount: 3,
  },
  { code: 'education', nameZh: '学有所教', nameEn: 'Education', statedItemCount: 10, statedAspectCount: 4 },
  {
    code: 'employment',
    nameZh: '劳有所得',
    nameEn: 'Employment and income',
    statedItemCount: 17,
    statedAspectCount: 2,
  },
  {
    code: 'medical-care',
    nameZh: '病有所医',
    nameEn: 'Medical and health care',
    statedItemCount: 18,
    statedAspectCount: 3,
  },
  {
    code: 'elderly-care',
    nameZh: '老有所养',
    nameEn: 'Care for older people',
    statedItemCount: 5,
    statedAspectCount: 2,
  },
  { code: 'housing', nameZh: '住有所居', nameEn: 'Housing', statedItemCount: 4, statedAspectCount: 2 },
  {
    code: 'vulnerable-groups',
    nameZh: '弱有所扶',
    nameEn: 'Support for vulnerable groups',
    statedItemCount: 18,
    statedAspectCount: 3,
  },
  {
    code: 'veterans',
    nameZh: '优军服务保障',
    nameEn: 'Services for service members and veterans',
    statedItemCount: 5,
    statedAspectCount: 1,
  },
  {
    code: 'culture-sports',
    nameZh: '文体服务保障',
    nameEn: 'Culture and sports services',
    statedItemCount: 11,
    statedAspectCount: 2,
  },
];

export const ASPECTS: readonly ServiceAspect[] = [
  {
    code: 'early-childhood.prenatal-care',
    domain: 'early-childhood',
    nameZh: '优孕优生服务',
    nameEn: 'Healthy pregnancy and birth services',
  },
  {
    code: 'early-childhood.child-health',
    domain: 'early-childhood',
    nameZh: '儿童健康服务',
    nameEn: 'Child health services',
  },
  {
    code: 'early-childhood.child-care',
    domain: 'early-childhood',
    nameZh: '儿童关爱服务',
    nameEn: 'Child care and protection services',
  },
  {
    code: 'education.preschool-aid',
    domain: 'education',
    nameZh: '学前教育助学服务',
    nameEn: 'Preschool education aid',
  },
  {
    code: 'education.compulsory',
    domain: 'education',
    nameZh: '义务教育服务',
    nameEn: 'Compulsory education services',
  },
  {
    code: 'education.senior-secondary-aid',
    domain: 'education',
    nameZh: '普通高中助学服务',
    nameEn: 'General senior-secondary education aid',
  },
  {
    code: 'education.vocational-secondary-aid',
    domain: 'education',
    nameZh: '中等职业教育助学服务',
    nameEn: 'Secondary vocational education aid',
  },
  {
    code: 'employment.employment-services',
    domain: 'employment',
    nameZh: '就业创业服务',
    nameEn: 'Employment and entrepreneurship services',
  },
  {
    code: 'employment.work-injury-unemployment-insurance',
    domain: 'employment',
    nameZh: '工伤失业保险服务',
    nameEn: 'Work-injury and unemployment insurance services',
  },
  {
    code: 'medical-care.public-health',
    domain: 'medical-care',
    nameZh: '公共卫生服务',
    nameEn: 'Public health services',
  },
  {
    code: 'medical-care.medical-insurance',
    domain: 'medical-care',
    nameZh: '医疗保险服务',
    nameEn: 'Medical insurance services',
  },
  {
    code: 'medical-care.family-planning-support',
    domain: 'medical-care',
    nameZh: '计划生育扶助服务',
    nameEn: 'Family-planning support services',
  },
  {
    code: 'elderly-care.elderly-support',
    domain: 'elderly-care',
    nameZh: '养老助老服务',
    nameEn: 'Elderly care and assistance services',
  },
  {
    code: 'elderly-care.pension-insurance',
    domain: 'elderly-care',
    nameZh: '养老保险服务',
    nameEn: 'Pension insurance services',
  },
  { code: 'housing.public-rental', domain: 'housing', nameZh: '公租房服务', nameEn: 'Public rental housing services' },
  { code: 'housing.renovation', domain: 'housing', nameZh: '住房改造服务', nameEn: 'Housing renovation services' },
  {
    code: 'vulnerable-groups.social-assistance',
    domain: 'vulnerable-groups',
    nameZh: '社会救助服务',
    nameEn: 'Social assistance services',
  },
  {
    code: 'vulnerable-groups.legal-services',
    domain: 'vulnerable-groups',
    nameZh: '公共法律服务',
    nameEn: 'Public legal services',
  },
  {
    code: 'vulnerable-groups.disability-support',
    domain: 'vulnerable-groups',
    nameZh: '扶残助残服务',
    nameEn: 'Support services for people with disabilities',
  },
  {
    code: 'veterans.preferential-treatment',
    domain: 'veterans',
    nameZh: '优军优抚服务',
    nameEn: 'Preferential treatment and care for service members and veterans',
  },
  {
    code: 'culture-sports.public-culture',
    domain: 'culture-sports',
    nameZh: '公共文化服务',
    nameEn: 'Public cultural services',
  },
  {
    code: 'culture-sports.public-sports',
    domain: 'culture-sports',
    nameZh: '公共体育服务',
    nameEn: 'Public sports services',
  },
];

export function findDomain(code: string): ServiceDomain | undefined {
  return DOMAINS.find((domain) => domain.code === code);
}

export function findAspect(code: string): ServiceAspect | undefined {
  return ASPECTS.find((aspect) => aspect.code === code);
}

/** The aspects of a domain, in the standard's order. */
export function aspectsOf(domain: DomainCode): readonly ServiceAspect[] {
  return ASPECTS.filter((aspect) => aspect.domain === domain);
}
