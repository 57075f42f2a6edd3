import type { BenchmarkGate } from '../../promote/promote.js'
import type { Logger } from '../../util/logger.js'
import type { CliIo } from '../io.js'
import { benchmarkGate } from '../../promote/gate.js'

/** The benchmark gate promote runs, from CLI flags. */
export async function benchmarkGateFromCli(paths: string[], minAccuracy: string | undefined, io: CliIo, logger: Logger): Promise<BenchmarkGate> {
  return benchmarkGate({ paths, ...(minAccuracy !== undefined ? { minAccuracy } : {}), cwd: io.cwd, logger })
}
