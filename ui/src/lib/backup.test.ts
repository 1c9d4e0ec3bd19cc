import { describe, expect, it } from "vitest";
import { backupBar } from "./backup";

describe("backupBar", () => {
  it("names each stage", () => {
    expect(backupBar({ stage: "checking", done: 1, total: 3 }).label).toBe("Checking the backup…");
    expect(backupBar({ stage: "writing", done: 0, total: 10 }).label).toBe("Adding to your library…");
  });
  it("runs across the stages without going back", () => {
    const steps = [
      backupBar({ stage: "copying", done: 5, total: 10 }),
      backupBar({ stage: "copying", done: 10, total: 10 }),
      backupBar({ stage: "checking", done: 0, total: 3 }),
      backupBar({ stage: "reading", done: 500, total: 1000 }),
      backupBar({ stage: "covers", done: 0, total: 0 }),
      backupBar({ stage: "writing", done: 9, total: 9 }),
    ].map((bar) => bar.fraction);
    expect(steps[0]).toBeCloseTo(0.1);
    expect(steps.at(-1)).toBe(1);
    for (let i = 1; i < steps.length; i += 1) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]);
  });
  it("stays within the bar for odd counts", () => {
    expect(backupBar({ stage: "reading", done: 20, total: 10 }).fraction).toBeCloseTo(0.6);
    expect(backupBar({ stage: "copying", done: 3, total: 0 }).fraction).toBe(0);
  });
});
