/**
 * Local Genie API emulator: a real HTTP server on 127.0.0.1 speaking the Genie wire format, for
 * end-to-end tests of the SpaceOps CLI and action. Independent of src/model and src/client by
 * design (shared code would hide shared bugs). The action bundle must never import this module.
 */
export { startEmulator, DEFAULT_BEHAVIOUR, DEFAULT_USER } from './server.js'
export type { EmulatorOptions, RunningEmulator } from './server.js'
export { parseEmulatorArgs, runEmulatorCli, EmulatorArgsError, EMULATOR_USAGE } from './cli.js'
export type { ParsedEmulatorArgs, EmulatorCliIo } from './cli.js'
export { parseFaultConfig, DEFAULT_GENIE_TIMINGS } from './faults.js'
export type { FaultConfig } from './faults.js'
export { DEFAULT_QUESTIONS_PER_MINUTE } from './ratelimit.js'
export { DEFAULT_MATCH_THRESHOLD } from './genie/answer.js'
export { SHOP_CATALOGS, DEFAULT_DATA_SEED } from './sql/dataset.js'
export { DEFAULT_LIMITS } from './limits.js'
export type { Limits } from './limits.js'
export type { AuthOptions, Behaviour } from './env.js'
export { EmulatorState } from './state.js'
export type { RequestLogEntry, SpaceRecord, RequestFault } from './state.js'
