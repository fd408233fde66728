import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { AppError } from '../../../../shared/errors.ts';

export interface XmlHandlers {
  /** `name` without its namespace prefix (`x:row` and `row` are the same element). */
  open(name: string, attributes: Record<string, string>): void;
  text?(text: string): void;
  close(name: string): void;
}

/**
 * Streams an XML part through saxes (no namespace processing: the parts' element names are fixed
 * by ECMA-376, some writers add a prefix, which is dropped). `shouldStop()` is asked after each
 * chunk, so a reader that has what it needs stops inflating the rest. UTF-8 unless the part starts
 * with a UTF-16 byte-order mark (the XML declaration's encoding; Excel and every exporter write UTF-8).
 */
export async function parseXml(
  stream: Readable,
  part: string,
  handlers: XmlHandlers,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | null = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  // The element names carry a prefix only when the root does (`x:worksheet`): then it is dropped
  // from every name; otherwise the names are passed as they are, with no work per element.
  const strip = (name: string) => {
    const colon = name.indexOf(':');
    return colon === -1 ? name : name.slice(colon + 1);
  };
  parser.on('opentag', (root) => {
    if (root.name.includes(':')) {
      parser.on('opentag', (tag) => handlers.open(strip(tag.name), tag.attributes as Record<string, string>));
      parser.on('closetag', (tag) => handlers.close(strip(tag.name)));
    } else {
      parser.on('opentag', (tag) => handlers.open(tag.name, tag.attributes as Record<string, string>));
      parser.on('closetag', (tag) => handlers.close(tag.name));
    }
    handlers.open(strip(root.name), root.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => handlers.close(strip(tag.name)));
  if (handlers.text) {
    const onText = (t: string) => handlers.text!(t);
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  let decoder: StringDecoder | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      decoder ??= new StringDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf16le' : 'utf8');
      let text = decoder.write(chunk);
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      parser.write(text);
      if (failure) throw failure;
      if (shouldStop()) {
        stream.destroy();
        return;
      }
    }
    if (decoder) parser.write(decoder.end());
    parser.close();
    if (failure) throw failure;
  } catch (err) {
    stream.destroy();
    if (err instanceof AppError) throw err;
    throw new AppError(
      'INVALID_INPUT',
      `This workbook's part ${part} is damaged (${err instanceof Error ? err.message : String(err)}). Open it in Excel and save it again, or download it once more.`,
    );
  }
}

/** An attribute by its local name (`r:id` and `ns0:id` are both `id` when asked for a prefixed one). */
export function attr(attributes: Record<string, string>, local: string): string | undefined {
  const direct = attributes[local];
  if (direct !== undefined) return direct;
  for (const key in attributes) if (key.endsWith(`:${local}`)) return attributes[key];
  return undefined;
}
