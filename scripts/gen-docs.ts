// `npm run docs`: regenerates docs/trace-format.md from protocol/schema.sql and finish.sql
// (test/docs.test.ts fails when it is stale).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINISH_SQL, SCHEMA_SQL } from '../protocol/schema';
import { TRACE_FORMAT_DOC, traceFormatDoc } from './traceFormatDoc';

const target = path.join(__dirname, '..', TRACE_FORMAT_DOC);
fs.writeFileSync(target, traceFormatDoc(SCHEMA_SQL, FINISH_SQL));
process.stdout.write(`wrote ${TRACE_FORMAT_DOC}\n`);
