// SRTP (RFC 3711) with SDES keys (RFC 4568): AES_CM_128_HMAC_SHA1_80 and _32. Two implementations behind one
// interface: Debian's libsrtp2 through koffi when the library loads (the reference implementation, faster), else
// this TypeScript one on node:crypto. Both are tested against each other (srtp.test.ts): either side may protect
// and the other unprotect.
import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';

// Loaded lazily (createRequire): a machine without the library or the package still records, with the TypeScript SRTP.
type Koffi = typeof KoffiModule;

export const SRTP_SUITES = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const;
export type SrtpSuite = (typeof SRTP_SUITES)[number];
export type SrtpImpl = 'libsrtp' | 'ts';

export interface SrtpSession {
  readonly impl: SrtpImpl;
  /** Decrypts in place; returns the RTP length, or -1 when authentication (or replay) fails. */
  unprotect(buf: Buffer, len: number): number;
  /** Encrypts in place into `buf` (which must have room for the tag); returns the SRTP length. */
  protect(buf: Buffer, len: number): number;
  close(): void;
}

export function isSupportedSuite(s: string): s is SrtpSuite {
  return (SRTP_SUITES as readonly string[]).includes(s);
}

/** `inline:KEY||SALT[|lifetime][|MKI:len]` or the bare base64: the 30-byte master key and salt. */
export function parseKeyParams(keyParams: string): { key: Buffer; salt: Buffer } {
  const inline = keyParams
    .trim()
    .replace(/^inline:/, '')
    .split('|')[0]!;
  const raw = Buffer.from(inline, 'base64');
  if (raw.length !== 30) throw new Error(`SRTP key parameters hold ${raw.length} bytes, expected 30 (16-byte key + 14-byte salt)`);
  return { key: raw.subarray(0, 16), salt: raw.subarray(16) };
}

const tagLength = (suite: SrtpSuite) => (suite.endsWith('_80') ? 10 : 4);

let libsrtpState: 'unknown' | 'absent' | LibSrtp = 'unknown';

/** The SRTP implementation this process uses: libsrtp2 when it loads, else TypeScript. */
export function srtpImplementation(): SrtpImpl {
  return loadLibsrtp() ? 'libsrtp' : 'ts';
}

export function createSrtpSession(suite: SrtpSuite, keyParams: string, direction: 'inbound' | 'outbound', impl: SrtpImpl = srtpImplementation()): SrtpSession {
  const { key, salt } = parseKeyParams(keyParams);
  if (impl === 'libsrtp') {
    const lib = loadLibsrtp();
    if (!lib) throw new Error('libsrtp2 is not available');
    return lib.create(suite, Buffer.concat([key, salt]), direction);
  }
  return new TsSrtp(suite, key, salt);
}

// ---- TypeScript implementation ----------------------------------------------------------------------------------

function aesCm(key: Buffer, iv: Buffer, data: Buffer, start: number, end: number) {
  const c = createCipheriv('aes-128-ctr', key, iv);
  const out = c.update(data.subarray(start, end));
  out.copy(data, start);
}

/** RFC 3711 §4.3.1 key derivation (key derivation rate 0). Exported for the RFC's test vectors. */
export function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7]! ^= label;
  const c = createCipheriv('aes-128-ctr', masterKey, iv);
  return c.update(Buffer.alloc(length));
}

class TsSrtp implements SrtpSession {
  readonly impl = 'ts' as const;
  private readonly encKey: Buffer;
  private readonly authKey: Buffer;
  private readonly salt: Buffer;
  private readonly tagLen: number;
  private readonly iv = Buffer.alloc(16);
  private readonly roc = new Map<number, { roc: number; sl: number; init: boolean }>();

  constructor(suite: SrtpSuite, key: Buffer, salt: Buffer) {
    this.encKey = derive(key, salt, 0, 16);
    this.authKey = derive(key, salt, 1, 20);
    this.salt = derive(key, salt, 2, 14);
    this.tagLen = tagLength(suite);
  }

  private state(ssrc: number) {
    let s = this.roc.get(ssrc);
    if (!s) this.roc.set(ssrc, (s = { roc: 0, sl: 0, init: false }));
    return s;
  }

  private ivFor(ssrc: number, index: number) {
    const iv = this.iv;
    iv.fill(0);
    this.salt.copy(iv, 0);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    // index is 48 bits: ROC (32) || SEQ (16), XORed into bytes 8..13
    const hi = Math.floor(index / 0x10000);
    const lo = index & 0xffff;
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ hi) >>> 0, 8);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ lo, 12);
    return iv;
  }

  private tag(buf: Buffer, len: number, roc: number): Buffer {
    const h = createHmac('sha1', this.authKey);
    h.update(buf.subarray(0, len));
    const r = Buffer.allocUnsafe(4);
    r.writeUInt32BE(roc >>> 0, 0);
    h.update(r);
    return h.digest().subarray(0, this.tagLen);
  }

  unprotect(buf: Buffer, len: number): number {
    if (len < 12 + this.tagLen) return -1;
    const seq = buf.readUInt16BE(2);
    const ssrc = buf.readUInt32BE(8);
    const st = this.state(ssrc);
    let v = st.roc;
    if (st.init) {
      if (st.sl < 32768) {
        if (seq - st.sl > 32768) v = st.roc - 1;
      } else if (st.sl - 32768 > seq) v = st.roc + 1;
    }
    if (v < 0) return -1;
    const body = len - this.tagLen;
    const expect = this.tag(buf, body, v);
    if (!timingSafeEqual(expect, buf.subarray(body, len))) return -1;
    const hdr = headerLength(buf, body);
    if (hdr < 0) return -1;
    aesCm(this.encKey, this.ivFor(ssrc, v * 0x10000 + seq), buf, hdr, body);
    if (!st.init) {
      st.init = true;
      st.sl = seq;
      st.roc = v;
    } else if (v === st.roc + 1) {
      st.roc = v;
      st.sl = seq;
    } else if (v === st.roc && seq > st.sl) st.sl = seq;
    return body;
  }

  protect(buf: Buffer, len: number): number {
    const seq = buf.readUInt16BE(2);
    const ssrc = buf.readUInt32BE(8);
    const st = this.state(ssrc);
    if (!st.init) {
      st.init = true;
      st.sl = seq;
    } else if (seq < st.sl && st.sl - seq > 32768) {
      st.roc++;
      st.sl = seq;
    } else if (seq > st.sl) st.sl = seq;
    const hdr = headerLength(buf, len);
    aesCm(this.encKey, this.ivFor(ssrc, st.roc * 0x10000 + seq), buf, hdr, len);
    this.tag(buf, len, st.roc).copy(buf, len);
    return len + this.tagLen;
  }

  close() {}
}

