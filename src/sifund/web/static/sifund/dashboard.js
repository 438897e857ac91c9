/* sifund dashboard: selectors that apply on change, and the region page's ECharts charts drawn from
   the JSON the page embeds (id="dash-data"; every number in it is a stored figure). */
"use strict";
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach((s) => {
    s.addEventListener("change", () => s.form.submit());
  });

  const el = document.getElementById("dash-data");
  if (!el || !window.echarts) return;
  const d = JSON.parse(el.textContent);
  const t = d.trend;
  const FONT = '"Noto Sans CJK SC", sans-serif';
  const C = { brand: "#2f6fbf", bad: "#c0392b", warn: "#b7791f", ok: "#1e7b45", grey: "#9aa5b1", teal: "#2a9d8f", violet: "#7b61c4" };
  const years = t.years.map((y) => y + "年");
  const two = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(2));
  const money = (v) =>
    v === null || v === undefined ? "—" : Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const S = (k) => t.series[k];
  const label = (k) => t.labels[k];
  const charts = [];
  const floor5 = (v) => Math.floor(v / 5) * 5;
  const ceil5 = (v) => Math.ceil(v / 5) * 5;

  function base(title, file, formatter, subtext) {
    return {
      animation: false,
      textStyle: { fontFamily: FONT },
      title: {
        text: title, subtext: subtext || "", left: "center", top: 4, itemGap: 4,
        textStyle: { fontFamily: FONT, fontSize: 14, fontWeight: 600, color: "#1f2933" },
        subtextStyle: { fontFamily: FONT, fontSize: 12, color: "#6b7785" },
      },
      toolbox: { right: 6, top: 2, feature: { saveAsImage: { name: file, title: "保存为图片", pixelRatio: 2, backgroundColor: "#fff" } } },
      tooltip: { trigger: "axis", textStyle: { fontFamily: FONT }, valueFormatter: formatter || two },
      legend: { bottom: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 12, right: 24, top: subtext ? 64 : 48, bottom: 36, containLabel: true },
      xAxis: { type: "category", data: years, axisLabel: { fontFamily: FONT } },
    };
  }

  function draw(id, option) {
    const node = document.getElementById(id);
    if (!node) return null;
    const c = window.echarts.init(node, null, { renderer: "canvas" });
    c.setOption(option);
    charts.push(c);
    return c;
  }

  const who = d.region + "·" + d.fund_name;

  // 收支及结余（万元）
  const mo = base(who + " 收支及结余（万元）", d.region + "_收支及结余_" + d.fund_name, money);
  mo.yAxis = { type: "value", name: "万元", axisLabel: { formatter: (v) => Number(v).toLocaleString("zh-CN") } };
  mo.series = [
    { name: label("income"), type: "bar", data: S("income"), itemStyle: { color: C.brand } },
    { name: label("expenditure"), type: "bar", data: S("expenditure"), itemStyle: { color: C.teal } },
    { name: label("balance_current"), type: "line", data: S("balance_current"), itemStyle: { color: C.warn }, symbolSize: 7 },
    { name: label("balance_rolling"), type: "line", data: S("balance_rolling"), itemStyle: { color: C.violet }, symbolSize: 7 },
  ];
  draw("chart-money", mo);

  // 支出预算完成率 against the band
  const [lo, hi] = t.band;
  const co = base(who + " " + label("expenditure_completion") + "（%）", d.region + "_支出预算完成率_" + d.fund_name,
    (v) => two(v) + (v == null ? "" : "%"), "绿色区域为合理区间 " + lo + "%~" + hi + "%");
  co.yAxis = {
    type: "value", name: "%",
    min: (e) => floor5(Math.min(e.min, lo) - 3),
    max: (e) => ceil5(Math.max(e.max, hi) + 3),
  };
  co.legend = { show: false };
  co.series = [{
    name: label("expenditure_completion"), type: "line", data: S("expenditure_completion"), itemStyle: { color: C.brand }, symbolSize: 8,
    label: { show: true, formatter: (p) => two(p.value) + "%", fontFamily: FONT },
    markArea: { silent: true, itemStyle: { color: "rgba(30,123,69,0.10)" }, label: { show: false },
      data: [[{ yAxis: lo }, { yAxis: hi }]] },
  }];
  draw("chart-completion", co);

  // 累计结余可支付月数 against the risk thresholds
  const [mHigh, mMed] = t.months;
  const mc = (v) => (v === null ? C.grey : v < mHigh ? C.bad : v < mMed ? C.warn : C.ok);
  const mo2 = base(who + " " + label("payable_months") + "（个月）", d.region + "_可支付月数_" + d.fund_name, (v) => two(v) + (v == null ? "" : "个月"));
  mo2.yAxis = { type: "value", name: "个月", max: (e) => ceil5(Math.max(e.max, mMed) * 1.1) };
  mo2.series = [{
    name: label("payable_months"), type: "bar", barMaxWidth: 48,
    data: S("payable_months").map((v) => ({ value: v, itemStyle: { color: mc(v) } })),
    label: { show: true, position: "top", formatter: (p) => two(p.value), fontFamily: FONT },
    markLine: { silent: true, symbol: "none", label: { fontFamily: FONT, formatter: "{b}", position: "insideEndTop" },
      data: [
        { name: "高风险线 " + mHigh + "个月", yAxis: mHigh, lineStyle: { color: C.bad, type: "dashed" } },
        { name: "中风险线 " + mMed + "个月", yAxis: mMed, lineStyle: { color: C.warn, type: "dashed" } },
      ] },
  }];
  mo2.legend = { show: false };
  draw("chart-months", mo2);

  // 绩效得分
  const so = base(d.region + " " + label("score") + "（分）", d.region + "_绩效得分", (v) => two(v) + (v == null ? "" : "分"));
  so.yAxis = { type: "value", name: "分", min: (e) => Math.max(0, floor5(e.min - 2)), max: (e) => Math.min(100, ceil5(e.max + 1)) };
  so.series = [{ name: label("score"), type: "line", data: S("score"), itemStyle: { color: C.brand }, symbolSize: 8,
    label: { show: true, formatter: (p) => two(p.value), fontFamily: FONT } }];
  so.legend = { show: false };
  draw("chart-score", so);

  // 同级地区得分（horizontal bars, the region highlighted, the median of the others marked）
  const p = d.peers;
  const pn = document.getElementById("chart-peers");
  if (p && pn && p.names.length > 1) {
    pn.style.height = Math.max(240, 26 * p.names.length + 90) + "px";
    const sub = p.median === null ? "" : "虚线为同级中位数 " + two(p.median) + "分（不含" + d.region + "）";
    const po = base(d.year + "年同级地区绩效得分", d.region + "_同级比较_" + d.year + "年", null, sub);
    po.grid = { left: 12, right: 48, top: sub ? 64 : 48, bottom: 16, containLabel: true };
    po.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontFamily: FONT }, valueFormatter: (v) => two(v) + "分" };
    po.xAxis = { type: "value", min: (e) => Math.max(0, floor5(e.min - 2)), max: (e) => Math.min(100, ceil5(e.max)) };
    po.yAxis = { type: "category", inverse: true, data: p.names, axisLabel: { fontFamily: FONT } };
    po.legend = { show: false };
    const ml = p.median === null ? [] : [{ name: "同级中位数", xAxis: p.median }];
    po.series = [{
      name: "得分", type: "bar", barMaxWidth: 18,
      data: p.scores.map((v, i) => ({ value: v, itemStyle: { color: i === p.highlight ? C.brand : C.grey } })),
      label: { show: true, position: "right", formatter: (q) => two(q.value), fontFamily: FONT },
      markLine: { silent: true, symbol: "none", lineStyle: { color: C.warn, type: "dashed" }, label: { show: false }, data: ml },
    }];
    draw("chart-peers", po);
  }

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
