export { bloomMayContain, bloomMayHaveLogsOf, isBloom } from "./bloom";
export { SyncError, type SyncErrorCode } from "./errors";
export {
  createLogRangeState,
  fetchLogs,
  suggestedLimit,
  suggestedRange,
  type FetchLogsOptions,
  type LogRangeState,
} from "./logs";
export { createRealtimeSync, type RealtimeSync } from "./realtime";
export { createRpc, isTransient } from "./rpc";
export type {
  FetchedRange,
  IndexerRpc,
  LogRangeOptions,
  RealtimeEvent,
  RealtimeSyncOptions,
  RpcOptions,
} from "./types";
