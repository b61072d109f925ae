/* chart.js — a thin ECharts wrapper.
 *
 *   linli.chart(el, option)  -> echarts instance
 *
 * Elements with [data-linli-chart] are initialised automatically (on load and after
 * htmx swaps) from the JSON in <script id="{data-option-id}"> produced by Django's
 * json_script. Charts follow their container's size (ResizeObserver), so they also
 * adapt when the sidebar collapses, not only on window resize.
 */
(function () {
  "use strict";
  var linli = (window.linli = window.linli || {});

  // Palette and type kept in step with linli.css tokens.
  var THEME = {
    color: ["#0e9f77", "#1677d2", "#ff6a00", "#7a5af8", "#d4a106", "#c0399d", "#3340b5", "#5b7083"],
    backgroundColor: "transparent",
    textStyle: {
      fontFamily: '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
    },
    title: { textStyle: { color: "#1f2329", fontSize: 15, fontWeight: 600 }, subtextStyle: { color: "#86909c" } },
    legend: { textStyle: { color: "#4e5969" } },
    categoryAxis: { axisLine: { lineStyle: { color: "#e6e8eb" } }, axisTick: { show: false }, axisLabel: { color: "#86909c" } },
    valueAxis: { axisLine: { show: false }, splitLine: { lineStyle: { color: "#f0f1f3" } }, axisLabel: { color: "#86909c" } },
    line: { symbolSize: 6, smooth: false }
  };
  var registered = false;

  // Sensible defaults so a page only needs to supply data.
  var DEFAULTS = {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", confine: true }
  };

  linli.chart = function (el, option) {
    if (typeof el === "string") el = document.getElementById(el);
    if (!registered) { echarts.registerTheme("linli", THEME); registered = true; }
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, "linli", { renderer: "canvas" });
    var merged = Object.assign({}, DEFAULTS, option || {});
    // Pie/gauge-only charts do not use an axis tooltip.
    var series = [].concat(merged.series || []);
    if (!option.tooltip && series.length && series.every(function (s) { return s.type === "pie" || s.type === "gauge"; })) {
      merged.tooltip = { trigger: "item", confine: true };
    }
    // Honour users who asked for less motion.
    if (window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches) merged.animation = false;
    chart.setOption(merged, true);

    if (!el._linliResize) {
      el._linliResize = true;
      if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
      else window.addEventListener("resize", function () { chart.resize(); });
    }
    return chart;
  };

  function initAll(root) {
    if (!window.echarts) return false;
    (root || document).querySelectorAll("[data-linli-chart]").forEach(function (el) {
      if (el.dataset.linliReady) return;
      var node = document.getElementById(el.dataset.optionId);
      if (!node) return;
      el.dataset.linliReady = "1";
      linli.chart(el, JSON.parse(node.textContent));
    });
    return true;
  }

  // ECharts may load after this file when both arrive through an htmx swap.
  function initWhenReady(root, tries) {
    if (!initAll(root) && (tries || 0) < 50) setTimeout(function () { initWhenReady(root, (tries || 0) + 1); }, 100);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { initWhenReady(); });
  else initWhenReady();
  document.addEventListener("htmx:load", function (evt) { initWhenReady(evt.target); });
})();
