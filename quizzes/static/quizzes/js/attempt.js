// The attempt page, enhanced: autosave each answer as it is chosen and each flag as it is set, keep
// the count and the question navigator up to date, count down to the deadline and submit there, and
// ask before leaving with unsaved answers. The page works without this script (the flags and answers
// are then posted with the form); the server enforces the deadline either way.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var flagUrl = form.getAttribute("data-flag-url");
  var navigator = document.getElementById("question-navigator");
  var saveStatus = document.getElementById("save-status");
  var countText = document.getElementById("answered-count");
  var countBar = document.getElementById("answered-bar");
  var pending = {};   // question id -> true while its latest change is not saved
  var inFlight = 0;
  var submitting = false;

  function questionsOf() { return form.querySelectorAll("fieldset[data-question-id]"); }

  function selectedIds(fieldset) {
    var ids = [];
    var field = "question-" + fieldset.getAttribute("data-question-id");
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      if (input.name === field) ids.push(parseInt(input.value, 10));
    });
    return ids;
  }

  function navigatorEntry(questionId) {
    return navigator ? navigator.querySelector('[data-navigator-for="' + questionId + '"]') : null;
  }

  // The navigator lists every question of the attempt, also those on other pages: it is what counts.
  function updateNavigator(fieldset) {
    var entry = navigatorEntry(fieldset.getAttribute("data-question-id"));
    if (!entry) return;
    var flag = fieldset.querySelector("input.flag-input");
    entry.classList.toggle("is-answered", selectedIds(fieldset).length > 0);
    entry.classList.toggle("is-flagged", Boolean(flag && flag.checked));
    var state = entry.querySelector(".navigator-state");
    var words = [navigator.getAttribute(entry.classList.contains("is-answered") ? "data-answered" : "data-unanswered")];
    if (entry.classList.contains("is-flagged")) words.push(navigator.getAttribute("data-flagged"));
    if (state) state.textContent = ", " + words.join(", ");
  }

  function updateCount() {
    var total, answered = 0;
    if (navigator) {
      var entries = navigator.querySelectorAll("[data-navigator-for]");
      total = entries.length;
      entries.forEach(function (entry) { if (entry.classList.contains("is-answered")) answered += 1; });
    } else {
      var fieldsets = questionsOf();
      total = fieldsets.length;
      fieldsets.forEach(function (fieldset) { if (selectedIds(fieldset).length) answered += 1; });
    }
    countText.textContent = countText.getAttribute("data-template")
      .replace("{answered}", answered).replace("{total}", total);
    if (countBar) countBar.value = answered;
  }

  function hasUnsaved() { return Object.keys(pending).length > 0 || inFlight > 0; }

  function showStatus(kind) { saveStatus.textContent = saveStatus.getAttribute("data-" + kind) || ""; }

  function save(fieldset) {
    var questionId = fieldset.getAttribute("data-question-id");
    var choices = selectedIds(fieldset);
    pending[questionId] = choices;
    inFlight += 1;
    showStatus("saving");
    fetch(autosaveUrl.replace("{question}", questionId), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ choices: choices })
    }).then(function (response) {
      inFlight -= 1;
      if (response.ok) {
        // Only clear if no newer change was made to this question meanwhile.
        if (JSON.stringify(pending[questionId]) === JSON.stringify(choices)) delete pending[questionId];
        if (!hasUnsaved()) showStatus("saved");
      } else if (response.status === 409) {
        // Closed or past the deadline: the server has scored it; show the result.
        window.removeEventListener("beforeunload", warnBeforeLeaving);
        window.location.reload();
      } else {
        showStatus("failed");
      }
    }).catch(function () {
      inFlight -= 1;
      showStatus("failed");
    });
  }

  function saveFlag(fieldset, flag) {
    var questionId = fieldset.getAttribute("data-question-id");
    fetch(flagUrl.replace("{question}", questionId), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ flagged: flag.checked })
    }).then(function (response) {
      if (response.status === 409) {
        window.removeEventListener("beforeunload", warnBeforeLeaving);
        window.location.reload();
      } else if (!response.ok) {
        showStatus("flag-failed");
      }
    }).catch(function () { showStatus("flag-failed"); });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question-id]");
    if (!fieldset) return;
    updateNavigator(fieldset);
    if (event.target.classList.contains("flag-input")) {
      saveFlag(fieldset, event.target);
      return;
    }
    updateCount();
    save(fieldset);
  });

  // Check buttons (immediate and interactive feedback): check through the API, then show the
  // question as the server renders it now (its review, or the hint and the tries left), in place.
  // Anything but a check the server took falls back to posting the form, which works without this.
  var checkUrl = form.getAttribute("data-check-url");
  function replaceQuestion(questionId, fallback) {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("page " + response.status);
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("question-" + questionId);
        var current = document.getElementById("question-" + questionId);
        if (!fresh || !current) throw new Error("no question " + questionId);
        current.replaceWith(document.importNode(fresh, true));
        updateCount();
        var check = document.getElementById("question-" + questionId + "-check");
        if (check) {
          check.setAttribute("tabindex", "-1");
          check.focus();
        }
      }).catch(fallback);
  }
  if (checkUrl) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-check-question]");
      if (!button || submitting) return;
      event.preventDefault();
      var questionId = button.getAttribute("data-check-question");
      var fieldset = document.getElementById("question-" + questionId);
      var choices = selectedIds(fieldset);
      var postForm = function () {
        // A disabled button's name and value would not be posted, and the server would only save.
        button.disabled = false;
        submitting = true;
        if (form.requestSubmit && form.contains(button)) {
          form.requestSubmit(button);
        } else {
          window.location.reload();
        }
      };
      button.disabled = true;
      fetch(checkUrl.replace("{question}", questionId), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ choices: choices })
      }).then(function (response) {
        if (response.ok) {
          // The check saved this selection too.
          if (JSON.stringify(pending[questionId] || choices) === JSON.stringify(choices)) delete pending[questionId];
          return replaceQuestion(questionId, postForm);
        }
        // Refused (nothing selected, already locked, closed): the page says why, as without JavaScript.
        postForm();
        return undefined;
      }).catch(postForm);
    });
  }

  function warnBeforeLeaving(event) {
    if (submitting || !hasUnsaved()) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  }
  window.addEventListener("beforeunload", warnBeforeLeaving);
  form.addEventListener("submit", function () { submitting = true; });

  // Countdown: the server rendered the seconds left, so the client's clock does not matter.
  var countdown = document.getElementById("countdown");
  if (countdown) {
    var endsAt = Date.now() + parseFloat(countdown.getAttribute("data-seconds-left")) * 1000;
    var timeLeft = countdown.parentNode;
    var format = function (seconds) {
      var hours = Math.floor(seconds / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      var rest = seconds % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      return hours ? hours + ":" + pad(minutes) + ":" + pad(rest) : minutes + ":" + pad(rest);
    };
    var submitAtDeadline = function () {
      submitting = true;
      countdown.textContent = countdown.getAttribute("data-expired-text");
      [["action", "submit"], ["confirm_incomplete", "1"]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      form.submit();
    };
    var tick = function () {
      var remaining = endsAt - Date.now();
      var seconds = Math.max(0, Math.ceil(remaining / 1000));
      countdown.textContent = format(seconds);
      if (seconds <= 60 && !timeLeft.classList.contains("is-urgent")) {
        timeLeft.classList.add("is-urgent");
        // Screen readers do not follow the ticking clock; say once that time is nearly up.
        var warning = document.getElementById("time-warning");
        if (warning && remaining > 5000) warning.textContent = warning.getAttribute("data-one-minute");
      }
      if (remaining <= 0) {
        clearInterval(timer);
        submitAtDeadline();
      }
    };
    // Tick often enough that the submit goes out within a quarter second of the deadline.
    var timer = setInterval(tick, 250);
    tick();
  }
})();
