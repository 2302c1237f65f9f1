// Dashboard charts: each canvas[data-chart] draws the table named by its data-table attribute.
// The table is the source (row headers give the labels, columns marked data-series the
// datasets, cells their data-value), so the chart, the table and its CSV never disagree.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var SERIES_COLOURS = ["#0b5d32", "#c98a00", "#2f6db5", "#8c3b8f"];

  function readTable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    var unitColumn = -1;
    headers.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) { series.push({ index: index, label: th.textContent.trim(), data: [] }); }
      if (th.hasAttribute("data-label-unit")) { unitColumn = index; }
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.children;
      if (cells.length !== headers.length) { return; }  // the "nothing to show" row
      var label = cells[0].textContent.trim();
      if (unitColumn >= 0) { label += " (" + cells[unitColumn].textContent.trim() + ")"; }
      labels.push(label);
      series.forEach(function (s) {
        var raw = cells[s.index].getAttribute("data-value");
        s.data.push(raw === null || raw === "" ? null : Number(raw));
      });
    });
    return { labels: labels, series: series };
  }

  // A logarithmic axis labels only 1, 10, 100, ... so its labels do not run into each other.
  function powersOfTen(value) {
    var power = Math.log10(value);
    return Math.abs(power - Math.round(power)) < 1e-9 ? Number(value).toLocaleString() : "";
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute("data-table"));
    if (!table) { return; }
    var kind = canvas.getAttribute("data-chart");
    var read = readTable(table);
    var line = kind === "line";
    var datasets = read.series.map(function (s, i) {
      var colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
      return {
        label: s.label,
        data: s.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        tension: 0,
        spanGaps: true
      };
    });
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    if (canvas.getAttribute("data-scale") === "logarithmic") {
      valueAxis = { type: "logarithmic", ticks: { callback: powersOfTen } };
    }
    var axisTitle = canvas.getAttribute("data-axis");
    if (axisTitle) { valueAxis.title = { display: true, text: axisTitle }; }
    var funnel = kind === "funnel";
    var scales = funnel ? { x: valueAxis } : { y: valueAxis };
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: read.labels, datasets: datasets },
      options: {
        indexAxis: funnel ? "y" : "x",
        maintainAspectRatio: false,
        responsive: true,
        animation: false,
        scales: scales,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
