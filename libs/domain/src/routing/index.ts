export {
  ACCEPTING_OFFICE_BY_POINT,
  APPROVING_OFFICE_BY_LEVEL,
  DISTRICT_PROCEDURE_SETTINGS,
  ITEM_ROUTING_BASES,
  type ItemRoutingBasis,
  LEGAL_AID_COMPETENCE_GROUNDS,
  type LegalAidCompetenceGround,
  OFFICE_PLACES,
  type OfficePlace,
  ROUTING_BASES,
  ROUTING_BASIS_FIELDS,
  type RoutingBasis,
  type RoutingRule,
  routingRuleOf,
  SOCIAL_ASSISTANCE_PROCEDURES,
} from './routing-rules.js';
export {
  ROUTING_ERRORS,
  routeApplication,
  type ApplicationDivisions,
  type RoutedOffice,
  type Routing,
} from './route-application.js';
