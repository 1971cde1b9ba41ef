// What the lesson widgets share: the page's language, a tiny DOM builder, number formatting,
// data files and the registry. A widget is a div the Markdown author writes,
//
//     <div class="rnn-widget" data-widget="shape-explorer" data-mode="rnn"></div>
//
// and a file that calls RNNWidgets.register("shape-explorer", (div, lang) => {...}). After every
// page change (Material's instant navigation) each widget div on the page is built once.
(() => {
  const SCRIPT = document.currentScript.src;
  const SITE = new URL("../..", SCRIPT).href;      // this file is <site>/javascripts/widgets/common.js
  const builders = {};
  const cache = {};

  /** "zh" or "en": the page's language (Chinese at the site root, English under /en/). */
  function language() {
    if (!location.href.startsWith(SITE)) return (document.documentElement.lang || "").startsWith("en") ? "en" : "zh";
    return location.href.slice(SITE.length).split("/")[0] === "en" ? "en" : "zh";
  }

  /** el("div", {class: "x", onclick: f}, child, "text", ...): children are nodes or text (never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** The same for SVG elements. */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const grouped = (n) => Math.round(n).toLocaleString("en-US");       // 204,800 in both languages
  const shapeText = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  /** x with `digits` decimals and a real minus sign (never "−0.00"). */
  const fixed = (x, digits) => {
    const text = Math.abs(x).toFixed(digits);
    return (x < 0 && Number(text) !== 0 ? "−" : "") + text;
  };

  /** Why a field was refused, in the page's language (see RNNShapes.check). */
  function problem(p, lang) {
    if (lang === "zh") {
      if (p.reason === "empty") return `请填写 ${p.field}。`;
      if (p.reason === "integer") return `${p.field} 必须是整数。`;
      return `${p.field} 必须在 ${grouped(p.min)} 到 ${grouped(p.max)} 之间。`;
    }
    if (p.reason === "empty") return `Please fill in ${p.field}.`;
    if (p.reason === "integer") return `${p.field} must be a whole number.`;
    return `${p.field} must be between ${grouped(p.min)} and ${grouped(p.max)}.`;
  }

  /** A labelled number field; `onchange` runs on every edit. */
  function numberField(name, value, oninput) {
    const id = `w${Math.random().toString(36).slice(2, 9)}-${name}`;
    const input = el("input", { id, type: "text", inputmode: "numeric", autocomplete: "off",
                                spellcheck: "false", name, value: String(value), oninput });
    return { input, node: el("label", { class: "rnn-widget__field", for: id }, el("code", {}, name), input) };
  }

  /** The JSON file at `path` under the site root, fetched once per visit. */
  function data(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, SITE)).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${path}`);
        return r.json();
      });
      cache[path].catch(() => delete cache[path]);  // a failed download may be retried later
    }
    return cache[path];
  }

  /** Show a loading line in `root`, then call build(json) with the data file, or say why it failed. */
  function withData(root, path, text, build) {
    const status = el("p", { class: "rnn-widget__note" }, text.loading);
    root.append(status);
    data(root.dataset.src || path).then((d) => {
      status.remove();
      build(d);
    }, (err) => {
      status.textContent = text.failed + err.message;
      status.classList.add("rnn-widget__error");
    });
  }

  function register(name, build) {
    builders[name] = build;
  }

  const pageHooks = [];
  /** Run `hook(document.body, lang)` after every page change, after the widgets are built. */
  function onPage(hook) {
    pageHooks.push(hook);
  }

  function buildAll(root) {
    const lang = language();
    for (const div of root.querySelectorAll(".rnn-widget[data-widget]")) {
      if (div.dataset.ready) continue;
      const build = builders[div.dataset.widget];
      if (!build) continue;
      div.dataset.ready = "1";
      try {
        build(div, lang);
      } catch (err) {
        div.textContent = (lang === "zh" ? "这个小工具没能加载：" : "This widget could not load: ") + err.message;
        console.error(err);
      }
    }
    for (const hook of pageHooks) hook(root, lang);
  }

  window.RNNWidgets = { SITE, language, el, svg, grouped, shapeText, fixed, problem, numberField, data, withData,
                        register, onPage, buildAll };
  // Widget files load after this one; build once they have all registered, and after every page change.
  const start = () => document$.subscribe(() => buildAll(document.body));
  if (document.readyState === "loading") window.addEventListener("DOMContentLoaded", start);
  else setTimeout(start);
})();
