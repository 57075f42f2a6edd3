import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { z } from 'zod'
import {
  GenieEvalRunResponseSchema,
  GenieListConversationMessagesResponseSchema,
  GenieListSpacesResponseSchema,
  GenieMessageSchema,
  GenieSpaceSchema,
  GenieStartConversationResponseSchema,
  StatementResponseSchema,
  GenieGetMessageQueryResultResponseSchema,
  GenieEvalResultDetailsSchema
} from '../../src/client/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const dir = join(here, '..', 'fixtures', 'responses')
const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'))

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value)
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  return r.data as z.output<S>
}

/** Each fixture file and how it must parse; a file without an entry fails the last test. */
const checks: Record<string, (raw: unknown) => void> = {
  'get_space_docs_example.json': (raw) => {
    const space = parse(GenieSpaceSchema, raw)
    expect(space.space_id).toBe('e1ef34712a29169db030324fd0e1df5f')
    expect(typeof space.serialized_space).toBe('string')
    expect(JSON.parse(space.serialized_space ?? '')).toMatchObject({ version: 2 })
    expect(space.etag).toBe('string')
  },
  'list_spaces_docs_example.json': (raw) => {
    const page = parse(GenieListSpacesResponseSchema, raw)
    expect(page.spaces).toHaveLength(1)
    expect(page.spaces[0]?.space_id).toBe('e1ef34712a29169db030324fd0e1df5f')
    expect(page.next_page_token).toBe('string')
  },
  'start_conversation_docs_example.json': (raw) => {
    // The docs sample has no top-level ids and a conversation with only the legacy `id`.
    const r = parse(GenieStartConversationResponseSchema, raw)
    expect(r.conversation_id).toBe('6a64adad2e664ee58de08488f986af3e')
    expect(r.message_id).toBe('e1ef34712a29169db030324fd0e1df5f')
    expect(r.conversation?.conversation_id).toBe('6a64adad2e664ee58de08488f986af3e')
    expect(r.message?.status).toBe('IN_PROGRESS')
    expect(r.message?.attachments).toEqual([])
    // 10-digit seconds normalised to milliseconds
    expect(r.message?.created_timestamp).toBe(1719769718000)
  },
  'get_message_docs_example_in_progress.json': (raw) => {
    const m = parse(GenieMessageSchema, raw)
    expect(m.status).toBe('IN_PROGRESS')
    expect(m.error).toBeUndefined()
    expect(m.attachments).toEqual([])
    expect(m.user_id).toBe(12345)
  },
  'get_message_real_completed_query_text_suggested.json': (raw) => {
    const m = parse(GenieMessageSchema, raw)
    expect(m.status).toBe('COMPLETED')
    expect(m.message_id).toBe('01f1c2a2ff511c40bf196a3b19f9c227')
    expect(m.created_timestamp).toBe(1791414074921) // already milliseconds: unchanged
    expect(m.attachments).toHaveLength(3)
    const [q, s, t] = m.attachments
    expect(q?.query?.query).toContain('SELECT COUNT(*)')
    expect(q?.query?.statement_id).toBe('01f1c2a3-00be-1b07-9165-720eab466ddb')
    expect(q?.query?.thoughts?.map((x) => x.thought_type)).toEqual(['THOUGHT_TYPE_DESCRIPTION', 'THOUGHT_TYPE_DATA_SOURCING', 'THOUGHT_TYPE_STEPS'])
    expect(s?.suggested_questions?.questions).toHaveLength(3)
    expect(t?.attachment_id).toBeUndefined() // a text attachment without attachment_id is valid
    expect(t?.text?.content).toContain('**4** stations')
  },
  'list_conversation_messages_docs_placeholder.json': (raw) => {
    const r = parse(GenieListConversationMessagesResponseSchema, raw)
    expect(r.messages).toHaveLength(1)
    const m = r.messages[0]
    expect(m?.status).toBe('FETCHING_METADATA')
    expect(m?.error).toEqual({ error: 'string', type: 'UNEXPECTED_REPLY_PROCESS_EXCEPTION' })
    expect(m?.attachments[0]?.text?.purpose).toBe('FOLLOW_UP_QUESTION')
    expect(m?.attachments[0]?.query?.parameters?.[0]?.keyword).toBe('string')
    expect(m?.created_timestamp).toBe(0)
  },
  'eval_run_docs_example.json': (raw) => {
    const r = parse(GenieEvalRunResponseSchema, raw)
    expect(r.eval_run_id).toBe('e1ef34712a29169db030324fd0e1df5f')
    expect(r.eval_run_status).toBe('string') // placeholder in the docs; status is an open string
    expect(r.num_questions).toBe(0)
  },
  'message_and_statement_response_real_wrapper.json': (raw) => {
    // Tool wrapper: `result` is a GenieMessage, `query_result` a StatementResponse.
    const w = raw as { result: unknown; query_result: unknown }
    const m = parse(GenieMessageSchema, w.result)
    expect(m.attachments[0]?.query?.statement_id).toBe('01f01fb6-9daa-17b1-8a1c-9f07cd8f0b54')
    const st = parse(StatementResponseSchema, w.query_result)
    expect(st.status?.state).toBe('SUCCEEDED')
    expect(st.manifest?.schema?.columns[0]).toMatchObject({ name: 'count(1)', type_name: 'LONG' })
    expect(st.result?.data_array).toEqual([['59']])
    // the query-result endpoint returns it under `statement_response`
    expect(parse(GenieGetMessageQueryResultResponseSchema, { statement_response: w.query_result }).statement_response?.statement_id).toBe(
      '01f01fb6-9daa-17b1-8a1c-9f07cd8f0b54'
    )
  },
  'sql_statements_post_inline_json_array_real.json': (raw) => {
    const st = parse(StatementResponseSchema, raw)
    expect(st.manifest?.total_row_count).toBe(5)
    expect(st.result?.data_array?.[4]).toEqual(['5', null])
    expect(st.result?.data_array?.[1]?.[1]).toBe('こんにちは')
  },
  'sql_statements_post_external_links_arrow_empty_real.json': (raw) => {
    const st = parse(StatementResponseSchema, raw)
    expect(st.manifest?.format).toBe('ARROW_STREAM')
    expect(st.manifest?.schema?.columns).toEqual([])
    expect(st.result).toEqual({})
  }
}

