/** A file part of a multipart request, kept as bytes until a method stores it. */
export class UploadedFile {
  constructor(
    readonly fieldName: string,
    readonly fileName: string | undefined,
    readonly contentType: string | undefined,
    readonly bytes: Uint8Array,
  ) {}
}
