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

  // Wide tables scroll inside their box (nms.css .table-box), not the page: a table.table that a
  // template did not wrap is wrapped here.
  function boxTables(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table.table") : [];
    Array.prototype.forEach.call(tables, function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-box") || parent.classList.contains("scroll-x")) return;
      var box = document.createElement("div");
      box.className = "table-box";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  // The header's «Меню» (a <details>, base.html): Escape folds it back, the focus on its button.
  // A browser that cannot show the sections of a folded menu on a wide screen (no
  // ::details-content) gets it unfolded there.
  function headerMenu() {
    var menu = document.getElementById("menu");
    if (!menu) return;
    var wide = window.matchMedia("(min-width: 900px)");
    var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    if (!styled && wide.matches) menu.open = true;
    menu.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.open || wide.matches) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }

  // A box that scrolls sideways (a table wider than a phone) is reached by the keyboard too: it
  // gets the focus (tabindex) and a name for screen readers — only while it does scroll.
  var SCROLL_BOXES = ".table-box, .scroll-x, .table-wrap";
  function boxName(box) {
    var caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = box; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName) || prev.tagName === "FIGCAPTION") {
          return prev.textContent.trim();
        }
      }
    }
    return "";
  }
  function markScrollable() {
    document.querySelectorAll(SCROLL_BOXES).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var name = boxName(box);
        box.setAttribute("aria-label", "Таблица" + (name ? ": " + name : "") + " (прокручивается)");
        box.dataset.scrollMarked = "1";
      } else if (!scrolls && box.dataset.scrollMarked) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollMarked;
      }
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollable, 150);
  });

  // Searchable selects: a single <select> with many options (or data-searchable) gets a text box
  // that narrows its options as one types (every word must occur; ё is е), arrows and Enter to
  // choose, Escape to leave it as it was. The <select> stays in the form (hidden) and gets the
  // value, with a "change" event as if chosen in it.
  var SEARCHABLE_FROM = 20;
  var SHOWN = 50;
  var counter = 0;
  function normalise(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }
  function searchable(select) {
    return !select.multiple && !select.dataset.searchBound &&
      (select.hasAttribute("data-searchable") || select.options.length >= SEARCHABLE_FROM);
  }
  function makeSearchable(select) {
    select.dataset.searchBound = "1";
    counter += 1;
    var box = document.createElement("div");
    box.className = "autocomplete";
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.id = (select.id || "select-" + counter) + "_search";
    var empty = select.querySelector('option[value=""]');
    var emptyText = empty && !/^-+$/.test(empty.text.trim()) ? empty.text.trim() + " · " : "";
    input.placeholder = emptyText + "поиск среди " + (select.options.length - (empty ? 1 : 0));
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.id = input.id + "_list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    // A hidden required <select> would block the form without a word: the server checks it.
    select.required = false;
    select.parentNode.insertBefore(box, select);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(select);
    select.hidden = true;
    select.setAttribute("data-autocomplete-select", "");
    if (select.id) {
      document.querySelectorAll('label[for="' + select.id + '"]').forEach(function (label) {
        label.htmlFor = input.id;
      });
    }
    var options = Array.prototype.map.call(select.options, function (option) {
      return { value: option.value, text: option.text, key: normalise(option.text) };
    });
    var active = -1;
    function currentText() {
      var option = select.options[select.selectedIndex];
      return option && option.value !== "" ? option.text : "";
    }
    input.value = currentText();
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }
    function highlight(index) {
      var items = list.querySelectorAll("li[data-value]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(value) {
      select.value = value;
      input.value = currentText();
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function render() {
      var words = normalise(input.value).split(" ").filter(Boolean);
      var found = options.filter(function (o) {
        return o.value !== "" && words.every(function (w) { return o.key.indexOf(w) >= 0; });
      });
      list.innerHTML = "";
      found.slice(0, SHOWN).forEach(function (o) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.dataset.value = o.value;
        item.textContent = o.text;
        list.appendChild(item);
      });
      if (!found.length || found.length > SHOWN) {
        var note = document.createElement("li");
        note.className = "muted";
        note.textContent = found.length ? "…и ещё " + (found.length - SHOWN) + ": уточните запрос" : "Ничего не найдено";
        list.appendChild(note);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (found.length) highlight(0);
    }
    input.addEventListener("input", render);
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) render();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (list.hidden) return;
        event.preventDefault();
        var items = list.querySelectorAll("li[data-value]");
        if (active >= 0 && items[active]) choose(items[active].dataset.value);
      } else if (event.key === "Escape") {
        event.preventDefault();  // a search box would clear itself
        input.value = currentText();
        close();
      }
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();  // the text box keeps the focus
      var item = event.target.closest("li[data-value]");
      if (item) choose(item.dataset.value);
    });
    input.addEventListener("blur", function () {
      if (!normalise(input.value) && select.querySelector('option[value=""]')) {
        if (select.value !== "") choose("");
      } else {
        input.value = currentText();
      }
      close();
    });
  }
  function searchableSelects(root) {
    var selects = root.querySelectorAll ? root.querySelectorAll("select") : [];
    Array.prototype.forEach.call(selects, function (select) {
      if (searchable(select)) makeSearchable(select);
    });
  }

  // Typography the server did not do (text from data, pages of other templates): «№ 6» and
  // «94,44 %» are never broken across lines (nms.common.text.typography does it on the server).
  var NUMERO = /№\s+(?=\S)/g;
  var PERCENT = /(\d)[ \t\n]+%/g;
  function typography(root) {
    var start = root.nodeType === 1 || root.nodeType === 9 ? root : null;
    if (!start) return;
    var walker = document.createTreeWalker(start, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || /^(SCRIPT|STYLE|TEXTAREA|PRE|CODE)$/.test(parent.nodeName)) {
          return NodeFilter.FILTER_REJECT;
        }
        return /№|%/.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var fixed = node.nodeValue.replace(NUMERO, "№\u00a0").replace(PERCENT, "$1\u00a0%");
      if (fixed !== node.nodeValue) node.nodeValue = fixed;
    });
  }

  function init(root) {
    applyStyles(root);
    showKindFields(root);
    boxTables(root);
    searchableSelects(root);
    markScrollable();
    typography(root === document ? document.body : root);
  }

  function start() {
    headerMenu();
    init(document);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Fonts and pictures may widen a table after the first layout.
  window.addEventListener("load", markScrollable);
  // Content htmx puts into the page.
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
