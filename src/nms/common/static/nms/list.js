// The filters of a list change the address without a reload (htmx pushes it): the XLSX export
// link takes the current filters when it is clicked, not those the page was loaded with.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("#export-xlsx");
  if (!link) return;
  var query = new URLSearchParams(window.location.search);
  query.delete("page");
  query.set("format", "xlsx");
  link.href = "?" + query;
});
