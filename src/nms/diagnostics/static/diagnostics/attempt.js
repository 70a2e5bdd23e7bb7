// Online testing: each answer is saved as soon as it changes; an answer that could not be sent
// (no connection) is sent again until it is saved. The countdown starts from the seconds left
// by the server's deadline; the server refuses answers after it whatever this page shows.
// «Отвечено N из M» and the links to the unanswered items follow the answers as they are given;
// the submission's confirmation names the unanswered items (the server asks the same without
// JavaScript: `confirmed` is sent only once the person has agreed here).
(function () {
  "use strict";
  const sheet = document.getElementById("answer-sheet");
  if (!sheet) return;
  const RETRY_MS = 5000;
  const TYPING_MS = 700;
  // Saves go one at a time, in the order given: one person never has two answers in flight.
  let queue = Promise.resolve();
  const unsaved = new Set(); // forms whose latest answer the server has not confirmed
  const typing = new Map(); // form -> timer of a text answer being typed
  let closed = false;
  let retryTimer = null;

  function showStatus(form, html, state) {
    const box = form.querySelector(".save-status");
    box.innerHTML = html;
    box.className = "save-status " + (state === "error" ? "field-error" : "muted");
  }

  function close(html) {
    closed = true;
    sheet.querySelectorAll("input, select, textarea").forEach((el) => (el.disabled = true));
    const banner = document.getElementById("time-over");
    if (html) banner.innerHTML = html;
    banner.hidden = false;
  }

  async function send(form) {
    if (closed) return;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
    } catch (error) {
      showStatus(form, "Нет связи с сервером: ответ будет отправлен повторно.", "error");
      scheduleRetry();
      return;
    }
    const html = await response.text();
    if (response.ok) {
      unsaved.delete(form);
      showStatus(form, html, "ok");
      return;
    }
    unsaved.delete(form);
    showStatus(form, html, "error");
    if (response.status === 409) close(html);
  }

  function save(form) {
    unsaved.add(form);
    showStatus(form, "Сохранение…", "ok");
    queue = queue.then(() => send(form));
    return queue;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      unsaved.forEach((form) => save(form));
    }, RETRY_MS);
  }

  function flushTyping() {
    typing.forEach((timer, form) => {
      clearTimeout(timer);
      save(form);
    });
    typing.clear();
  }

  // An item is answered when something is chosen or typed (as the server keeps it: an item
  // cleared again has no response).
  function isAnswered(form) {
    return Array.from(form.querySelectorAll("input[name=value], select[name=value]")).some((el) =>
      el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "",
    );
  }

  function unansweredForms() {
    return Array.from(sheet.querySelectorAll("form.question")).filter((form) => !isAnswered(form));
  }

  function unansweredText(forms) {
    const listed = forms.map((form) => form.dataset.position).join(", ");
    return (forms.length === 1 ? "Не отвечено задание " : "Не отвечены задания ") + listed + ".";
  }

  const progress = document.getElementById("attempt-progress");
  function showProgress() {
    if (!progress) return;
    const missing = unansweredForms();
    const total = sheet.querySelectorAll("form.question").length;
    document.getElementById("answered-count").textContent = String(total - missing.length);
    const links = document.getElementById("unanswered-links");
    links.replaceChildren();
    missing.forEach((form, index) => {
      if (index) links.append(", ");
      const link = document.createElement("a");
      link.href = "#" + form.id;
      link.textContent = form.dataset.position;
      links.append(link);
    });
    document.getElementById("unanswered").hidden = missing.length === 0;
  }
  sheet.addEventListener("change", showProgress);
  sheet.addEventListener("input", showProgress);

  sheet.addEventListener("change", (event) => {
    const form = event.target.closest("form");
    if (!form) return;
    clearTimeout(typing.get(form));
    typing.delete(form);
    save(form);
  });
  sheet.addEventListener("input", (event) => {
    if (event.target.type !== "text") return;
    const form = event.target.closest("form");
    clearTimeout(typing.get(form));
    typing.set(
      form,
      setTimeout(() => {
        typing.delete(form);
        save(form);
      }, TYPING_MS),
    );
  });
  window.addEventListener("online", () => unsaved.forEach((form) => save(form)));
  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size || typing.size) event.preventDefault();
  });

  const submitForm = document.getElementById("submit-form");
  submitForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = unansweredForms();
    const question = submitForm.dataset.confirmText;
    if (!window.confirm(missing.length ? unansweredText(missing) + " " + question : question)) {
      return;
    }
    submitForm.elements.namedItem("confirmed").value = "1";
    flushTyping();
    await queue;
    if (unsaved.size && !closed) {
      window.alert("Не все ответы сохранены: проверьте связь с интернетом и повторите.");
      return;
    }
    submitForm.submit();
  });

  const countdown = document.getElementById("countdown");
  if (countdown) {
    const end = Date.now() + Number(countdown.dataset.remaining) * 1000;
    const pad = (n) => String(n).padStart(2, "0");
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const hours = Math.floor(left / 3600);
      const minutes = Math.floor((left % 3600) / 60);
      countdown.textContent =
        (hours ? hours + ":" + pad(minutes) : minutes) + ":" + pad(left % 60);
      if (left === 0) {
        clearInterval(timer);
        flushTyping();
        queue.then(() => closed || close());
      }
    };
    const timer = setInterval(tick, 1000);
    tick();
  }
})();
