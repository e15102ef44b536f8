package dev.qastream.ingest.parse;

final class PdfParser {
  private PdfParser() {}

  static ParsedDocument parse(String documentId, byte[] content) throws UnreadableDocumentException {
    throw new UnreadableDocumentException("PDF is not supported yet");
  }
}
