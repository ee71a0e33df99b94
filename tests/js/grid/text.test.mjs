import assert from "node:assert/strict";
import { test } from "node:test";

import { GRID } from "./_fixtures.mjs";

const { ddmm, decimal, dmy, fmt } = await import(`${GRID}/text.js`);

test("texts and numbers as the grid shows them", () => {
  assert.equal(fmt("«%(value)s» (%(range)s)", { value: "4-", range: "2–5" }), "«4-» (2–5)");
  assert.equal(fmt("%(missing)s!"), "!");
  assert.equal(ddmm("2026-11-08"), "08.11");
  assert.equal(dmy("2026-11-08"), "08.11.2026");
  assert.equal(decimal("4.50"), "4,50");
  assert.equal(decimal(null), "");
});
