package dev.qastream.ingest.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns bytes into text, refusing binary content and invalid UTF-8 with a reason a person understands. The
 * text comes out with LF line ends (CR LF and a lone CR, as old Mac files have, become LF: the parsers split
 * lines at LF) and without the few control characters a text file may carry (terminal colour codes, a bell).
 */
final class TextDecoding {

    /** More than this share of control bytes (other than tab, CR, LF, FF) means binary. */
    static final double MAX_CONTROL_SHARE = 0.01;
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
    /** C0 controls and DEL except tab, line feed, form feed and carriage return (handled apart). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0E-\\x1F\\x7F]");

    private TextDecoding() {}

    static String decode(byte[] bytes, String extension) throws UnreadableDocumentException {
        // UTF-16 with a byte order mark is text even though it is full of NUL bytes.
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            String s = decodeStrict(bytes, 2, bytes[0] == (byte) 0xFE
                    ? StandardCharsets.UTF_16BE.newDecoder() : StandardCharsets.UTF_16LE.newDecoder(), "UTF-16");
            return requireText(clean(s));
        }
        checkNotBinary(bytes, extension);
        int offset = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        return requireText(clean(decodeStrict(bytes, offset, StandardCharsets.UTF_8.newDecoder(), "UTF-8")));
    }

    private static String clean(String s) {
        String lf = s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
        return CONTROL.matcher(ANSI_ESCAPE.matcher(lf).replaceAll("")).replaceAll("");
    }

    private static String requireText(String s) throws UnreadableDocumentException {
        if (s.isBlank()) {
            throw new UnreadableDocumentException("file is empty");
        }
        return s;
    }

    static void checkNotBinary(byte[] bytes, String extension) throws UnreadableDocumentException {
        int control = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 || b == 0x7F) {
                if (b == 0) {
                    throw binary(extension, "NUL byte at offset " + i);
                }
                if (b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                    control++;
                }
            }
        }
        if (control > 0 && control > bytes.length * MAX_CONTROL_SHARE) {
            throw binary(extension, control + " control bytes in " + bytes.length);
        }
    }

    private static UnreadableDocumentException binary(String extension, String detail) {
        String where = extension.isEmpty() ? "a file without extension" : "a ." + extension + " file";
        return new UnreadableDocumentException("binary content in " + where + " (" + detail + ")");
    }

    private static String decodeStrict(byte[] bytes, int offset, CharsetDecoder decoder, String name)
            throws UnreadableDocumentException {
        decoder.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            // Decode again step by step only to say where the first bad byte is.
            decoder.reset();
            ByteBuffer again = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
            CharBuffer out = CharBuffer.allocate(bytes.length + 1);
            CoderResult r = decoder.decode(again, out, true);
            int at = r.isError() ? again.position() : bytes.length;
            throw new UnreadableDocumentException("invalid " + name + " at byte " + at, e);
        }
    }
}
