import { spaceToAuthoring, renderPayload } from '../model/convert.js'
import { dumpYaml } from '../model/source.js'
import type { Space } from '../model/space.js'
import { formatOf } from '../model/load.js'
import { SpaceOpsError } from '../util/errors.js'

/** Writing the model in each file format. */
export function toYamlText(space: Space): string {
  return dumpYaml(spaceToAuthoring(space))
}

/** A `.geniespace.json` holds the document only (as bundles use it); title etc. are not part of it. */
export function toGeniespaceText(space: Space): string {
  return `${JSON.stringify(space.document, null, 2)}\n`
}

export function toPayloadText(space: Space): string {
  return `${JSON.stringify(renderPayload(space), null, 2)}\n`
}

export function textFor(file: string, space: Space): string {
  const kind = formatOf(file)
  if (kind === 'yaml') return toYamlText(space)
  if (kind === 'json') return toGeniespaceText(space)
  throw new SpaceOpsError(`${file}: unknown output format; use a .yaml/.yml or .geniespace.json file name`)
}
