import { SpaceOpsError } from '../../util/errors.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import type { CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const DELETE_USAGE = 'spaceops delete <space_id> [-y]'
export const DELETE_HELP = `Move a space to the trash. Asks for confirmation unless -y; without a terminal it
refuses unless -y is given.

Usage: ${DELETE_USAGE}

Options:
  -y, --yes              do not ask
  --host, --token        connection overrides
  -h, --help             show this help

${CONNECTION_HELP}`

export const DELETE_OPTIONS = { yes: { type: 'boolean', short: 'y' }, ...CONNECTION_OPTIONS } as const

export async function deleteCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, DELETE_OPTIONS, DELETE_USAGE)
  if (values.help) {
    io.out(DELETE_HELP)
    return 0
  }
  if (positionals.length !== 1) throw usageError('delete takes exactly one space id', DELETE_USAGE)
  const spaceId = positionals[0] as string
  const client = clientFromCli(io, values)
  if (!values.yes) {
    if (!io.isTTY || !io.prompt) throw new SpaceOpsError(`refusing to delete space ${spaceId} without confirmation: no terminal to ask on; pass -y`)
    const space = await client.getSpace(spaceId, { includeSerializedSpace: false })
    const answer = (await io.prompt(`Move space ${spaceId} "${printable(space.title ?? '')}" to the trash? [y/N] `)).trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      io.err('not deleted\n')
      return 1
    }
  }
  await client.trashSpace(spaceId)
  io.out(`moved space ${spaceId} to the trash\n`)
  return 0
}
