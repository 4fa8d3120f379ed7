import assert from "node:assert/strict";
import { FIGURE_MIME } from "./display.ts";
import {
  type CellJson,
  type FigureRenderer,
  finishStaticNotebook,
  type NotebookJson,
  notebookText,
  staticOutputProblems,
} from "./static_notebook.ts";

/** A renderer that returns fixed bytes and records what it drew. */
function fakeRenderer(): FigureRenderer & { drawn: string[] } {
  const drawn: string[] = [];
  return {
    drawn,
    png: (html) => {
      drawn.push(html);
      return Promise.resolve(new Uint8Array([137, 80, 78, 71]));
    },
    close: () => Promise.resolve(),
  };
}

const notebook = (cells: CellJson[]): NotebookJson => ({
  cells,
  metadata: { kernelspec: { name: "deno" } },
  nbformat: 4,
  nbformat_minor: 5,
});

Deno.test("finishStaticNotebook stores drawings as PNG, keeps source ids and makes missing ones stable", async () => {
  const source = notebook([
    { cell_type: "markdown", id: "intro", source: "# T", metadata: {} },
    { cell_type: "code", source: "plot(x)", metadata: {}, execution_count: null, outputs: [] },
  ]);
  const executed = notebook([
    { cell_type: "markdown", id: "intro", source: "# T", metadata: {} },
    {
      cell_type: "code",
      id: "random01",
      source: "plot(x)",
      metadata: { execution: { "iopub.status.idle": "2026-12-06T10:00:00Z" } },
      execution_count: 1,
      outputs: [{
        output_type: "execute_result",
        execution_count: 1,
        metadata: {},
        data: { [FIGURE_MIME]: ["<div>", "</div>"], "text/plain": ["[plotly figure]"] },
      }],
    },
  ]);
  const renderer = fakeRenderer();
  const { notebook: done, figures } = await finishStaticNotebook(executed, source, renderer);
  assert.equal(figures, 1);
  assert.deepEqual(renderer.drawn, ["<div></div>"]);
  assert.equal(done.cells[0].id, "intro");
  assert.match(done.cells[1].id!, /^[0-9a-f]{8}$/);
  assert.notEqual(done.cells[1].id, "random01");
  assert.deepEqual(done.cells[1].metadata, {});
  assert.deepEqual(done.cells[1].outputs![0].data, {
    "text/plain": ["[plotly figure]"],
    "image/png": "iVBORw==",
  });
  const again = await finishStaticNotebook(executed, source, fakeRenderer());
  assert.equal(notebookText(again.notebook), notebookText(done), "the same input, the same file");
  assert.deepEqual(staticOutputProblems(done), []);
});

Deno.test("finishStaticNotebook opens a lazy renderer only for a notebook with drawings", async () => {
  let opened = 0;
  const open = () => {
    opened++;
    return Promise.resolve(fakeRenderer());
  };
  const nb = notebook([{ cell_type: "markdown", source: "x", metadata: {} }]);
  await finishStaticNotebook(nb, nb, open);
  assert.equal(opened, 0);
  await assert.rejects(
    finishStaticNotebook(nb, notebook([]), open),
    /1 cells, its source 0/,
  );
});

Deno.test("notebookText writes sorted keys, one-space indent and a final newline", () => {
  const text = notebookText({
    nbformat_minor: 5,
    nbformat: 4,
    metadata: { b: 1, a: 2 },
    cells: [],
  });
  assert.equal(
    text,
    '{\n "cells": [],\n "metadata": {\n  "a": 2,\n  "b": 1\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n',
  );
});

Deno.test("staticOutputProblems names unexecuted cells, errors, leftover drawings, scripts and bulk", () => {
  const problems = staticOutputProblems(
    notebook([
      { cell_type: "code", source: "a", execution_count: null, outputs: [] },
      {
        cell_type: "code",
        source: "b",
        execution_count: 2,
        outputs: [
          { output_type: "error", ename: "Error", evalue: "boom", traceback: [] },
          { output_type: "display_data", data: { [FIGURE_MIME]: "<div/>" } },
          { output_type: "display_data", data: { "text/html": ["<script>", "Plotly"] } },
          { output_type: "display_data", data: { "text/plain": "x".repeat(50) } },
        ],
      },
    ]),
    40,
  );
  assert.deepEqual(problems, [
    "cell 1: never executed",
    "cell 2: error output Error: boom",
    "cell 2: a drawing not stored as PNG",
    "cell 2: text/html output has a <script>",
    "cell 2: text/plain output of 50 bytes",
  ]);
});
