/* sifund: small helpers shared by every page (no framework). */
"use strict";
window.sifund = {
  csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  },
  async api(method, url, body) {
    const opts = { method, headers: { "X-CSRFToken": this.csrf(), Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const r = await fetch(url, opts);
    const data = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
    return { status: r.status, ok: r.ok, data };
  },
};
document.addEventListener("click", (ev) => {
  const t = ev.target.closest("[data-confirm]");
  if (t && !window.confirm(t.dataset.confirm)) ev.preventDefault();
});
