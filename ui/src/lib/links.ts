// Which addresses the window may show as links. The rule is the core's (`validate::web_link`,
// checked again in Rust before the browser opens anything); it is repeated here only so that a
// `javascript:` or `file:` address read from a file or a backup is never rendered as a link.

/** Control characters and white space, which no link the window shows may hold. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * The address itself when it is an absolute `http:` or `https:` address with a host, else
 * null: `javascript:`, `file:`, `data:`, relative paths and anything with spaces or control
 * characters are shown as plain text.
 */
export function webLink(address: string | null | undefined): string | null {
  if (!address || UNSAFE.test(address)) return null;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.hostname ? address : null;
}
