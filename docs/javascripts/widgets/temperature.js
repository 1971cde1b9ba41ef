// Temperature explorer (lesson 7): the trained RNN's scores for the next character after a prefix, turned into
// probabilities at the temperature the reader sets, p_i = exp(z_i / T) / Σ_j exp(z_j / T); and continuations that
// the model itself sampled at a few temperatures, each prefix with seeds of its own (the caption names them).
// Numbers: `make weights` (book/widget_data.py) from the snippet that trains the model.
//   <div class="rnn-widget" data-widget="temperature" data-src="assets/data/tang_temperature.json"
//        data-snippet="tang_rnn"></div>
(() => {
  const { el, withData } = Book;
  const TOP = 10;                       // bars shown; the rest is one line
  const TEXT = {
    zh: {
      prefix: "开头：", temperature: "温度 T", top: (n) => `下一个字最可能是（前 ${n} 个）`,
      others: (n, p) => `其余 ${n} 个字合计 ${p}%。`, choices: (x) => `整个分布相当于在 ${x} 个字里均匀地挑（exp(熵)）。`,
      samples: (t, n, seeds) => `模型在 T = ${t} 时采样续写的 ${n} 句（随机种子 ${seeds.join("、")}）：`, nearest: (t) => `（最接近你设的温度，T = ${t}）`,
      loading: "正在加载数据…", failed: "数据没能加载：", space: "",                // no space after Chinese punctuation
    },
    en: {
      prefix: "Prefix:", temperature: "Temperature T", top: (n) => `Most likely next characters (top ${n})`,
      others: (n, p) => `The other ${n} characters: ${p}% in all.`,
      choices: (x) => `The whole distribution is as uncertain as a uniform pick among ${x} characters (exp(entropy)).`,
      samples: (t, n, seeds) => `${n} continuations the model sampled at T = ${t} (seeds ${seeds.join(", ")}):`, nearest: (t) => `(the nearest to your T is ${t})`,
      loading: "Loading the data…", failed: "The data could not be loaded: ", space: " ",
    },
  };

  /** softmax(scores / T), computed from the largest score down so exp cannot overflow. */
  function probabilities(scores, T) {
    const top = Math.max(...scores);
    const e = scores.map((z) => Math.exp((z - top) / T));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  }

  /** A sample on one line: each line break shown as ↵ between single spaces ("a\n\nb" -> "a ↵ ↵ b"). */
  function lines(text) {
    return text.split("\n").join(" ↵ ").replace(/ +/g, " ").trim();
  }

  Book.register("temperature", (root, lang) => {
    const t = TEXT[lang];
    root.classList.add("rnn-temperature");
    withData(root, t, build);

    function build(d) {
      let which = 0;
      const buttons = d.prefixes.map((p, i) => el("button", {
        type: "button", class: "rnn-widget__char", "data-prefix": i, onclick: () => { which = i; show(); },
      }, p.prefix));
      const slider = el("input", { type: "range", min: "0.1", max: "2", step: "0.1", value: "0.8",
                                   class: "rnn-temperature__slider", "aria-label": t.temperature, oninput: show });
      const value = el("output", { class: "rnn-temperature__value" });
      const caption = el("div", { class: "rnn-embedding__caption" });
      const bars = el("div", { class: "rnn-steps__bars", "aria-live": "polite" });
      const spread = el("p", { class: "rnn-widget__note" });
      const samplesCaption = el("div", { class: "rnn-embedding__caption" });
      const samples = el("ul", { class: "rnn-temperature__samples" });
      root.append(
        el("div", { class: "rnn-widget__bar" }, el("span", {}, t.prefix), el("span", { class: "rnn-widget__chars" }, buttons)),
        el("label", { class: "rnn-widget__bar rnn-temperature__control" }, el("code", {}, t.temperature), slider, value),
        caption, bars, spread, samplesCaption, samples);
      show();

      function show() {
        const T = Number(slider.value);
        const p = d.prefixes[which];
        buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(i === which)));
        value.textContent = T.toFixed(1);
        root.dataset.temperature = T.toFixed(1);
        const probs = probabilities(p.scores, T);
        const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]);
        caption.textContent = t.top(TOP);
        const row = (label, share, cls) => el("div", { class: `rnn-steps__bar ${cls}` },
          el("span", { class: "rnn-steps__bar-label" }, label),
          el("span", { class: "rnn-steps__bar-track" },
             el("span", { class: "rnn-steps__bar-fill", style: `width: ${(100 * share).toFixed(1)}%` })),
          el("span", { class: "rnn-steps__bar-value" }, `${(100 * share).toFixed(1)}%`));
        const shown = order.slice(0, TOP);
        const rest = 1 - shown.reduce((sum, i) => sum + probs[i], 0);
        bars.replaceChildren(...shown.map((i, k) =>
          row(d.characters[i] === "\n" ? "↵" : d.characters[i], probs[i], k === 0 ? "is-best" : "")));
        const entropy = -probs.reduce((sum, q) => sum + (q > 0 ? q * Math.log(q) : 0), 0);
        spread.textContent = t.others(probs.length - TOP, (100 * rest).toFixed(1)) + t.space + t.choices(Math.exp(entropy).toFixed(1));
        const nearest = d.temperatures.reduce((a, b) => (Math.abs(b - T) < Math.abs(a - T) ? b : a));
        const sampled = p.samples[nearest.toFixed(1)];
        samplesCaption.textContent = t.samples(nearest, sampled.length, p.seeds) + (nearest.toFixed(1) === T.toFixed(1) ? "" : t.space + t.nearest(nearest));
        samples.replaceChildren(...sampled.map((s) =>
          el("li", {}, el("span", { class: "rnn-temperature__prefix" }, p.prefix), lines(s))));
      }
    }
  }, ["src", "snippet"]);
})();
