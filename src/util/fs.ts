import * as fs from 'node:fs'
import { promisify } from 'node:util'

/**
 * The promise forms of the file calls the action's start makes (reading definitions, expanding
 * paths, appending the summary), over node:fs's callback API: importing node:fs/promises makes
 * Node load its FileHandle machinery, watchers and readline (about 1 ms of a start that reads one
 * file). Same calls, same errors.
 */
export const stat = promisify(fs.stat)
export const open = promisify(fs.open)
export const fstat = promisify(fs.fstat)
export const close = promisify(fs.close)
export const readFd = promisify(fs.readFile) as (fd: number) => Promise<Buffer>
export const mkdir = promisify(fs.mkdir)
export const writeFile = promisify(fs.writeFile)
export const rename = promisify(fs.rename)
export const rm = promisify(fs.rm)
export const appendFile = promisify(fs.appendFile)
