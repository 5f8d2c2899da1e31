export { decodeImage, type DecodeOptions } from "./decode";
export { encodeImage, type EncodeOptions } from "./encode";
export { ImageError, isImageError, type ImageErrorKind } from "./errors";
export {
  IMG_COMMON,
  IMG_SERVICE,
  MAGIC_TABLE,
  imageRowByName,
  imageRowByValue,
  rawMagicForFile,
  type HeaderKind,
  type ImageMagic,
  type MagicRow,
  type PayloadKind,
  type RawMagic,
} from "./magic-table";
export { isRawImage } from "./entries";
export type * from "./entries";
export {
  createPageReader,
  pagemapLayout,
  presentBytes,
  PE_LAZY,
  PE_PARENT,
  PE_PRESENT,
  type PageReader,
  type PageReaderOptions,
  type PageRun,
  type PageSource,
  type SyncPageReader,
  type SyncPageReaderOptions,
  type SyncPageSource,
} from "./pages";
export {
  encodeImageStream,
  isRawImageStream,
  openImageStream,
  type AnyImageStream,
  type ByteSource,
  type CriuImageStream,
  type EncodeStreamOptions,
  type RawImageStream,
  type ReadIntoSource,
  type StreamOptions,
} from "./stream";
export { imageInfo, type ImageInfo } from "./info";
