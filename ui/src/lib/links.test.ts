import { describe, expect, it } from "vitest";
import { webLink } from "./links";

describe("webLink", () => {
  it("keeps http and https addresses as they are", () => {
    for (const good of [
      "https://music.fandom.com/wiki/Singles",
      "http://example.org/a?b=c#d",
      "HTTPS://EXAMPLE.ORG/",
    ]) {
      expect(webLink(good)).toBe(good);
    }
  });

  it("shows every other address as text", () => {
    for (const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "java\tscript:alert(1)",
      " javascript:alert(1)",
      "file:///etc/passwd",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox",
      "mailto:someone@example.org",
      "//example.org/path",
      "/relative/path",
      "https://",
      "https://exa mple.org/",
      "https://example.org/\n",
      "http://\u0000example.org",
      "",
      null,
      undefined,
    ]) {
      expect(webLink(bad)).toBeNull();
    }
  });
});
