import { UploadedFile } from "./uploaded-file.js";

export interface MultipartContent {
  fields: Map<string, string>;
  files: Map<string, UploadedFile>;
}

/**
 * Parses multipart/form-data by hand instead of `Request.formData()`: grammY writes headers as
 * `content-disposition:form-data;name="x";filename=photo.jpg` (no spaces, unquoted filename),
 * which stricter parsers reject while Telegram accepts it.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartContent | undefined {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  const fields = new Map<string, string>();
  const files = new Map<string, UploadedFile>();

  let position = body.indexOf(delimiter);
  if (position < 0) return undefined;
  while (position >= 0) {
    let partStart = position + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break;
    if (body.subarray(partStart, partStart + 2).toString() === "\r\n") partStart += 2;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    // The CRLF before the next delimiter belongs to the delimiter, not to the part body.
    let partEnd = next;
    if (body[partEnd - 2] === 0x0d && body[partEnd - 1] === 0x0a) partEnd -= 2;
    const part = body.subarray(partStart, partEnd);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = parseHeaders(part.subarray(0, headerEnd).toString("utf8"));
      const content = part.subarray(headerEnd + 4);
      const disposition = headers.get("content-disposition") ?? "";
      const name = dispositionParam(disposition, "name");
      const fileName = dispositionParam(disposition, "filename");
      if (name !== undefined) {
        if (fileName !== undefined) {
          files.set(name, new UploadedFile(name, fileName, headers.get("content-type"), new Uint8Array(content)));
        } else {
          fields.set(name, content.toString("utf8"));
        }
      }
    }
    position = next;
  }
  return { fields, files };
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const pattern = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, "i");
  const match = pattern.exec(disposition);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? "").trim();
}
