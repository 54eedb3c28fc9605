/**
 * The text of a file or pipe. UTF-8 by default; a byte-order mark says UTF-16 (what Windows
 * PowerShell's `>` writes) or UTF-8, and is not part of the text.
 */
export function decodeInput(bytes: Uint8Array): string {
  return decoderFor(bytes).decode(bytes);
}

/**
 * A stream of text from a stream of bytes, decoded as `decodeInput` decodes a whole input: the
 * byte-order mark at its start, if any, says UTF-16 or UTF-8.
 */
export async function* decodeStream(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    if (!decoder) {
      // The mark is two or three bytes: wait for them before choosing.
      head = concat(head, bytes);
      if (head.length < 3) continue;
      decoder = decoderFor(head);
      yield decoder.decode(head, { stream: true });
      continue;
    }
    yield decoder.decode(bytes, { stream: true });
  }
  if (!decoder) {
    if (head.length === 0) return;
    decoder = decoderFor(head);
    yield decoder.decode(head, { stream: true });
  }
  yield decoder.decode();
}

function decoderFor(head: Uint8Array): TextDecoder {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be');
  return new TextDecoder('utf-8');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
