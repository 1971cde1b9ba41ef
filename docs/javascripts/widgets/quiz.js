// Self-checking exercises. Inside a `??? question` block, under the question (and its options),
// the author writes one of
//
//   <div class="quiz" data-type="choice" data-answer="B"></div>           options: the "- A. …" list above
//   <div class="quiz" data-type="number" data-answer="380"></div>         optional data-tolerance="5e-5", data-label
//   <div class="quiz" data-type="number" data-count="cell:total" data-config='{"input_size": 10, "hidden_size": 20}'></div>
//   <div class="quiz" data-type="shape" data-shape="out=rnn:out h_n=rnn:h_n" data-config='{"seq_len": 7, …}'></div>
//   <div class="quiz" data-type="text" data-answer="ohllo"></div>         case and quotes ignored; "a|b" = either
//
// A shape blank is `label=module:name` or `module:name` (labelled by name), computed by rnn-shapes.js from
// data-config, so an answer is never typed twice; data-config may hold only the keys that the quiz's modules
// read (RNNShapes.KEYS). Each kind of quiz reads the data-* attributes ATTRIBUTES lists (and data-id): any other
// attribute or config key is an error shown in the quiz's place, as the lesson checker (`make check`) says too.
// A typed answer (data-answer of a number or text quiz) is derived in book/answers.py. The reader's answers are
// kept in localStorage per page and exercise (the same key in both languages); the bar after the last
// exercise counts them and clears them.
(() => {
  const { el } = Book;
  const PREFIX = "rnn-basics:quiz:";     // + the page's path + "#" + the exercise (progress.js counts them)
  Book.QUIZ_PREFIX = PREFIX;
  const ATTRIBUTES = {                 // data-type -> the data-* attributes it reads, besides data-type and data-id
    choice: ["answer", "options"], number: ["answer", "tolerance", "label", "count", "config"],
    shape: ["shape", "config"], text: ["answer"],
  };
  Book.declare("quiz", ATTRIBUTES);
  const TEXT = {
    zh: {
      check: "检查", answer: "你的答案", shape: "形状", choose: "选择答案：",
      right: "✓ 正确！", wrong: "✗ 不对，再想想。",
      dims: (want, got) => `✗ 不对：这个张量有 ${want} 维，你写了 ${got} 维。`,
      badNumber: "请填写一个数，例如 1234 或 0.25。",
      badShape: "请按 (7, 3, 20) 这样的格式填写形状。",
      empty: "请先填写答案。",
      progress: (r, n) => `练习进度：答对 ${r} / ${n} 题（保存在本浏览器中）。`,
      clear: "清除进度",
    },
    en: {
      check: "Check", answer: "Your answer", shape: "shape", choose: "Choose an answer:",
      right: "✓ Right!", wrong: "✗ Not quite. Try again.",
      dims: (want, got) => `✗ Not quite: this tensor has ${want} dimensions and you wrote ${got}.`,
      badNumber: "Please enter a number, like 1234 or 0.25.",
      badShape: "Please write the shape like (7, 3, 20).",
      empty: "Please fill in an answer first.",
      progress: (r, n) => `Your progress: ${r} of ${n} right (kept in this browser).`,
      clear: "Clear progress",
    },
  };

  const store = {
    get(key) {
      try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
    },
    set(key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode: no memory */ }
    },
    clear(prefix) {
      try {
        for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
      } catch { /* nothing kept */ }
    },
  };

  // --- reading answers ---------------------------------------------------------------------------
  function parseNumber(text) {
    const s = text.replace(/[\s,_\u00a0\u2009\u202f]/g, "").replace(/^−/, "-");
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
  }
  function parseShape(text) {
    const s = text.trim().replace(/^torch\.Size\s*/, "");
    if (!/^[\s\d,()[\]x×*]+$/i.test(s) || !/\d/.test(s)) return null;
    return s.match(/\d+/g).map(Number);
  }
  const normal = (text) => text.trim().replace(/^["'“‘`]+|["'”’`]+$/g, "").trim().toLowerCase();

  /** The blanks of a shape quiz: [{label, shape}], each computed from the config by rnn-shapes.js. */
  function blanks(div) {
    const config = JSON.parse(div.dataset.config || "{}");
    const tokens = div.dataset.shape.trim().split(/\s+/).map((token) =>
      token.includes("=") ? token.split("=") : [token.split(":")[1], token]);
    const modules = tokens.map(([, spec]) => spec.split(":")[0]);
    return tokens.map(([label, spec]) => ({ label, shape: RNNShapes.shape(spec, config, modules) }));
  }

  /** Throws unless `div` carries only the attributes its data-type reads. */
  function checkMarkup(div) {
    const read = ATTRIBUTES[div.dataset.type];
    if (!read) throw new Error(`data-type="${div.dataset.type}" is none of ${Object.keys(ATTRIBUTES).join(", ")}`);
    const unknown = Book.unknownAttributes(div, ["type", "id", "ready", ...read]);
    if (unknown.length) throw new Error(`a ${div.dataset.type} quiz does not read ${unknown.join(", ")}`);
  }

  // --- one quiz ----------------------------------------------------------------------------------
  function build(div, key, t, changed) {
    checkMarkup(div);
    const type = div.dataset.type;
    const feedback = el("p", { class: "quiz__feedback", role: "status", "aria-live": "polite" });
    let inputs = [], buttons = [], expected, verdictOf;

    if (type === "choice") {
      const list = [...(div.parentElement.querySelectorAll(":scope > ul > li") || [])];
      const options = list.map((li) => (li.textContent.trim().match(/^([A-Z])[.．、]/) || [])[1]).filter(Boolean);
      const letters = options.length ? options : (div.dataset.options || "ABCD").split("");
      buttons = letters.map((letter, i) => el("button", {
        type: "button", class: "quiz__option", "data-option": letter, "aria-pressed": "false",
        "aria-label": list[i] ? list[i].textContent.trim() : letter,
        onclick: () => answer([letter]),
      }, letter));
      verdictOf = ([letter]) => [letter === div.dataset.answer.trim() ? "right" : "wrong"];
      div.append(el("div", { class: "quiz__row" }, el("span", {}, t.choose), buttons), feedback);
    } else {
      if (type === "shape") {
        expected = blanks(div);
        inputs = expected.map((b) => el("input", { type: "text", class: "quiz__input", autocomplete: "off",
          spellcheck: "false", placeholder: "(…)", "aria-label": `${b.label} ${t.shape}` }));
        verdictOf = (values) => {
          const got = values.map(parseShape);
          if (got.some((g) => g === null)) return ["format", t.badShape];
          const wrong = expected.findIndex((b, i) => got[i].join() !== b.shape.join());
          if (wrong < 0) return ["right"];
          const want = expected[wrong].shape.length, have = got[wrong].length;
          return ["wrong", want !== have ? t.dims(want, have) : t.wrong];
        };
      } else {
        inputs = [el("input", { type: "text", class: "quiz__input", autocomplete: "off", spellcheck: "false",
          inputmode: type === "number" ? "decimal" : null, "aria-label": div.dataset.label || t.answer })];
        if (type === "number") {
          const target = div.dataset.count ? RNNShapes.count(div.dataset.count, JSON.parse(div.dataset.config || "{}"))
                                           : parseNumber(div.dataset.answer);
          const tolerance = Number(div.dataset.tolerance || 0) || 1e-9 * Math.max(1, Math.abs(target));
          verdictOf = ([value]) => {
            const x = parseNumber(value);
            if (Number.isNaN(x)) return ["format", t.badNumber];
            return [Math.abs(x - target) <= tolerance ? "right" : "wrong"];
          };
        } else {
          const accepted = div.dataset.answer.split("|").map(normal);
          verdictOf = ([value]) => [accepted.includes(normal(value)) ? "right" : "wrong"];
        }
      }
      const check = el("button", { type: "button", class: "quiz__check", onclick: () => answer(inputs.map((i) => i.value)) }, t.check);
      for (const input of inputs) {
        input.addEventListener("keydown", (e) => {
          if (e.key === "Enter") { e.preventDefault(); answer(inputs.map((i) => i.value)); }
        });
      }
      const fields = inputs.map((input, i) => el("label", { class: "quiz__field" },
        el("code", {}, type === "shape" ? expected[i].label : div.dataset.label || t.answer), input));
      div.append(el("div", { class: "quiz__row" }, fields, check), feedback);
    }

    function mark(values) {
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.option === values[0])));
      if (values.every((v) => v.trim() === "")) {
        div.dataset.state = "format";
        feedback.textContent = t.empty;
        return;
      }
      const [state, message] = verdictOf(values);      // right | wrong | format, and what to say
      div.dataset.state = state;
      feedback.textContent = message || (state === "right" ? t.right : t.wrong);
      for (const b of buttons) b.classList.toggle("is-chosen", b.dataset.option === values[0]);
    }
    function answer(values) {
      mark(values);
      if (div.dataset.state !== "format") store.set(key, values);
      changed();
    }
    function reset() {
      inputs.forEach((i) => { i.value = ""; });
      buttons.forEach((b) => { b.setAttribute("aria-pressed", "false"); b.classList.remove("is-chosen"); });
      feedback.textContent = "";
      delete div.dataset.state;
    }

    const saved = store.get(key);
    if (Array.isArray(saved)) {              // answered on an earlier visit: show it, checked again
      inputs.forEach((input, i) => { input.value = saved[i] || ""; });
      mark(saved);
    }
    return { reset };
  }

  // --- the page ----------------------------------------------------------------------------------
  Book.onPage((root, lang) => {
    const t = TEXT[lang];
    const article = root.querySelector("article") || root;
    const quizzes = [...article.querySelectorAll("div.quiz[data-type]")].filter((q) => !q.dataset.ready);
    if (!quizzes.length) return;
    const page = PREFIX + Book.path() + "#";     // the page's path in its language: one key for every language
    const progress = el("p", { class: "quiz-progress__text" });
    const update = () => {
      const all = [...article.querySelectorAll("div.quiz[data-type]")];
      progress.textContent = t.progress(all.filter((q) => q.dataset.state === "right").length, all.length);
    };
    const built = quizzes.map((div, i) => {
      div.dataset.ready = "1";
      try {
        return build(div, page + (div.dataset.id || i + 1), t, update);
      } catch (err) {
        div.textContent = (lang === "zh" ? "这道题的设置有误：" : "This exercise is set up wrongly: ") + err.message;
        return { reset() {} };
      }
    });
    const clear = el("button", { type: "button", class: "quiz__check quiz-progress__clear", onclick: () => {
      store.clear(page);
      built.forEach((q) => q.reset());
      update();
    } }, t.clear);
    // after the outermost block that holds the last exercise
    let anchor = quizzes[quizzes.length - 1];
    while (anchor.parentElement && anchor.parentElement !== article) anchor = anchor.parentElement;
    anchor.after(el("div", { class: "quiz-progress" }, progress, clear));
    update();
  });
})();