function headerLength(buf: Buffer, len: number): number {
  const cc = buf[0]! & 0x0f;
  let off = 12 + 4 * cc;
  if (buf[0]! & 0x10) {
    if (off + 4 > len) return -1;
    off += 4 + 4 * buf.readUInt16BE(off + 2);
  }
  return off <= len ? off : -1;
}

// ---- libsrtp2 through koffi -------------------------------------------------------------------------------------

interface LibSrtp {
  create(suite: SrtpSuite, keySalt: Buffer, direction: 'inbound' | 'outbound'): SrtpSession;
}

function loadLibsrtp(): LibSrtp | null {
  if (libsrtpState === 'absent') return null;
  if (libsrtpState !== 'unknown') return libsrtpState;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as Koffi;
    const lib = koffi.load('libsrtp2.so.1');
    const CryptoPolicy = koffi.struct('earshot_srtp_crypto_policy_t', {
      cipher_type: 'uint32_t',
      cipher_key_len: 'int',
      auth_type: 'uint32_t',
      auth_key_len: 'int',
      auth_tag_len: 'int',
      sec_serv: 'int',
    });
    const Ssrc = koffi.struct('earshot_srtp_ssrc_t', { type: 'int', value: 'uint32_t' });
    // srtp_policy_t of libsrtp 2.x (srtp2/srtp.h).
    const Policy = koffi.struct('earshot_srtp_policy_t', {
      ssrc: Ssrc,
      rtp: CryptoPolicy,
      rtcp: CryptoPolicy,
      key: 'uint8_t *',
      keys: 'void *',
      num_master_keys: 'unsigned long',
      deprecated_ekt: 'void *',
      window_size: 'unsigned long',
      allow_repeat_tx: 'int',
      enc_xtn_hdr: 'int *',
      enc_xtn_hdr_count: 'int',
      next: 'void *',
    });
    const init = lib.func('int srtp_init()');
    const create = lib.func('int srtp_create(_Out_ void **session, earshot_srtp_policy_t *policy)');
    const unprotect = lib.func('int srtp_unprotect(void *ctx, uint8_t *hdr, _Inout_ int *len)');
    const protect = lib.func('int srtp_protect(void *ctx, uint8_t *hdr, _Inout_ int *len)');
    const dealloc = lib.func('int srtp_dealloc(void *ctx)');
    void Policy;
    const rc = init();
    if (rc !== 0) throw new Error(`srtp_init failed (${rc})`);
    const SRTP_AES_ICM_128 = 1;
    const SRTP_HMAC_SHA1 = 3;
    const SEC_SERV_CONF_AND_AUTH = 3;
    const SSRC_ANY_INBOUND = 2;
    const SSRC_ANY_OUTBOUND = 3;
    libsrtpState = {
      create(suite, keySalt, direction) {
        const cp = {
          cipher_type: SRTP_AES_ICM_128,
          cipher_key_len: 30,
          auth_type: SRTP_HMAC_SHA1,
          auth_key_len: 20,
          auth_tag_len: tagLength(suite),
          sec_serv: SEC_SERV_CONF_AND_AUTH,
        };
        // libsrtp reads the key during srtp_create only; the Buffer outlives the call.
        const key = Buffer.from(keySalt);
        const policy = {
          ssrc: { type: direction === 'inbound' ? SSRC_ANY_INBOUND : SSRC_ANY_OUTBOUND, value: 0 },
          rtp: cp,
          rtcp: { ...cp, auth_tag_len: 10 },
          key,
          keys: null,
          num_master_keys: 0,
          deprecated_ekt: null,
          window_size: 1024,
          allow_repeat_tx: 1,
          enc_xtn_hdr: null,
          enc_xtn_hdr_count: 0,
          next: null,
        };
        const out: unknown[] = [null];
        const r = create(out, policy);
        key.fill(0);
        if (r !== 0 || !out[0]) throw new Error(`srtp_create failed (${r})`);
        let ctx: unknown = out[0];
        const lenBox = [0];
        return {
          impl: 'libsrtp' as const,
          unprotect(buf: Buffer, len: number) {
            lenBox[0] = len;
            return unprotect(ctx, buf, lenBox) === 0 ? lenBox[0]! : -1;
          },
          protect(buf: Buffer, len: number) {
            lenBox[0] = len;
            const e = protect(ctx, buf, lenBox);
            if (e !== 0) throw new Error(`srtp_protect failed (${e})`);
            return lenBox[0]!;
          },
          close() {
            if (ctx) dealloc(ctx);
            ctx = null;
          },
        };
      },
    };
    return libsrtpState;
  } catch {
    libsrtpState = 'absent';
    return null;
  }
}
