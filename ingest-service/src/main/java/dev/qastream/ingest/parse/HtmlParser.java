package dev.qastream.ingest.parse;

final class HtmlParser {
  private HtmlParser() {}

  static ParsedDocument parse(String documentId, String text) throws UnreadableDocumentException {
    throw new UnreadableDocumentException("HTML is not supported yet");
  }
}
