// The monitoring charts: every <canvas data-chart="id"> is drawn by Chart.js (served by us,
// static/vendor/chartjs) from <script type="application/json" id="id"> — no inline script
// (Content-Security-Policy). Datasets may mix bars with a line (the target).
(function () {
  "use strict";

  var COLORS = ["#1f5fa8", "#b3261e", "#1d7a3a", "#e0a526", "#7b4fa0"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var datasets = data.datasets.map(function (set, i) {
      var color = COLORS[i % COLORS.length];
      var line = set.type === "line";
      return {
        label: set.label,
        type: set.type || data.type,
        data: set.data,
        backgroundColor: color,
        borderColor: color,
        borderDash: line && i > 0 ? [6, 4] : [],
        pointRadius: line ? 2 : 0,
        tension: 0,
        fill: false,
        spanGaps: true
      };
    });
    new window.Chart(canvas, {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "ru-RU",
        plugins: { legend: { position: "bottom" } },
        scales: { x: { ticks: { autoSkip: true, maxRotation: 45 } }, y: { beginAtZero: true } }
      }
    });
  }

  function start() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      draw(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
