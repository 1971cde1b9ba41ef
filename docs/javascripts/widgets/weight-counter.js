// Weight counter (lesson 1): a convolution against a fully connected layer, both without bias.
//   <div class="rnn-widget" data-widget="weight-counter"></div>
(() => {
  const { el, grouped, shapeText, problem, numberField } = Book;
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
      const problems = [];
      const c = {};
      for (const [name, f] of Object.entries(fields)) {
        const p = RNNShapes.check(name, f.input.value);
        f.input.setAttribute("aria-invalid", String(Boolean(p)));
        if (p) problems.push(p);
        else c[name] = Number(f.input.value.trim());
      }
      root.classList.toggle("is-invalid", problems.length > 0);
      if (problems.length) {
        error.replaceChildren(t.invalid, el("ul", {}, problems.map((p) => el("li", {}, problem(p, lang)))));
        error.hidden = false;
        result.hidden = true;
        for (const side of Object.values(out)) {      // no stale numbers next to a refused input
          side.count.textContent = side.shape.textContent = "–";
          side.bar.style.width = "0";
        }
        return;
      }
      error.hidden = true;
      result.hidden = false;
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
  });
})();
