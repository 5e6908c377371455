// solidity-coverage settings: measure our contracts only (test doubles under contracts/test are skipped).
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
  mocha: { timeout: 600000 },
};
