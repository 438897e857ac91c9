/* sifund: the report-review page (/reviews/<id>/). Vanilla JS, no framework.
   The highlighted text is built on the server; this script only links it up:
   - a click on a figure (mark.fig) shows how it was read (读作), its fund/item/measure/value/precision
     and the correction form;
   - a click on an unresolved number (mark.fig.unres) shows why it was left out;
   - a click on a finding highlights (mark.hit) and scrolls to the spans its evidence rests on. */
"use strict";
/* the upload form of /reviews/: the chosen file's name beside a button in Chinese */
document.querySelectorAll(".rv-file").forEach((box) => {
  const input = box.querySelector("input[type=file]");
  const name = box.querySelector(".rv-file-name");
  input.addEventListener("change", () => {
    name.textContent = input.files.length ? input.files[0].name : name.dataset.empty;
    name.classList.toggle("muted", !input.files.length);
  });
});
(() => {
  const root = document.getElementById("review");
  const dataEl = document.getElementById("review-data");
  if (!root || !dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  const pane = document.getElementById("report-text");
  const side = document.getElementById("rv-side");
  const figPanel = document.getElementById("fig-panel");
  const unresPanel = document.getElementById("unres-panel");
  const form = document.getElementById("correct-form");

  const markById = (id) => (id ? document.getElementById(id) : null);

  function clearHits() {
    root.querySelectorAll("mark.hit, mark.sel").forEach((m) => m.classList.remove("hit", "sel"));
    root.querySelectorAll(".rv-finding.sel, .rv-finding.rel").forEach((f) => f.classList.remove("sel", "rel"));
  }

  function bringPaneIntoView() {
    const r = pane.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.6) {
      pane.closest(".rv-panes").scrollIntoView({ behavior: "smooth", block: "start" });
    }
  }

  function scrollPaneTo(m) {
    if (!m) return;
    const top = m.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTo({ top: Math.max(0, top - pane.clientHeight / 3), behavior: "smooth" });
  }

  function scrollSideTo(el) {
    if (!el || !side) return;
    const top = el.getBoundingClientRect().top - side.getBoundingClientRect().top + side.scrollTop;
    side.scrollTo({ top: Math.max(0, top - 12), behavior: "smooth" });
  }

  /* highlight the marks ``ids`` (mark.hit) and scroll the text pane to the first one */
  function hit(ids) {
    let first = null;
    ids.forEach((id) => {
      const m = markById(id);
      if (m) {
        m.classList.add("hit");
        if (!first) first = m;
      }
    });
    bringPaneIntoView();
    scrollPaneTo(first);
    return first;
  }

  function selectFinding(li, scrollSide) {
    clearHits();
    hidePanels();
    li.classList.add("sel");
    const ids = (li.dataset.marks || "").split(" ").filter(Boolean);
    hit(ids);
    if (scrollSide) scrollSideTo(li);
  }

  function hidePanels() {
    figPanel.hidden = true;
    unresPanel.hidden = true;
  }

  function fill(panel, attr, obj) {
    panel.querySelectorAll(`[${attr}]`).forEach((el) => {
      const k = el.getAttribute(attr);
      if (k in obj && typeof obj[k] !== "object") el.textContent = obj[k] === "" ? "—" : String(obj[k]);
    });
  }

  function setSelect(sel, value) {
    if (!sel) return;
    sel.querySelectorAll("option[data-extra]").forEach((o) => o.remove());
    if (![...sel.options].some((o) => o.value === value)) {
      const o = new Option(`${value}（当前代码）`, value);
      o.dataset.extra = "1";
      sel.prepend(o);
    }
    sel.value = value;
  }

  function findingLink(i) {
    const li = document.getElementById(`finding-${i}`);
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link rv-flink";
    const badge = li ? li.querySelector(".badge") : null;
    const code = li ? li.querySelector(".rv-code") : null;
    b.textContent = `${badge ? badge.textContent : ""} ${code ? code.textContent : ""}`.trim();
    b.addEventListener("click", () => li && selectFinding(li, true));
    return b;
  }

  function figureLink(i, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link rv-flink";
    const f = data.figures[i];
    b.textContent = `${label}第${i + 1}个：${f.item_name}·${f.measure_name} ${f.value}${f.unit}`;
    b.addEventListener("click", () => showFigure(i, false));
    return b;
  }

  function showFigure(i, scroll = true) {
    const f = data.figures[i];
    if (!f) return;
    clearHits();
    unresPanel.hidden = true;
    fill(figPanel, "data-f", { ...f, n: `第${i + 1}个` });
    figPanel.querySelector('[data-flag="corrected"]').hidden = !f.corrected;
    const fl = figPanel.querySelector('[data-f="findings"]');
    fl.textContent = "";
    if (f.findings.length) {
      f.findings.forEach((n) => {
        fl.appendChild(findingLink(n));
        const li = document.getElementById(`finding-${n}`);
        if (li) li.classList.add("rel");
      });
    } else {
      fl.textContent = "无";
    }
    const nest = figPanel.querySelector('[data-f="nest"]');
    nest.textContent = "";
    const m = markById(f.mark);
    if (m) {
      const outer = [];
      for (let p = m.parentElement.closest("mark[data-i]"); p; p = p.parentElement.closest("mark[data-i]")) {
        outer.push(Number(p.dataset.i));
      }
      const inner = [...m.querySelectorAll("mark[data-i]")].map((x) => Number(x.dataset.i));
      outer.forEach((n) => nest.appendChild(figureLink(n, "外层：")));
      inner.forEach((n) => nest.appendChild(figureLink(n, "内含：")));
      nest.hidden = !(outer.length || inner.length);
      m.classList.add("hit", "sel");
      if (scroll) {
        bringPaneIntoView();
        scrollPaneTo(m);
      }
    } else {
      nest.hidden = true;
    }
    if (form) {
      /* form.elements.item would be the collection's item() method: ask by selector */
      const field = (name) => form.querySelector(`[name="${name}"]`);
      field("index").value = String(i);
      setSelect(field("fund"), f.fund);
      setSelect(field("item"), f.item);
      setSelect(field("measure"), f.measure);
    }
    figPanel.hidden = false;
    if (side) side.scrollTo({ top: 0, behavior: "smooth" });
  }

  function showUnresolved(i) {
    const u = data.unresolved[i];
    if (!u) return;
    clearHits();
    figPanel.hidden = true;
    fill(unresPanel, "data-u", u);
    unresPanel.hidden = false;
    const m = markById(u.mark);
    if (m) m.classList.add("hit", "sel");
    if (side) side.scrollTo({ top: 0, behavior: "smooth" });
  }

  /* findings and indicator rows that rest on a mark */
  function relatedFindings(id) {
    root.querySelectorAll(".rv-finding").forEach((li) => {
      if ((li.dataset.marks || "").split(" ").includes(id)) li.classList.add("rel");
    });
  }

  pane.addEventListener("click", (ev) => {
    const m = ev.target.closest("mark[data-i], mark[data-u], mark[data-n], mark.ev");
    if (!m) return;
    if (m.dataset.i !== undefined) showFigure(Number(m.dataset.i), false);
    else if (m.dataset.u !== undefined) {
      showUnresolved(Number(m.dataset.u));
      relatedFindings(m.id);
    } else {
      clearHits();
      hidePanels();
      m.classList.add("hit", "sel");
      relatedFindings(m.id);
    }
  });

  root.querySelectorAll(".rv-finding").forEach((li) => {
    li.querySelectorAll("[data-locate]").forEach((el) => {
      el.addEventListener("click", () => selectFinding(li, false));
      el.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          selectFinding(li, false);
        }
      });
    });
  });

  root.addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-mark]");
    if (a) {
      ev.preventDefault();
      const id = a.dataset.mark;
      const m = markById(id);
      if (m && m.dataset.i !== undefined) {
        showFigure(Number(m.dataset.i));
      } else if (m && m.dataset.u !== undefined) {
        showUnresolved(Number(m.dataset.u));
        bringPaneIntoView();
        scrollPaneTo(m);
      } else {
        clearHits();
        hit([id]);
      }
      return;
    }
    const b = ev.target.closest("[data-fig]");
    if (b) showFigure(Number(b.dataset.fig));
    const c = ev.target.closest("[data-close]");
    if (c) {
      hidePanels();
      clearHits();
    }
  });

  /* after a correction or a comment the server sends us back to #fig-N / #finding-N */
  function fromHash() {
    const h = window.location.hash;
    let mm;
    if ((mm = h.match(/^#fig-(\d+)$/))) showFigure(Number(mm[1]));
    else if ((mm = h.match(/^#(?:finding|comment)-(\d+)$/))) {
      const li = document.getElementById(`finding-${mm[1]}`);
      if (li) selectFinding(li, true);
    }
  }
  fromHash();
})();
