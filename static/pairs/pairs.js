// Warns before the 30-minute idle sign-out and lets the person stay signed in.
// Progressive enhancement: without JavaScript the session still ends, just without the warning.
const warning = document.getElementById("session-warning");

if (warning) {
  const timeoutMs = Number(warning.dataset.timeoutSeconds) * 1000;
  const warningMs = Number(warning.dataset.warningSeconds) * 1000;
  const remaining = document.getElementById("session-warning-remaining");
  const form = document.getElementById("session-keep-alive-form");
  let expiresAt = Date.now() + timeoutMs;
  let ticker = null;

  const describe = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return seconds >= 60 ? `${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}` : `${seconds} seconds`;
  };

  const tick = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      window.location.assign(`${warning.dataset.loginUrl}?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    if (left <= warningMs) {
      if (warning.hidden) {
        warning.hidden = false;
        document.getElementById("session-warning-title").focus();
      }
      remaining.textContent = describe(left);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (response.ok) {
      expiresAt = Date.now() + timeoutMs;
      warning.hidden = true;
    }
  });

  ticker = window.setInterval(tick, 1000);
  window.addEventListener("pagehide", () => window.clearInterval(ticker));
}
