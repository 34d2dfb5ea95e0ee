// 数据驾驶舱: draws the charts from the page's data; a click on a bar opens
// the list behind it. Without JavaScript the page still shows every figure
// and link.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("dashboard-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent);
  function chart(id, option, links) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var c = window.echarts.init(node, null, { renderer: "canvas" });
    c.setOption(option);
    c.on("click", function (p) { var url = links[p.dataIndex]; if (url) { window.location.href = url; } });
    window.addEventListener("resize", function () { c.resize(); });
  }
  var grid = { left: 40, right: 16, top: 36, bottom: 60, containLabel: true };
  chart("chart-months", {
    tooltip: { trigger: "axis" }, legend: { data: ["活动次数", "参学人次"] }, grid: grid,
    xAxis: { type: "category", data: d.months.map(function (m) { return m.label; }) },
    yAxis: [{ type: "value", name: "次" }, { type: "value", name: "人次" }],
    series: [
      { name: "活动次数", type: "bar", data: d.months.map(function (m) { return m.held; }) },
      { name: "参学人次", type: "line", yAxisIndex: 1, data: d.months.map(function (m) { return m.person_times; }) }
    ]
  }, d.months.map(function (m) { return m.link; }));
  var names = d.rows.map(function (b) { return b.name; });
  var rot = { interval: 0, rotate: names.length > 4 ? 30 : 0 };
  chart("chart-compliance", {
    tooltip: {}, grid: grid, xAxis: { type: "category", data: names, axisLabel: rot }, yAxis: { type: "value", max: 100, name: "%" },
    series: [{ name: "达标率", type: "bar", data: d.rows.map(function (b) { return b.compliance < 0 ? null : b.compliance; }) }]
  }, d.rows.map(function (b) { return b.calendar_link; }));
  chart("chart-coverage", {
    tooltip: {}, grid: grid, xAxis: { type: "category", data: names, axisLabel: rot }, yAxis: { type: "value", max: 100, name: "%" },
    series: [{ name: "学习覆盖率", type: "bar", data: d.rows.map(function (b) { return b.coverage < 0 ? null : b.coverage; }) }]
  }, d.rows.map(function (b) { return b.figures_link; }));
});
