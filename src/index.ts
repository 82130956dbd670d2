// The public API of the trustrules package: what a program may import (`import { … } from 'trustrules'`), from the
// vocabulary up to the HTTP API. Everything else under dist/ is internal and may change without notice.

// The scenario vocabulary and scenarios.
export { vocabulary, languageWords, type Vocabulary, type Fact, type Term } from './vocabulary/vocabulary.js';
export { scenarioCodec, ScenarioError, type InputError, type Scenario, type ScenarioCodec, type ScenarioJson } from './vocabulary/scenario.js';
export { isCalendarDate, today } from './vocabulary/dates.js';

// The policy corpus.
export { defaultPoliciesRoot, loadCorpus, loadCorpusOrThrow, type LoadOptions, type LoadResult } from './policy/load.js';
export type { Corpus, Instrument, Jurisdiction, Provision } from './policy/corpus.js';
export { instrumentJson, jurisdictionJson } from './policy/listing.js';
export { formatDiagnostic, type Diagnostic } from './policy/diagnostics.js';

// Deciding.
export { Engine, UnknownInstrumentError, type WhatIf } from './engine/engine.js';
export { outcomes, type Decision, type Outcome, type Reason, type Ruling } from './engine/decision.js';
export { decide, decideScenario, decisionBytes } from './app/presentation/decisions.js';
export { explainText } from './app/presentation/explain.js';
export { languages, type Lang } from './app/presentation/catalog.js';

// Analysis over the scenario space.
export { tableRows, tableJson, tableCsv } from './analysis/table.js';
export { diffRows, diffJson } from './analysis/diff.js';
export { gapRows } from './analysis/gaps.js';
export { timeline } from './analysis/timeline.js';
export { coverage } from './analysis/coverage.js';
export { checkCorpus } from './analysis/check.js';
export { runPolicyTests } from './analysis/policyTests.js';
export { diffRequest, gapsRequest, tableRequest, timelineRequest } from './analysis/params.js';

// The application layer: engines per what-if, refusals, configuration.
export { EnginePool, type EnginePoolOptions } from './app/pool.js';
export { ContractError, contractErrorOf, type ErrorCode, type ErrorObject } from './app/errors.js';
export { envName, settings } from './app/config.js';

// The surfaces.
export { buildServer, type ServerOptions } from './server/app.js';
export { startServer, type StartOptions } from './server/start.js';
export { run } from './main.js';
