// Request forms embedded in pages served from the shared page cache carry no
// per-visitor values. This fetches them (CSRF token, fill-time token, submission key)
// when the visitor starts filling the form in, and adds the landing page and UTM
// parameters from the address bar. Without this script (or if the fetch fails) the
// server shows the form again with the visitor's input and fresh tokens, so nothing
// is lost.
(function () {
  "use strict";
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

  function setHidden(form, name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.insertBefore(input, form.firstChild);
    }
    input.value = value;
  }

  function load(form) {
    if (!form.tokensLoading) {
      form.tokensLoading = fetch(form.getAttribute("data-form-tokens-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("form tokens: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          setHidden(form, "csrfmiddlewaretoken", data.csrf_token);
          setHidden(form, "form_token", data.form_token);
          setHidden(form, "submission_key", data.submission_key);
          form.setAttribute("data-form-tokens-ready", "");
        });
    }
    return form.tokensLoading;
  }

  function prepare(form) {
    var params = new URLSearchParams(window.location.search);
    setHidden(form, "landing_page", (window.location.pathname + window.location.search).slice(0, 500));
    UTM.forEach(function (name) {
      if (params.has(name)) {
        setHidden(form, name, params.get(name).slice(0, 200));
      }
    });
    form.addEventListener("focusin", function () {
      load(form).catch(function () {});
    });
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-form-tokens-ready")) {
        return;
      }
      event.preventDefault();
      var send = function () {
        form.submit();
      };
      load(form).then(send, send);
    });
  }

  function init() {
    document.querySelectorAll("form[data-form-tokens-url]").forEach(function (form) {
      if (!form.hasAttribute("data-form-tokens-prepared")) {
        form.setAttribute("data-form-tokens-prepared", "");
        prepare(form);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
