// In-memory "faststart" for MP4/M4A: moves the moov box in front of the media data, as qt-faststart and
// `-movflags +faststart` do. ffmpeg reads our input from a pipe and cannot seek, and most encoders write moov at
// the end of the file; without this ffmpeg fails on any M4A larger than its read buffer ("partial file").

interface Box {
  type: string;
  start: number;
  size: number;
}

function topLevelBoxes(buf: Buffer): Box[] | undefined {
  const boxes: Box[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    let size = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (size === 1) {
      if (off + 16 > buf.length) return undefined;
      size = Number(buf.readBigUInt64BE(off + 8));
    } else if (size === 0) {
      size = buf.length - off;
    }
    if (size < 8 || off + size > buf.length) return undefined;
    boxes.push({ type, start: off, size });
    off += size;
  }
  return boxes;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

/** Adds `shift` to every chunk offset (stco/co64) in moov that points into [from, to). False on overflow. */
function shiftChunkOffsets(moov: Buffer, from: number, to: number, shift: number): boolean {
  const walk = (start: number, end: number): boolean => {
    let off = start;
    while (off + 8 <= end) {
      let size = moov.readUInt32BE(off);
      const type = moov.toString('latin1', off + 4, off + 8);
      let header = 8;
      if (size === 1) {
        size = Number(moov.readBigUInt64BE(off + 8));
        header = 16;
      } else if (size === 0) {
        size = end - off;
      }
      if (size < header || off + size > end) return true; // malformed: leave the rest alone, ffmpeg will say
      const body = off + header;
      if (CONTAINERS.has(type)) {
        if (!walk(body, off + size)) return false;
      } else if ((type === 'stco' || type === 'co64') && body + 8 <= off + size) {
        const count = moov.readUInt32BE(body + 4);
        const width = type === 'stco' ? 4 : 8;
        const entries = Math.min(count, Math.floor((off + size - body - 8) / width));
        for (let k = 0, p = body + 8; k < entries; k++, p += width) {
          if (width === 4) {
            const v = moov.readUInt32BE(p);
            if (v >= from && v < to) {
              if (v + shift > 0xffffffff) return false;
              moov.writeUInt32BE(v + shift, p);
            }
          } else {
            const v = moov.readBigUInt64BE(p);
            if (v >= BigInt(from) && v < BigInt(to)) moov.writeBigUInt64BE(v + BigInt(shift), p);
          }
        }
      }
      off += size;
    }
    return true;
  };
  return walk(8, moov.length);
}

/**
 * Returns the file with moov moved before the first mdat (chunk offsets adjusted), or the input itself when moov
 * already comes first, there is no moov or mdat, or the box structure is not understood.
 */
export function faststartMp4(buf: Buffer): Buffer {
  const boxes = topLevelBoxes(buf);
  if (!boxes) return buf;
  const mdatIndex = boxes.findIndex((b) => b.type === 'mdat');
  const moovIndex = boxes.findIndex((b) => b.type === 'moov');
  if (mdatIndex < 0 || moovIndex < 0 || moovIndex < mdatIndex) return buf;
  const mdat = boxes[mdatIndex]!;
  const moovBox = boxes[moovIndex]!;
  if (buf.readUInt32BE(moovBox.start) === 1) return buf; // a 64-bit moov header: not worth handling
  const moov = Buffer.from(buf.subarray(moovBox.start, moovBox.start + moovBox.size));
  // Everything from the first mdat up to the old moov position moves forward by the size of moov.
  if (!shiftChunkOffsets(moov, mdat.start, moovBox.start, moovBox.size)) return buf;
  return Buffer.concat([buf.subarray(0, mdat.start), moov, buf.subarray(mdat.start, moovBox.start), buf.subarray(moovBox.start + moovBox.size)]);
}
