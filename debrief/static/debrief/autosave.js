// Autosave for the reflection page. The page works without this file (Save buttons post the
// whole form); with it, changed fields are sent a couple of seconds after typing stops, when a
// field loses focus and when the tab is hidden or closed. Nothing is kept in browser storage.
// Each field travels with "base:<name>", the hash of the value this page last knew was stored:
// the server refuses a save over a change made in another window and returns both versions.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;

  var DEBOUNCE_MS = 2000;
  var MAX_RETRY_MS = 30000;
  var stateEl = document.getElementById("save-state");
  var badgeEl = document.getElementById("reflection-status");
  var dirty = new Set();
  var newActionDirty = new Set();
  var inConflict = new Set();
  var debounceTimer = null;
  var retryTimer = null;
  var retryDelay = 0;
  var inFlight = false;
  var again = false;
  var againNewActions = false;
  var submitting = false;

  // The save state shows at the top (announced) and in the sticky bar (seen while writing).
  var mirrors = document.querySelectorAll("[data-save-state]");
  var savedAt = "";

  function say(text, kind) {
    var els = [stateEl].concat(Array.prototype.slice.call(mirrors));
    els.forEach(function (el) {
      if (!el) return;
      el.textContent = text;
      el.className = "save-state" + (kind ? " save-" + kind : "");
    });
  }

  // 24-hour, like every other time in Debrief: the server's time of the save if it sent one.
  function now() {
    if (savedAt) return savedAt;
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function showProgress(text) {
    var els = document.querySelectorAll("[data-progress]");
    for (var i = 0; i < els.length; i++) els[i].textContent = text;
  }

  function baseInput(name) {
    var all = form.querySelectorAll('input[type="hidden"]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].name === "base:" + name) return all[i];
    }
    return null;
  }

  // Tick boxes (a multiple choice, a technique used) share their name with a blank hidden
  // input: their value is the ticked values, one per line.
  function ticked(list) {
    var values = [];
    var boxes = false;
    for (var i = 0; i < list.length; i++) {
      if (list[i].type !== "checkbox") continue;
      boxes = true;
      if (list[i].checked) values.push(list[i].value);
    }
    return boxes ? values.join("\n") : null;
  }

  function valueOf(name) {
    var el = form.elements.namedItem(name);
    if (el instanceof RadioNodeList) {
      var boxes = ticked(el);
      if (boxes !== null) return boxes;
    }
    return el ? el.value : null;
  }

  function setValue(name, value) {
    var el = form.elements.namedItem(name);
    if (!el) return;
    if (el instanceof RadioNodeList) {
      var chosen = value.split("\n");
      for (var i = 0; i < el.length; i++) {
        if (el[i].type === "checkbox") el[i].checked = chosen.indexOf(el[i].value) !== -1;
        else if (el[i].type === "radio") el[i].checked = el[i].value === value;
      }
    } else {
      el.value = value;
    }
  }

  function fieldBox(name) {
    var el = form.elements.namedItem(name);
    if (el instanceof RadioNodeList) el = el[el.length - 1];
    return el ? el.closest(".prompt, .action-row, .action-new") : null;
  }

  function isNewAction(name) {
    return name.indexOf("new-") === 0;
  }

  function markDirty(target) {
    if (!target.name || target.name.indexOf("base:") === 0 || target.name === "op") return;
    if (target.name === "csrfmiddlewaretoken") return;
    if (isNewAction(target.name)) {
      newActionDirty.add(target.name.replace(/-(text|due)$/, ""));
      return;
    }
    if (inConflict.has(target.name)) return; // waits for the coach's choice
    dirty.add(target.name);
    say("Unsaved changes…", "pending");
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(save, DEBOUNCE_MS);
  }

  function buildBody(includeNewActions) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", valueOf("csrfmiddlewaretoken"));
    var sent = {};
    dirty.forEach(function (name) {
      var value = valueOf(name);
      if (value === null) return;
      var base = baseInput(name);
      body.append(name, value);
      body.append("base:" + name, base ? base.value : "");
      sent[name] = value;
    });
    var prefixes = [];
    if (includeNewActions) {
      newActionDirty.forEach(function (prefix) {
        var text = valueOf(prefix + "-text");
        if (text && text.trim()) {
          body.append(prefix + "-text", text);
          body.append(prefix + "-due", valueOf(prefix + "-due") || "");
          // The box's creation key: a resend of this save (the page closing mid-flight) adds
          // nothing twice. The server's fresh block after the save brings the next key.
          body.append(prefix + "-key", valueOf(prefix + "-key") || "");
          prefixes.push(prefix);
        }
      });
    }
    return { body: body, sent: sent, prefixes: prefixes };
  }

  function showError(name, message) {
    var box = fieldBox(name);
    if (!box) return;
    var p = box.querySelector('.error[data-for="' + name + '"]');
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.setAttribute("data-for", name);
      box.appendChild(p);
    }
    p.textContent = message;
    box.classList.add("has-error");
  }

  function clearError(name) {
    var box = fieldBox(name);
    var p = box && box.querySelector('.error[data-for="' + name + '"]');
    if (p) p.remove();
    if (box && !box.querySelector(".error")) box.classList.remove("has-error");
  }

  // The panel is the server's own conflict template (journal/_conflict.html), the same one a
  // page saved without JavaScript shows; here its two buttons decide.
  function showConflict(c) {
    inConflict.add(c.field);
    dirty.delete(c.field);
    var box = fieldBox(c.field) || form;
    var old = box.querySelector('.conflict[data-for="' + c.field + '"]');
    if (old) old.remove();
    var holder = document.createElement("div");
    holder.innerHTML = c.html;
    var panel = holder.firstElementChild;
    if (!panel) return;
    function settle() {
      var base = baseInput(c.field);
      if (base) base.value = c.theirs_hash;
      inConflict.delete(c.field);
      panel.remove();
      showConflictBanner();
    }
    panel.querySelector('[data-conflict="keep"]').addEventListener("click", function () {
      settle();
      dirty.add(c.field);
      save();
    });
    panel.querySelector('[data-conflict="use"]').addEventListener("click", function () {
      setValue(c.field, c.theirs);
      settle();
      sayAfterSave();
    });
    box.appendChild(panel);
  }

  function replaceActions(html) {
    Object.keys(html).forEach(function (key) {
      var block = document.getElementById("actions-" + key);
      if (!block) return;
      var holder = document.createElement("div");
      holder.innerHTML = html[key];
      var fresh = holder.firstElementChild;
      if (!fresh) return;
      // Keep the keyboard where it was: on the same field, or (after Add) on the empty
      // "new action" box, ready for the next one.
      var active = document.activeElement;
      var hadFocus = active && block.contains(active);
      var focusId = hadFocus && active.id ? active.id : "new-" + key + "-text";
      block.replaceWith(fresh);
      newActionDirty.delete("new-" + key);
      if (hadFocus) {
        var target = document.getElementById(focusId) ||
          document.getElementById("new-" + key + "-text");
        if (target) target.focus();
      }
    });
  }

  function applyResult(data, sent) {
    (data.saved || []).concat(Object.keys(data.hashes || {})).forEach(function (name) {
      clearError(name);
    });
    Object.keys(data.hashes || {}).forEach(function (name) {
      var base = baseInput(name);
      if (base) base.value = data.hashes[name];
      // Typed more while the save was on its way? Then it is still dirty.
      if (name in sent && valueOf(name) === sent[name]) dirty.delete(name);
    });
    Object.keys(data.errors || {}).forEach(function (name) {
      dirty.delete(name);
      showError(name, data.errors[name]);
    });
    (data.conflicts || []).forEach(showConflict);
    if (data.actions_html) replaceActions(data.actions_html);
    if (data.saved_at) savedAt = data.saved_at;
    if (data.progress) showProgress(data.progress);
    if (badgeEl && data.status) {
      badgeEl.textContent = data.status;
      badgeEl.className = "badge badge-" + data.status.toLowerCase();
    }
  }

  // After a save: say what is true now, not just what the last request did.
  function sayAfterSave() {
    if (inConflict.size) {
      var n = inConflict.size;
      say("Saved, except " + n + " answer" + (n === 1 ? "" : "s") + " changed in another " +
        "window: choose a version below.", "error");
      showConflictBanner();
    } else if (dirty.size) {
      say("Unsaved changes…", "pending");
    } else {
      say("Saved at " + now() + ".", "ok");
    }
  }

  function showConflictBanner() {
    var banner = document.getElementById("conflict-banner");
    if (!banner) return;
    banner.textContent = "";
    if (!inConflict.size) {
      banner.hidden = true;
      return;
    }
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(
      "Some answers were changed in another window since you opened this page. Nothing was " +
      "overwritten. "));
    var first = inConflict.values().next().value;
    var target = document.getElementById(first) || fieldBox(first);
    if (target && target.id) {
      var link = document.createElement("a");
      link.href = "#" + target.id;
      link.textContent = "Go to the first one";
      p.appendChild(link);
    }
    banner.appendChild(p);
    banner.hidden = false;
  }

  function scheduleRetry(message) {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, MAX_RETRY_MS);
    say(message + " Retrying in " + Math.round(retryDelay / 1000) + " s. Keep this tab open.", "error");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, retryDelay);
  }

  function save(options) {
    var includeNewActions = options && options.newActions;
    clearTimeout(debounceTimer);
    if (inFlight) {
      again = true;
      againNewActions = againNewActions || !!includeNewActions;
      return;
    }
    var payload = buildBody(includeNewActions);
    if (!Object.keys(payload.sent).length && !payload.prefixes.length) return;
    inFlight = true;
    say("Saving…", "pending");
    fetch(form.action, {
      method: "POST",
      body: payload.body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (res) {
        var type = res.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          var err = new Error(res.redirected ? "signed-out" : "http-" + res.status);
          throw err;
        }
        return res.json().then(function (data) {
          return { status: res.status, data: data };
        });
      })
      .then(function (r) {
        retryDelay = 0;
        applyResult(r.data, payload.sent);
        if (r.status === 400) {
          say("Some changes were not saved: see the message under the answer.", "error");
        } else {
          sayAfterSave();
        }
      })
      .catch(function (err) {
        if (err && err.message === "http-404") {
          say("Not saved: this session no longer exists (it may have been deleted in another " +
            "window). Copy any text you want to keep.", "error");
          return;
        }
        var message = err && err.message;
        if (message === "signed-out" || message === "http-403") {
          scheduleRetry("Not saved: you seem to be signed out. Sign in again in another tab; " +
            "your text is still here.");
        } else if (message && message.indexOf("http-5") === 0) {
          scheduleRetry("Not saved yet: Debrief had a problem saving on the server.");
        } else {
          scheduleRetry("Not saved yet: Debrief cannot be reached.");
        }
      })
      .finally(function () {
        inFlight = false;
        if (again) {
          var withNew = againNewActions;
          again = false;
          againNewActions = false;
          save({ newActions: withNew });
        }
      });
  }

  function flushOnLeave() {
    if (submitting) return;
    var payload = buildBody(true);
    if (!Object.keys(payload.sent).length && !payload.prefixes.length) return;
    // keepalive lets the request finish after the tab has gone.
    fetch(form.action, {
      method: "POST",
      body: payload.body,
      credentials: "same-origin",
      keepalive: true,
      headers: { Accept: "application/json" },
    }).catch(function () {});
  }

  form.addEventListener("input", function (e) { markDirty(e.target); });
  // Text fields report every keystroke through "input"; "change" is for the controls that
  // have no typing (radios, selects, dates), so leaving a text field does not save twice.
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type === "text")) return;
    markDirty(t);
  });
  form.addEventListener("focusout", function (e) {
    var t = e.target;
    if (!t.name) return;
    if (isNewAction(t.name)) {
      var row = t.closest(".action-new");
      if (row && !(e.relatedTarget && row.contains(e.relatedTarget))) save({ newActions: true });
      return;
    }
    if (dirty.size) save();
  });
  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || t.tagName !== "INPUT" || t.type === "submit") return;
    e.preventDefault(); // Enter saves in place instead of reloading the page
    save({ newActions: isNewAction(t.name) });
  });
  form.addEventListener("click", function (e) {
    var button = e.target.closest("button[name=op]");
    if (button && button.value.indexOf("add-") === 0) {
      e.preventDefault();
      save({ newActions: true });
    }
  });
  form.addEventListener("submit", function () { submitting = true; });
  // Where scroll-padding is not applied to focus (WCAG 2.4.11), lift the field above the bar.
  var bar = form.querySelector(".form-actions-sticky");
  form.addEventListener("focusin", function (e) {
    if (!bar || bar.contains(e.target) || getComputedStyle(bar).position !== "sticky") return;
    var field = e.target.getBoundingClientRect();
    var top = bar.getBoundingClientRect().top;
    if (field.bottom > top - 8) window.scrollBy(0, field.bottom - top + 16);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushOnLeave();
  });
  window.addEventListener("pagehide", flushOnLeave);
  window.addEventListener("beforeunload", function (e) {
    if (!submitting && (dirty.size || inFlight)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  // What was typed before this script ran (it comes after the page, and a slow connection or
  // a busy machine can leave a coach writing for a moment without it), or put back by the
  // browser, differs from the value the page was served with: it is a change like any other.
  function changedSinceServed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      var options = Array.prototype.slice.call(el.options);
      if (el.multiple) return options.some(function (o) { return o.selected !== o.defaultSelected; });
      var served = options.findIndex(function (o) { return o.defaultSelected; });
      return el.selectedIndex !== (served === -1 ? 0 : served);
    }
    if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text")) {
      return el.value !== el.defaultValue;
    }
    // A date or number the browser could not read as served shows empty: not the coach's
    // change, and saving it would wipe the stored one.
    if (el.tagName === "INPUT" && (el.type === "date" || el.type === "number")) {
      return el.value !== el.defaultValue && el.value !== "";
    }
    return false;
  }

  say("Changes save automatically as you write.", "");
  Array.prototype.forEach.call(form.elements, function (el) {
    if (changedSinceServed(el)) markDirty(el);
  });
})();
