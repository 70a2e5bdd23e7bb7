// The home page's charts (nms.dashboard): every <canvas data-chart="id"> is drawn by Chart.js
// (served by us, static/vendor/chartjs) from the JSON the page carries in
// <script type="application/json" id="id"> — no inline script (Content-Security-Policy).
// The same numbers are in the table under each chart, each a link to the rows it counts.
(function () {
  "use strict";

  var COLORS = ["#1f5fa8", "#e0a526", "#1d7a3a", "#b3261e", "#7b4fa0", "#2a9d8f", "#8a5a00",
                "#5f6b7a", "#d1495b", "#00798c"];

  function numberRu(value) {
    return Number(value).toLocaleString("ru-RU");
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var round = data.type === "doughnut";
    var datasets = data.datasets.map(function (set, i) {
      var color = round ? data.labels.map(function (_, j) { return COLORS[j % COLORS.length]; })
                        : COLORS[i % COLORS.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: color,
        borderColor: round ? "#fff" : color,
        tension: 0,
        fill: false
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
        plugins: {
          legend: { position: "bottom", display: round || datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + numberRu(ctx.parsed.y !== undefined && !round ? ctx.parsed.y : ctx.parsed);
              }
            }
          }
        },
        scales: round ? {} : {
          x: { ticks: { autoSkip: true, maxRotation: 45 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
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