describe('response schemas accept every published fixture', () => {
  for (const [name, check] of Object.entries(checks)) {
    test(name, () => check(load(name)))
  }

  test('every fixture file has a check', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    expect(files.length).toBeGreaterThanOrEqual(10)
    expect(files.filter((f) => !(f in checks))).toEqual([])
  })
})

describe('schemas still validate the fields the client uses', () => {
  test('a space without space_id is rejected', () => {
    expect(GenieSpaceSchema.safeParse({ title: 'x' }).success).toBe(false)
  })
  test('a space whose serialized_space is an object is rejected (it must stay a string)', () => {
    expect(GenieSpaceSchema.safeParse({ space_id: 'a', title: 't', serialized_space: { version: 2 } }).success).toBe(false)
  })
  test('a message with no id at all is rejected', () => {
    expect(GenieMessageSchema.safeParse({ space_id: 's', conversation_id: 'c', content: 'q' }).success).toBe(false)
  })
  test('a start-conversation response naming no ids is rejected', () => {
    expect(GenieStartConversationResponseSchema.safeParse({}).success).toBe(false)
  })
  test('unknown keys are accepted and dropped', () => {
    const s = parse(GenieSpaceSchema, { space_id: 'a', title: 't', some_future_field: 1 })
    expect(s).toEqual({ space_id: 'a', title: 't' })
  })
  test('int64 counters and timestamps may come as strings', () => {
    const r = parse(GenieEvalRunResponseSchema, { eval_run_id: 'r', num_done: '3', created_timestamp: '1719769718' })
    expect(r.num_done).toBe(3)
    expect(r.created_timestamp).toBe(1719769718000)
  })
  test('eval result details default their lists', () => {
    const r = parse(GenieEvalResultDetailsSchema, { result_id: 'r', benchmark_question_id: 'q', assessment: 'BAD' })
    expect(r.assessment_reasons).toEqual([])
    expect(r.actual_response).toEqual([])
  })
})
