/* sifund submissions editor: add rows, mark rows deleted, filter figures by fund, warn before
   leaving with unsaved changes. The form works without it (existing rows edit and delete). */
"use strict";
(() => {
  const form = document.getElementById("sub-edit");
  if (!form) return;
  let dirty = false;
  const next = { fig: 0, ind: 0 };
  for (const el of form.querySelectorAll("[name]")) {
    const m = el.name.match(/^([fi])-(\d+)-/);
    if (m) {
      const kind = m[1] === "f" ? "fig" : "ind";
      next[kind] = Math.max(next[kind], Number(m[2]) + 1);
    }
  }

  // fund / item / measure selects arrive holding their current option only: give each the full list
  function fill(root) {
    for (const sel of root.querySelectorAll("select[data-codes]")) {
      const tpl = document.getElementById(`codes-${sel.dataset.codes}`);
      if (!tpl || sel.dataset.filled) continue;
      const current = sel.value;
      const keep = sel.selectedOptions[0] || null;
      const frag = tpl.content.cloneNode(true);
      sel.textContent = "";
      if (sel.dataset.blank !== undefined) sel.add(new Option(sel.dataset.blank, ""));
      sel.appendChild(frag);
      if (current && ![...sel.options].some((o) => o.value === current) && keep) sel.prepend(keep);
      sel.value = current;
      sel.dataset.filled = "1";
    }
  }
  fill(form);

  function add(kind) {
    const tpl = document.getElementById(`tpl-${kind}`);
    const key = next[kind]++;
    const html = tpl.innerHTML.replaceAll("__K__", String(key));
    const holder = document.createElement(kind === "fig" ? "tbody" : "div");
    holder.innerHTML = html;
    const target = document.getElementById(kind === "fig" ? "sub-fig-body" : "sub-ind-list");
    const first = holder.firstElementChild;
    while (holder.firstChild) target.appendChild(holder.firstChild);
    if (first) {
      first.classList.add("sub-new");
      const focus = first.querySelector("select, input:not([type=hidden])");
      if (focus) focus.focus();
    }
    dirty = true;
  }

  form.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-add]");
    if (b) { ev.preventDefault(); add(b.dataset.add); }
  });

  form.addEventListener("change", (ev) => {
    const t = ev.target;
    if (t.matches('input[type=checkbox][name$="-del"]')) {
      const row = t.closest("tr, .sub-indcard");
      if (row) row.classList.toggle("sub-deleted", t.checked);
    }
    if (t.matches('select[name$="-fund"]') && t.closest("tr")) t.closest("tr").dataset.fund = t.value;
  });

  const filter = document.getElementById("sub-fund-filter");
  if (filter) {
    filter.addEventListener("change", () => {
      const want = filter.value;
      for (const tr of document.querySelectorAll("#sub-fig-body > tr")) {
        const id = tr.id || tr.dataset.for || "";
        const row = tr.classList.contains("sub-msgrow") ? document.getElementById(tr.dataset.for) : tr;
        const fund = row ? row.dataset.fund : "";
        tr.hidden = Boolean(want) && fund !== want && id !== "";
      }
    });
  }

  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (ev) => {
    if (dirty) { ev.preventDefault(); ev.returnValue = ""; }
  });
  if (document.querySelector(".sub-problems")) dirty = true; // the user's unsaved input is on the page
})();
