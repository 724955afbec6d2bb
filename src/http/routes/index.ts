/**
 * The route table: every HTTP operation, in the order the OpenAPI document lists them.
 * Adding a resource is one module under routes/ and one line here.
 */
import { scorecardRoutes } from './scorecards.js';
import { agendaRoutes } from './agenda.js';
import { auditRoutes } from './audit.js';
import { commandRoutes } from './commands.js';
import { commitmentRoutes } from './commitments.js';
import { exportRoutes } from './exports.js';
import { extractionRoutes } from './extractions.js';
import { operationRoutes } from './operations.js';
import { summaryRoutes } from './summary.js';
import type { AnyRoute } from './route.js';

export const ROUTES: readonly AnyRoute[] = [
  ...commitmentRoutes,
  ...commandRoutes,
  ...agendaRoutes,
  ...summaryRoutes,
  ...auditRoutes,
  ...exportRoutes,
  ...scorecardRoutes,
  ...extractionRoutes,
  ...operationRoutes,
];

export { expressPath, type AnyRoute, type RouteContext } from './route.js';
