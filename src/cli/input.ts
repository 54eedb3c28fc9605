/**
 * The text of a file or pipe. UTF-8 by default; a byte-order mark says UTF-16 (what Windows
 * PowerShell's `>` writes) or UTF-8, and is not part of the text.
 */
export function decodeInput(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}
