import assert from "node:assert/strict";
import { gradeAnswer } from "./grade.ts";
import { matrixValue } from "./matrix.ts";

const A = "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}";
const B = "\\begin{pmatrix}5&6\\\\7&8\\end{pmatrix}";

Deno.test("matrixValue: sums, differences, products and scalar multiples of written matrices", () => {
  assert.deepEqual(matrixValue(`${A}+${B}`), [["6", "8"], ["10", "12"]]);
  assert.deepEqual(matrixValue(`${A}-${B}`), [["-4", "-4"], ["-4", "-4"]]);
  assert.deepEqual(matrixValue(`${A}${B}`), [["19", "22"], ["43", "50"]]);
  assert.deepEqual(matrixValue(`${A}\\cdot${B}`), [["19", "22"], ["43", "50"]]);
  assert.deepEqual(matrixValue(`2${A}`), [["2", "4"], ["6", "8"]]);
  assert.deepEqual(matrixValue(`-${A}+${A}`), [["0", "0"], ["0", "0"]]);
  assert.deepEqual(matrixValue(`\\frac{1}{2}${A}`)?.[0], [
    "(\\frac{1}{2})\\cdot(1)",
    "(\\frac{1}{2})\\cdot(2)",
  ]);
});

Deno.test("matrixValue: null for one matrix, sizes that do not fit, numbers added, powers", () => {
  assert.equal(matrixValue(A), null);
  assert.equal(matrixValue(`${A}+\\begin{pmatrix}1\\\\2\\end{pmatrix}`), null);
  assert.equal(
    matrixValue(`\\begin{pmatrix}1&2\\end{pmatrix}\\begin{pmatrix}1&2\\end{pmatrix}`),
    null,
  );
  assert.equal(matrixValue(`${A}+1`), null);
  assert.equal(matrixValue(`${A}^2`), null);
  assert.equal(matrixValue(`${A}^T`), null);
  assert.equal(matrixValue("\\begin{vmatrix}1&2\\\\3&4\\end{vmatrix}+1"), null); // a determinant
  assert.equal(matrixValue("x+1"), null);
});

Deno.test("matrix arithmetic in a prediction is worked out before comparing", () => {
  const gold = "$\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}$";
  assert.ok(gradeAnswer(gold, `The sum is $${A} + ${B}$`).correct);
  assert.ok(
    !gradeAnswer("$\\begin{pmatrix}6 & 8 \\\\ 10 & 13\\end{pmatrix}$", `$${A} + ${B}$`).correct,
  );
  assert.ok(gradeAnswer("$\\begin{pmatrix}19&22\\\\43&50\\end{pmatrix}$", `$${A}${B}$`).correct);
  // Matrix products do not commute.
  assert.ok(!gradeAnswer("$\\begin{pmatrix}19&22\\\\43&50\\end{pmatrix}$", `$${B}${A}$`).correct);
  // Symbolic entries are left for the scalar stage.
  const sym = "\\begin{pmatrix}a&0\\\\0&0\\end{pmatrix}";
  assert.ok(gradeAnswer("$\\begin{pmatrix}a+1&2\\\\3&4\\end{pmatrix}$", `$${sym}+${A}$`).correct);
  // A matrix times a column vector against a tuple.
  const v = "\\begin{pmatrix}1\\\\2\\end{pmatrix}";
  assert.ok(gradeAnswer("$(1, 2)$", `$\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}${v}$`).correct);
});
