// What an uploaded file really is, judged by its content (magic bytes), never by its name alone.
// Archives are never expanded: for OOXML only the zip's central directory (entry names) is read.

type Detected = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'docx' | 'xlsx' | 'pptx' | 'doc' | 'xls' | 'text';

const OOXML = 'application/vnd.openxmlformats-officedocument';
const BY_EXTENSION: Record<string, { kind: Detected; mediaType: string }> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf' },
  png: { kind: 'png', mediaType: 'image/png' },
  jpg: { kind: 'jpeg', mediaType: 'image/jpeg' },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg' },
  gif: { kind: 'gif', mediaType: 'image/gif' },
  webp: { kind: 'webp', mediaType: 'image/webp' },
  docx: { kind: 'docx', mediaType: `${OOXML}.wordprocessingml.document` },
  xlsx: { kind: 'xlsx', mediaType: `${OOXML}.spreadsheetml.sheet` },
  pptx: { kind: 'pptx', mediaType: `${OOXML}.presentationml.presentation` },
  doc: { kind: 'doc', mediaType: 'application/msword' },
  xls: { kind: 'xls', mediaType: 'application/vnd.ms-excel' },
  txt: { kind: 'text', mediaType: 'text/plain; charset=utf-8' },
  csv: { kind: 'text', mediaType: 'text/csv; charset=utf-8' },
  md: { kind: 'text', mediaType: 'text/markdown; charset=utf-8' },
  markdown: { kind: 'text', mediaType: 'text/markdown; charset=utf-8' },
};

export type Verdict =
  | { ok: true; mediaType: string }
  | { ok: false; status: 415 | 422; key: string; params?: Record<string, string> };

/** Accepts the file when its extension is allowed and its content is of that type. */
export function checkContent(fileName: string, content: Buffer): Verdict {
  if (content.length === 0) return { ok: false, status: 422, key: 'evidence.errors.emptyFile' };
  const ext = extensionOf(fileName);
  const expected = BY_EXTENSION[ext];
  if (!expected) return { ok: false, status: 415, key: 'evidence.errors.typeNotAllowed', params: { ext: ext || '—' } };
  const found = detect(content);
  if (!found) return { ok: false, status: 415, key: 'evidence.errors.contentNotAllowed' };
  if (found !== expected.kind)
    return {
      ok: false,
      status: 422,
      key: 'evidence.errors.contentMismatch',
      params: { ext, found: found.toUpperCase() },
    };
  return { ok: true, mediaType: expected.mediaType };
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

const startsWith = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, at: number, s: string) =>
  b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s;

export function detect(b: Buffer): Detected | null {
  if (ascii(b, 0, '%PDF-')) return 'pdf';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return ooxmlKind(zipEntryNames(b));
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return cfbKind(b);
  if (isUtf8Text(b)) return 'text';
  return null;
}

function isUtf8Text(b: Buffer): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function ooxmlKind(names: Set<string> | null): Detected | null {
  if (!names?.has('[Content_Types].xml')) return null;
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  if (names.has('ppt/presentation.xml')) return 'pptx';
  return null;
}

// Legacy Office files are OLE compound files; the directory names the main stream (UTF-16LE).
function cfbKind(b: Buffer): Detected | null {
  if (b.includes(Buffer.from('WordDocument', 'utf16le'))) return 'doc';
  if (b.includes(Buffer.from('Workbook', 'utf16le')) || b.includes(Buffer.from('Book\0', 'utf16le'))) return 'xls';
  return null;
}

const MAX_ENTRIES = 10_000;

/** Entry names from the zip central directory; nothing is decompressed. */
export function zipEntryNames(b: Buffer): Set<string> | null {
  const eocd = findEndOfCentralDirectory(b);
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names = new Set<string>();
  for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    if (at + 46 + nameLen > b.length) return null;
    names.add(b.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function findEndOfCentralDirectory(b: Buffer): number {
  const lowest = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= lowest; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

/** Keeps only the file's own name: no directories, no control characters, at most 200 characters. */
export function sanitiseFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a file name must not carry
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .trim()
    .replace(/^[.\s]+/, '');
  if (name.length > 200) {
    const ext = extensionOf(name);
    name = ext && ext.length < 20 ? `${name.slice(0, 199 - ext.length)}.${ext}` : name.slice(0, 200);
  }
  return name || 'file';
}

/** RFC 6266 / RFC 5987: an ASCII fallback name plus the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
