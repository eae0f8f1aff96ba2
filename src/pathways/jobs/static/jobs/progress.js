// Progressive enhancement of the job page: poll the job's progress and move the bar without reloading.
// Without JavaScript the page refreshes itself instead (a meta refresh inside <noscript>).

const POLL_MS = 1000;
const RETRY_MS = 3000;
const ANIMATION_MS = 600;
const TAG_CLASSES = {
  queued: "govuk-tag--grey",
  running: "govuk-tag--light-blue",
  succeeded: "govuk-tag--green",
  failed: "govuk-tag--red",
};
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const numbers = new Intl.NumberFormat("en-GB");

function animateTo(bar, target) {
  const start = bar.hasAttribute("value") ? bar.value : 0;
  if (reduceMotion || target <= start) {
    bar.value = target;
    return;
  }
  const began = performance.now();
  const step = (now) => {
    const t = Math.min(1, (now - began) / ANIMATION_MS);
    bar.value = start + (target - start) * t;
    if (t < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

function show(root, job) {
  const bar = root.querySelector("progress");
  const count = root.querySelector("[data-job-count]");
  const message = root.querySelector("[data-job-message]");
  const tag = document.querySelector("[data-job-status]");
  if (job.total) {
    bar.max = job.total;
    animateTo(bar, job.done);
    bar.textContent = `${job.percent}%`;
  }
  if (job.total !== null) {
    count.textContent = `${numbers.format(job.done)} of ${numbers.format(job.total)}`;
  }
  if (message.textContent !== job.message) message.textContent = job.message;
  if (tag) {
    tag.textContent = job.status_label;
    tag.classList.remove(...Object.values(TAG_CLASSES));
    tag.classList.add(TAG_CLASSES[job.status]);
  }
}

function watch(root) {
  const url = root.dataset.jobProgress;
  const poll = async () => {
    let job;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status}`);
      job = await response.json();
    } catch {
      // The server could not answer this time: reload, as the page would without JavaScript.
      setTimeout(() => window.location.reload(), RETRY_MS);
      return;
    }
    show(root, job);
    if (job.finished) {
      // The finished page shows the outcome and the link to the result.
      setTimeout(() => window.location.reload(), reduceMotion ? 0 : ANIMATION_MS);
    } else {
      setTimeout(poll, POLL_MS);
    }
  };
  setTimeout(poll, POLL_MS);
}

const root = document.querySelector("[data-job-progress]");
if (root) watch(root);
