// The harness's actions/github-script: runs INPUT_SCRIPT as the action does — the body of an async
// function given github (an Octokit for INPUT_GITHUB-TOKEN on GITHUB_API_URL), context, core,
// exec, getOctokit and require — and sets the `result` output from its return value.
import { createRequire } from 'node:module'
import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { context, getOctokit } from '@actions/github'

const token = core.getInput('github-token', { required: true })
const github = getOctokit(token, { baseUrl: process.env.GITHUB_API_URL })
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor
const fn = new AsyncFunction('require', 'github', 'context', 'core', 'exec', 'getOctokit', core.getInput('script', { required: true }))
try {
  const result = await fn(createRequire(`${process.cwd()}/`), github, context, core, exec, (t, o) =>
    getOctokit(t, { baseUrl: process.env.GITHUB_API_URL, ...o })
  )
  const encoding = core.getInput('result-encoding') || 'json'
  core.setOutput('result', encoding === 'string' ? String(result ?? '') : JSON.stringify(result))
} catch (err) {
  core.setFailed(`Unhandled error: ${err instanceof Error ? err.message : String(err)}`)
}
