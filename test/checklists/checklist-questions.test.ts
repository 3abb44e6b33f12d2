import { describe, expect, it } from 'vitest';
import { loadStandards } from '../../src/checklists/load.js';

// Questions an auditor can use (issue 16): each item has an open question saying what to sample, how many, and
// whom to ask; none is only yes/no; what external ISO/IEC 20000-1 checklists ask is asked here too.
const [std] = loadStandards();
const s = std!.data;
const item = (id: string) => s.requirements.find((r) => r.id === id)!;

/** A question that can be answered yes or no: no question word, no request to show or sample anything. */
function closed(q: { zh: string; en: string }): boolean {
  const openZh = /如何|哪些|哪里|哪[一个份项次]|什么|谁|多久|多少|多长|为什么|怎样|何时|请|抽取|询问/.test(q.zh);
  const openEn = /\b(how|what|which|who|whom|where|when|why)\b|^(sample|ask|take|pick|please|show)\b/i.test(q.en);
  return !openZh && !openEn;
}
const SAMPLE_ZH =
  /(抽取|抽查|随机抽取)[^，；：]*?(\d+|[一两二三四五六七八九十]+)\s*[个项份名次条类]|抽取[^，；：]*?各\s*1\s*[个项]|抽取最近|抽取期间内|取最近|取现行|取当前|对照|按 a\)/;
const WHOM_ZH = /询问|访谈|请[^，；]*?(负责人|经理|人员|管理员|员工)/;
const SAMPLE_EN = /\b(sample|take|pick|check|compare|go through)\b/i;
const WHOM_EN = /\bask\b|\binterview\b/i;

describe('audit questions', () => {
  it('tells a yes/no question from an open one (literal examples)', () => {
    expect(
      closed({ zh: '是否所有外部供应商都签有正式合同？', en: 'Do all external suppliers have a formal contract?' }),
    ).toBe(true);
    expect(
      closed({
        zh: '事件处理过程中采取的行动是否及时记录在事件记录中？',
        en: 'Are actions recorded in the incident record as they happen?',
      }),
    ).toBe(true);
    expect(closed({ zh: '如何确定范围？', en: 'How was the scope decided?' })).toBe(false);
    expect(
      closed({ zh: '抽取 3 名员工，询问他们方针在哪里？', en: 'Sample 3 staff; ask them where the policy is.' }),
    ).toBe(false);
  });

  it('has no item whose questions are all yes/no', () => {
    const yesNoOnly = s.requirements.filter((r) => r.questions.every(closed)).map((r) => r.id);
    expect(yesNoOnly).toEqual([]);
  });

  it('gives every item at least one open question that says what to sample, how many, and whom to ask', () => {
    const without = s.requirements
      .filter(
        (r) =>
          !r.questions.some(
            (q) =>
              !closed(q) && SAMPLE_ZH.test(q.zh) && WHOM_ZH.test(q.zh) && SAMPLE_EN.test(q.en) && WHOM_EN.test(q.en),
          ),
      )
      .map((r) => r.id);
    expect(without).toEqual([]);
  });

  it('suggests a sample size wherever a population exists (changes, incidents, requests, problems, CIs, suppliers, releases)', () => {
    const sizes: Record<string, RegExp> = {
      '8.5.1.2-1': /抽取期间内 10 项变更请求（至少 1 项紧急变更/,
      '8.5.1.3-1': /抽取期间内 10 项变更（至少 1 项紧急变更）/,
      '8.6.1-1': /抽取期间内 10 个事件/,
      '8.6.2-1': /抽取期间内 10 个服务请求/,
      '8.6.3-3': /抽取期间内 5 个问题/,
      '8.2.6-5': /随机抽取 10 个配置项/,
      '8.3.4.1-2': /抽取 3 个外部供应商/,
      '8.5.3-2': /抽取期间内 5 次发布/,
      '8.3.2-8': /抽取 5 项投诉/,
      '10.1.1-1': /抽取期间内 5 个不符合/,
    };
    for (const [id, re] of Object.entries(sizes))
      expect(
        item(id).questions.some((q) => re.test(q.zh) && /\b\d+\b/.test(q.en)),
        id,
      ).toBe(true);
  });

  it('asks what external ISO/IEC 20000-1 checklists ask (literal table)', () => {
    const asks = (id: string, zh: RegExp, en: RegExp) =>
      expect(
        item(id).questions.some((q) => zh.test(q.zh) && en.test(q.en)),
        `${id} ${zh}`,
      ).toBe(true);
    asks('8.3.3-3', /如何测量（指标、计算方法、数据来源、测量周期）/, /how each service level target is measured/);
    asks('8.5.1.3-1', /至少 1 项紧急变更.*职责分离/, /emergency change.*segregation of duties/);
    asks('8.5.1.3-1', /紧急批准/, /emergency approval/);
    asks('8.6.1-1', /商定的目标.*向客户通报进展/, /within the agreed targets.*customers were kept informed/);
    asks('9.2.2-1', /审核能力.*客观性和公正性/, /competence as auditors.*objectivity and impartiality/);
    asks('9.2.2-1', /工作底稿.*抽样方法和样本量/, /working papers.*sampling method and sample sizes/);
    asks('8.7.2-5', /供应商和其他方/, /suppliers and other parties/);
    asks('8.7.2-5', /关键供应商.*连续性承诺/, /key suppliers.*commit them to continuity/);
    asks('9.3-3', /抽取 1 项决策.*实施证据/, /1 decision.*evidence/);
    asks('7.2-1', /最近 12 个月内入职或调岗/, /joined or changed role in the last 12 months/);
  });

  it("probes each of 5.1-1's twelve leadership duties a)–l)", () => {
    const probed = new Set(
      item('5.1-1')
        .questions.flatMap((q) => [...q.zh.matchAll(/([a-l])\)/g)].map((m) => m[1]))
        .filter(Boolean),
    );
    expect([...probed].sort().join('')).toBe('abcdefghijkl');
  });

  it('writes capacity (8.4.3, 能力 in the standard) as 容量（能力） in its evidence and questions', () => {
    for (const r of s.requirements.filter((x) => x.clause === '8.4.3')) {
      expect(
        [...r.evidence, ...r.questions].some((x) => x.zh.includes('容量（能力）')),
        r.id,
      ).toBe(true);
    }
  });
});
