import { runEmulatorCli } from '../../emulator/index.js'
import type { CliIo } from '../io.js'

/** `spaceops emulator`: the local Genie API emulator (never part of the action bundle). */
export async function emulatorCommand(argv: string[], io: CliIo): Promise<number> {
  return runEmulatorCli(argv, { stdout: (l) => io.out(`${l}\n`), stderr: (l) => io.err(`${l}\n`) })
}
