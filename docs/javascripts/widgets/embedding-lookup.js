// Embedding lookup (lesson 5): pick a character of "hello"; its one-hot row selects one row of
// emb.weight, and that row is the embedding. Numbers: `make weights` (book/widget_data.py) from the
// snippet that trains the model.
//   <div class="rnn-widget" data-widget="embedding-lookup" data-src="assets/data/embedding_lookup.json"
//        data-snippet="hello_embedding"></div>
(() => {
  const { el, fixed, withData } = Book;
  const TEXT = {
    zh: {
      pick: "选一个字符：", weights: "权重", initial: "训练前", trained: "训练 15 轮后",
      onehot: (c, i) => `onehot(${i})：字符 ${c} 的独热向量 (1, 4)`,
      matrix: "emb.weight (4, 10)：每个字符一行",
      result: (i) => `emb(tensor([${i}]))：选中的第 ${i} 行 (1, 10)`,
      explain: (c, i) => `${c} 的编号是 ${i}。独热向量只有第 ${i} 位是 1，乘以 emb.weight 时其余各行都乘以 0，只剩第 ${i} 行。`,
      loading: "正在加载数据…", failed: "数据没能加载：",
    },
    en: {
      pick: "Pick a character:", weights: "Weights", initial: "Before training", trained: "After 15 epochs",
      onehot: (c, i) => `onehot(${i}): the one-hot vector of ${c}, (1, 4)`,
      matrix: "emb.weight (4, 10): one row per character",
      result: (i) => `emb(tensor([${i}])): the selected row ${i}, (1, 10)`,
      explain: (c, i) => `${c} has index ${i}. Its one-hot vector has a 1 at position ${i} only, so multiplying by emb.weight zeroes every other row and leaves row ${i}.`,
      loading: "Loading the data…", failed: "The data could not be loaded: ",
    },
  };

  Book.register("embedding-lookup", (root, lang) => {
    const t = TEXT[lang];
    root.classList.add("rnn-embedding");
    withData(root, t, build);

    function build(d) {
      let position = 2;            // the first l: the lesson's example
      let which = "initial";
      const chars = [...d.text].map((c, i) =>
        el("button", { type: "button", class: "rnn-widget__char", "data-position": i,
                       onclick: () => { position = i; show(); } }, c));
      const sets = ["initial", "trained"].map((w) =>
        el("button", { type: "button", class: "rnn-widget__toggle", "data-weights": w,
                       onclick: () => { which = w; show(); } }, t[w]));
      const onehotCaption = el("div", { class: "rnn-embedding__caption" });
      const onehot = el("div", { class: "rnn-embedding__row" });
      // one table, the whole matrix: on a phone it scrolls sideways (never split into blocks that read as
      // a matrix of more rows)
      const columns = d.initial[0].map((_, j) => j);
      const table = el("table", { class: "rnn-embedding__matrix" }, el("tbody", {},
        d.vocab.map((c, i) => el("tr", { "data-row": i }, el("th", { scope: "row" }, `${i} ${c}`),
          columns.map((j) => el("td", { "data-col": j }))))));
      const resultCaption = el("div", { class: "rnn-embedding__caption" });
      const result = el("div", { class: "rnn-embedding__vector rnn-widget__scroll", tabindex: "0" });   // one row
      const explain = el("p", { class: "rnn-widget__note", "aria-live": "polite" });
      root.append(
        el("div", { class: "rnn-widget__bar" }, el("span", {}, t.pick), el("span", { class: "rnn-widget__chars" }, chars)),
        el("div", { class: "rnn-widget__modes", role: "group", "aria-label": t.weights }, sets),
        onehotCaption, onehot,
        el("div", { class: "rnn-embedding__caption" }, t.matrix),
        el("div", { class: "rnn-widget__scroll", tabindex: "0", role: "group", "aria-label": t.matrix }, table),
        resultCaption, result, explain);
      show();

      function show() {
        const index = d.x_data[position], c = d.text[position], W = d[which];
        chars.forEach((b, i) => b.setAttribute("aria-pressed", String(i === position)));
        sets.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.weights === which)));
        onehotCaption.textContent = t.onehot(c, index);
        onehot.replaceChildren(...d.vocab.map((v, i) =>
          el("span", { class: "rnn-embedding__cell" + (i === index ? " is-selected" : "") },
             el("small", {}, v), String(i === index ? 1 : 0))));
        for (const row of root.querySelectorAll(".rnn-embedding__matrix tr")) {
          const i = Number(row.dataset.row);
          row.classList.toggle("is-selected", i === index);
          for (const td of row.querySelectorAll("td")) {
            const j = Number(td.dataset.col);
            td.textContent = fixed(W[i][j], 2);
            td.title = fixed(W[i][j], 4);
          }
        }
        resultCaption.textContent = t.result(index);
        result.replaceChildren(...W[index].map((x) => el("span", { class: "rnn-embedding__value" }, fixed(x, 4))));
        explain.textContent = t.explain(c, index);
      }
    }
  }, ["src", "snippet"]);
})();
