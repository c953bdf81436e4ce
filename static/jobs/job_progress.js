// Asks a job's status every few seconds and shows its page again when the job moves on (started, finished).
// Progressive enhancement: without JavaScript the page offers a link to check again. It stops asking after half an
// hour, the idle sign-out's span, so that an open page does not keep a session alive for ever.
const progress = document.getElementById("job-progress");

if (progress) {
  const openedAt = Date.now();
  const check = async () => {
    try {
      const response = await fetch(progress.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const { status } = await response.json();
        if (status !== progress.dataset.status) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A check that did not get through (the network, a busy database) is simply made again.
    }
    const open = Date.now() - openedAt;
    if (open < 30 * 60 * 1000) {
      window.setTimeout(check, open < 2 * 60 * 1000 ? 2000 : 10000);
    }
  };
  window.setTimeout(check, 2000);
}
