export {
  ACCEPTING_OFFICE_BY_POINT,
  APPROVING_OFFICE_BY_LEVEL,
  DISTRICT_PROCEDURE_SETTINGS,
  ITEM_ROUTING_OVERRIDES,
  LEGAL_AID_COMPETENCE_GROUNDS,
  type LegalAidCompetenceGround,
  OFFICE_SOURCES,
  SOCIAL_ASSISTANCE_PROCEDURES,
  type OfficeSource,
} from './routing-rules.js';
export {
  ROUTING_ERRORS,
  routeApplication,
  type CompetentDivision,
  type RoutedOffice,
  type Routing,
} from './route-application.js';
