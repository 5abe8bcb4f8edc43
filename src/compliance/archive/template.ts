// Archive file names: a template in the seed's syntax, `%{field}` or `%{field##format}` with strftime directives for
// the time fields, e.g. `%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}`. A template is parsed once when
// it is saved (a bad one is refused with the field or directive named) and rendered for every copied file.
// Rendered values are made safe for every target kind (no `/`, `..`, control or shell-hostile characters), so a
// caller's display name can never escape the archive directory.

export const DEFAULT_TEMPLATE = '%{setup-time##%Y%m%d}/%{setup-time##%Y%m%d%H%M%S}-%{call-id}';

/** Every field a template may name, with what it is (shown in the UI). */
export const TEMPLATE_FIELDS = [
  'setup-time',
  'end-time',
  'call-id',
  'conversation-id',
  'segment-id',
  'caller-number',
  'callee-number',
  'caller-name',
  'callee-name',
  'agent',
  'agent-extension',
  'direction',
  'queue',
  'group',
  'duration',
  'party',
  'kind',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
const TIME_FIELDS = new Set<TemplateField>(['setup-time', 'end-time']);
/** A file name must tell two recordings apart: one of these makes it unique per call leg. */
const UNIQUE_FIELDS = new Set<TemplateField>(['call-id', 'segment-id']);

/** strftime directives understood in `##format`. */
export const TIME_DIRECTIVES = ['Y', 'y', 'm', 'd', 'H', 'M', 'S', 'L', 'j', 'z', '%'] as const;

export type TemplatePart = { text: string } | { field: TemplateField; format: string | null };

export class TemplateError extends Error {
  constructor(
    readonly reason: 'TEMPLATE_EMPTY' | 'TEMPLATE_SYNTAX' | 'TEMPLATE_UNKNOWN_FIELD' | 'TEMPLATE_BAD_FORMAT' | 'TEMPLATE_NOT_UNIQUE' | 'TEMPLATE_BAD_PATH',
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const LITERAL_OK = /^[A-Za-z0-9._+@=\- /]*$/;
const MAX_TEMPLATE = 400;

export function parseTemplate(template: string): TemplatePart[] {
  const t = template.trim();
  if (!t) throw new TemplateError('TEMPLATE_EMPTY', 'The file name template is empty');
  if (t.length > MAX_TEMPLATE) throw new TemplateError('TEMPLATE_SYNTAX', `The file name template is longer than ${MAX_TEMPLATE} characters`);
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('%{', i);
    const literal = t.slice(i, open < 0 ? t.length : open);
    if (literal) {
      if (literal.includes('%')) throw new TemplateError('TEMPLATE_SYNTAX', `A "%" outside a %{field} at "${literal}": write fields as %{name}`);
      if (!LITERAL_OK.test(literal))
        throw new TemplateError('TEMPLATE_BAD_PATH', `"${literal}" holds characters a file name may not have (letters, digits, . _ - + @ = space and / only)`);
      parts.push({ text: literal });
    }
    if (open < 0) break;
    const close = t.indexOf('}', open);
    if (close < 0) throw new TemplateError('TEMPLATE_SYNTAX', `"${t.slice(open)}" is not closed with "}"`);
    const inner = t.slice(open + 2, close);
    const [name, ...rest] = inner.split('##');
    const field = (name ?? '').trim();
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field))
      throw new TemplateError('TEMPLATE_UNKNOWN_FIELD', `Unknown field "${field}" in the file name template (known: ${TEMPLATE_FIELDS.join(', ')})`, field);
    const format = rest.length ? rest.join('##') : null;
    if (format !== null) {
      if (!TIME_FIELDS.has(field as TemplateField))
        throw new TemplateError('TEMPLATE_BAD_FORMAT', `Only setup-time and end-time take a "##" format; "${field}" does not`, field);
      checkFormat(field, format);
    }
    parts.push({ field: field as TemplateField, format });
    i = close + 1;
  }
  const fields = parts.filter((p): p is { field: TemplateField; format: string | null } => 'field' in p);
  if (!fields.some((p) => UNIQUE_FIELDS.has(p.field)))
    throw new TemplateError(
      'TEMPLATE_NOT_UNIQUE',
      'The file name template must contain %{call-id} or %{segment-id}, or two recordings would get the same name',
    );
  const skeleton = parts.map((p) => ('text' in p ? p.text : 'x')).join('');
  if (skeleton.startsWith('/') || skeleton.split('/').some((seg) => seg === '' || seg === '.' || seg === '..'))
    throw new TemplateError('TEMPLATE_BAD_PATH', 'The file name template must be a relative path without empty, "." or ".." folders');
  if (skeleton.endsWith('/')) throw new TemplateError('TEMPLATE_BAD_PATH', 'The file name template must end with a file name, not a folder');
  return parts;
}

