// The one way the server names a downloaded file. HTTP header values are Latin-1 at most (Node refuses anything
// else with ERR_INVALID_CHAR, which became a 500 after the download was already audited), so the name goes in
// RFC 6266 / RFC 5987 form: an ASCII `filename=` for old clients and the exact UTF-8 name in `filename*=`.

/** RFC 5987 attr-char: what may stay unencoded in an ext-value. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/** `attachment; filename="..."; filename*=UTF-8''...` for any file name (control characters and quotes made safe). */
export function attachmentDisposition(fileName: string): string {
  // Path separators and control characters never belong in a suggested name.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const name = fileName.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'download';
  const fallback = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e, before the rest of non-ASCII becomes "_"
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["%]/g, '_');
  let encoded = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
