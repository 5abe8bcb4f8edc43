// A small streaming ZIP writer for export packages: JSON entries deflated from memory, media entries stored as they
// stream out of the encrypted store (CRC and sizes in a data descriptor), so a package of many recordings is never
// held in memory. No zip64: a package stops below 4 GiB and says so (split the export).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DomainError } from '../../platform/errors.ts';

const LIMIT = 0xffff_fff0;

export interface WrittenEntry {
  path: string;
  bytes: number;
  sha256: string;
  /** vCon's content_hash algorithm, for media the vCon references. */
  sha512: string;
}

interface Central {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  method: number;
  flags: number;
  offset: number;
  time: number;
  date: number;
}

function dosTime(d: Date) {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export class ZipWriter {
  private readonly out: fs.WriteStream;
  private offset = 0;
  private readonly central: Central[] = [];
  private readonly names = new Set<string>();
  private readonly stamp: { time: number; date: number };

  constructor(file: string, at = new Date()) {
    this.out = fs.createWriteStream(file, { flags: 'wx' });
    this.stamp = dosTime(at);
  }

  private async write(buf: Buffer) {
    if (this.offset + buf.length > LIMIT)
      throw new DomainError('PAYLOAD_TOO_LARGE', 'The export package would exceed 4 GiB: export fewer conversations at once, or without media', {
        reason: 'EXPORT_TOO_LARGE',
      });
    this.offset += buf.length;
    if (!this.out.write(buf)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  private header(name: Buffer, method: number, flags: number, crc: number, compressed: number, size: number) {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(compressed, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    return Buffer.concat([h, name]);
  }

  private claim(path: string) {
    if (this.names.has(path)) throw new Error(`duplicate zip entry ${path}`);
    this.names.add(path);
    return Buffer.from(path, 'utf8');
  }

  /** A file from memory, deflated. */
  async addBuffer(path: string, data: Buffer): Promise<WrittenEntry> {
    const name = this.claim(path);
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const offset = this.offset;
    await this.write(this.header(name, 8, 0x0800, crc, packed.length, data.length));
    await this.write(packed);
    this.central.push({ name, crc, compressed: packed.length, size: data.length, method: 8, flags: 0x0800, offset, ...this.stamp });
    return { path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), sha512: createHash('sha512').update(data).digest('base64url') };
  }

  /** A file streamed in (stored as is: media is already compressed), CRC and sizes after the data. */
  async addStream(path: string, body: Readable | AsyncIterable<Buffer>): Promise<WrittenEntry> {
    const name = this.claim(path);
    const flags = 0x0808; // UTF-8 names, data descriptor
    const offset = this.offset;
    await this.write(this.header(name, 0, flags, 0, 0, 0));
    const sha256 = createHash('sha256');
    const sha512 = createHash('sha512');
    let crc = 0;
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      crc = zlib.crc32(chunk, crc);
      sha256.update(chunk);
      sha512.update(chunk);
      size += chunk.length;
      await this.write(chunk);
    }
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc, 4);
    dd.writeUInt32LE(size, 8);
    dd.writeUInt32LE(size, 12);
    await this.write(dd);
    this.central.push({ name, crc, compressed: size, size, method: 0, flags, offset, ...this.stamp });
    return { path, bytes: size, sha256: sha256.digest('hex'), sha512: sha512.digest('base64url') };
  }

  async finish(): Promise<number> {
    const start = this.offset;
    for (const c of this.central) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(0x031e, 4); // made by Unix, 3.0
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(c.flags, 8);
      h.writeUInt16LE(c.method, 10);
      h.writeUInt16LE(c.time, 12);
      h.writeUInt16LE(c.date, 14);
      h.writeUInt32LE(c.crc, 16);
      h.writeUInt32LE(c.compressed, 20);
      h.writeUInt32LE(c.size, 24);
      h.writeUInt16LE(c.name.length, 28);
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      h.writeUInt32LE(c.offset, 42);
      await this.write(Buffer.concat([h, c.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    // Durable before the blob store reads it back.
    const fd = fs.openSync(this.out.path as string, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return this.offset;
  }

  /** Gives up: closes and removes the partial file. */
  async abort() {
    await new Promise<void>((r) => this.out.destroy() && r());
    await new Promise<void>((r) => (this.out.closed ? r() : this.out.once('close', () => r())));
    fs.rmSync(this.out.path as string, { force: true });
  }
}
