// Injected by `congkhai serve` only (never in built sites): reloads the page
// after a rebuild and shows the diagnostics of a broken edit in an overlay.
(() => {
  "use strict";
  const overlayId = "congkhai-overlay";
  function hide() {
    document.getElementById(overlayId)?.remove();
  }
  async function check() {
    const status = await (await fetch("/__congkhai/status", { cache: "no-store" })).json();
    if (status.ok) return hide();
    if (!document.querySelector("link[data-congkhai]")) {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/__congkhai/overlay.css";
      css.dataset.congkhai = "";
      document.head.append(css);
    }
    hide();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Lỗi nội dung / content errors");
    const title = document.createElement("h2");
    title.textContent = `congkhai: ${status.errors} lỗi — trang đang hiển thị là bản dựng tốt gần nhất / ${status.errors} errors — showing the last good build`;
    const pre = document.createElement("pre");
    pre.textContent = status.report;
    box.append(title, pre);
    document.body.append(box);
  }
  const events = new EventSource("/__congkhai/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("broken", check);
  check();
})();
