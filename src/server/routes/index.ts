/** Every route plugin, registered in one place (the OpenAPI document lists them in this order). */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../types";
import { authorizationRoutes } from "./authorizations";
import { eventRoutes } from "./events";
import { lineageRoutes } from "./lineage";
import { organizationRoutes } from "./organizations";
import { recordRoutes } from "./records";
import { systemRoutes } from "./system";
import { verdictRoutes } from "./verdicts";

export {
  authorizationRoutes,
  eventRoutes,
  lineageRoutes,
  organizationRoutes,
  recordRoutes,
  systemRoutes,
  verdictRoutes,
};

export async function registerRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  await recordRoutes(app, context);
  await lineageRoutes(app, context);
  await authorizationRoutes(app, context);
  await verdictRoutes(app, context);
  await organizationRoutes(app, context);
  await eventRoutes(app, context);
  await systemRoutes(app, context);
}
