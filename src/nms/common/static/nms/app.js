// Behaviour the pages declare with data attributes: the Content-Security-Policy allows no inline
// scripts, event handlers or style attributes (settings.CONTENT_SECURITY_POLICY).
(function () {
  "use strict";

  // <form data-confirm="Удалить …?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <form data-base="/path/" data-keep-query>: posts to its base address with the page's current
  // query (the filters of a list change the address without a reload).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.base && form.hasAttribute("data-keep-query")) {
      form.action = form.dataset.base + window.location.search;
    }
  });

  // <form data-snils-post="/path/" data-csrf="…">: a search (?q=) that looks like a СНИЛС — 11
  // digits with or without separators — is posted to that address instead of being put into one
  // (the browser history, the access logs); the server keeps it under a short key (?sk=).
  function looksLikeSnils(value) {
    value = (value || "").trim();
    return /^[\d\s-]+$/.test(value) && value.replace(/\D/g, "").length === 11;
  }
  function snilsSearch(form) {
    if (!form || !form.matches || !form.matches("form[data-snils-post]")) return false;
    var q = form.elements.namedItem("q");
    return Boolean(q && looksLikeSnils(q.value));
  }
  function postSearch(form) {
    var post = document.createElement("form");
    post.method = "post";
    post.action = form.dataset.snilsPost;
    post.hidden = true;
    function add(name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      post.appendChild(input);
    }
    add("csrfmiddlewaretoken", form.dataset.csrf || "");
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") add(name, value);
    });
    document.body.appendChild(post);
    post.submit();
  }
  document.addEventListener("submit", function (event) {
    if (!snilsSearch(event.target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    postSearch(event.target);
  }, true);
  // The same form's htmx searches (as the text is typed): no GET with it, the POST instead.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail && event.detail.elt;
    if (!snilsSearch(form)) return;
    event.preventDefault();
    postSearch(form);
  });

  // <input type="checkbox" data-select-all="selector">: checks or clears every box it names.
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.dataset || !all.dataset.selectAll) return;
    document.querySelectorAll(all.dataset.selectAll).forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // <a data-back>: back to the previous page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-back]");
    if (!link) return;
    event.preventDefault();
    window.history.back();
  });

  // data-style="background: rgb(…)": computed colours (the heat maps) set through the CSS object
  // model, which the policy allows, unlike a style attribute.
  function applyStyles(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll("[data-style]") : [];
    Array.prototype.forEach.call(elements, function (element) {
      element.getAttribute("data-style").split(";").forEach(function (declaration) {
        var colon = declaration.indexOf(":");
        if (colon > 0) {
          element.style.setProperty(
            declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim()
          );
        }
      });
    });
  }

  // The item form: only the fields the chosen kind of item uses (rows with data-kinds).
  function showKindFields(root) {
    var kind = document.getElementById("id_kind");
    var form = document.getElementById("item-form");
    if (!kind || !form || (root !== document && !root.contains(form))) return;
    function update() {
      form.querySelectorAll("[data-kinds]").forEach(function (row) {
        row.style.display = row.dataset.kinds.split(" ").indexOf(kind.value) < 0 ? "none" : "";
      });
    }
    if (!kind.dataset.kindsBound) {
      kind.dataset.kindsBound = "1";
      kind.addEventListener("change", update);
    }
    update();
  }

  function init(root) {
    applyStyles(root);
    showKindFields(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  // Content htmx puts into the page.
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
