// Calls MCP tools the way agent hosts built on the official TypeScript SDK do: list the tools (which caches each
// tool's outputSchema), then call each, letting the SDK validate every structured answer against its schema.
// Usage: node call-tools.mjs <server /mcp url> <calls.json>, where calls.json is [{ "label", "tool", "arguments" }]; a call
// with "cursorFrom": "<label>" also passes the nextCursor of that earlier call's answer as its "cursor".
// Prints one JSON array: per call its label, whether the SDK accepted it, the error it raised, and the answer.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, callsFile] = process.argv.slice(2);
const calls = JSON.parse(readFileSync(callsFile, 'utf8'));
const client = new Client({ name: 'eventtracker-typescript-check', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));

const tools = await client.listTools();
const results = [{ label: 'tools/list', ok: true, tools: tools.tools.map(t => ({ name: t.name, hasOutputSchema: !!t.outputSchema })) }];
const answers = new Map();
for (const call of calls) {
  try {
    const args = { ...(call.arguments ?? {}) };
    if (call.cursorFrom) {
      args.cursor = answers.get(call.cursorFrom)?.nextCursor;
    }

    const answer = await client.callTool({ name: call.tool, arguments: args });
    answers.set(call.label, answer.structuredContent);
    results.push({ label: call.label, ok: !answer.isError, isError: !!answer.isError, structuredContent: answer.structuredContent ?? null, text: answer.content?.[0]?.text ?? null });
  } catch (error) {
    results.push({ label: call.label, ok: false, error: String(error?.message ?? error) });
  }
}

await client.close();
process.stdout.write(JSON.stringify(results));
