import { describe, expect, it } from 'vitest';
import {
  checkContent,
  contentDisposition,
  detect,
  sanitiseFileName,
  zipEntryNames,
} from '../../src/evidence/content-type.js';
import { catalogueDocStatus, requirementDocStatus } from '../../src/evidence/doc-status.js';
import { DOCX, PDF, PNG, zipWith } from './upload-helpers.js';

const cfb = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from(`${stream}\0`, 'utf16le'),
  ]);

describe('file type by content', () => {
  it('recognises each accepted type from its bytes', () => {
    expect(detect(PDF)).toBe('pdf');
    expect(detect(PNG)).toBe('png');
    expect(detect(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]))).toBe('jpeg');
    expect(detect(Buffer.from('GIF89a....'))).toBe('gif');
    expect(detect(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('webp');
    expect(detect(DOCX)).toBe('docx');
    expect(detect(zipWith(['[Content_Types].xml', 'xl/workbook.xml']))).toBe('xlsx');
    expect(detect(zipWith(['[Content_Types].xml', 'ppt/presentation.xml']))).toBe('pptx');
    expect(detect(cfb('WordDocument'))).toBe('doc');
    expect(detect(cfb('Workbook'))).toBe('xls');
    expect(detect(Buffer.from('名称,数量\n服务器,3\n'))).toBe('text');
  });

  it('refuses binary, invalid UTF-8, plain zips and a mismatch between name and content', () => {
    expect(detect(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBeNull();
    expect(detect(Buffer.from([0xc3, 0x28, 0x41]))).toBeNull();
    expect(detect(zipWith(['payload.bin']))).toBeNull();
    expect(checkContent('scan.pdf', PNG)).toMatchObject({
      ok: false,
      status: 422,
      key: 'evidence.errors.contentMismatch',
    });
    expect(checkContent('tool.exe', PDF)).toMatchObject({ ok: false, status: 415 });
    expect(checkContent('noext', PDF)).toMatchObject({ ok: false, status: 415 });
    expect(checkContent('a.txt', Buffer.alloc(0))).toMatchObject({ ok: false, key: 'evidence.errors.emptyFile' });
    expect(checkContent('notes.MD', Buffer.from('# Minutes'))).toEqual({
      ok: true,
      mediaType: 'text/markdown; charset=utf-8',
    });
  });

  it('reads only the zip directory: a huge declared entry is never inflated', () => {
    const bomb = zipWith(['[Content_Types].xml', 'word/document.xml']);
    bomb.writeUInt32LE(0xffffffff, bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // claims 4 GB uncompressed
    expect(zipEntryNames(bomb)).toEqual(new Set(['[Content_Types].xml', 'word/document.xml']));
    expect(zipEntryNames(Buffer.from('PK\x03\x04 truncated'))).toBeNull();
  });
});

describe('file names', () => {
  it('strips directories and control characters, keeps Chinese', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\x\\..\\报告.pdf')).toBe('报告.pdf');
    expect(sanitiseFileName('a\u0000b\r\n.txt')).toBe('ab.txt');
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName(`${'长'.repeat(300)}.pdf`)).toBe(`${'长'.repeat(196)}.pdf`);
  });

  it('writes an RFC 5987 Content-Disposition with an ASCII fallback', () => {
    expect(contentDisposition('年度报告 (final).pdf')).toBe(
      'attachment; filename="____ (final).pdf"; filename*=UTF-8\'\'%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A%20%28final%29.pdf',
    );
    expect(contentDisposition('a"b.txt')).toBe('attachment; filename="a_b.txt"; filename*=UTF-8\'\'a%22b.txt');
  });
});

describe('documented-information status', () => {
  const today = '2025-06-01';
  it('is missing without evidence, present while any item is within review, overdue when all are past', () => {
    expect(requirementDocStatus([], today)).toBe('missing');
    expect(requirementDocStatus([null], today)).toBe('present');
    expect(requirementDocStatus(['2025-06-01'], today)).toBe('present');
    expect(requirementDocStatus(['2025-05-31', '2026-01-01'], today)).toBe('present');
    expect(requirementDocStatus(['2025-05-31', '2020-01-01'], today)).toBe('overdue');
  });
  it('gives a 7.5.4 entry the status of its weakest requirement', () => {
    expect(catalogueDocStatus(['present', 'missing', 'overdue'])).toBe('missing');
    expect(catalogueDocStatus(['present', 'overdue'])).toBe('overdue');
    expect(catalogueDocStatus(['present'])).toBe('present');
    expect(catalogueDocStatus([])).toBe('missing');
  });
});
