import { inflateRawSync } from 'node:zlib';

// An uploaded workbook is a zip. Before any workbook library unpacks it, this guard reads the zip's directory and
// unpacks one part at a time with a ceiling on the output, so a small file that unpacks to gigabytes (a "zip bomb")
// or a sheet of a million rows is refused before it costs memory or time. It runs on the render thread.

export interface UnpackLimits {
  /** All parts together, unpacked. */
  maxUnpackedBytes: number;
  /** Rows over every worksheet. */
  maxRows: number;
  /** Parts in the zip (an .xlsx written by a spreadsheet program has a few dozen). */
  maxEntries?: number;
}

export type UnpackRefusal =
  | { kind: 'unpackedSize'; limitBytes: number }
  | { kind: 'rows'; limit: number }
  | { kind: 'notZip' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  offset: number;
}

function entries(buf: Buffer, maxEntries: number): Entry[] | null {
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  if (count > maxEntries) return null;
  let p = buf.readUInt32LE(eocd + 16);
  const list: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) return null;
    const nameLength = buf.readUInt16LE(p + 28);
    const entry: Entry = {
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    };
    // ZIP64 (sizes of 4 GB and more) has no place in a questionnaire.
    if (entry.compressed === 0xffffffff || entry.size === 0xffffffff) return null;
    list.push(entry);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return list;
}

const ROW = /<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/g;
const isWorksheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

/** Null when the workbook fits the limits; otherwise what it exceeds. Never unpacks more than the limit allows. */
export function checkWorkbookArchive(buf: Buffer, limits: UnpackLimits): UnpackRefusal | null {
  const list = entries(buf, limits.maxEntries ?? 500);
  if (!list) return { kind: 'notZip' };
  const tooBig: UnpackRefusal = { kind: 'unpackedSize', limitBytes: limits.maxUnpackedBytes };
  // The sizes the directory declares: a quick refusal of an honest bomb before anything is unpacked.
  if (list.reduce((s, e) => s + e.size, 0) > limits.maxUnpackedBytes) return tooBig;
  // The declared sizes may lie: unpack each part with a ceiling of what is left.
  let left = limits.maxUnpackedBytes;
  let rows = 0;
  for (const e of list) {
    const p = e.offset;
    if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) return { kind: 'notZip' };
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const data = buf.subarray(start, start + e.compressed);
    let part: Buffer;
    if (e.method === 0) part = data;
    else if (e.method === 8) {
      try {
        part = inflateRawSync(data, { maxOutputLength: Math.max(1, left) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooBig;
        return { kind: 'notZip' };
      }
    } else return { kind: 'notZip' };
    left -= part.length;
    if (left < 0) return tooBig;
    if (isWorksheet(e.name)) {
      rows += part.toString('latin1').match(ROW)?.length ?? 0;
      if (rows > limits.maxRows) return { kind: 'rows', limit: limits.maxRows };
    }
  }
  return null;
}
