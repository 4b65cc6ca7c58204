/* 工作概览 / 工作简报: draws the charts described in the json_script element #overview-charts into
 * every element with data-chart (ECharts, vendored under static/vendor/echarts/). No inline script:
 * the CSP allows only files from this site. Charts use decal patterns and the aria description so
 * they read in black-and-white print and to screen readers; every chart has a table under it. */
(function () {
  "use strict";

  var PALETTE = ["#1f4e79", "#c55a11", "#7f7f7f", "#548235", "#8faadc", "#bf9000"];
  var PRINT = document.body.classList.contains("sz-brief");

  function base(spec) {
    return {
      animation: !PRINT,
      color: PALETTE,
      aria: { enabled: true, decal: { show: true }, label: { description: spec.title } },
      title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: "bold" } },
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", confine: true, renderMode: "richText" },
      textStyle: { fontFamily: "sans-serif" }
    };
  }

  function withUnit(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    return (unit === "%" ? Number(value).toFixed(1) : value) + (unit || "");
  }

  function rank(spec) {
    var option = base(spec);
    var data = spec.series[0].data;
    option.grid = { left: 8, right: 56, top: 32, bottom: 8, containLabel: true };
    option.xAxis = { type: "value", max: spec.unit === "%" ? 100 : null };
    option.yAxis = { type: "category", data: spec.categories, inverse: true, axisLabel: { interval: 0 } };
    option.series = [{
      type: "bar", name: spec.series[0].name, data: data,
      label: { show: true, position: "right", formatter: function (p) { return withUnit(p.value, spec.unit); } }
    }];
    return option;
  }

  function bars(spec, stacked, horizontal) {
    var option = base(spec);
    var many = spec.categories.length > 8;
    option.legend = { top: 30, left: 0 };
    option.grid = { left: 8, right: 16, top: 68, bottom: 8, containLabel: true };
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: many && !horizontal ? 30 : 0 } };
    var value = { type: "value", minInterval: 1 };
    option.xAxis = horizontal ? value : category;
    option.yAxis = horizontal ? Object.assign(category, { inverse: true }) : value;
    option.series = spec.series.map(function (s) {
      return { type: "bar", name: s.name, data: s.data, stack: stacked ? "total" : undefined };
    });
    return option;
  }

  function line(spec) {
    var option = base(spec);
    option.legend = { top: 30, left: 0 };
    option.grid = { left: 8, right: 16, top: 68, bottom: 8, containLabel: true };
    option.xAxis = { type: "category", data: spec.categories, boundaryGap: false };
    option.yAxis = { type: "value", minInterval: 1 };
    var symbols = ["circle", "rect", "triangle", "diamond"];
    option.series = spec.series.map(function (s, i) {
      return { type: "line", name: s.name, data: s.data, symbol: symbols[i % symbols.length], symbolSize: 7,
               lineStyle: { type: i ? "dashed" : "solid", width: 2 } };
    });
    return option;
  }

  function pie(spec) {
    var option = base(spec);
    option.legend = { top: 30, left: 0 };
    option.series = [{
      type: "pie", name: spec.series[0].name, radius: ["28%", "56%"], center: ["50%", "60%"],
      data: spec.categories.map(function (name, i) { return { name: name, value: spec.series[0].data[i] }; }),
      label: { formatter: "{b}：{c}" }
    }];
    return option;
  }

  function optionFor(spec) {
    switch (spec.kind) {
      case "rank": return rank(spec);
      case "stack": return bars(spec, true, spec.categories.length > 8);
      case "line": return line(spec);
      case "pie": return pie(spec);
      default: return bars(spec, false, spec.categories.length > 8);
    }
  }

  function height(spec) {
    var rows = spec.categories.length;
    if (spec.kind === "rank" || ((spec.kind === "bar" || spec.kind === "stack") && rows > 8)) {
      return Math.max(160, 40 + rows * 24 * (spec.kind === "rank" ? 1 : Math.max(1, spec.series.length * 0.6)));
    }
    return 280;
  }

  function draw() {
    var source = document.getElementById("overview-charts");
    if (!source || !window.echarts) { return; }
    var specs = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var spec = specs[element.dataset.chart];
      if (!spec) { return; }
      element.style.height = height(spec) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas", devicePixelRatio: PRINT ? 2 : undefined });
      chart.setOption(optionFor(spec));
      if (spec.links && spec.links.length) {
        chart.on("click", function (params) {
          var url = spec.links[params.dataIndex];
          if (url) { window.location.assign(url); }
        });
      }
      element.classList.add("sz-drawn");
      // "settled": the bars have grown to their length (the first animation ended); a click lands where it is aimed.
      chart.on("finished", function () { element.classList.add("sz-settled"); });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(); printButtons(); });
}());
