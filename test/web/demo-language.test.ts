import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, makeApp, PASSWORD, type TestApp } from '../helpers.js';

// Issue 23: the demo organisation is stored in the language of the person who sets the tool up (not bilingual in
// every field), and its answers and findings are the work of a demo auditor, not of the new administrator.
describe("the demo organisation in the user's language", () => {
  let t: TestApp;
  let b: Browser;
  beforeAll(async () => {
    t = await makeApp();
    b = new Browser(t.app, 'zh-CN');
    await b.get('/setup');
    const res = await b.post('/setup', {
      email: 'li@example.com',
      displayName: '李管理员',
      password: PASSWORD,
      confirm: PASSWORD,
      demo: 'on',
    });
    expect(res.statusCode).toBe(303);
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores every field in Chinese only', async () => {
    const org = await t.db.selectFrom('organization').selectAll().where('code', '=', 'DEMO').executeTakeFirstOrThrow();
    expect(org.name).toBe('示例数据服务有限公司');
    expect(org.default_locale).toBe('zh-CN');
    const processes = await t.db
      .selectFrom('process')
      .select(['name', 'owner_name'])
      .where('organization_id', '=', org.id)
      .execute();
    expect(processes.map((p) => p.name)).toContain('事件管理');
    expect(processes.map((p) => p.owner_name)).toContain('王敏');
    const texts = [
      org.name,
      org.scope_statement,
      ...processes.flatMap((p) => [p.name, p.owner_name]),
      ...(await t.db.selectFrom('service').select(['name', 'description']).execute()).flatMap((s) => [
        s.name,
        s.description,
      ]),
      ...(await t.db.selectFrom('audit_response').select('notes').where('notes', '!=', '').execute()).map(
        (r) => r.notes,
      ),
      ...(
        await t.db.selectFrom('finding').select(['statement_requirement', 'statement_nonconformity']).execute()
      ).flatMap((f) => [f.statement_requirement, f.statement_nonconformity]),
    ];
    // No "中文 / English" pairs and no "王敏 (Wang Min)".
    expect(
      texts.filter((x) => / \/ [A-Z]|\([A-Z][a-z]+ [A-Z][a-z]+\)|Demo Data|Incident management/.test(x ?? '')),
    ).toEqual([]);
    const dash = await b.get('/');
    expect(dash.body).toContain('示例数据服务有限公司');
    expect(dash.body).not.toContain('Demo Data Services Ltd');
  });

  it('attributes the answers and findings to a demo auditor, not to the administrator', async () => {
    const admin = await t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'li@example.com')
      .executeTakeFirstOrThrow();
    const answered = await t.db
      .selectFrom('audit_response')
      .innerJoin('app_user', 'app_user.id', 'audit_response.answered_by')
      .select(['app_user.id', 'app_user.display_name'])
      .where('audit_response.verdict', '!=', 'not_assessed')
      .execute();
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered.map((a) => a.display_name))).toEqual(new Set(['刘芳（示例审核员）']));
    expect(answered.some((a) => a.id === admin.id)).toBe(false);
    const raisedBy = await t.db.selectFrom('finding').select('raised_by').execute();
    expect(raisedBy.every((f) => f.raised_by !== admin.id)).toBe(true);
  });
});
