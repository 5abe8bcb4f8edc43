// Streams the JSON records of one file without loading it whole: newline-delimited JSON (as Kinesis Firehose
// writes contact trace records), objects written back to back with no separator at all (Firehose without a
// delimiter), one pretty-printed object, or a top-level array of objects. Each record is cut out by counting
// braces outside strings and parsed on its own, so a broken record is reported and the next one still reads.
// Gzipped files (.gz, or gzip magic bytes) are decompressed on the fly.
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { jsonSyntaxProblem } from '../../platform/http/validate.ts';
import { openRegular } from './safe-read.ts';

export interface JsonRecord {
  /** 1-based position of the record in the file. */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  value?: unknown;
  /** Set instead of `value` when the record is not valid JSON. */
  error?: string;
}

/** Larger records are refused (contact trace records are a few kilobytes). */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

async function* textChunks(file: string): AsyncGenerator<string> {
  // A regular file only, never through a link (see safe-read.ts); read as it streams, so no size cap is needed.
  const { fh } = await openRegular(file, 'The file', path.basename(file), Number.MAX_SAFE_INTEGER);
  const magic = Buffer.alloc(2);
  const gzip = await fh.read(magic, 0, 2, 0).then(
    ({ bytesRead }) => bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b,
    async (err) => {
      await fh.close();
      throw err;
    },
  );
  const raw = fh.createReadStream({ highWaterMark: 64 * 1024, start: 0 });
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  source.setEncoding('utf8');
  try {
    for await (const chunk of source) yield chunk as string;
  } finally {
    raw.destroy();
    source.destroy();
  }
}

export async function* readJsonRecords(file: string): AsyncGenerator<JsonRecord> {
  let index = 0;
  let line = 1;
  let depth = 0; // brace/bracket depth inside the current record
  let inString = false;
  let escaped = false;
  let buf: string[] = [];
  let size = 0;
  let startLine = 1;
  let arrayMode: boolean | null = null; // decided by the first non-blank character of the file
  let junk: string | null = null; // text outside any record, reported once per line
  let junkLine = 0;
  let skipLine = false; // the rest of a line already reported as junk
  let tooLong = false;

  const emit = (text: string, at: number): JsonRecord => {
    index++;
    if (tooLong) return { index, line: at, error: `record ${index} (line ${at}) is larger than ${MAX_RECORD_CHARS / 1024 / 1024} MB` };
    try {
      return { index, line: at, value: JSON.parse(text) };
    } catch (err) {
      return { index, line: at, error: `record ${index} (line ${at}) is not valid JSON: ${jsonSyntaxProblem(err, text)}` };
    }
  };
  const junkRecord = (): JsonRecord => {
    index++;
    junk = null;
    // The offending text is not quoted: the file may be anything (a key, a password file).
    return { index, line: junkLine, error: `line ${junkLine} is not a JSON object` };
  };

  let chunks: AsyncGenerator<string>;
  try {
    chunks = textChunks(file);
  } catch (err) {
    yield { index: 1, line: 1, error: `the file could not be read: ${(err as Error).message}` };
    return;
  }
  for (;;) {
    let chunk: string;
    try {
      const next = await chunks.next();
      if (next.done) break;
      chunk = next.value;
    } catch (err) {
      // Unreadable or corrupt (a broken gzip stream): report it as one more record and stop.
      yield { index: index + 1, line, error: `the file could not be read past line ${line}: ${(err as Error).message}` };
      return;
    }
    let from = 0; // start of the part of `chunk` that belongs to the current record
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (depth > 0) {
        if (c === '\n') line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            if (!tooLong) buf.push(chunk.slice(from, i + 1));
            const rec = emit(buf.join(''), startLine);
            buf = [];
            size = 0;
            tooLong = false;
            yield rec;
          }
        }
        continue;
      }
      // Between records.
      if (c === '\n') {
        if (junk !== null) yield junkRecord();
        skipLine = false;
        line++;
        continue;
      }
      if (skipLine) continue;
      if (junk === null && (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff')) continue;
      if (arrayMode === null) {
        arrayMode = c === '[';
        if (arrayMode) continue;
      }
      if (arrayMode && (c === ',' || c === ']')) continue;
      if (c === '{' && junk === null) {
        depth = 1;
        from = i;
        startLine = line;
        continue;
      }
      if (junk === null) {
        junk = '';
        junkLine = line;
      }
      junk += c;
      if (junk.length >= 100) {
        // Report a long junk line at once (a binary file may have no newline at all), then skip the rest of it.
        yield junkRecord();
        skipLine = true;
      }
    }
    if (depth > 0) {
      const part = chunk.slice(from);
      size += part.length;
      if (size > MAX_RECORD_CHARS) {
        tooLong = true;
        buf = [];
      } else if (!tooLong) buf.push(part);
    }
  }
  if (junk !== null) yield junkRecord();
  if (depth > 0) {
    index++;
    yield { index, line: startLine, error: `record ${index} (line ${startLine}) is cut off: the file ends inside it` };
  }
}
