// Progressive enhancement only: every page works without this file.
// Checklist forms (form[data-save]) save in place with fetch. Ctrl+Enter (or "save and next") saves and moves the
// focus to the next item not yet assessed, on the next page if need be; number keys choose a verdict; what is typed
// is kept as a draft in localStorage until saved; a stale version shows the other person's answer beside mine.
(() => {
  const lang = document.documentElement.lang;
  const text =
    lang === 'en'
      ? { saving: 'Saving…', saved: 'Saved', failed: 'Not saved' }
      : { saving: '正在保存…', saved: '已保存', failed: '未保存' };
  const root = document.querySelector('.checklist[data-audit]');
  const auditId = root ? root.getAttribute('data-audit') : null;
  const FIELDS = ['verdict', 'notes', 'samples', 'interviewees', 'level'];
  const draftKey = (form) => `draft:${auditId}:${form.getAttribute('data-item')}`;
  const storage = (() => {
    try {
      return window.localStorage;
    } catch (_e) {
      return null;
    }
  })();
  /** Forms with changes not yet saved. */
  const dirty = new Set();
  let leaving = false;

  function valuesOf(form) {
    const data = new FormData(form);
    const v = {
      version: form.elements.namedItem('version').value,
      evidenceIds: data.getAll('evidenceIds').map(String),
    };
    for (const f of FIELDS) v[f] = data.has(f) ? String(data.get(f)) : '';
    return v;
  }
  function fill(form, v) {
    for (const f of FIELDS) {
      const el = form.elements.namedItem(f);
      if (!el || v[f] === undefined || v[f] === null) continue;
      if (f === 'verdict') {
        const radio = form.querySelector(`input[name=verdict][value="${CSS.escape(String(v.verdict))}"]`);
        if (radio) radio.checked = true;
      } else el.value = String(v[f]);
    }
    if (Array.isArray(v.evidenceIds))
      for (const box of form.querySelectorAll('input[name=evidenceIds]'))
        box.checked = v.evidenceIds.includes(box.value);
  }
  function keepDraft(form) {
    dirty.add(form);
    if (storage && auditId) storage.setItem(draftKey(form), JSON.stringify({ ...valuesOf(form), at: Date.now() }));
  }
  function dropDraft(form) {
    dirty.delete(form);
    if (storage && auditId) storage.removeItem(draftKey(form));
  }
  const stateOf = (form) => form.querySelector('.save-state');

  /** Focus on an item's verdict choice (the checked radio: the group's one Tab stop). */
  function focusItem(form) {
    const radio = form.querySelector('input[name=verdict]:checked') || form.querySelector('input[name=verdict]');
    if (!radio) return;
    // Laid out first (cards off screen are skipped by content-visibility), then focused.
    form.closest('.req')?.scrollIntoView({ block: 'start' });
    radio.focus({ preventScroll: true });
  }
  function goNext(form) {
    const forms = Array.from(document.querySelectorAll('form[data-save][data-item]'));
    const after = forms.slice(forms.indexOf(form) + 1);
    const next = after.find((f) => f.closest('.req')?.classList.contains('v-not_assessed'));
    if (next) {
      focusItem(next);
      return;
    }
    const q = new URLSearchParams();
    for (const f of ['filter', 'clause', 'process', 'auditor']) {
      const el = form.elements.namedItem(f);
      if (el?.value) q.set(f, el.value);
    }
    q.set('after', form.getAttribute('data-item'));
    window.location.href = `/audits/${auditId}/checklist/next?${q}`;
  }

  function updateCounters(form, wasOpen, nowOpen) {
    if (wasOpen === nowOpen) return;
    const step = wasOpen ? 1 : -1;
    const bump = (el) => {
      if (el) el.textContent = String(Number(el.textContent) + step);
    };
    bump(document.querySelector('[data-progress]'));
    const bar = document.querySelector('.progress-line progress');
    if (bar) bar.value = Number(bar.value) + step;
    const page = form.getAttribute('data-page');
    if (!page) return;
    const link = document.querySelector(`.clause-nav a[data-page="${CSS.escape(page)}"]`);
    bump(link?.querySelector('[data-done]'));
    bump(document.querySelector(`[data-page-done="${CSS.escape(page)}"]`));
  }

  async function showConflict(form, body) {
    // The server renders the conflict (their answer beside mine) exactly as without JavaScript: ask it for that page.
    const res = await fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    });
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const panel = doc.getElementById(`conflict-${form.getAttribute('data-item')}`);
    if (!panel) return false;
    document.getElementById(panel.id)?.remove();
    form.before(document.importNode(panel, true));
    return true;
  }

  async function save(form, next) {
    const state = stateOf(form);
    if (state) state.textContent = text.saving;
    const body = new URLSearchParams(new FormData(form));
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) {
        form.classList.add('save-error');
        if (state) state.textContent = `${text.failed}: ${data.message || res.status}`;
        if (res.status === 409 && (await showConflict(form, body))) {
          document
            .getElementById(`conflict-${form.getAttribute('data-item')}`)
            ?.querySelector('button')
            ?.focus();
        }
        return;
      }
      form.elements.namedItem('version').value = data.version;
      form.classList.remove('save-error');
      document.getElementById(`conflict-${form.getAttribute('data-item')}`)?.remove();
      dropDraft(form);
      if (state) state.textContent = text.saved;
      const card = form.closest('.req');
      const wasOpen = card ? card.classList.contains('v-not_assessed') : false;
      if (card) {
        card.className = card.className.replace(/\bv-[a-z_]+\b/, `v-${data.verdict}`);
        const checked = form.querySelector('input[name=verdict]:checked');
        const label = card.querySelector('[data-verdict-label]');
        if (checked && label) label.textContent = checked.parentElement.textContent.trim();
      }
      updateCounters(form, wasOpen, data.verdict === 'not_assessed');
      if (next) goNext(form);
    } catch (_e) {
      if (state) state.textContent = text.failed;
    }
  }

  /** A choice in the conflict panel, made in place: keep mine or merge (both save on the new version), or take theirs. */
  function choose(panel, choice, notes) {
    const card = panel.closest('.req');
    const form = card?.querySelector('form[data-save]');
    if (!form) return;
    const theirs = JSON.parse(panel.getAttribute('data-theirs') || '{}');
    form.elements.namedItem('version').value = theirs.version;
    if (choice === 'theirs') {
      fill(form, { ...theirs, level: theirs.level === null ? '' : theirs.level });
      dropDraft(form);
      panel.remove();
      form.classList.remove('save-error');
      const state = stateOf(form);
      if (state) state.textContent = '';
      card.className = card.className.replace(/\bv-[a-z_]+\b/, `v-${theirs.verdict}`);
      focusItem(form);
      return;
    }
    if (choice === 'merge') form.elements.namedItem('notes').value = notes;
    void save(form, false);
  }

  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    const panel = form.closest('.conflict');
    if (panel && form.hasAttribute('data-choice')) {
      ev.preventDefault();
      choose(panel, form.getAttribute('data-choice'), form.elements.namedItem('notes')?.value ?? '');
      return;
    }
    // Not a save: another form, or a button posting this form elsewhere (take over the earlier audit's answer).
    if (!form.hasAttribute('data-save') || ev.submitter?.hasAttribute('formaction')) {
      leaving = true;
      return;
    }
    ev.preventDefault();
    void save(form, ev.submitter?.name === 'next'); // save() reports its own failure on the form
  });
  document.addEventListener('click', (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest('.conflict a[data-choice="theirs"]') : null;
    if (!a) return;
    ev.preventDefault();
    choose(a.closest('.conflict'), 'theirs');
  });
  document.addEventListener('keydown', (ev) => {
    const form = ev.target instanceof Element ? ev.target.closest('form[data-save]') : null;
    if (!form) return;
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      void save(form, true);
      return;
    }
    // Number keys choose a verdict, except where they are typed as text.
    const t = ev.target;
    const typing =
      t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement ||
      (t instanceof HTMLInputElement && !['radio', 'checkbox', 'submit', 'button'].includes(t.type));
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || !/^[1-9]$/.test(ev.key)) return;
    const keys = (root?.getAttribute('data-keys') || '').split(' ').filter(Boolean);
    const verdict = keys[Number(ev.key) - 1];
    const radio = verdict && form.querySelector(`input[name=verdict][value="${verdict}"]`);
    if (!radio) return;
    ev.preventDefault();
    radio.checked = true;
    radio.focus();
    keepDraft(form);
  });
  document.addEventListener('input', (ev) => {
    const form = ev.target instanceof Element ? ev.target.closest('form[data-save]') : null;
    if (form) keepDraft(form);
  });
  document.addEventListener('change', (ev) => {
    const form = ev.target instanceof Element ? ev.target.closest('form[data-save]') : null;
    if (form) keepDraft(form);
  });
  window.addEventListener('beforeunload', (ev) => {
    if (leaving || dirty.size === 0) return;
    ev.preventDefault();
    ev.returnValue = '';
  });

  // Drafts left from an earlier visit come back into their forms, marked as not saved.
  if (root && storage) {
    for (const form of document.querySelectorAll('form[data-save][data-item]')) {
      const raw = storage.getItem(draftKey(form));
      if (!raw) continue;
      let draft;
      try {
        draft = JSON.parse(raw);
      } catch (_e) {
        storage.removeItem(draftKey(form));
        continue;
      }
      const now = valuesOf(form);
      const same =
        FIELDS.every((f) => String(draft[f] ?? '') === now[f]) &&
        JSON.stringify(draft.evidenceIds || []) === JSON.stringify(now.evidenceIds);
      if (same) {
        storage.removeItem(draftKey(form));
        continue;
      }
      fill(form, draft);
      // Saved on the version the draft started from: if someone saved since, the conflict is shown, not overwritten.
      form.elements.namedItem('version').value = draft.version;
      dirty.add(form);
      const state = stateOf(form);
      if (state) {
        state.textContent = root.getAttribute('data-restored');
        state.classList.add('draft-note');
        const discard = document.createElement('button');
        discard.type = 'button';
        discard.className = 'small secondary';
        discard.textContent = root.getAttribute('data-discard');
        discard.addEventListener('click', () => {
          dropDraft(form);
          window.location.reload();
        });
        state.after(discard);
      }
    }
  }
  // Bulk verdict: ticking items chooses "the items selected" and counts them (boxes the browser restored count too).
  const bulk = document.getElementById('bulk');
  if (bulk) {
    const countPicks = () => {
      const n = document.querySelectorAll('input[name=requirementIds][form=bulk]:checked').length;
      const count = bulk.querySelector('[data-selected]');
      if (count) count.textContent = count.getAttribute('data-selected').replace('{n}', String(n));
      return n;
    };
    countPicks();
    document.addEventListener('change', (ev) => {
      const box = ev.target;
      if (!(box instanceof HTMLInputElement) || box.name !== 'requirementIds') return;
      const radio = bulk.querySelector(`input[name=target][value=${countPicks() ? 'selected' : 'unassessed'}]`);
      if (radio) radio.checked = true;
    });
  }
  // Arriving at an item (save-and-next from another page, a link to #req-…): the focus is on its verdict.
  const target = window.location.hash.startsWith('#req-')
    ? document.getElementById(window.location.hash.slice(1))
    : null;
  const targetForm = target?.querySelector('form[data-save]');
  if (targetForm) {
    focusItem(targetForm);
    // The browser's own move to the #fragment can come after this script: focus once more when the page has loaded.
    window.addEventListener('load', () => {
      if (!targetForm.contains(document.activeElement)) focusItem(targetForm);
    });
  }
})();

// Copy buttons (a temporary password): copies the code beside the button, and says so on the button.
document.addEventListener('click', (e) => {
  const button = e.target instanceof Element ? e.target.closest('button[data-copy]') : null;
  const source = button?.parentElement?.querySelector('code');
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    button.textContent = button.getAttribute('data-copied');
  });
});
