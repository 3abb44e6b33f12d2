import type { LightMyRequestResponse } from 'fastify';
import type { Browser } from '../helpers.js';

export interface FilePart {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

/** A multipart form as a browser sends it: text fields first, then the file. */
export function evidenceForm(fields: Record<string, string>, file?: FilePart): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file)
    form.append(
      'file',
      new Blob([Uint8Array.from(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  return form;
}

/** Posts the upload form of the evidence page as a browser does: the CSRF token is its first field, before the file. */
export async function upload(
  b: Browser,
  orgId: number,
  fields: Record<string, string>,
  file?: FilePart,
): Promise<LightMyRequestResponse> {
  if (!b.csrf) await b.get(`/orgs/${orgId}/evidence`);
  return b.request({
    method: 'POST',
    url: `/orgs/${orgId}/evidence`,
    payload: evidenceForm({ _csrf: b.csrf, ...fields }, file),
  });
}

export const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n', 'latin1'),
  Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255]),
  Buffer.from('\ntrailer <</Root 1 0 R>>\n%%EOF\n'),
]);
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image body'),
]);

/** A minimal zip (stored entries, no compression) holding the given entry names: enough to sniff OOXML. */
export function zipWith(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const n of names) {
    const name = Buffer.from(n);
    const data = Buffer.from('<x/>');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const DOCX = zipWith(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
