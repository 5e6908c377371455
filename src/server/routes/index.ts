/** Every route plugin, registered in one place (the OpenAPI document lists them in this order). */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../types";
import { authorizationRoutes } from "./authorizations";
import { lineageRoutes } from "./lineage";
import { recordRoutes } from "./records";
import { verdictRoutes } from "./verdicts";

export { authorizationRoutes, lineageRoutes, recordRoutes, verdictRoutes };

export async function registerRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  await recordRoutes(app, context);
  await lineageRoutes(app, context);
  await authorizationRoutes(app, context);
  await verdictRoutes(app, context);
}
