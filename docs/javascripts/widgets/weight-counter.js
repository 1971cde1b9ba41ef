// Weight counter (lesson 1): a convolution against a fully connected layer, both without bias.
//   <div class="rnn-widget" data-widget="weight-counter"></div>
// With data-cells (lesson 8) it counts recurrent layers instead: the parameters of nn.RNN / nn.GRU / nn.LSTM
// (the kinds listed; data-cell picks the first shown) one by one, their total and its ratio to an nn.RNN
// of the same sizes, all from rnn-shapes.js.
//   <div class="rnn-widget" data-widget="weight-counter" data-cells="rnn gru lstm" data-cell="lstm"></div>
(() => {
  const { el, grouped, shapeText, numberField, readFields } = Book;
  const TEXT = {
    zh: {
      conv: "卷积层 nn.Conv2d", dense: "全连接层 nn.Linear", weights: "个权重", shape: "权重形状",
      invalid: "请改正后再看结果：",
      ratio: (r) => `全连接层的权重个数是卷积层的 ${r} 倍。`,
      inverse: (r) => `卷积层的权重个数是全连接层的 ${r} 倍。`,
      note: "卷积层的个数与图片大小无关；全连接层的个数随展平后的数据大小增长。",
    },
    en: {
      conv: "Convolution nn.Conv2d", dense: "Fully connected nn.Linear", weights: "weights", shape: "weight shape",
      invalid: "Fix this to see the result:",
      ratio: (r) => `The fully connected layer has ${r} times as many weights as the convolution.`,
      inverse: (r) => `The convolution has ${r} times as many weights as the fully connected layer.`,
      note: "The convolution's count does not depend on the image size; the dense layer's grows with the flattened data.",
    },
  };
  const START = { in_channels: 128, out_channels: 64, kernel_size: 5, in_features: 4096, out_features: 1024 };
  const CONV = ["in_channels", "out_channels", "kernel_size"], DENSE = ["in_features", "out_features"];
  const ratioText = (r) => (r >= 100 ? grouped(r) : String(Number(r.toPrecision(4))));

  Book.register("weight-counter", (root, lang) => {
    if (root.dataset.cells || root.dataset.cell) return recurrent(root, lang);
    const t = TEXT[lang];
    const fields = {};
    for (const name of [...CONV, ...DENSE]) fields[name] = numberField(name, START[name], update);
    const out = {};
    const side = (key, names) => {
      out[key] = { count: el("strong", { class: "rnn-widget__count" }), shape: el("code", {}),
                   bar: el("span", { class: `rnn-counter__bar rnn-counter__bar--${key}` }) };
      return el("section", { class: `rnn-counter__side rnn-counter__side--${key}` },
        el("h3", {}, t[key]),
        el("div", { class: "rnn-widget__controls" }, names.map((n) => fields[n].node)),
        el("p", { class: "rnn-counter__result" }, out[key].count, " ", t.weights, el("br"), t.shape, " ", out[key].shape),
        el("div", { class: "rnn-counter__track", "aria-hidden": "true" }, out[key].bar));
    };
    const error = el("div", { class: "rnn-widget__error", role: "alert", hidden: true });
    const ratio = el("p", { class: "rnn-counter__ratio" });
    const result = el("div", { class: "rnn-widget__result" }, ratio, el("p", { class: "rnn-widget__note" }, t.note));
    root.classList.add("rnn-weight-counter");
    root.append(el("div", { class: "rnn-counter__sides" }, side("conv", CONV), side("dense", DENSE)), error, result);
    update();

    function update() {
      const c = readFields(fields, Object.keys(fields), { error, result, invalid: t.invalid, lang });
      root.classList.toggle("is-invalid", !c);
      if (!c) {
        for (const side of Object.values(out)) {      // no stale numbers next to a refused input
          side.count.textContent = side.shape.textContent = "–";
          side.bar.style.width = "0";
        }
        return;
      }
      const conv = RNNShapes.conv(c), dense = RNNShapes.linear(c);
      const biggest = Math.max(conv.total, dense.total);
      for (const [key, r] of [["conv", conv], ["dense", dense]]) {
        out[key].count.textContent = grouped(r.total);
        out[key].shape.textContent = shapeText(r.params[0].shape);
        out[key].bar.style.width = `${Math.max(0.5, (100 * r.total) / biggest)}%`;
      }
      ratio.textContent = dense.total >= conv.total ? t.ratio(ratioText(dense.total / conv.total))
                                                    : t.inverse(ratioText(conv.total / dense.total));
    }
  }, ["cells", "cell"]);

  // --- RNN / GRU / LSTM -------------------------------------------------------------------------------
  const RECURRENT = {
    zh: {
      kind: "循环层", params: ["参数", "形状", "个数"], total: "合计", invalid: "请改正后再看结果：",
      count: (name, n) => `${name} 共有 ${n} 个参数。`,
      ratio: (name, n, r, rnn) => `${name} 共有 ${n} 个参数，是同样大小的 nn.RNN（${rnn} 个）的 ${r} 倍。`,
      blocks: (name, g) => `${name} 的每个权重和偏置都由 ${g} 块 hidden_size 行叠成，nn.RNN 只有 1 块。`,
    },
    en: {
      kind: "Recurrent layer", params: ["Parameter", "Shape", "Count"], total: "Total", invalid: "Fix this to see the result:",
      count: (name, n) => `${name} has ${n} parameters.`,
      ratio: (name, n, r, rnn) => `${name} has ${n} parameters, ${r} times the ${rnn} of an nn.RNN of the same sizes.`,
      blocks: (name, g) => `Each weight and bias of ${name} stacks ${g} blocks of hidden_size rows where nn.RNN has 1.`,
    },
  };
  const MODULE = { rnn: "nn.RNN", gru: "nn.GRU", lstm: "nn.LSTM" };
  const RECURRENT_START = { input_size: 10, hidden_size: 20, num_layers: 1 };   // lesson 2's sizes

  /** The recurrent counter: sizes in; every parameter of the chosen kind, the total and the ratio out. */
  function recurrent(root, lang) {
    const t = RECURRENT[lang];
    const kinds = (root.dataset.cells || root.dataset.cell).trim().split(/\s+/);
    let kind = root.dataset.cell || kinds[0];
    for (const k of [...kinds, kind]) if (!MODULE[k]) throw new Error(`data-cells: unknown kind ${k}`);
    const fields = {};
    for (const name of Object.keys(RECURRENT_START)) fields[name] = numberField(name, RECURRENT_START[name], update);
    const bias = el("input", { type: "checkbox", checked: true, onchange: update });
    const buttons = kinds.map((k) => el("button", { type: "button", class: "rnn-widget__toggle", "data-cell": k,
                                                    onclick: () => { kind = k; update(); } }, MODULE[k]));
    const bars = Object.fromEntries(kinds.map((k) => [k, {
      count: el("span", { class: "rnn-widget__num" }), ratio: el("span", { class: "rnn-widget__num rnn-counter__times" }),
      bar: el("span", { class: `rnn-counter__bar rnn-counter__bar--${k}` }) }]));
    const error = el("div", { class: "rnn-widget__error", role: "alert", hidden: true });
    const summary = el("p", { class: "rnn-counter__ratio", "aria-live": "polite" });
    const table = el("div", { class: "rnn-widget__scroll" });
    const note = el("p", { class: "rnn-widget__note" });
    const result = el("div", { class: "rnn-widget__result" }, summary, table, note);
    root.classList.add("rnn-weight-counter", "rnn-counter--recurrent");
    root.append(
      el("div", { class: "rnn-widget__modes", role: "group", "aria-label": t.kind }, buttons),
      el("div", { class: "rnn-widget__controls" }, Object.values(fields).map((f) => f.node),
         el("label", { class: "rnn-widget__field rnn-widget__check" }, bias, el("code", {}, "bias"))),
      el("div", { class: "rnn-counter__kinds" }, kinds.flatMap((k) => [
        el("code", {}, MODULE[k]),
        el("span", { class: "rnn-counter__track", "aria-hidden": "true" }, bars[k].bar),
        bars[k].count, bars[k].ratio])),
      error, result);
    update();

    function update() {
      for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.cell === kind));
      const sizes = readFields(fields, Object.keys(fields), { error, result, invalid: t.invalid, lang });
      root.classList.toggle("is-invalid", !sizes);
      if (!sizes) {
        for (const b of Object.values(bars)) {          // no stale numbers next to a refused input
          b.count.textContent = b.ratio.textContent = "–";
          b.bar.style.width = "0";
        }
        return;
      }
      const c = { bias: bias.checked, ...sizes };
      const rnn = RNNShapes.rnn(c).total;                // the yardstick, listed or not
      const totals = Object.fromEntries(kinds.map((k) => [k, RNNShapes[k](c).total]));
      const biggest = Math.max(...Object.values(totals));
      for (const k of kinds) {
        bars[k].count.textContent = grouped(totals[k]);
        bars[k].ratio.textContent = `×${ratioText(totals[k] / rnn)}`;
        bars[k].bar.style.width = `${Math.max(0.5, (100 * totals[k]) / biggest)}%`;
      }
      const r = RNNShapes[kind](c);
      summary.textContent = kind === "rnn" ? t.count(MODULE[kind], grouped(r.total))
        : t.ratio(MODULE[kind], grouped(r.total), ratioText(r.total / rnn), grouped(rnn));
      note.textContent = kind === "rnn" ? "" : t.blocks(MODULE[kind], RNNShapes.GATES[kind]);
      note.hidden = kind === "rnn";
      table.replaceChildren(Book.paramTable(r, t.params, t.total));
    }
  }
})();
