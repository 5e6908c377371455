/** The state a deployment starts with before any event: what the contracts set without emitting. */
import { DEFAULT_CLASS_RULES } from "../../sdk";
import type { ProjectionStore } from "./store";

/**
 * Writes the initial state into a fresh store: DataRights' constructor sets the four default class rules silently
 * (the module is not attached yet, so it cannot chain an entry), and every later change is a ClassRuleChanged event.
 * Call it once, when a store is created, before applying the first event.
 */
export function seedProjection(store: ProjectionStore): void {
  for (const [dataClass, rule] of Object.entries(DEFAULT_CLASS_RULES)) store.put("classRules", Number(dataClass), rule);
}
