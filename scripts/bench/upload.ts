import ExcelJS from 'exceljs';

// The questionnaire upload the bench posts: the bench audit's own questionnaire, downloaded and filled offline (every
// item's notes changed, so the preview lists 212 changes), sent as the audit page's upload form sends it to its
// preview (/reports/audits/:auditId/questionnaire), never confirmed: the audit stays as it is.

export interface Upload {
  headers: Record<string, string>;
  body: Buffer;
  /** Items whose notes the filled workbook changes. */
  changed: number;
}

const cookiesOf = (res: Response) =>
  (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));

export async function questionnaireUpload(
  base: string,
  auth: { cookie: string; token: string },
  auditId: number,
): Promise<Upload> {
  const download = await fetch(`${base}/api/v1/audits/${auditId}/questionnaire.xlsx?lang=zh`, {
    headers: { authorization: `Bearer ${auth.token}` },
  });
  if (download.status !== 200) throw new Error(`questionnaire download: ${download.status}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await download.arrayBuffer());
  let changed = 0;
  wb.worksheets[0]!.eachRow((row) => {
    // Item rows start with the item's id (4.1-1, 8.5.2-3); the header and clause rows do not.
    if (!/^\d+(\.\d+)*-\d+$/.test(String(row.getCell(1).value ?? ''))) return;
    const notes = row.getCell(6);
    notes.value = `${notes.value ?? ''}（线下补充 / added offline）`;
    changed++;
  });
  const file = Buffer.from(await wb.xlsx.writeBuffer());

  // The audit page's form carries the CSRF token as its first field, before the file.
  const page = await fetch(`${base}/audits/${auditId}`, { headers: { cookie: auth.cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error(`no CSRF token on /audits/${auditId} (${page.status})`);
  const jar = new Map(auth.cookie.split('; ').map((c) => [c.split('=')[0]!, c]));
  for (const c of cookiesOf(page)) jar.set(c.split('=')[0]!, c);

  const boundary = `----bench${auditId}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="questionnaire-filled.xlsx"\r\n` +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    headers: { cookie: [...jar.values()].join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    changed,
  };
}
