// Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3). CRLF keep-alives (RFC 5626 §3.5.1)
// between messages are skipped; a double CRLF ping is answered with a single CRLF pong by the transport.
import { MAX_MESSAGE_BYTES, headerEnd } from './message.ts';

export type FramerEvent = { kind: 'message'; data: Buffer } | { kind: 'ping' } | { kind: 'error'; reason: string };

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): FramerEvent[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FramerEvent[] = [];
    for (;;) {
      // Keep-alives: "\r\n\r\n" ping, "\r\n" pong or stray line ends between messages.
      let skip = 0;
      while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip++;
      if (skip > 0) {
        if (skip >= 4 || (skip === this.buf.length && this.buf.subarray(0, skip).toString('latin1') === '\r\n\r\n')) out.push({ kind: 'ping' });
        this.buf = this.buf.subarray(skip);
      }
      if (this.buf.length === 0) break;
      const end = headerEnd(this.buf);
      if (!end) {
        if (this.buf.length > MAX_MESSAGE_BYTES) {
          this.buf = Buffer.alloc(0);
          out.push({ kind: 'error', reason: 'Headers too large' });
        }
        break;
      }
      const head = this.buf.subarray(0, end.index).toString('latin1');
      const m = /(?:^|\n)(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*\r?(?:\n|$)/i.exec(head);
      if (!m) {
        // No length over a stream: the boundary is unknowable, so the connection cannot be trusted any further.
        this.buf = Buffer.alloc(0);
        out.push({ kind: 'error', reason: 'Content-Length is required over a stream transport' });
        break;
      }
      const total = end.index + end.sep + Number(m[1]);
      if (total > MAX_MESSAGE_BYTES) {
        this.buf = Buffer.alloc(0);
        out.push({ kind: 'error', reason: `Message too large (${total} bytes)` });
        break;
      }
      if (this.buf.length < total) break;
      out.push({ kind: 'message', data: Buffer.from(this.buf.subarray(0, total)) });
      this.buf = this.buf.subarray(total);
    }
    return out;
  }
}
