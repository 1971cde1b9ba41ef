// Step-through of hello -> ohlol (lesson 4): the nn.RNN(4, 3) of snippets/hello_rnn.py, before and
// after its 15 epochs. At each step: the input character, the hidden state h_t as a colour strip
// (h_t is also the 3 scores of h, l, o) and softmax(h_t). Numbers: `make weights` (book/widget_data.py).
//   <div class="rnn-widget" data-widget="step-through" data-src="assets/data/hello_rnn_steps.json"
//        data-snippet="hello_rnn"></div>
(() => {
  const { el, fixed, withData } = Book;
  const TEXT = {
    zh: {
      weights: "权重", initial: "训练前", trained: "训练 15 轮后",
      prev: "上一步", next: "下一步", step: (t, n) => `第 ${t} / ${n} 步`,
      input: "输入", output: "预测", target: "目标",
      onehot: (c) => `x_t：${c} 的独热向量（按 e、h、l、o）`,
      hidden: "隐藏状态 h_0 … h_5（每一列是一步；3 个数也就是 h、l、o 的分数）",
      legend: "蓝色为负，橙色为正；颜色越深，绝对值越大。",
      probs: "softmax(h_t)：这一步输出各字符的概率",
      verdict: (p, y, ok) => `预测 ${p}，目标 ${y}：${ok ? "对了" : "错了"}。`,
      loading: "正在加载数据…", failed: "数据没能加载：",
    },
    en: {
      weights: "Weights", initial: "Before training", trained: "After 15 epochs",
      prev: "Previous step", next: "Next step", step: (t, n) => `Step ${t} of ${n}`,
      input: "input", output: "predicted", target: "target",
      onehot: (c) => `x_t: the one-hot vector of ${c} (in the order e, h, l, o)`,
      hidden: "Hidden states h_0 … h_5 (one column per step; the 3 numbers are also the scores of h, l, o)",
      legend: "Blue is negative, orange positive; the stronger the colour, the larger the magnitude.",
      probs: "softmax(h_t): the probability of each output character at this step",
      verdict: (p, y, ok) => `Predicted ${p}, target ${y}: ${ok ? "right" : "wrong"}.`,
      loading: "Loading the data…", failed: "The data could not be loaded: ",
    },
  };
  const SUB = "₀₁₂₃₄₅₆₇₈₉";
  const sub = (n) => String(n).replace(/\d/g, (d) => SUB[d]);
  /** A value in (-1, 1) as a colour over the page background: blue below 0, orange above (palette.css). */
  const colour = (v) => {
    const share = (Math.min(1, Math.abs(v)) * 75).toFixed(1);
    return `color-mix(in srgb, var(${v < 0 ? "--book-negative" : "--book-positive"}) ${share}%, transparent)`;
  };

  Book.register("step-through", (root, lang) => {
    const t = TEXT[lang];
    root.classList.add("rnn-steps");
    withData(root, t, build);

    function build(d) {
      const n = d.x_data.length;
      let step = 1;                  // 1 … n
      let which = "trained";
      const sets = ["initial", "trained"].map((w) =>
        el("button", { type: "button", class: "rnn-widget__toggle", "data-weights": w,
                       onclick: () => { which = w; show(); } }, t[w]));
      const prev = el("button", { type: "button", class: "rnn-widget__button", "data-step": "prev",
                                  onclick: () => go(step - 1) }, "◀ ", t.prev);
      const next = el("button", { type: "button", class: "rnn-widget__button", "data-step": "next",
                                  onclick: () => go(step + 1) }, t.next, " ▶");
      const counter = el("span", { class: "rnn-steps__counter", "aria-live": "polite" });
      const columns = d.x_data.map((_, i) => {
        const col = { input: el("button", { type: "button", class: "rnn-widget__char", onclick: () => go(i + 1) }),
                      output: el("span", { class: "rnn-steps__out" }), target: el("span", { class: "rnn-steps__target" }) };
        col.node = el("div", { class: "rnn-steps__col" }, col.output, col.input, col.target);
        return col;
      });
      const onehotCaption = el("div", { class: "rnn-embedding__caption" });
      const onehot = el("div", { class: "rnn-embedding__row" });
      const heat = el("table", { class: "rnn-steps__heat" });
      const bars = el("div", { class: "rnn-steps__bars" });
      const verdict = el("p", { class: "rnn-steps__verdict" });
      root.addEventListener("keydown", (e) => {
        if (e.target.closest("input, textarea")) return;
        if (e.key === "ArrowRight") { go(step + 1); e.preventDefault(); }
        if (e.key === "ArrowLeft") { go(step - 1); e.preventDefault(); }
      });
      root.append(
        el("div", { class: "rnn-widget__modes", role: "group", "aria-label": t.weights }, sets),
        el("div", { class: "rnn-steps__seq" },
          el("div", { class: "rnn-steps__col rnn-steps__legend" },
             el("span", {}, t.output), el("span", {}, t.input), el("span", {}, t.target)),
          columns.map((c) => c.node)),
        el("div", { class: "rnn-widget__bar rnn-steps__nav" }, prev, counter, next),
        onehotCaption, onehot,
        el("div", { class: "rnn-embedding__caption" }, t.hidden),
        el("div", { class: "rnn-widget__scroll" }, heat),
        el("p", { class: "rnn-widget__note" }, t.legend),
        el("div", { class: "rnn-embedding__caption" }, t.probs),
        bars, verdict);
      show();

      function go(s) {
        step = Math.max(1, Math.min(n, s));
        show();
      }

      function show() {
        const run = d[which], now = run.steps[step - 1];
        sets.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.weights === which)));
        prev.disabled = step === 1;
        next.disabled = step === n;
        counter.textContent = t.step(step, n);
        root.dataset.step = String(step);
        columns.forEach((c, i) => {
          const s = run.steps[i];
          c.input.textContent = s.input;
          c.input.setAttribute("aria-pressed", String(i === step - 1));
          c.output.textContent = i < step ? s.predicted : "·";
          c.output.classList.toggle("is-wrong", i < step && s.predicted !== s.target);
          c.target.textContent = s.target;
          c.node.classList.toggle("is-current", i === step - 1);
        });
        onehotCaption.textContent = t.onehot(now.input);
        onehot.replaceChildren(...d.input_vocab.map((v) =>
          el("span", { class: "rnn-embedding__cell" + (v === now.input ? " is-selected" : "") },
             el("small", {}, v), v === now.input ? "1" : "0")));
        const states = [run.h0, ...run.steps.map((s) => s.hidden)];
        heat.replaceChildren(
          el("thead", {}, el("tr", {}, el("td", {}), states.map((_, j) =>
            el("th", { class: j === step ? "is-current" : "" }, `h${sub(j)}`)))),
          el("tbody", {}, d.output_vocab.map((v, k) => el("tr", {}, el("th", { scope: "row" }, v),
            states.map((h, j) => {
              const later = j > step;
              return el("td", { class: (j === step ? "is-current" : "") + (later ? " is-later" : ""),
                                style: later ? null : `background-color: ${colour(h[k])}` },
                        later ? "" : fixed(h[k], 2));
            })))));
        const best = now.softmax.indexOf(Math.max(...now.softmax));
        bars.replaceChildren(...d.output_vocab.map((v, k) =>
          el("div", { class: "rnn-steps__bar" + (k === best ? " is-best" : "") + (v === now.target ? " is-target" : "") },
            el("span", { class: "rnn-steps__bar-label" }, v),
            el("span", { class: "rnn-steps__bar-track" },
               el("span", { class: "rnn-steps__bar-fill", style: `width: ${(100 * now.softmax[k]).toFixed(1)}%` })),
            el("span", { class: "rnn-steps__bar-value" }, `${(100 * now.softmax[k]).toFixed(1)}%`))));
        const ok = now.predicted === now.target;
        verdict.textContent = t.verdict(now.predicted, now.target, ok);
        verdict.classList.toggle("is-wrong", !ok);
      }
    }
  }, ["src", "snippet"]);
})();