function checkFormat(field: string, format: string): void {
  if (!format) throw new TemplateError('TEMPLATE_BAD_FORMAT', `The format of "${field}" is empty`, field);
  if (format.includes('//') || format.startsWith('/') || format.endsWith('/'))
    throw new TemplateError('TEMPLATE_BAD_PATH', `The format of "${field}" makes an empty folder name`, field);
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%') {
      const d = format[i + 1];
      if (!d || !(TIME_DIRECTIVES as readonly string[]).includes(d))
        throw new TemplateError(
          'TEMPLATE_BAD_FORMAT',
          `"%${d ?? ''}" in the format of "${field}" is not a known directive (${TIME_DIRECTIVES.map((x) => `%${x}`).join(' ')})`,
          field,
        );
      i++;
    } else if (!/[A-Za-z0-9._+@=\- /]/.test(c)) {
      throw new TemplateError('TEMPLATE_BAD_PATH', `"${c}" in the format of "${field}" may not be in a file name`, field);
    }
  }
}

/** The values of one archived file. Missing values render as "unknown". */
export type TemplateValues = Partial<Record<Exclude<TemplateField, 'setup-time' | 'end-time'>, string | null>> & {
  'setup-time': Date;
  'end-time': Date;
};

/** Replaces anything that is not safe in a file name on every target kind. */
export function safeSegment(v: string): string {
  const s = v
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._+@=-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 80);
  return s || 'unknown';
}

interface Clock {
  Y: string;
  m: string;
  d: string;
  H: string;
  M: string;
  S: string;
  L: string;
  j: string;
  z: string;
}

function clock(at: Date, timeZone: string): Clock {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const Y = String(p.year).padStart(4, '0');
  const local = Date.UTC(Number(Y), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offsetMin = Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const abs = Math.abs(offsetMin);
  const jan1 = Date.UTC(Number(Y), 0, 1);
  const dayOfYear = Math.floor((Date.UTC(Number(Y), Number(p.month) - 1, Number(p.day)) - jan1) / 86_400_000) + 1;
  return {
    Y,
    m: String(p.month),
    d: String(p.day),
    H: String(p.hour),
    M: String(p.minute),
    S: String(p.second),
    L: String(at.getUTCMilliseconds()).padStart(3, '0'),
    j: String(dayOfYear).padStart(3, '0'),
    z: `${offsetMin < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`,
  };
}

export function formatTime(at: Date, format: string, timeZone: string): string {
  const c = clock(at, timeZone);
  return format.replace(/%(.)/g, (_, d: string) => (d === '%' ? '%' : d === 'y' ? c.Y.slice(2) : (c[d as keyof Clock] ?? '')));
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The relative path (without extension) of one archived file. */
export function renderTemplate(parts: TemplatePart[], values: TemplateValues, timeZone: string): string {
  return parts
    .map((p) => {
      if ('text' in p) return p.text;
      if (p.field === 'setup-time' || p.field === 'end-time') {
        const at = values[p.field];
        return formatTime(at, p.format ?? '%Y%m%d%H%M%S', timeZone)
          .split('/')
          .map((s) => (s ? safeSegment(s) : s))
          .join('/');
      }
      const v = values[p.field];
      return safeSegment(v == null || v === '' ? 'unknown' : String(v));
    })
    .join('');
}
