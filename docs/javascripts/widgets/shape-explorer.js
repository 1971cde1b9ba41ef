// Shape explorer (lessons 2 and 3): sizes in, the shapes of input / h_0 / out / h_n, every parameter
// and the layer × time-step grid out. The numbers come from rnn-shapes.js, which the tests check
// against torch.
//   <div class="rnn-widget" data-widget="shape-explorer" data-mode="rnn"></div>   (or data-mode="cell")
// GRU and LSTM, when a page asks (lesson 8): data-cells lists the kinds to choose from (buttons RNN / GRU /
// LSTM, and the call written out), data-cell the one to start with (default: the first listed); either alone
// is enough, and without both the explorer is nn.RNN / nn.RNNCell as before.
//   <div class="rnn-widget" data-widget="shape-explorer" data-mode="rnn" data-cells="rnn gru lstm" data-cell="lstm"></div>
(() => {
  const { el, svg, shapeText, numberField, readFields } = Book;
  const TEXT = {
    zh: {
      mode: "模块", tensors: ["张量", "形状", "各维的含义"], params: ["参数", "形状", "个数"], total: "合计",
      perStep: "（每一步）", hiddenIO: "（每一步传入、返回）", invalid: "请改正后再看结果：",
      gridRnn: (L, T) => `${L} 层 × ${T} 个时间步的展开图：最上面一行（蓝框）是 out，最右边一列（橙框）是 h_n。`,
      gridCell: (T, name = "RNNCell") => `同一个 ${name} 被调用 ${T} 次：每次读入 x_t 和上一步的 hidden，返回新的 hidden。`,
      kind: "循环单元", call: "调用：",
      gridLstm: (L, T) => `${L} 层 × ${T} 个时间步的展开图：最上面一行（蓝框）是 out，最右边一列（橙框）是 (h_n, c_n)：每层最后一步的 h 和 c。`,
      gridLstmCell: (T) => `同一个 LSTMCell 被调用 ${T} 次：每次读入 x_t 和上一步的 (hidden, cell)，返回新的一对。`,
      layout: { T: "seq_len", B: "batch_size", I: "input_size", H: "hidden_size", L: "num_layers" },
    },
    en: {
      mode: "Module", tensors: ["Tensor", "Shape", "Dimensions"], params: ["Parameter", "Shape", "Count"], total: "Total",
      perStep: " (each step)", hiddenIO: " (passed in and returned, each step)", invalid: "Fix this to see the result:",
      gridRnn: (L, T) => `${L} layers × ${T} time steps, unrolled: the top row (blue frame) is out, the right column (orange frame) is h_n.`,
      gridCell: (T, name = "RNNCell") => `One ${name} called ${T} times: each call reads x_t and the previous hidden and returns the new hidden.`,
      kind: "Recurrent unit", call: "Called as ",
      gridLstm: (L, T) => `${L} layers × ${T} time steps, unrolled: the top row (blue frame) is out, the right column (orange frame) is (h_n, c_n), each layer's last h and c.`,
      gridLstmCell: (T) => `One LSTMCell called ${T} times: each call reads x_t and the previous (hidden, cell) and returns the new pair.`,
      layout: { T: "seq_len", B: "batch_size", I: "input_size", H: "hidden_size", L: "num_layers" },
    },
  };
  const START = {
    rnn: { batch_size: 1, seq_len: 5, input_size: 4, hidden_size: 2, num_layers: 3 },  // lesson 3's example
    cell: { batch_size: 1, seq_len: 3, input_size: 4, hidden_size: 2, num_layers: 1 }, // lesson 2's example
  };
  const FIELDS = { rnn: ["batch_size", "seq_len", "input_size", "hidden_size", "num_layers"],
                   cell: ["batch_size", "seq_len", "input_size", "hidden_size"] };
  // Per kind (RNNShapes.GATES): the modules of the two modes, the functions that give their shapes, the calls.
  const KINDS = {
    rnn: { modules: ["nn.RNN", "nn.RNNCell"], shapes: ["rnn", "cell"],
           calls: ["out, h_n = rnn(inputs, h_0)", "hidden = cell(input, hidden)"] },
    gru: { modules: ["nn.GRU", "nn.GRUCell"], shapes: ["gru", "grucell"],
           calls: ["out, h_n = gru(inputs, h_0)", "hidden = gru_cell(input, hidden)"] },
    lstm: { modules: ["nn.LSTM", "nn.LSTMCell"], shapes: ["lstm", "lstmcell"],
            calls: ["out, (h_n, c_n) = lstm(inputs, (h_0, c_0))", "hidden, cell = lstm_cell(input, (hidden, cell))"] },
  };
  const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹", SUB = "₀₁₂₃₄₅₆₇₈₉";
  const script = (n, digits) => String(n).replace(/\d/g, (d) => digits[d]);

  Book.register("shape-explorer", (root, lang) => {
    const t = TEXT[lang];
    let mode = root.dataset.mode === "cell" ? "cell" : "rnn";
    const kinds = (root.dataset.cells || root.dataset.cell || "rnn").trim().split(/\s+/);
    let kind = root.dataset.cell || kinds[0];
    for (const k of [...kinds, kind]) if (!KINDS[k]) throw new Error(`data-cells: unknown kind ${k}`);
    const asked = Boolean(root.dataset.cells || root.dataset.cell);   // a lesson 8 page: the call written out
    const fields = {};
    for (const name of FIELDS.rnn) fields[name] = numberField(name, START[mode][name], update);
    const batchFirst = el("input", { type: "checkbox", onchange: update });
    const batchFirstLabel = el("label", { class: "rnn-widget__field rnn-widget__check" }, batchFirst, el("code", {}, "batch_first"));
    const modeButtons = ["rnn", "cell"].map((m) =>
      el("button", { type: "button", class: "rnn-widget__toggle", "data-mode": m,
                     onclick: () => { mode = m; update(); } }, m === "rnn" ? "nn.RNN" : "nn.RNNCell"));
    const kindButtons = kinds.map((k) =>
      el("button", { type: "button", class: "rnn-widget__toggle", "data-cell": k,
                     onclick: () => { kind = k; update(); } }, k.toUpperCase()));
    const modes = el("div", { class: "rnn-widget__modes", role: "group", "aria-label": t.mode }, modeButtons);

    const error = el("div", { class: "rnn-widget__error", role: "alert", hidden: true });
    const result = el("div", { class: "rnn-widget__result" });
    root.classList.add("rnn-shape-explorer");
    root.append(
      kinds.length > 1 ? el("div", { class: "rnn-widget__bar rnn-explorer__kinds" },
        el("div", { class: "rnn-widget__modes", role: "group", "aria-label": t.kind }, kindButtons), modes) : modes,
      el("div", { class: "rnn-widget__controls" }, FIELDS.rnn.map((n) => fields[n].node), batchFirstLabel),
      error, result);
    update();

    function update() {
      for (const b of modeButtons) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
      for (const b of kindButtons) b.setAttribute("aria-pressed", String(b.dataset.cell === kind));
      modeButtons.forEach((b, i) => { b.textContent = KINDS[kind].modules[i]; });
      fields.num_layers.node.hidden = mode === "cell";
      batchFirstLabel.hidden = mode === "cell";
      const sizes = readFields(fields, FIELDS[mode], { error, result, invalid: t.invalid, lang });
      if (!sizes) return;
      const c = { bias: true, batch_first: mode === "rnn" && batchFirst.checked, ...sizes };
      const call = el("p", { class: "rnn-widget__note rnn-explorer__call" }, t.call,
                      el("code", {}, KINDS[kind].calls[mode === "rnn" ? 0 : 1]));
      result.replaceChildren(...(asked ? [call] : []), ...(mode === "rnn" ? showRnn(c) : showCell(c)));
      // a grid wider than the screen (a phone, many steps) opens at its right end: the h_n column the
      // caption names is in view, the rest a sideways scroll away (widgets.css shows a cue)
      const picture = result.querySelector(".rnn-widget__figure .rnn-widget__scroll");
      if (picture) picture.scrollLeft = picture.scrollWidth;
    }

    function layout(letters) {
      return "(" + letters.split("").map((x) => t.layout[x]).join(", ") + ")";
    }

    function tensorTable(rows) {
      return el("div", { class: "rnn-widget__scroll" }, el("table", { class: "rnn-widget__table" },
        el("thead", {}, el("tr", {}, t.tensors.map((h) => el("th", {}, h)))),
        el("tbody", {}, rows.map(([name, shape, dims]) =>
          el("tr", { "data-tensor": name }, el("td", {}, el("code", {}, name)),
             el("td", { class: "rnn-widget__shape" }, el("code", {}, shapeText(shape))), el("td", {}, dims))))));
    }

    function paramTable(r) {
      return el("div", { class: "rnn-widget__scroll" }, Book.paramTable(r, t.params, t.total));
    }

    function showRnn(c) {
      const r = RNNShapes[KINDS[kind].shapes[0]](c), s = r.tensors, lstm = kind === "lstm";
      return [
        tensorTable([
          ["inputs", s.input, layout(c.batch_first ? "BTI" : "TBI")],   // lesson 3 calls it inputs
          ["h_0", s.h_0, layout("LBH")],
          lstm && ["c_0", s.c_0, layout("LBH")],                          // LSTM: the state is the pair (h, c)
          ["out", s.out, layout(c.batch_first ? "BTH" : "TBH")],
          ["h_n", s.h_n, layout("LBH")],
          lstm && ["c_n", s.c_n, layout("LBH")],
        ].filter(Boolean)),
        paramTable(r),
        grid(c.num_layers, c.seq_len, true, (lstm ? t.gridLstm : t.gridRnn)(c.num_layers, c.seq_len), lstm),
      ];
    }

    function showCell(c) {
      const r = RNNShapes[KINDS[kind].shapes[1]](c), s = r.tensors, lstm = kind === "lstm";
      const name = KINDS[kind].modules[1].slice(3);
      return [
        tensorTable([
          ["input", s.input, layout("BI") + t.perStep],
          ["hidden", s.hidden, layout("BH") + t.hiddenIO],
          lstm && ["cell", s.cell, layout("BH") + t.hiddenIO],             // LSTMCell's c, beside hidden
        ].filter(Boolean)),
        paramTable(r),
        grid(1, c.seq_len, false, lstm ? t.gridLstmCell(c.seq_len) : t.gridCell(c.seq_len, name), lstm,
             kind === "rnn" ? "cell" : kind.toUpperCase()),
      ];
    }
  }, ["mode", "cells", "cell"]);

  let drawn = 0;
  /** The unrolled picture: `layers` rows (layer 0 at the bottom) × `steps` columns. */
  function grid(layers, steps, isRnn, caption, pair = false, box = "cell") {   // pair: LSTM's state (h, c)
    const BW = 40, BH = 26, GX = 18, GY = 22, LEFT = 72, RIGHT = isRnn ? 64 : 14, TOP = 40, BOTTOM = 34;
    const width = Math.max(LEFT + steps * (BW + GX) - GX + RIGHT, pair ? LEFT + 110 : 0);  // room for "(hidden, cell)"
    const height = TOP + layers * (BH + GY) - GY + BOTTOM;
    const x = (j) => LEFT + j * (BW + GX);
    const y = (i) => TOP + (layers - 1 - i) * (BH + GY);
    const every = Math.ceil(steps / 12);                 // label at most ~12 inputs below the grid
    const parts = [];
    const head = `rnn-grid-head-${++drawn}`;           // one marker per picture: ids must stay unique
    const arrow = (x1, y1, x2, y2) => svg("line", { x1, y1, x2, y2, class: "rnn-grid__arrow", "marker-end": `url(#${head})` });
    parts.push(svg("defs", {}, svg("marker", { id: head, viewBox: "0 0 6 6", refX: "5", refY: "3",
      markerWidth: "5", markerHeight: "5", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L6,3 L0,6 z", class: "rnn-grid__head" }))));
    if (isRnn) {   // the frames first, under the boxes
      parts.push(svg("rect", { class: "rnn-grid__frame rnn-grid__frame--out", x: x(0) - 5, y: y(layers - 1) - 5,
        width: x(steps - 1) + BW - x(0) + 10, height: BH + 10, rx: 6 }));
      parts.push(svg("rect", { class: "rnn-grid__frame rnn-grid__frame--hn", x: x(steps - 1) - 5, y: y(layers - 1) - 5,
        width: BW + 10, height: y(0) + BH - y(layers - 1) + 10, rx: 6 }));
    }
    for (let i = 0; i < layers; i++) {
      parts.push(svg("text", { x: LEFT - 26, y: y(i) + BH / 2 + 4, class: "rnn-grid__label", "text-anchor": "end" },
        `h${script(0, SUB)}`, isRnn && layers > 1 ? `[${i}]` : ""));
      parts.push(arrow(LEFT - 22, y(i) + BH / 2, x(0) - 2, y(i) + BH / 2));
      for (let j = 0; j < steps; j++) {
        const top = i === layers - 1, last = j === steps - 1;
        const cls = ["rnn-grid__box", `rnn-grid__box--l${i % 4}`, isRnn && top ? "is-out" : "", isRnn && last ? "is-hn" : ""].join(" ");
        parts.push(svg("rect", { class: cls, x: x(j), y: y(i), width: BW, height: BH, rx: 4 }));
        parts.push(svg("text", { x: x(j) + BW / 2, y: y(i) + BH / 2 + 4, class: "rnn-grid__text", "text-anchor": "middle" },
          isRnn ? `h${script(i, SUP)}${script(j + 1, SUB)}` : box));
        if (!last) parts.push(arrow(x(j) + BW, y(i) + BH / 2, x(j + 1) - 2, y(i) + BH / 2));
        if (!top) parts.push(arrow(x(j) + BW / 2, y(i), x(j) + BW / 2, y(i + 1) + BH + 2));
        else parts.push(arrow(x(j) + BW / 2, y(i), x(j) + BW / 2, TOP - 14));
      }
      if (isRnn) parts.push(arrow(x(steps - 1) + BW + 5, y(i) + BH / 2, x(steps - 1) + BW + 22, y(i) + BH / 2));
    }
    for (let j = 0; j < steps; j++) {
      parts.push(arrow(x(j) + BW / 2, height - 16, x(j) + BW / 2, y(0) + BH + 2));
      if (j % every === 0 || j === steps - 1) {
        parts.push(svg("text", { x: x(j) + BW / 2, y: height - 3, class: "rnn-grid__label", "text-anchor": "middle" },
          `x${script(j + 1, SUB)}`));
      }
    }
    if (isRnn) {
      parts.push(svg("text", { x: x(0), y: TOP - 20, class: "rnn-grid__label rnn-grid__label--out" }, "out"));
      const hn = (dy, text) => svg("text", { x: x(steps - 1) + BW + 25, y: y(layers - 1) + BH / 2 + 4 + dy, class: "rnn-grid__label rnn-grid__label--hn" }, text);
      parts.push(...(pair ? [hn(-7, "h_n"), hn(9, "c_n")] : [hn(0, "h_n")]));   // LSTM: the pair, h_n over c_n
    } else {
      parts.push(svg("text", { x: x(0), y: TOP - 20, class: "rnn-grid__label" }, pair ? "(hidden, cell)" : "hidden"));
    }
    const picture = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "rnn-grid", role: "img", "aria-label": caption,
      style: `min-width: ${Math.round(width * 0.75)}px; max-width: ${Math.round(width * 1.4)}px` }, parts);
    return el("figure", { class: "rnn-widget__figure" }, el("div", { class: "rnn-widget__scroll", tabindex: "0" }, picture),
      el("figcaption", {}, caption));
  }
})();
