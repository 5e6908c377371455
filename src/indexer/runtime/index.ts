export { createIndexer, type Indexer, type IndexerPhase, type IndexerStatus } from "./indexer";
export { resolveOptions, type IndexerOptions } from "./options";
