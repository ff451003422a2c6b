// Tiny DOM helpers: build elements without innerHTML (all text goes through textContent).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key in el && !key.startsWith("aria") && key !== "role" && key !== "for" && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// A control that may be unavailable: aria-disabled keeps it focusable so the reason can be read
// on hover and on keyboard focus (its tooltip is also its accessible description).
let whyCounter = 0;
export function actionButton(label, { cls = "button", onClick, kind } = {}) {
  const id = `why-${++whyCounter}`;
  const button = h("button", { type: "button", class: cls, "aria-describedby": id, dataset: kind ? { kind } : {} }, label);
  const why = h("span", { class: "why", id, role: "tooltip" });
  const wrap = h("span", { class: "act" }, button, why);
  button.addEventListener("click", (event) => {
    if (button.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      wrap.classList.add("act--explain");
      setTimeout(() => wrap.classList.remove("act--explain"), 2500);
      return;
    }
    if (onClick) onClick(event);
  });
  return { wrap, button, why };
}

export function setAvailable(control, reason) {
  const { button, why } = control;
  if (reason) {
    button.setAttribute("aria-disabled", "true");
    why.textContent = reason.charAt(0).toUpperCase() + reason.slice(1);
    button.title = why.textContent;
  } else {
    button.removeAttribute("aria-disabled");
    why.textContent = "";
    button.removeAttribute("title");
  }
}

export function clock(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function timeOfDay(epoch) {
  const d = new Date(epoch * 1000);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}
