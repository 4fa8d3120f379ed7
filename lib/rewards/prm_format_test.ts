import assert from "node:assert/strict";
import {
  chatMlText,
  llama3Text,
  mathShepherdInput,
  prmInputText,
  qwenPrmMessages,
  renderChat,
  rlhflowMessages,
  SAL_SYSTEM_PROMPT,
} from "./prm_format.ts";

// A two-step solution as the policy generates it: the first step keeps its "\n\n".
const Q = "What is 2+3*4?";
const STEPS = ["Step 1: 3 * 4 = 12\n\n", "Step 2: 2 + 12 = 14\n\nThe answer is \\boxed{14}."];

Deno.test("Math-Shepherd input equals the documented string byte for byte", () => {
  assert.equal(
    mathShepherdInput(Q, STEPS, "SYS"),
    "SYS\nWhat is 2+3*4?\n Step 1: 3 * 4 = 12 ки\n\nStep 2: 2 + 12 = 14 ки\n\nThe answer is \\boxed{14}. ки",
  );
  // Ending with "\n\n": no extra tag.
  assert.equal(mathShepherdInput("Q", ["a\n\n"], "S"), "S\nQ\n a ки\n\n");
  // Default system prompt is search-and-learn's.
  assert.ok(mathShepherdInput("Q", ["a"]).startsWith(SAL_SYSTEM_PROMPT + "\nQ\n a ки"));
  assert.ok(
    SAL_SYSTEM_PROMPT.startsWith(
      "Solve the following math problem efficiently and clearly:\n\n- For simple",
    ),
  );
  assert.ok(
    SAL_SYSTEM_PROMPT.endsWith(
      "Where [answer] is just the final number or expression that solves the problem.",
    ),
  );
});

Deno.test("Qwen2.5-Math-PRM messages and ChatML text equal the documented strings", () => {
  assert.deepEqual(qwenPrmMessages(Q, STEPS), [
    {
      role: "system",
      content: "Please reason step by step, and put your final answer within \\boxed{}.",
    },
    { role: "user", content: "What is 2+3*4?" },
    {
      role: "assistant",
      content:
        "Step 1: 3 * 4 = 12<extra_0>Step 2: 2 + 12 = 14<extra_0>The answer is \\boxed{14}.<extra_0>",
    },
  ]);
  assert.equal(
    prmInputText("qwen-prm", Q, STEPS),
    "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
      "<|im_start|>user\nWhat is 2+3*4?<|im_end|>\n" +
      "<|im_start|>assistant\nStep 1: 3 * 4 = 12<extra_0>Step 2: 2 + 12 = 14<extra_0>" +
      "The answer is \\boxed{14}.<extra_0><|im_end|>\n",
  );
});

Deno.test("RLHFlow messages and Llama-3 text equal the documented strings", () => {
  assert.deepEqual(rlhflowMessages(Q, STEPS), [
    { role: "user", content: "What is 2+3*4? Step 1: 3 * 4 = 12" },
    { role: "assistant", content: "+" },
    { role: "user", content: "Step 2: 2 + 12 = 14" },
    { role: "assistant", content: "+" },
    { role: "user", content: "The answer is \\boxed{14}." },
    { role: "assistant", content: "+" },
  ]);
  assert.equal(
    prmInputText("rlhflow", Q, STEPS.slice(0, 1)),
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+3*4? Step 1: 3 * 4 = 12<|eot_id|>" +
      "<|start_header_id|>assistant<|end_header_id|>\n\n+<|eot_id|>",
  );
});

Deno.test("a folder's chat template (Jinja) renders like the built-in ChatML", () => {
  const chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + " +
    "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}" +
    "{{ '<|im_start|>assistant\\n' }}{% endif %}";
  const msgs = qwenPrmMessages(Q, STEPS);
  assert.equal(renderChat(chatml, msgs), chatMlText(msgs));
  assert.equal(prmInputText("qwen-prm", Q, STEPS, { template: chatml }), chatMlText(msgs));
  const llama = "{{ bos_token }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + " +
    "'<|end_header_id|>\\n\\n' + m['content'] | trim + '<|eot_id|>' }}{% endfor %}";
  const r = rlhflowMessages(Q, STEPS);
  assert.equal(renderChat(llama, r, { bos_token: "<|begin_of_text|>" }), llama3Text(r));
});
