import { createHash } from 'node:crypto';
import { type AuditReportModel, zoneOf } from '../../reports/audit-report/model.js';
import { day, type ReportLang } from '../../reports/lang.js';

/** The audit documents built from the report model, and what they are built from. */
export type AuditDocumentJob = {
  kind: 'auditReportPdf' | 'auditReportDocx' | 'gapRegisterXlsx';
  model: AuditReportModel;
  lang: ReportLang;
};

/**
 * What an audit document is a function of: its kind, language and organisation, and everything its model says
 * (findings, answers, actions, evidence, acceptances, revision, status …). An issued revision's model is frozen, so its
 * documents are the same until an acceptance changes the sign-off. A draft's model is read afresh on every download
 * and any edit changes it; its time of generation (`generatedAt`, now) counts by the day the documents print in the
 * organisation's zone, so an unchanged draft is the same document all day (its file properties keep the time it was
 * first built) and a new day builds it anew.
 */
export function auditDocumentKey(orgId: number, job: AuditDocumentJob): string {
  const m = job.model;
  const model = m.frozen ? m : { ...m, generatedAt: day(m.generatedAt, zoneOf(m)) };
  return createHash('sha256')
    .update(JSON.stringify([job.kind, job.lang, orgId, model]))
    .digest('base64url');
}

/**
 * Built documents kept by what they were built from (`auditDocumentKey`), in the serving process, most recently
 * used first, up to `maxBytes` together. A document is a pure function of its key, so a kept one is served again as it
 * is: the same bytes, without building it again (issue 20: a 50-finding report costs ~0.5 s of CPU to lay out). Two
 * requests for a document not kept yet share one build. Nothing is written anywhere: a restart starts empty, and each
 * instance of a deployment keeps its own.
 */
export class KeptDocuments {
  #kept = new Map<string, Buffer>();
  #building = new Map<string, Promise<Buffer>>();
  #bytes = 0;

  constructor(private readonly maxBytes = 16 * 1024 * 1024) {}

  async get(key: string, build: () => Promise<Buffer>): Promise<Buffer> {
    const kept = this.#kept.get(key);
    if (kept) {
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      return kept;
    }
    const pending = this.#building.get(key);
    if (pending) return pending;
    const building = build().finally(() => this.#building.delete(key));
    this.#building.set(key, building);
    const bytes = await building;
    this.#keep(key, bytes);
    return bytes;
  }

  #keep(key: string, bytes: Buffer) {
    if (bytes.byteLength > this.maxBytes / 4 || this.#kept.has(key)) return;
    this.#kept.set(key, bytes);
    this.#bytes += bytes.byteLength;
    for (const [k, b] of this.#kept) {
      if (this.#bytes <= this.maxBytes) break;
      this.#kept.delete(k);
      this.#bytes -= b.byteLength;
    }
  }
}
