// Shapes and parameter counts of torch.nn.RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell, Embedding, Conv2d
// and Linear, computed the way PyTorch lays them out. One file for the page (window.RNNShapes) and for
// Node (module.exports): tests/test_widgets.py calls it from Node and compares every answer with what
// torch really builds.
//
//   RNNShapes.rnn({batch_size, seq_len, input_size, hidden_size, num_layers, batch_first, bias})
//     -> {tensors: {input, h_0, out, h_n}, params: [{name, shape, count}], total}
//   RNNShapes.gru(config)   the same keys;  RNNShapes.lstm(config): also c_0 and c_n
//   RNNShapes.cell({batch_size, input_size, hidden_size, bias})   -> {tensors: {input, hidden}, ...}
//   RNNShapes.grucell(config)   the same keys;  RNNShapes.lstmcell(config): also cell
//   RNNShapes.GATES  {rnn: 1, gru: 3, lstm: 4}: how many H-row blocks each weight and bias stacks
//   RNNShapes.embedding({num_embeddings, embedding_dim, batch_size, seq_len})
//   RNNShapes.conv({in_channels, out_channels, kernel_size})      (bias=False, as in lesson 1)
//   RNNShapes.linear({in_features, out_features})                 (bias=False)
//   RNNShapes.cross_entropy({batch_size, num_classes})            scores (input) and class indices (target)
//   RNNShapes.shape("rnn:h_n", config), RNNShapes.count("cell:total", config)   (quizzes; also "lstm:c_n",
//     "gru:total", "lstmcell:weight_ih", ...: any module below, any tensor, alias or parameter of it).
//     A quiz's config may hold only keys that its modules read (KEYS): RNNShapes.shape("rnn:out", config,
//     ["rnn", "cross_entropy"]) checks the config against the modules of the whole quiz, and throws on any
//     other key (a typo, or a setting such as bidirectional that these modules do not model).
//   RNNShapes.check(field, text) -> null or {field, reason: "empty" | "integer" | "range", min, max}
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.RNNShapes = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // What the widgets accept: [min, max]. seq_len is capped so that the grid can still be drawn.
  const LIMITS = {
    batch_size: [1, 4096], seq_len: [1, 50], input_size: [1, 4096], hidden_size: [1, 4096],
    num_layers: [1, 8], num_embeddings: [1, 100000], embedding_dim: [1, 4096],
    in_channels: [1, 4096], out_channels: [1, 4096], kernel_size: [1, 64],
    in_features: [1, 65536], out_features: [1, 65536],
  };
  const DEFAULTS = { batch_size: 1, seq_len: 1, num_layers: 1, batch_first: false, bias: true };
  // The config keys each module reads: all that a quiz's data-config may say (book/quizzes.py builds the same
  // modules in torch from the same keys, and the tests check that the two lists agree).
  const LAYER = ["batch_size", "seq_len", "input_size", "hidden_size", "num_layers", "batch_first", "bias"];
  const CELL = ["batch_size", "input_size", "hidden_size", "bias"];
  const KEYS = {
    rnn: LAYER, gru: LAYER, lstm: LAYER, cell: CELL, grucell: CELL, lstmcell: CELL,
    embedding: ["num_embeddings", "embedding_dim", "batch_size", "seq_len"],
    conv: ["in_channels", "out_channels", "kernel_size"], linear: ["in_features", "out_features"],
    cross_entropy: ["batch_size", "num_classes"],
  };

  const product = (shape) => shape.reduce((a, b) => a * b, 1);
  const param = (name, shape) => ({ name, shape, count: product(shape) });
  const withDefaults = (config) => Object.assign({}, DEFAULTS, config);
  const total = (params) => params.reduce((sum, p) => sum + p.count, 0);

  /** null when `value` (a string or a number) is a whole number within LIMITS[field], else why not. */
  function check(field, value) {
    const [min, max] = LIMITS[field];
    const text = String(value === undefined || value === null ? "" : value).trim();
    if (text === "") return { field, reason: "empty", min, max };
    if (!/^[+-]?\d+$/.test(text)) return { field, reason: "integer", min, max };
    const n = Number(text);
    if (n < min || n > max) return { field, reason: "range", min, max };
    return null;
  }

  // The blocks stacked in every weight and bias, each hidden_size rows: torch.nn.RNN has one (tanh),
  // GRU three (r, z, n: reset, update, new), LSTM four (i, f, g, o: input, forget, cell, output).
  const GATES = { rnn: 1, gru: 3, lstm: 4 };

  /** nn.RNN / nn.GRU / nn.LSTM (by `kind`) called as out, h_n = rnn(input, h_0), or for LSTM
   *  out, (h_n, c_n) = lstm(input, (h_0, c_0)). */
  function layers(kind, config) {
    const c = withDefaults(config);
    const [B, T, I, H, L] = [c.batch_size, c.seq_len, c.input_size, c.hidden_size, c.num_layers];
    const G = GATES[kind] * H;                         // rows of every weight and bias
    const params = [];
    for (let l = 0; l < L; l++) {
      params.push(param(`weight_ih_l${l}`, [G, l === 0 ? I : H]));  // layer 0 reads x_t, the others h
      params.push(param(`weight_hh_l${l}`, [G, H]));
      if (c.bias) params.push(param(`bias_ih_l${l}`, [G]), param(`bias_hh_l${l}`, [G]));
    }
    const tensors = {
      input: c.batch_first ? [B, T, I] : [T, B, I],
      h_0: [L, B, H],                                  // batch_first never touches h_0 / h_n (nor c_0 / c_n)
      out: c.batch_first ? [B, T, H] : [T, B, H],      // top layer, every step
      h_n: [L, B, H],                                  // every layer, last step
    };
    if (kind === "lstm") Object.assign(tensors, { c_0: [L, B, H], c_n: [L, B, H] });  // the cell state, beside h
    return { tensors, params, total: total(params) };
  }

  /** nn.RNNCell / nn.GRUCell / nn.LSTMCell (by `kind`), one step: hidden = cell(input, hidden), or for
   *  LSTMCell hidden, cell = lstm_cell(input, (hidden, cell)). */
  function oneStep(kind, config) {
    const c = withDefaults(config);
    const [B, I, G] = [c.batch_size, c.input_size, GATES[kind] * c.hidden_size];
    const params = [param("weight_ih", [G, I]), param("weight_hh", [G, c.hidden_size])];
    if (c.bias) params.push(param("bias_ih", [G]), param("bias_hh", [G]));
    const tensors = { input: [B, I], hidden: [B, c.hidden_size] };  // the hidden passed in and the one returned
    const aliases = { h_0: "hidden", h_t: "hidden" };
    if (kind === "lstm") {
      tensors.cell = [B, c.hidden_size];                             // LSTMCell's c, passed in and returned
      Object.assign(aliases, { h_1: "hidden", c_0: "cell", c_1: "cell", c_t: "cell" });  // torch's doc names
    }
    return { tensors, params, total: total(params), aliases };
  }

  const rnn = (config) => layers("rnn", config);
  const gru = (config) => layers("gru", config);
  const lstm = (config) => layers("lstm", config);
  const cell = (config) => oneStep("rnn", config);
  const grucell = (config) => oneStep("gru", config);
  const lstmcell = (config) => oneStep("lstm", config);

  /** nn.Embedding(num_embeddings, embedding_dim) applied to int64 indices of shape (batch, seq_len). */
  function embedding(config) {
    const c = withDefaults(config);
    const params = [param("weight", [c.num_embeddings, c.embedding_dim])];
    const tensors = { input: [c.batch_size, c.seq_len], output: [c.batch_size, c.seq_len, c.embedding_dim] };
    return { tensors, params, total: total(params) };
  }

  /** nn.Conv2d(in_channels, out_channels, kernel_size, bias=False). */
  function conv(config) {
    const k = config.kernel_size;
    const params = [param("weight", [config.out_channels, config.in_channels, k, k])];
    return { tensors: {}, params, total: total(params) };
  }

  /** nn.Linear(in_features, out_features, bias=False). */
  function linear(config) {
    const params = [param("weight", [config.out_features, config.in_features])];
    return { tensors: {}, params, total: total(params) };
  }

  /** nn.CrossEntropyLoss() on scores (batch_size, num_classes) and the class index of each sample. */
  function cross_entropy(config) {
    const c = withDefaults(config);
    return { tensors: { input: [c.batch_size, c.num_classes], target: [c.batch_size] }, params: [], total: 0 };
  }

  const MODULES = { rnn, gru, lstm, cell, grucell, lstmcell, embedding, conv, linear, cross_entropy };

  /** The keys of `config` that none of `modules` reads (sorted). */
  function unknownKeys(config, modules) {
    const read = new Set(modules.flatMap((m) => KEYS[m] || []));
    return Object.keys(config).filter((k) => !read.has(k)).sort();
  }

  /** `config` for `module`, after checking that each of its keys is read by one of `modules` (the quiz's). */
  function configFor(module, config, modules) {
    modules = [...new Set(modules)];
    const unknown = unknownKeys(config, modules);
    if (unknown.length) {
      throw new Error(`data-config: ${unknown.join(", ")} is not read by ${modules.join(", ")} `
                      + `(they read ${[...new Set(modules.flatMap((m) => KEYS[m]))].join(", ")})`);
    }
    return Object.fromEntries(Object.entries(config).filter(([k]) => KEYS[module].includes(k)));
  }

  function resolve(key, config, modules) {
    const [module, name] = String(key).split(":");
    if (!MODULES[module] || !name) throw new Error(`unknown shape key: ${key}`);
    return [MODULES[module](configFor(module, config, modules || [module])), name];
  }

  /** Shape named by "module:name" (a tensor, an alias or a parameter), e.g. "rnn:weight_ih_l1"; `modules`:
   *  every module the quiz asks about (default: this one), whose keys together are all `config` may hold. */
  function shape(key, config, modules) {
    const [result, name] = resolve(key, config, modules);
    const tensor = (result.aliases && result.aliases[name]) || name;
    if (tensor in result.tensors) return result.tensors[tensor];
    const p = result.params.find((q) => q.name === name);
    if (!p) throw new Error(`unknown shape key: ${key}`);
    return p.shape;
  }

  /** A count named by "module:total" or "module:<parameter>", e.g. "cell:total". */
  function count(key, config, modules) {
    const [result, name] = resolve(key, config, modules);
    if (name === "total") return result.total;
    return product(shape(key, config, modules));
  }

  return { LIMITS, GATES, KEYS, check, rnn, gru, lstm, cell, grucell, lstmcell, embedding, conv, linear,
           cross_entropy, unknownKeys, shape, count, product };
});
