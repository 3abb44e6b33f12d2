// Progressive enhancement for every form (pages work without it): the first field at fault gets the focus, and a
// form that deletes something asks first (form[data-confirm]; the question names what goes).
(() => {
  const first = document.querySelector('[aria-invalid="true"]');
  if (first && !first.contains(document.activeElement)) first.focus();

  document.addEventListener(
    'submit',
    (ev) => {
      const form = ev.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
      }
    },
    true,
  );
})();
