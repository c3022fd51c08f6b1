import { attested, text, UNKNOWN_TEXT } from '../evidence.js';
import { defineItem, expenditure, material, type ServiceItem, standard } from '../service-item.js';

// 住有所居 (docs/domain.md §1.3, §3.8, §3.12). Summaries without a tag there are the national 2021 pattern [R].
const NATIONAL = 'national standard 2021';
const PUBLIC_RENTAL_RULES = '住房和城乡建设部令第11号';

export const HOUSING_ITEMS: readonly ServiceItem[] = [
  defineItem({
    code: 'BPS-060',
    nameZh: '公租房保障',
    nameEn: 'Public rental housing',
    domain: 'housing',
    aspect: 'housing.public-rental',
    mode: 'individual-application',
    serviceObject: text(
      'Households in housing difficulty within the local income, asset and housing thresholds (Urumqi thresholds unknown); 低保 households and 特困 persons living at home have priority',
      'R',
      `${PUBLIC_RENTAL_RULES}; L1 arts. 37–40`,
    ),
    content: text(
      'A public rental flat allocated from a waiting queue (轮候), or a rent subsidy',
      'R',
      PUBLIC_RENTAL_RULES,
    ),
    standard: standard(
      text(
        'Waiting period normally at most 5 years; lease normally at most 5 years; Urumqi rents unknown',
        'R',
        PUBLIC_RENTAL_RULES,
      ),
    ),
    expenditure: expenditure(
      ['central-local-shared', 'local'],
      'CS/LOC: shared central–local responsibility or local government',
      'R',
      NATIONAL,
    ),
    leadDepartment: attested('housing-urban-rural', 'G'),
    procedure: 'public-rental-housing',
    requiredMaterials: [
      material('application-form', 'R', PUBLIC_RENTAL_RULES),
      material('id-card', 'G'),
      material('household-register', 'G'),
      material('income-proof', 'G'),
      // Income and assets are checked on the civil affairs data-check platform, which needs the authorisation.
      material('economic-check-authorisation', 'R', 'L1 art. 58'),
      material('housing-status-proof', 'G'),
    ],
    acceptingLevel: attested('street', 'R', PUBLIC_RENTAL_RULES),
    approvingLevel: attested('district', 'G'),
  }),
  defineItem({
    code: 'BPS-061',
    nameZh: '城镇棚户区改造',
    nameEn: 'Urban shanty-town redevelopment',
    domain: 'housing',
    aspect: 'housing.renovation',
    mode: 'programme',
    modeNote: 'Households deal with it through expropriation (征收) and resettlement agreements',
    serviceObject: UNKNOWN_TEXT,
    content: text('Redevelopment of urban shanty towns, with resettlement of the households', 'R', NATIONAL),
    standard: standard(UNKNOWN_TEXT),
    expenditure: expenditure(
      ['central-local-shared', 'local'],
      'CS/LOC: shared central–local responsibility or local government',
      'R',
      NATIONAL,
    ),
    leadDepartment: attested('housing-urban-rural', 'G'),
    procedure: null,
  }),
  defineItem({
    code: 'BPS-062',
    nameZh: '老旧小区改造',
    nameEn: 'Renovation of old residential compounds',
    domain: 'housing',
    aspect: 'housing.renovation',
    mode: 'programme',
    serviceObject: UNKNOWN_TEXT,
    content: text('Community-level renovation projects', 'G', 'reference §1.3'),
    standard: standard(UNKNOWN_TEXT),
    expenditure: expenditure(['local'], 'LOC: local government', 'G', 'reference §1.3'),
    leadDepartment: attested('housing-urban-rural', 'G'),
    procedure: null,
  }),
  defineItem({
    code: 'BPS-063',
    nameZh: '农村危房改造',
    nameEn: 'Renovation of dilapidated rural housing',
    domain: 'housing',
    aspect: 'housing.renovation',
    mode: 'individual-application',
    serviceObject: text(
      'Rural households in dilapidated housing, such as 低保, 特困 and near-poverty households (widened by the national 2023 standard)',
      'R',
      NATIONAL,
    ),
    content: text('A house-safety appraisal, renovation, and a subsidy paid to the household account', 'R', NATIONAL),
    standard: standard(UNKNOWN_TEXT),
    expenditure: expenditure(
      ['central-local-shared'],
      'CS: shared central–local responsibility',
      'R',
      '国办发〔2018〕6号',
    ),
    leadDepartment: attested('housing-urban-rural', 'G'),
    procedure: 'general-review',
    // Jingde county's list (P48), taken as a plausible Urumqi list.
    requiredMaterials: [
      material('application-form', 'G', 'P48'),
      material('id-card', 'G', 'P48'),
      material('hardship-proof', 'G', 'P48'),
      material('house-photos', 'G', 'P48'),
      material('commitment-letter', 'G', 'P48'),
    ],
    acceptingLevel: attested('community', 'G', 'P48'),
    approvingLevel: attested('district', 'G', 'P48'),
  }),
];
