/**
 * The native sampler's graph: what sampling needs from all `V` logits of each row, computed by
 * onnxruntime (vectorised `Exp`, reductions, comparisons) so that JavaScript only reads the few
 * hundred tokens near the top (see `native_sampler.ts`): the row's maximum, the mask of tokens
 * within a span of it, and the exponential sums over the tokens outside the mask.
 *
 * The ONNX file is written here, in a few lines of protobuf, rather than shipped or built with a
 * protobuf library: the graph is a dozen nodes and depends only on the span.
 *
 * @module
 */

// Protobuf wire format: field key = (number << 3) | wire type; 0 = varint, 2 = length-delimited.
type Bytes = number[];
function varint(n: number): Bytes {
  const out: Bytes = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}
const enc = new TextEncoder();
const int = (field: number, n: number): Bytes => [...varint(field << 3), ...varint(n)];
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [
  ...varint((field << 3) | 2),
  ...varint(b.length),
  ...b,
];
const str = (field: number, s: string): Bytes => bytes(field, enc.encode(s));

// ONNX field numbers (onnx.proto3) and enums used below.
const FLOAT = 1;
const INT64 = 7;
const BOOL = 9;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** AttributeProto: name 1, i 3, ints 8, type 20. */
function attrInt(name: string, i: number): Bytes {
  return [...str(1, name), ...int(3, i), ...int(20, ATTR_INT)];
}
function attrInts(name: string, xs: number[]): Bytes {
  return [...str(1, name), ...xs.flatMap((x) => int(8, x)), ...int(20, ATTR_INTS)];
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
function node(op: string, inputs: string[], outputs: string[], attrs: Bytes[] = []): Bytes {
  return [
    ...inputs.flatMap((s) => str(1, s)),
    ...outputs.flatMap((s) => str(2, s)),
    ...str(3, `${op}_${outputs[0]}`),
    ...str(4, op),
    ...attrs.flatMap((a) => bytes(5, a)),
  ];
}

/** ValueInfoProto for a tensor: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2. */
function valueInfo(name: string, elemType: number, dims: (number | string)[]): Bytes {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)) // Dimension: dim_value 1, dim_param 2
  );
  const tensor = [...int(1, elemType), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensor))];
}

/** TensorProto of int64 values: dims 1, data_type 2, int64_data 7 (packed), name 8. */
function int64Tensor(name: string, values: number[]): Bytes {
  return [
    ...int(1, values.length),
    ...int(2, INT64),
    ...bytes(7, values.flatMap(varint)),
    ...str(8, name),
  ];
}

/** TensorProto of one float32 `[1]`: dims 1, data_type 2, float_data 4 (packed), name 8. */
function floatTensor(name: string, value: number): Bytes {
  const b = new Uint8Array(new Float32Array([value]).buffer);
  return [...int(1, 1), ...int(2, FLOAT), ...bytes(4, b), ...str(8, name)];
}

/**
 * The sampler graph as an ONNX model file (opset 13). Per row of `logits` `[B, V]`, with
 * `d = x - max`, `inv_t` `[B, 1]` each row's inverse temperature and `floor = -span / inv_t` (the
 * untempered graph, `tempered: false`, has no `inv_t`: `floor = -span`):
 * - `max` `[B, 1]`: the largest logit;
 * - `keep` `[B, V]` bool: `d ≥ floor`, i.e. within `span` nats of the top after the temperature:
 *   the tokens JavaScript reads;
 * - `sum` `[B, 1]`: Σ exp(min(d, floor)), and `floor_exp` = exp(floor): the untempered sum over
 *   the tokens outside `keep` is `sum - kept · floor_exp`;
 * - `sum_t` and `floor_exp_t` `[B, 1]`: the same after the temperature, Σ exp(min(d, floor) ·
 *   inv_t) and exp(floor · inv_t) (tempered graph only).
 *
 * Clipping instead of masking keeps the graph to element-wise passes (`Where` costs several times
 * more in onnxruntime), and the float32 sums then only hold the tail and a known multiple of one
 * number, a small part of the total, so their rounding stays far below the float64 sum that
 * JavaScript makes over the kept tokens.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * const session = await ort.InferenceSession.create(samplerGraph(10, true));
 * await session.release();
 * ```
 */
export function samplerGraph(span: number, tempered: boolean): Uint8Array {
  const axes = [attrInts("axes", [1]), attrInt("keepdims", 1)];
  const sum = (from: string, to: string) =>
    node("ReduceSum", [from, "axis1"], [to], [attrInt("keepdims", 1)]);
  const floor = tempered ? "floor" : "neg_span";
  const nodes = [
    node("ReduceMax", ["logits"], ["max"], axes),
    node("Sub", ["logits", "max"], ["shifted"]),
    ...(tempered ? [node("Div", ["neg_span", "inv_t"], ["floor"])] : []),
    node("GreaterOrEqual", ["shifted", floor], ["keep"]),
    node("Min", ["shifted", floor], ["clipped"]),
    node("Exp", ["clipped"], ["exp"]),
    sum("exp", "sum"),
    node("Exp", [floor], ["floor_exp"]),
    ...(tempered
      ? [
        node("Mul", ["clipped", "inv_t"], ["clipped_t"]),
        node("Exp", ["clipped_t"], ["exp_t"]),
        sum("exp_t", "sum_t"),
        node("Mul", ["floor", "inv_t"], ["floor_t"]),
        node("Exp", ["floor_t"], ["floor_exp_t"]),
      ]
      : []),
  ];
  const outputs = [
    valueInfo("max", FLOAT, ["batch", 1]),
    valueInfo("keep", BOOL, ["batch", "vocab"]),
    valueInfo("sum", FLOAT, ["batch", 1]),
    valueInfo("floor_exp", FLOAT, tempered ? ["batch", 1] : [1]),
    ...(tempered
      ? [valueInfo("sum_t", FLOAT, ["batch", 1]), valueInfo("floor_exp_t", FLOAT, ["batch", 1])]
      : []),
  ];
  const graph = [
    ...nodes.flatMap((n) => bytes(1, n)),
    ...str(2, "ttsearch_sampler"),
    ...bytes(5, int64Tensor("axis1", [1])),
    ...bytes(5, floatTensor("neg_span", -span)),
    ...bytes(11, valueInfo("logits", FLOAT, ["batch", "vocab"])),
    ...(tempered ? bytes(11, valueInfo("inv_t", FLOAT, ["batch", 1])) : []),
    ...outputs.flatMap((o) => bytes(12, o)),
  ];
  // ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 (domain 1, version 2).
  const model = [
    ...int(1, 7),
    ...str(2, "ttsearch"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...int(2, 13)]),
  ];
  return new Uint8Array(model);
}
