/**
 * Province-level codes of GB/T 2260 (the first two digits of an administrative division code), with the
 * codes that identity numbers can begin with. Only the province level is checked: the county-level table
 * changes every year and an old number keeps the code of the county at the time it was issued.
 */
// prettier-ignore
export const MAINLAND_PROVINCE_CODES: ReadonlySet<string> = new Set([
  // 华北: Beijing, Tianjin, Hebei, Shanxi, Inner Mongolia
  '11', '12', '13', '14', '15',
  // 东北: Liaoning, Jilin, Heilongjiang
  '21', '22', '23',
  // 华东: Shanghai, Jiangsu, Zhejiang, Anhui, Fujian, Jiangxi, Shandong
  '31', '32', '33', '34', '35', '36', '37',
  // 中南: Henan, Hubei, Hunan, Guangdong, Guangxi, Hainan
  '41', '42', '43', '44', '45', '46',
  // 西南: Chongqing, Sichuan, Guizhou, Yunnan, Tibet
  '50', '51', '52', '53', '54',
  // 西北: Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang
  '61', '62', '63', '64', '65',
]);

/** GB/T 2260 codes outside the mainland: 71 Taiwan, 81 Hong Kong, 82 Macao. */
export const TAIWAN_PROVINCE_CODE = '71';

/**
 * Address codes of the residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证, 2018):
 * 810000 Hong Kong, 820000 Macao, 830000 Taiwan. 83 is not a GB/T 2260 code, and GB/T 2260 publishes no
 * subdivisions of 81 and 82, so for these prefixes the whole six-digit code must match.
 */
export const HONG_KONG_MACAO_TAIWAN_PERMIT_CODES: ReadonlySet<string> = new Set(['810000', '820000', '830000']);
