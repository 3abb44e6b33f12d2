import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReviewPackModel } from '../../reports/review-inputs/model.js';
import { managementReviewInputs } from '../reviews/inputs.js';
import type { OrgAccess } from '../web/context.js';
import { notFound } from '../web/errors.js';
import { sendFile, slug } from './http.js';
import type { RenderPool } from './render-pool.js';
import { ReviewParams, WorkbookQuery } from './schemas.js';
import { langOf } from './texts.js';
import { MEDIA } from '../web/openapi.js';

const tags = ['reports'];
const onReview = { access: { kind: 'org', permission: 'report.export', resource: 'review' } } as const;
type Req = FastifyRequest<{ Params: { reviewId: number }; Querystring: { lang?: 'zh' | 'en' | 'both' } }>;

/** The management review input pack (9.3 a–l) as PDF and Excel, from the findings area's managementReviewInputs. */
export async function reviewReportRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const pack = async (req: FastifyRequest, reviewId: number): Promise<ReviewPackModel> => {
    const m = await managementReviewInputs(db, reviewId);
    if (!m || m.review.organization.id !== (req.org as OrgAccess).id) throw notFound();
    return m;
  };
  const name = (m: ReviewPackModel, lang: string, ext: string) =>
    `${m.review.organization.code}-${slug(m.review.ref)}-management-review-inputs-${lang}.${ext}`;
  const pdf = async (req: Req, reply: FastifyReply) => {
    const m = await pack(req, req.params.reviewId);
    const lang = langOf(req.locale, req.query.lang);
    return sendFile(
      reply,
      'pdf',
      name(m, lang, 'pdf'),
      await renderer.render({ kind: 'reviewPackPdf', model: m, lang }),
    );
  };
  const xlsx = async (req: Req, reply: FastifyReply) => {
    const m = await pack(req, req.params.reviewId);
    const lang = langOf(req.locale, req.query.lang);
    return sendFile(
      reply,
      'xlsx',
      name(m, lang, 'xlsx'),
      await renderer.render({ kind: 'reviewPackXlsx', model: m, lang }),
    );
  };

  for (const prefix of ['/api/v1', '/reports']) {
    const doc = prefix === '/api/v1' ? { tags } : {};
    app.get(
      `${prefix}/management-reviews/:reviewId/inputs.pdf`,
      {
        schema: {
          ...doc,
          summary: 'Management review input pack, 9.3 a)–l) (PDF): lang=zh|en|both',
          params: ReviewParams,
          querystring: WorkbookQuery,
        },
        config: { ...onReview, docs: { download: [MEDIA.pdf] } },
      },
      pdf,
    );
    app.get(
      `${prefix}/management-reviews/:reviewId/inputs.xlsx`,
      {
        schema: {
          ...doc,
          summary: 'Management review input pack, 9.3 a)–l) (Excel)',
          params: ReviewParams,
          querystring: WorkbookQuery,
        },
        config: { ...onReview, docs: { download: [MEDIA.xlsx] } },
      },
      xlsx,
    );
  }
}
