// Progressive enhancement only: every page works without this file.
// Checklist forms (form[data-save]) save in place with fetch; a stale version shows the other person's answer.
(() => {
  const lang = document.documentElement.lang;
  const text =
    lang === 'en'
      ? { saving: 'Saving…', saved: 'Saved', failed: 'Not saved' }
      : { saving: '正在保存…', saved: '已保存', failed: '未保存' };

  async function save(form) {
    const state = form.querySelector('.save-state');
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
        const other = data.current
          ? ` — ${data.current.answeredBy || ''}: ${data.current.verdict}${data.current.notes ? ` · ${data.current.notes}` : ''}`
          : '';
        if (state) state.textContent = `${text.failed}: ${data.message || res.status}${other}`;
        form.classList.add('save-error');
        return;
      }
      form.querySelector('input[name=version]').value = data.version;
      form.classList.remove('save-error');
      if (state) state.textContent = text.saved;
      const card = form.closest('.req');
      const wasOpen = card ? card.classList.contains('v-not_assessed') : false;
      if (card) {
        card.className = card.className.replace(/\bv-[a-z_]+\b/, `v-${data.verdict}`);
        const checked = form.querySelector('input[name=verdict]:checked');
        const label = card.querySelector('[data-verdict-label]');
        if (checked && label) label.textContent = checked.parentElement.textContent.trim();
      }
      const nowOpen = data.verdict === 'not_assessed';
      const progress = document.querySelector('[data-progress]');
      if (progress && wasOpen !== nowOpen)
        progress.textContent = String(Number(progress.textContent) + (wasOpen ? 1 : -1));
    } catch (_e) {
      if (state) state.textContent = text.failed;
    }
  }

  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-save')) return;
    ev.preventDefault();
    void save(form); // save() reports its own failure on the form
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || !(ev.ctrlKey || ev.metaKey)) return;
    const form = ev.target instanceof Element ? ev.target.closest('form[data-save]') : null;
    if (form) {
      ev.preventDefault();
      void save(form);
    }
  });
})();
